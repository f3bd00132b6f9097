"""The user guides (docs/guide.sv.md, docs/guide.en.md) show real output: every ```console
block is run, command by command, in a fresh directory, and what lbib prints must be what the
guide shows. After a deliberate change of output:

    LBIB_BINARY=build/cmd/lbib python3 tests/cli/test_guides.py --update
"""
import os
import re
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

from lbibtest import LBIB, SOURCE_DIR, WRAPPER, LbibTestCase

GUIDES = [SOURCE_DIR / "docs" / "guide.sv.md", SOURCE_DIR / "docs" / "guide.en.md"]
BLOCK = re.compile(r"^```console\n(.*?)^```\n", re.S | re.M)


def commands(block):
    """(command, expected output) pairs of one console block."""
    out, command, expected = [], None, []
    lines = block.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("$ "):
            if command is not None:
                out.append((command, "\n".join(expected)))
            command, expected = line[2:], []
            while command.endswith("\\"):
                i += 1
                command += "\n" + lines[i]  # bash reads the backslash-newline itself
        else:
            expected.append(line)
        i += 1
    if command is not None:
        out.append((command, "\n".join(expected)))
    return out


def run_guide(path, update=False):
    """Runs every block of the guide; returns the mismatches (or rewrites the guide)."""
    text = path.read_text()
    mismatches = []
    with tempfile.TemporaryDirectory(prefix="lbib-guide-") as work:
        os.chmod(work, 0o700)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
        env.update(HOME=work, LBIB_DB="lbib.sqlite", LC_ALL="C.UTF-8", NO_COLOR="1",
                   PATH=f"{Path(LBIB).resolve().parent}:{env['PATH']}")
        if path.name.endswith(".sv.md"):
            # A Swedish contact person's terminal: LANG says Swedish.
            env.pop("LC_ALL")
            env["LANG"] = "sv_SE.UTF-8"
        if path.name.endswith(".en.md"):
            (Path(work) / "en.toml").write_text('[library]\nlanguage = "en"\n')
            env["LBIB_CONFIG"] = str(Path(work) / "en.toml")

        def render(match):
            new_block = []
            for command, expected in commands(match.group(1)):
                r = subprocess.run(["bash", "-c", command + " 2>&1"], capture_output=True, text=True,
                                   cwd=work, env=env, timeout=120)
                # Trailing blanks (table padding, CSV's CR) are not part of what the guide shows.
                got = "\n".join(line.rstrip() for line in r.stdout.rstrip().splitlines())
                expected = "\n".join(line.rstrip() for line in expected.splitlines())
                if got != expected:
                    mismatches.append((command, expected, got))
                new_block.append("$ " + command + ("\n" + got if got else ""))
            return "```console\n" + "\n".join(new_block) + "\n```\n"

        new_text = BLOCK.sub(render, text)
    if update and new_text != text:
        path.write_text(new_text)
    return mismatches


class ManualPageTest(LbibTestCase):
    """lbib(1), built from docs/lbib.1.scd, renders cleanly and names every command."""

    def test_manual_page(self):
        page = Path(LBIB).resolve().parent.parent / "lbib.1"
        if not page.exists():
            self.skipTest("no scdoc: the manual page was not built")
        env = dict(self.env, MANWIDTH="80", LC_ALL="C.UTF-8")
        r = subprocess.run(["man", "--warnings", "-l", str(page)], capture_output=True, text=True, env=env,
                           timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stderr, "", "groff warned")
        self.assertIn("lbib - the register of a Living Library (Levande Bibliotek)", r.stdout)
        self.assertIn("låntagare", r.stdout, "UTF-8 survives")
        help_text = self.ok("--help", db=False).out
        commands = re.findall(r"^  ([a-z]+) {2,}", help_text.split("Subcommands:")[1], re.M)
        self.assertGreater(len(commands), 15)
        for command in commands:
            self.assertRegex(r.stdout, rf"\b{command}\b", f"lbib(1) does not mention '{command}'")


class GuideTest(LbibTestCase):
    def test_guides_show_real_output(self):
        if WRAPPER:
            self.skipTest("the guides run lbib through bash, not the wrapper")
        for guide in GUIDES:
            with self.subTest(guide=guide.name):
                self.assertTrue(guide.exists())
                self.assertGreaterEqual(len(BLOCK.findall(guide.read_text())), 5)
                for command, expected, got in run_guide(guide):
                    self.fail(f"{guide.name}: `{command}` printed:\n{got}\n--- the guide shows:\n{expected}")


if __name__ == "__main__":
    if "--update" in sys.argv:
        for g in GUIDES:
            print(g.name, len(run_guide(g, update=True)), "blocks changed")
    else:
        unittest.main()

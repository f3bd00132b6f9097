"""Messages in Swedish: the catalogue po/sv.po is complete and every translation keeps its
placeholders; LANG or library.language chooses the language; a broken translation can never
lose a message."""
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

from lbibtest import SOURCE_DIR, LbibTestCase

PLACEHOLDER = re.compile(r"(?<!\{)\{[^{}]*\}(?!\})")


def read_po(path):
    """{msgid: (msgstr, flags)} of a .po or .pot file."""
    entries, text = {}, Path(path).read_text()
    for m in re.finditer(r"((?:#.*\n)*)msgid ((?:\".*\"\n)+)msgstr ((?:\".*\"\n?)+)", text):
        unquote = lambda block: "".join(re.findall(r'"(.*)"', block)).encode().decode("unicode_escape").encode(
            "latin-1").decode("utf-8")
        msgid = unquote(m.group(2))
        if msgid:
            entries[msgid] = (unquote(m.group(3)), m.group(1))
    return entries


def placeholders(s):
    return PLACEHOLDER.findall(s.replace("{{", "").replace("}}", ""))


class CatalogueTest(LbibTestCase):
    def test_every_message_is_translated(self):
        with tempfile.TemporaryDirectory() as work:
            pot = Path(work) / "lbib.pot"
            subprocess.run([str(SOURCE_DIR / "scripts" / "extract-messages.sh"), str(pot)], check=True,
                           capture_output=True)
            wanted = read_po(pot)
        sv = read_po(SOURCE_DIR / "po" / "sv.po")
        self.assertGreater(len(wanted), 350)
        missing = [m for m in wanted if not sv.get(m, ("", ""))[0]]
        self.assertEqual(missing, [], "messages without a Swedish translation (msgmerge po/sv.po po/lbib.pot)")
        self.assertEqual([m for m, (_, flags) in sv.items() if "fuzzy" in flags], [])

    def test_translations_keep_their_placeholders(self):
        """fmt fills a translation with the English text's arguments, in order: the fields
        must be the same, in the same order."""
        sv = read_po(SOURCE_DIR / "po" / "sv.po")
        checked = 0
        for msgid, (msgstr, _) in sv.items():
            self.assertEqual(placeholders(msgstr), placeholders(msgid), f"{msgid!r} -> {msgstr!r}")
            checked += bool(placeholders(msgid))
        self.assertGreater(checked, 100)

    def test_shipped_po_is_what_msgfmt_accepts(self):
        r = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(SOURCE_DIR / "po" / "sv.po")],
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)


class LanguageTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.ok("init")
        self.sv = dict(self.env, LANG="sv_SE.UTF-8")
        self.sv.pop("LC_ALL")

    def test_lang_gives_swedish_messages_help_and_headings(self):
        self.fails(66, "ingen erfaren med id 7", "expert", "show", "7", env=self.sv)
        self.fails(65, "received: inte ett giltigt datum", "request", "new", "--borrower", "1",
                   "--received", "2026-13-01", env=self.sv)
        help_text = self.ok("recruit", "--help", env=self.sv, db=False).out
        self.assertIn("Användning: lbib recruit [ALTERNATIV]", help_text)
        self.assertIn("Registrera en ny erfaren efter rekryteringsintervjun", help_text)
        self.assertIn("Slutstatus:", self.ok("--help", env=self.sv, db=False).out)
        self.ok("recruit", "--name", "Åsa Öberg", "--email", "asa@example.se", "--channel", "website",
                "--consent", "register", env=self.sv)
        table = self.ok("expert", "list", env=self.sv).out
        self.assertTrue(table.startswith("id  namn"), table)
        shown = self.ok("expert", "show", "1", env=self.sv).out
        self.assertIn("kommun:", shown)
        # Keys stay keys where scripts read them.
        self.assertIn("municipality", self.ok("expert", "list", "--format", "csv", env=self.sv).out)
        self.assertIn('"name"', self.ok("expert", "list", "--format", "json", env=self.sv).out)

    def test_default_is_english(self):
        self.fails(66, "no expert with id 7", "expert", "show", "7")

    def test_configuration_decides_when_it_says(self):
        sv_conf, en_conf = self.dir / "sv.toml", self.dir / "en.toml"
        sv_conf.write_text('[library]\nlanguage = "sv"\n')
        en_conf.write_text('[library]\nlanguage = "en"\n')
        self.fails(66, "ingen erfaren med id 7", "expert", "show", "7", env=dict(self.env, LBIB_CONFIG=str(sv_conf)))
        self.fails(66, "no expert with id 7", "expert", "show", "7", env=dict(self.sv, LBIB_CONFIG=str(en_conf)))

    def test_the_configured_language_is_settled_before_anything_is_parsed(self):
        sv_conf, en_conf = self.dir / "sv.toml", self.dir / "en.toml"
        sv_conf.write_text('[library]\nlanguage = "sv"\n')
        en_conf.write_text('[library]\nlanguage = "en"\n')
        sv_by_config = dict(self.env, LBIB_CONFIG=str(sv_conf))
        en_by_config = dict(self.sv, LBIB_CONFIG=str(en_conf))
        # A usage error found before any command runs, then a data error inside one: the same
        # language both times, whichever way the configuration was named.
        self.fails(64, "'--stauts' är inte ett alternativ till lbib expert list; menade du '--status'?",
                   "expert", "list", "--stauts", "x", env=sv_by_config)
        self.fails(64, "'--stauts' är inte ett alternativ", "--config", str(sv_conf), "expert", "list",
                   "--stauts", "x")
        self.fails(64, "'--stauts' är inte ett alternativ", "expert", "list", "--stauts", "x",
                   f"--config={sv_conf}")
        self.fails(64, "'--stauts' is not an option of lbib expert list", "expert", "list",
                   "--stauts", "x", env=en_by_config)
        self.fails(66, "no expert with id 7", "expert", "show", "7", env=en_by_config)
        self.fails(64, "is not a command of lbib", "reprot", env=en_by_config)
        self.fails(64, "är inte ett kommando i lbib", "reprot", env=sv_by_config)
        # Help is built in the configured language too.
        self.assertIn("Användning: lbib recruit [ALTERNATIV]",
                      self.ok("recruit", "--help", env=sv_by_config, db=False).out)
        self.assertIn("Usage: lbib recruit [OPTIONS]",
                      self.ok("recruit", "--help", env=en_by_config, db=False).out)

    def test_a_broken_configuration_is_the_commands_error_not_helps(self):
        bad = self.dir / "bad.toml"
        bad.write_text("[library\n")
        env = dict(self.env, LBIB_CONFIG=str(bad))
        self.assertIn("Usage: lbib", self.ok("--help", env=env, db=False).out)
        self.fails(78, "bad.toml", "expert", "list", env=env)

    def test_a_broken_translation_falls_back_to_english(self):
        broken = self.dir / "locale" / "sv" / "LC_MESSAGES"
        broken.mkdir(parents=True)
        po = self.dir / "broken.po"
        po.write_text('msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                      'msgid "no expert with id {}"\nmsgstr "ingen erfaren med id {} och {}"\n')
        subprocess.run(["msgfmt", "-o", str(broken / "lbib.mo"), str(po)], check=True)
        env = dict(self.sv, LBIB_LOCALEDIR=str(self.dir / "locale"))
        self.fails(66, "no expert with id 7", "expert", "show", "7", env=env)

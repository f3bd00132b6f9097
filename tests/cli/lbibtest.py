# SPDX-License-Identifier: MIT
"""Shared helpers for lbib's end-to-end tests.

Every test runs the real lbib binary in a fresh temporary directory, with every LBIB_*
variable removed and HOME/XDG pointed inside that directory, so nothing of the machine's
own configuration leaks in. People in fixtures are invented.
"""
import csv
import fcntl
import hashlib
import io
import json
import os
import pty
import select
import shutil
import struct
import subprocess
import tempfile
import termios
import unittest
from pathlib import Path

LBIB = os.environ.get("LBIB_BINARY", "lbib")
# A command put before every lbib run, e.g. valgrind for the labelled memcheck run
# (tests/CMakeLists.txt); space-separated.
WRAPPER = os.environ.get("LBIB_WRAPPER", "").split()
SOURCE_DIR = Path(os.environ.get("LBIB_SOURCE_DIR", Path(__file__).resolve().parents[2]))


class Result:
    def __init__(self, proc):
        self.code = proc.returncode
        self.out = proc.stdout
        self.err = proc.stderr

    def json(self):
        return json.loads(self.out)

    def csv(self):
        assert self.out.startswith("\ufeff"), "CSV must start with a UTF-8 BOM"
        return list(csv.DictReader(io.StringIO(self.out[1:], newline=""), delimiter=";"))


def read_terminal(master, timeout=30):
    """Everything shown on a pseudo-terminal until the program closes it (or `timeout` seconds
    pass with nothing new)."""
    shown = b""
    while True:
        ready, _, _ = select.select([master], [], [], timeout)
        if not ready:
            return shown
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the program closed the terminal
            return shown
        if not chunk:
            return shown
        shown += chunk


def on_terminal(test, *args, columns=80, env=None):
    """lbib (on `test`'s register) with stdout on a pseudo-terminal `columns` wide, as a person
    reads it; the lines it showed. It must succeed."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    p = subprocess.Popen([LBIB, f"--db={test.db}", *map(str, args)], stdin=subprocess.DEVNULL,
                         stdout=slave, stderr=subprocess.PIPE, env=dict(env or test.env),
                         cwd=test.dir)
    os.close(slave)
    shown = read_terminal(master)
    p.wait(timeout=30)
    os.close(master)
    err = p.stderr.read()
    p.stderr.close()
    test.assertEqual(p.returncode, 0, err)
    return shown.decode().replace("\r\n", "\n").splitlines()


class LbibTestCase(unittest.TestCase):
    maxDiff = None

    def setUp(self):
        self.dir = Path(tempfile.mkdtemp(prefix="lbib-cli-"))
        os.chmod(self.dir, 0o700)
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
        self.env.update(
            HOME=str(self.dir),
            XDG_CONFIG_HOME=str(self.dir / ".config"),
            XDG_DATA_HOME=str(self.dir / ".local" / "share"),
            LC_ALL="C.UTF-8",
        )
        self.db = self.dir / "register.sqlite"

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- running lbib --------------------------------------------------------
    def run_lbib(self, *args, db=True, input=None, env=None, cwd=None):
        argv = WRAPPER + [LBIB] + ([f"--db={self.db}"] if db else []) + [str(a) for a in args]
        # newline="" semantics: decode as UTF-8 but keep CRLF as it was written.
        proc = subprocess.run(argv, capture_output=True, input=input and input.encode(),
                              env=env or self.env, cwd=cwd or self.dir,
                              timeout=600 if WRAPPER else 120)
        proc.stdout = proc.stdout.decode("utf-8")
        proc.stderr = proc.stderr.decode("utf-8")
        return Result(proc)

    def ok(self, *args, **kw):
        r = self.run_lbib(*args, **kw)
        self.assertEqual(r.code, 0, f"lbib {' '.join(map(str, args))} failed: {r.err}")
        self.assertEqual(r.err, "", "a successful command prints nothing on stderr")
        return r

    def fails(self, code, message, *args, **kw):
        """Runs lbib expecting exit `code`, one 'lbib: error:' line containing `message`,
        and the register byte-for-byte unchanged."""
        before = self.snapshot()
        r = self.run_lbib(*args, **kw)
        self.assertEqual(r.code, code, f"stderr: {r.err!r}")
        lines = r.err.splitlines()
        self.assertEqual(len(lines), 1, f"expected one line on stderr, got {r.err!r}")
        self.assertTrue(lines[0].startswith("lbib: error: "), lines[0])
        self.assertIn(message, lines[0])
        self.assertEqual(before, self.snapshot(), "the register changed on a failed command")
        return r

    def snapshot(self):
        """Hashes of the register and its WAL, or None when there is none."""
        if not self.db.exists():
            return None
        parts = []
        for suffix in ("", "-wal"):
            p = Path(str(self.db) + suffix)
            parts.append(hashlib.sha256(p.read_bytes()).hexdigest() if p.exists() else None)
        return tuple(parts)

    # -- fixtures ------------------------------------------------------------
    def init(self):
        self.ok("init")

    def recruit(self, name="Testa Testsson", email="testa@example.se", *extra,
                consent="register,mailing", channel="personal-contact",
                experiences=("relative:dementia:2019:major",)):
        args = ["recruit", "--name", name, "--email", email, "--channel", channel,
                "--consent", consent, "--interviewed", "2026-01-15"]
        for x in experiences:
            args += ["--experience", x]
        args += list(extra)
        r = self.ok(*args)
        return int(r.out.strip())

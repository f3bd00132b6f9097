# SPDX-License-Identifier: MIT
"""Shared parts of the reliability harnesses: a private register and a clean environment."""
import os
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

LBIB = os.environ.get("LBIB_BINARY", "lbib")


class Register:
    """A fresh register in a private temporary directory, removed on exit."""

    def __init__(self):
        self.dir = Path(tempfile.mkdtemp(prefix="lbib-rel-"))
        os.chmod(self.dir, 0o700)
        self.db = self.dir / "register.sqlite"
        self.env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
        # An empty configuration of its own: the built-in defaults, never the machine's
        # /etc/lbib/config.toml.
        config = self.dir / "config.toml"
        config.write_text("")
        self.env.update(HOME=str(self.dir), LBIB_DB=str(self.db), LBIB_CONFIG=str(config), LC_ALL="C.UTF-8")
        self.run("init")

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        shutil.rmtree(self.dir, ignore_errors=True)

    def argv(self, *args):
        return [LBIB, *map(str, args)]

    def run(self, *args, check=True):
        p = subprocess.run(self.argv(*args), capture_output=True, text=True, env=self.env, timeout=120)
        if check and p.returncode != 0:
            raise RuntimeError(f"lbib {' '.join(map(str, args))}: {p.returncode} {p.stderr}")
        return p

    def query(self, sql, *params):
        # Read-only, through SQLite itself: what a later lbib would see.
        con = sqlite3.connect(f"file:{self.db}?mode=ro", uri=True)
        try:
            return con.execute(sql, params).fetchall()
        finally:
            con.close()


def recruit_args(name, email):
    """A recruitment that writes many rows in one transaction: expert, 3 experiences,
    2 consents, a consent text and an audit entry."""
    return ["recruit", "--name", name, "--email", email, "--channel", "website",
            "--consent", "register,mailing", "--interviewed", "2026-01-15",
            "--experience", "relative:dementia", "--experience", "patient:primary-care",
            "--experience", "user:home-care"]

# SPDX-License-Identifier: MIT
"""Storage faults: a full disk (a small tmpfs the test mounts), EIO and ENOSPC injected by
strace at the k-th write of a command for every k, and a read-only filesystem. Each gives
one clear line and exit code 74 and leaves the register logically unchanged and intact."""
import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

from lbibtest import LBIB, LbibTestCase

STRACE = shutil.which("strace")
SQLITE3 = shutil.which("sqlite3")


def can_mount():
    return os.geteuid() == 0 and shutil.which("mount") is not None


class StorageCase(LbibTestCase):
    def dump(self):
        """The register's content as SQL text, read through SQLite itself (read-only)."""
        return subprocess.run([SQLITE3, "-readonly", str(self.db), ".dump"], capture_output=True, text=True,
                              check=True).stdout

    def recruit_args(self, i, notes=""):
        args = ["recruit", "--name", f"Person {i}", "--email", f"p{i}@example.se", "--channel", "website",
                "--consent", "register,mailing", "--experience", "relative:dementia"]
        return args + (["--notes", notes] if notes else [])


@unittest.skipUnless(can_mount(), "needs root to mount a tmpfs")
class DiskFullTest(StorageCase):
    def setUp(self):
        super().setUp()
        self.mnt = self.dir / "small"
        self.mnt.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(self.mnt)],
                           capture_output=True, text=True)
        if r.returncode != 0:
            self.skipTest(f"cannot mount a tmpfs here: {r.stderr.strip()}")
        self.db = self.mnt / "register.sqlite"

    def tearDown(self):
        subprocess.run(["umount", str(self.mnt)], capture_output=True)
        super().tearDown()

    def test_a_full_disk_fails_cleanly_and_loses_nothing(self):
        self.init()
        # Leave about 160 kB free, then write until the disk is full.
        free = shutil.disk_usage(self.mnt).free
        (self.mnt / "filler").write_bytes(b"\0" * max(0, free - 160 * 1024))
        committed, failure = 0, None
        for i in range(200):
            r = self.run_lbib(*self.recruit_args(i, "x" * 4000))
            if r.code == 0:
                committed += 1
                continue
            failure = r
            break
        self.assertIsNotNone(failure, "the disk never filled")
        self.assertEqual(failure.code, 74, failure.err)
        self.assertEqual(len(failure.err.splitlines()), 1)
        self.assertTrue(failure.err.startswith("lbib: error: "))
        (self.mnt / "filler").unlink()
        self.assertEqual(self.ok("check").out, "ok\n")
        self.assertEqual(len(self.ok("expert", "list", "--format", "json").json()), committed,
                         "every acknowledged recruitment is there, and the failed one is not")


    def test_an_export_that_does_not_fit_leaves_no_file(self):
        """export --out streams to the file; when the disk fills, the half-written file goes."""
        self.db = self.dir / "register.sqlite"  # the register on the normal disk
        self.init()
        for i in range(40):
            self.ok(*self.recruit_args(i, "x" * 9000))
        free = shutil.disk_usage(self.mnt).free
        (self.mnt / "filler").write_bytes(b"\0" * max(0, free - 100 * 1024))
        out = self.mnt / "handover.json"
        r = self.run_lbib("export", "--all", "--out", out)
        self.assertEqual(r.code, 74, r.err)
        self.assertEqual(len(r.err.splitlines()), 1)
        self.assertIn("cannot write", r.err)
        self.assertFalse(out.exists(), "a half-written export was left behind")
        (self.mnt / "filler").unlink()
        self.ok("export", "--all", "--out", out)
        self.assertEqual(len(json.loads(out.read_text())["tables"]["expert"]), 40)


@unittest.skipUnless(STRACE and SQLITE3, "needs strace and sqlite3 (scripts/install-deps.sh)")
class InjectedFaultTest(StorageCase):
    def setUp(self):
        super().setUp()
        # LeakSanitizer cannot run under ptrace; in the sanitizer build, strace needs it off.
        options = self.env.get("ASAN_OPTIONS", "")
        self.traced_env = dict(self.env, ASAN_OPTIONS=(options + ":detect_leaks=0").lstrip(":"))

    def writes_of(self, args):
        """How many pwrite64 calls a command makes (SQLite writes the WAL and file with them)."""
        out = self.dir / "count.txt"
        subprocess.run([STRACE, "-f", "-c", "-e", "trace=pwrite64", "-o", str(out), LBIB, f"--db={self.db}", *args],
                       check=True, capture_output=True, env=self.traced_env)
        for line in out.read_text().splitlines():
            if line.strip().endswith("pwrite64"):
                return int(line.split()[3])
        return 0

    def test_eio_and_enospc_at_every_write_of_a_command(self):
        self.init()
        self.recruit()
        probe = self.db.with_name("probe.sqlite")
        shutil.copy(self.db, probe)
        os.chmod(probe, 0o600)
        saved = self.db
        self.db = probe
        writes = self.writes_of(self.recruit_args(99))
        self.db = saved
        self.assertGreater(writes, 2)
        failed = 0
        for errno_name in ("EIO", "ENOSPC"):
            for k in range(1, writes + 1):
                with self.subTest(errno=errno_name, k=k):
                    before = self.dump()
                    email = f"p{errno_name}{k}@example.se"
                    args = self.recruit_args(k)
                    args[args.index("--email") + 1] = email
                    r = subprocess.run([STRACE, "-f", "-o", "/dev/null", "-e", "trace=pwrite64",
                                        "-e", f"inject=pwrite64:error={errno_name}:when={k}",
                                        LBIB, f"--db={self.db}", *args],
                                       capture_output=True, text=True, env=self.traced_env)
                    self.assertEqual(self.ok("check").out, "ok\n")
                    if r.returncode == 0:
                        # The fault hit the checkpoint after the commit (the change was already
                        # durable in the WAL): the command rightly succeeded, all of it.
                        self.assertIn(email, self.dump())
                        continue
                    failed += 1
                    self.assertEqual(r.returncode, 74, r.stderr)
                    self.assertEqual(len(r.stderr.splitlines()), 1, r.stderr)
                    self.assertTrue(r.stderr.startswith("lbib: error: "))
                    self.assertEqual(before, self.dump(), "the register changed after a failed write")
        self.assertGreater(failed, 2 * 10, "most injected faults must hit the transaction itself")


@unittest.skipUnless(can_mount(), "needs root to remount read-only")
class ReadOnlyTest(StorageCase):
    def test_a_read_only_filesystem(self):
        self.init()
        self.recruit()
        before = self.db.read_bytes()
        ro = self.dir / "ro"
        ro.mkdir()
        if subprocess.run(["mount", "--bind", str(self.dir), str(ro)], capture_output=True).returncode != 0:
            self.skipTest("cannot bind-mount here")
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True, capture_output=True)
            r = self.run_lbib("--db", ro / "register.sqlite", *self.recruit_args(5), db=False)
            self.assertEqual(r.code, 74, r.err)
            self.assertEqual(len(r.err.splitlines()), 1)
            self.assertIn("directory read-only or full", r.err)
        finally:
            subprocess.run(["umount", str(ro)], capture_output=True)
        self.assertEqual(before, self.db.read_bytes())

    def test_rescue_from_read_only_media(self):
        """check, export --all and backup work on a register on a read-only mount: opened
        read-only, nothing written, and stderr says what could not be done (the audit)."""
        self.init()
        for i in range(3):
            self.recruit(f"Person {i}", f"p{i}@example.se")
        log_before = len(self.ok("log", "--format", "json").json())
        before = self.db.read_bytes()
        ro = self.dir / "ro"
        ro.mkdir()
        out = Path(tempfile.mkdtemp(prefix="lbib-rescue-"))
        if subprocess.run(["mount", "--bind", str(self.dir), str(ro)], capture_output=True).returncode != 0:
            self.skipTest("cannot bind-mount here")
        try:
            subprocess.run(["mount", "-o", "remount,ro,bind", str(ro)], check=True, capture_output=True)
            db = ro / "register.sqlite"
            run = lambda *a: self.run_lbib("--db", db, *a, db=False)
            r = run("check")
            self.assertEqual((r.code, r.out), (0, "ok\n"), r.err)
            self.assertIn("lbib: note: the register is read-only", r.err)
            r = run("export", "--all", "--out", out / "export.json")
            self.assertEqual(r.code, 0, r.err)
            self.assertIn("not audited", r.err)
            self.assertEqual(len(json.loads((out / "export.json").read_text())["tables"]["expert"]), 3)
            r = run("backup", out / "backup.sqlite")
            self.assertEqual(r.code, 0, r.err)
            self.assertIn("not audited", r.err)
            r = run("recruit", *self.recruit_args(9)[1:])
            self.assertEqual(r.code, 74, r.err)
            self.assertEqual(len(os.listdir(ro)), len(os.listdir(self.dir)), "nothing was written")
        finally:
            subprocess.run(["umount", str(ro)], capture_output=True)
        try:
            self.assertEqual(before, self.db.read_bytes())
            self.assertFalse(Path(str(self.db) + "-wal").exists() and Path(str(self.db) + "-wal").stat().st_size)
            os.chmod(out / "backup.sqlite", 0o600)
            self.assertEqual(self.ok("--db", out / "backup.sqlite", "check", db=False).out, "ok\n")
            # The rescue is not in the audit log (it could not be written), and the register is as it was.
            self.assertEqual(len(self.ok("log", "--format", "json").json()), log_before)
            new = out / "new.sqlite"
            self.ok("--db", new, "import", out / "export.json", db=False)
            self.assertEqual(len(self.ok("--db", new, "expert", "list", "--format", "json", db=False).json()), 3)
        finally:
            shutil.rmtree(out, ignore_errors=True)


if __name__ == "__main__":
    unittest.main()

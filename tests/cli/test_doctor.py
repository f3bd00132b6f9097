# SPDX-License-Identifier: MIT
"""`lbib doctor`: a good deployment says ok on every line and exits 0; each bad deployment
the issue names (a world-readable register, a register on a network filesystem, a stale
backup, no sendmail, msmtp without TLS, a missing locale) gives its exact line and exit code.

The surroundings are real files in the test's folder: a fake sysfs (LBIB_SYSFS) whose block
device is a dm-crypt one, a `crontab` and an `msmtp` on PATH, a backup folder; the network
filesystem comes through the statfs seam LBIB_TEST_FSTYPE."""
import json
import os
import stat
import time
import unittest

from lbibtest import LbibTestCase

CONFIG = """
[library]
email = "lb@region.example.se"
contact_persons = [ {{ name = "Kim Kontakt", email = "kim@region.example.se" }} ]
[gdpr]
controller = "Region Exempel"
contact = "registrator@region.example.se"
dpo = "dso@region.example.se"
[jobs]
backup_dir = "{backups}"
"""

MSMTPRC = """defaults
tls on
account default
host smtp.region.example.se
from lb@region.example.se
"""


def stamp(t):
    return time.strftime("%Y-%m-%d %H:%M", time.localtime(t))


class DoctorTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.ok("init")
        d = self.dir
        self.backups = d / "backups"
        self.backups.mkdir(mode=0o700)
        self.config = d / "config.toml"
        self.config.write_text(CONFIG.format(backups=self.backups))
        bin_dir = d / "bin"
        bin_dir.mkdir()
        for name, body in (("crontab", "echo '0 7 * * * /usr/libexec/lbib/cron-remind.sh'"),
                           ("msmtp", "cat >/dev/null")):
            p = bin_dir / name
            p.write_text(f"#!/bin/sh\n{body}\n")
            p.chmod(0o755)
        self.msmtprc = d / "msmtprc"
        self.msmtprc.write_text(MSMTPRC)
        self.msmtprc.chmod(0o600)
        # A fake sysfs in which the register's block device is a LUKS mapping.
        dev = os.stat(self.db).st_dev
        block = d / "sys" / "dev" / "block" / f"{os.major(dev)}:{os.minor(dev)}" / "dm"
        block.mkdir(parents=True)
        (block / "uuid").write_text("CRYPT-LUKS2-0123456789abcdef-luks\n")
        self.env.update(
            LBIB_CONFIG=str(self.config), LBIB_DB=str(self.db), LBIB_SYSFS=str(d / "sys"),
            PATH=f"{bin_dir}:{os.environ['PATH']}", TZ="UTC",
            SENDMAIL=f"{bin_dir / 'msmtp'} --file={self.msmtprc}")
        self.backup = self.backups / "lbib-20261201T023000Z.sqlite.age"
        self.backup.write_bytes(b"age-encryption.org/v1\n")
        self.ok("remind", "--mail", db=False)

    def doctor(self, *args, code=0):
        r = self.run_lbib("doctor", *args, db=False)
        self.assertEqual(r.code, code, r.out + r.err)
        self.assertEqual(r.err, "")
        return r.out.splitlines()

    def assertLine(self, line, lines):
        self.assertIn(line, lines, "\n".join(lines))

    def test_good_deployment_is_ok_on_every_line(self):
        lines = self.doctor()
        self.assertEqual([l for l in lines if not l.startswith("ok ")], [], "\n".join(lines))
        self.assertEqual(len(lines), 21, "\n".join(lines))
        self.assertLine(f"ok       register {self.db}: mode 0600", lines)
        self.assertLine("ok       the disk is encrypted (dm-crypt/LUKS)", lines)
        self.assertLine("ok       msmtp uses TLS for every remote server", lines)
        self.assertLine(f"ok       the newest backup is from {stamp(self.backup.stat().st_mtime)}",
                        lines)
        self.assertLine("ok       the record of processing (art. 30) is complete", lines)
        # Monitoring: every check with a stable key, and the status in English.
        found = json.loads(self.run_lbib("doctor", "--format", "json", db=False).out)
        self.assertEqual({f["status"] for f in found}, {"ok"})
        self.assertIn("filesystem.local", [f["check"] for f in found])

    def test_swedish(self):
        env = dict(self.env, LANGUAGE="sv")
        r = self.run_lbib("doctor", db=False, env=env)
        self.assertEqual(r.code, 0, r.out)
        self.assertIn("ok       registerförteckningen (art. 30) är komplett", r.out.splitlines())
        self.env["SENDMAIL"] = "/nonexistent/sendmail"
        r = self.run_lbib("doctor", db=False, env=dict(self.env, LANGUAGE="sv"))
        self.assertEqual(r.code, 2)
        self.assertIn("problem  inget sendmail-kommando /nonexistent/sendmail: installera "
                      "msmtp-mta (eller en annan e-postserver), eller sätt SENDMAIL",
                      r.out.splitlines())

    def test_world_readable_register(self):
        self.db.chmod(0o644)
        self.assertLine(f"problem  register {self.db} can be read or written by other users "
                        f"(mode 0644): run 'chmod 600 {self.db}'", self.doctor(code=2))

    def test_network_filesystem(self):
        self.env["LBIB_TEST_FSTYPE"] = "0x6969"
        self.assertLine("problem  the register is on a network filesystem (NFS); SQLite's "
                        "locking is not safe there: move the register to a local disk and "
                        "share access through the server", self.doctor(code=2))
        # Every other command refuses such a register, with the reason.
        self.fails(77, "is on a network filesystem (NFS); SQLite's locking is not safe there",
                   "expert", "list")
        self.env["LBIB_TEST_FSTYPE"] = "0xFF534D42"
        self.fails(77, "network filesystem (SMB/CIFS)", "init", "--db", self.dir / "new.sqlite",
                   db=False)
        self.assertFalse((self.dir / "new.sqlite").exists())

    def test_no_encryption_found(self):
        del self.env["LBIB_SYSFS"]
        self.env["LBIB_SYSFS"] = str(self.dir / "empty-sys")
        self.assertLine("warning  no encryption at rest found (dm-crypt/LUKS or fscrypt) under "
                        "the register: the register holds special-category data: keep it on an "
                        "encrypted disk", self.doctor(code=1))

    def test_stale_backup(self):
        old = time.time() - 10 * 86400
        os.utime(self.backup, (old, old))
        self.assertLine(f"problem  the newest backup is from {stamp(old)}, older than 2 days: "
                        "see why the backup job fails: journalctl -u 'lbib-backup@*'",
                        self.doctor(code=2))

    def test_unencrypted_backup(self):
        (self.backups / "lbib-20261202T023000Z.sqlite").write_bytes(b"SQLite format 3\0")
        self.assertLine("problem  an unencrypted backup lies in the backup folder "
                        "(lbib-20261202T023000Z.sqlite): delete it; scripts/backup.sh writes "
                        "only age-encrypted .age files", self.doctor(code=2))

    def test_missing_sendmail(self):
        self.env["SENDMAIL"] = "/nonexistent/sendmail"
        self.assertLine("problem  no sendmail command /nonexistent/sendmail: install msmtp-mta "
                        "(or another mail transport agent), or set SENDMAIL", self.doctor(code=2))

    def test_msmtp_without_tls(self):
        self.msmtprc.write_text(MSMTPRC.replace("tls on", "tls off"))
        self.assertLine("problem  msmtp sends to a remote server without TLS (account default): "
                        f"add 'tls on' to {self.msmtprc}", self.doctor(code=2))
        self.msmtprc.write_text(MSMTPRC)
        self.msmtprc.chmod(0o644)
        self.assertLine(f"problem  msmtp's configuration {self.msmtprc} can be read by other "
                        f"users (mode 0644): run 'chmod 600 {self.msmtprc}'", self.doctor(code=2))

    def test_missing_locale(self):
        # LOCPATH points glibc at a folder without locales: sv_SE.UTF-8 is then not installed,
        # whatever this machine has generated. LC_ALL=sv_... also makes the messages Swedish.
        self.env.update(LC_ALL="sv_SE.UTF-8", LOCPATH=str(self.dir / "no-locales"))
        self.assertLine("varning  systemlokalen sv_SE.UTF-8 är inte installerad: skapa den: "
                        "apt-get install locales; sed -i 's/^# *sv_SE.UTF-8/sv_SE.UTF-8/' "
                        "/etc/locale.gen; locale-gen", self.doctor(code=1))

    def test_system_messages_not_garbled_without_the_locale(self):
        # sv_SE.UTF-8 is not generated (LOCPATH hides any that is): the C library's own
        # message (strerror) still comes out in UTF-8 Swedish, not as "F?r m?nga".
        (self.dir / "loop").symlink_to("loop")
        env = dict(self.env, LC_ALL="", LANG="sv_SE.UTF-8", LOCPATH=str(self.dir / "none"))
        r = self.run_lbib("--db", "loop/x", "expert", "list", db=False, env=env)
        self.assertEqual(r.code, 74)
        self.assertEqual(r.err, "lbib: error: kan inte läsa loop/x: För många nivåer av "
                         "symboliska länkar\n")

    def test_jobs_missing(self):
        (self.dir / "bin" / "crontab").write_text("#!/bin/sh\nexit 1\n")
        os.unlink(str(self.db) + ".last-remind")
        self.assertLine("problem  no reminder job is installed: enable the timer: systemctl "
                        "enable --now lbib-remind@USER.timer (or add the cron line in "
                        "docs/deploy.md)", self.doctor(code=2))

    def test_incomplete_configuration(self):
        self.config.write_text(CONFIG.format(backups=self.backups).replace(
            'dpo = "dso@region.example.se"', ""))
        self.assertLine("problem  the record of processing (art. 30) lacks gdpr.dpo: fill in the "
                        "[gdpr] section of the configuration", self.doctor(code=2))
        self.config.write_text("[library]\nnmae = 1\n")
        lines = self.doctor(code=2)
        self.assertTrue(any(l.startswith("problem  ") and "unknown key 'library.nmae'" in l
                            for l in lines), "\n".join(lines))


if __name__ == "__main__":
    unittest.main()

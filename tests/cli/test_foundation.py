# SPDX-License-Identifier: MIT
"""The register's foundation: init, recruit, expert list/show/edit/leave, log, check, backup,
configuration and the documented exit codes."""
import os
import sqlite3
import stat
import unittest

from lbibtest import LbibTestCase


class InitTest(LbibTestCase):
    def test_init_creates_private_register_and_refuses_to_overwrite(self):
        r = self.ok("init")
        self.assertEqual(r.out.strip(), str(self.db))
        self.assertEqual(stat.S_IMODE(self.db.stat().st_mode), 0o600)
        self.fails(73, "never overwrites", "init")

    def test_default_location_follows_xdg_data_home(self):
        r = self.ok("init", db=False)
        expected = self.dir / ".local" / "share" / "lbib" / "lbib.sqlite"
        self.assertEqual(r.out.strip(), str(expected))
        self.assertTrue(expected.exists())
        self.assertEqual(stat.S_IMODE(expected.parent.stat().st_mode), 0o700)

    def test_lbib_db_environment_variable(self):
        env = dict(self.env, LBIB_DB=str(self.dir / "env.sqlite"))
        self.ok("init", db=False, env=env)
        self.assertTrue((self.dir / "env.sqlite").exists())

    def test_commands_need_an_existing_register(self):
        self.fails(66, "lbib init", "expert", "list")

    def test_world_readable_register_is_refused(self):
        self.init()
        os.chmod(self.db, 0o644)
        self.fails(77, "chmod 600", "expert", "list")

    def test_symlinked_register_is_refused(self):
        self.init()
        link = self.dir / "link.sqlite"
        link.symlink_to(self.db)
        r = self.run_lbib("--db", link, "expert", "list", db=False)
        self.assertEqual(r.code, 77)
        self.assertIn("symbolic link", r.err)

    def test_foreign_sqlite_file_is_refused_and_untouched(self):
        other = self.dir / "other.sqlite"
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        os.chmod(other, 0o600)
        before = other.read_bytes()
        r = self.run_lbib("--db", other, "expert", "list", db=False)
        self.assertEqual(r.code, 65)
        self.assertIn("not an lbib register", r.err)
        self.assertEqual(before, other.read_bytes())

    def test_register_pragmas(self):
        self.init()
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("PRAGMA application_id").fetchone()[0], 0x4C424942)
        self.assertEqual(con.execute("PRAGMA journal_mode").fetchone()[0], "wal")
        self.assertGreaterEqual(con.execute("PRAGMA user_version").fetchone()[0], 1)
        strict = con.execute("SELECT sql FROM sqlite_master WHERE name = 'expert'").fetchone()[0]
        self.assertTrue(strict.rstrip().endswith("STRICT"))
        con.close()


class RecruitTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()

    def test_recruit_prints_only_the_new_id(self):
        first = self.recruit()
        second = self.recruit("Bodil Påhittad", "bodil@example.se")
        self.assertEqual((first, second), (1, 2))

    def test_recruit_records_everything_the_interview_gives(self):
        eid = self.recruit(
            "Åke Östlund", "ake@example.se", "--phone", "070-123 45 67", "--municipality",
            "Strängnäs", "--birth-year", "1948", "--born-abroad", "no", "--care-professional",
            "yes", "--retired", "yes", "--notes", "Berättar gärna.\nVill ha uppdrag på dagtid.",
            experiences=("relative:dementia:2019:major", "patient:dental-care:everyday"),
            consent="register,mailing,website")
        e = self.ok("expert", "show", eid, "--format", "json").json()
        self.assertEqual(e["name"], "Åke Östlund")
        self.assertEqual(e["municipality"], "Strängnäs")
        self.assertEqual(e["birth_year"], 1948)
        self.assertEqual((e["born_abroad"], e["care_professional"], e["retired"]),
                         ("no", "yes", "yes"))
        self.assertEqual(e["interviewed_on"], "2026-01-15")
        self.assertEqual(e["notes"], "Berättar gärna.\nVill ha uppdrag på dagtid.")
        self.assertEqual(
            [(x["role"], x["area"], x["year"], x["magnitude"]) for x in e["experiences"]],
            [("patient", "dental-care", None, "everyday"), ("relative", "dementia", 2019, "major")])
        self.assertEqual(sorted(c["purpose"] for c in e["consents"]),
                         ["mailing", "register", "website"])
        self.assertTrue(all(c["given_on"] == "2026-01-15" for c in e["consents"]))
        self.assertTrue(all(c["text_version"] == "2026-1" for c in e["consents"]))

    def test_bad_input_is_refused_with_one_line_and_nothing_changes(self):
        self.recruit()
        base = {"--name": "Testa", "--email": "t@example.se", "--channel": "website",
                "--consent": "register"}

        def args(**changes):
            opts = dict(base)
            for flag, value in changes.items():
                flag = "--" + flag.replace("_", "-")
                if value is None:
                    del opts[flag]
                else:
                    opts[flag] = value
            return ["recruit"] + [part for item in opts.items() for part in item]

        cases = [
            (65, "email: not a valid e-mail", args(email="t@example")),
            (65, "email: not a valid e-mail", args(email="t@example.se\r\nBcc: x@example.se")),
            (65, "interviewed: not a valid date", args(interviewed="2026-02-30")),
            (65, "interviewed: not a valid date", args(interviewed="30/01/2026")),
            (65, "unknown area 'moon'", args(experience="patient:moon")),
            (65, "patient, user, client, relative", args(experience="visitor:dementia")),
            (65, "unknown channel 'radio'", args(channel="radio")),
            (65, "register consent is required", args(consent="mailing")),
            (65, "'forever' is not accepted", args(consent="forever")),
            (65, "name: contains a line break", args(name="Testa\nTestsson")),
            (65, "name: contains a control character", args(name="Testa\x1b[31m")),
            (65, "name: too long", args(name="x" * 201)),
            (65, "notes: too long", args(notes="x" * 10001)),
            (65, "birth-year: not a year", args(birth_year="nineteen")),
            (65, "born-abroad: 'maybe' is not accepted", args(born_abroad="maybe")),
            (65, "consent-date: not a valid date", args(consent_date="yesterday")),
            (64, "--name is required", args(name=None)),
            (64, "--consent is required", args(consent=None)),
        ]
        for code, message, argv in cases:
            with self.subTest(message=message):
                self.fails(code, message, *argv)
        self.assertEqual(len(self.ok("expert", "list", "--format", "json").json()), 1)

    def test_invalid_utf8_is_refused(self):
        before = self.snapshot()
        import subprocess
        from lbibtest import LBIB
        proc = subprocess.run(
            [os.fsencode(LBIB), b"--db", os.fsencode(self.db), b"recruit", b"--name", b"Bad\xff",
             b"--email", b"t@example.se", b"--channel", b"website", b"--consent", b"register"],
            capture_output=True, env=self.env)
        self.assertEqual(proc.returncode, 65)
        self.assertIn(b"name: not valid UTF-8", proc.stderr)
        self.assertEqual(before, self.snapshot())

    def test_personal_values_never_appear_in_errors(self):
        marker = "Markör-4711"
        r = self.run_lbib("recruit", "--name", marker + "\n", "--email", "x@example.se",
                          "--channel", "website", "--consent", "register")
        self.assertEqual(r.code, 65)
        self.assertNotIn(marker, r.err)
        r = self.run_lbib("recruit", "--name", "Ok Namn", "--email", marker + "@",
                          "--channel", "website", "--consent", "register")
        self.assertEqual(r.code, 65)
        self.assertNotIn(marker, r.err)


class ExpertTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.a = self.recruit("Anna Andersson", "anna@example.se", "--municipality", "Flen",
                              experiences=("relative:dementia", "patient:primary-care"))
        self.b = self.recruit("Bertil Berg", "bertil@example.se", "--municipality", "Nyköping",
                              experiences=("patient:cancer-care:2015:major",))
        self.c = self.recruit("Cecilia Ceder", "cecilia@example.se", "--municipality", "Flen",
                              experiences=("client:social-services",), consent="register")

    def ids(self, *args):
        return [e["id"] for e in self.ok("expert", "list", *args, "--format", "json").json()]

    def test_list_filters(self):
        self.assertEqual(self.ids(), [self.a, self.b, self.c])
        self.assertEqual(self.ids("--area", "dementia"), [self.a])
        self.assertEqual(self.ids("--role", "patient"), [self.a, self.b])
        self.assertEqual(self.ids("--municipality", "Flen"), [self.a, self.c])
        self.assertEqual(self.ids("--status", "left"), [])
        self.assertEqual(self.ids("--role", "client", "--municipality", "Flen"), [self.c])

    def test_list_in_every_format(self):
        rows = self.ok("expert", "list", "--format", "csv").csv()
        self.assertEqual([r["name"] for r in rows], ["Anna Andersson", "Bertil Berg", "Cecilia Ceder"])
        self.assertEqual(rows[2]["mailing"], "no")
        raw = self.ok("expert", "list", "--format", "csv").out
        self.assertIn("\r\n", raw)
        md = self.ok("expert", "list", "--format", "md").out.splitlines()
        self.assertTrue(md[0].startswith("| id | name |"))
        self.assertEqual(len(md), 5)
        table = self.ok("expert", "list").out.splitlines()
        self.assertTrue(table[0].startswith("id"))
        self.assertEqual(len(table), 5)
        self.fails(64, "--format: 'xml' is not accepted", "expert", "list", "--format", "xml")

    def test_list_filter_errors(self):
        self.fails(65, "unknown area 'moon'", "expert", "list", "--area", "moon")
        self.fails(65, "unknown role", "expert", "list", "--role", "visitor")
        self.fails(65, "active, paused, left", "expert", "list", "--status", "gone")

    def test_csv_neutralises_formulas(self):
        eid = self.recruit("=HYPERLINK(\"http://example.se\")", "f@example.se")
        rows = self.ok("expert", "list", "--format", "csv").csv()
        name = [r["name"] for r in rows if r["id"] == str(eid)][0]
        self.assertTrue(name.startswith("'="))

    def test_show_every_format(self):
        for fmt in ("table", "json", "csv", "md"):
            with self.subTest(fmt=fmt):
                out = self.ok("expert", "show", self.a, "--format", fmt).out
                self.assertIn("Anna Andersson", out)
                self.assertIn("dementia", out)
        self.fails(66, "no expert with id 99", "expert", "show", "99")
        self.fails(64, "ID", "expert", "show", "abc")

    def test_edit(self):
        self.ok("expert", "edit", self.a, "--email", "anna.a@example.se", "--phone", "0157-123",
                "--add-experience", "user:home-care:2024", "--remove-experience", "patient:primary-care",
                "--withdraw", "mailing", "--consent", "website", "--date", "2026-02-01")
        e = self.ok("expert", "show", self.a, "--format", "json").json()
        self.assertEqual(e["email"], "anna.a@example.se")
        self.assertEqual(e["phone"], "0157-123")
        self.assertEqual(sorted(x["area"] for x in e["experiences"]), ["dementia", "home-care"])
        mailing = [c for c in e["consents"] if c["purpose"] == "mailing"][0]
        self.assertEqual(mailing["withdrawn_on"], "2026-02-01")
        website = [c for c in e["consents"] if c["purpose"] == "website"][0]
        self.assertEqual(website["given_on"], "2026-02-01")
        self.ok("expert", "edit", self.a, "--phone", "")
        self.assertIsNone(self.ok("expert", "show", self.a, "--format", "json").json()["phone"])

    def test_edit_errors_change_nothing(self):
        self.fails(66, "no expert with id 42", "expert", "edit", "42", "--phone", "1")
        self.fails(64, "nothing to change", "expert", "edit", self.a)
        self.fails(65, "email", "expert", "edit", self.a, "--email", "nope")
        self.fails(65, "no mailing consent in force", "expert", "edit", self.c, "--withdraw", "mailing")
        self.fails(65, "register consent cannot be withdrawn", "expert", "edit", self.a,
                   "--withdraw", "register")
        # A valid change together with an invalid one: none of it lands.
        self.fails(65, "no such experience", "expert", "edit", self.a, "--phone", "1",
                   "--remove-experience", "client:addiction")
        self.assertIsNone(self.ok("expert", "show", self.a, "--format", "json").json()["phone"])

    def test_pause_and_leave(self):
        self.ok("expert", "edit", self.b, "--status", "paused")
        self.assertEqual(self.ids("--status", "paused"), [self.b])
        self.ok("expert", "leave", self.a, "--date", "2026-03-01")
        e = self.ok("expert", "show", self.a, "--format", "json").json()
        self.assertEqual((e["status"], e["left_on"]), ("left", "2026-03-01"))
        self.assertEqual(len(e["experiences"]), 2, "history is kept")
        self.assertEqual(self.ids("--status", "active"), [self.c])
        self.fails(65, "already left", "expert", "leave", self.a)
        self.fails(65, "has left the library", "expert", "edit", self.a, "--status", "active")
        self.fails(65, "before the expert's interview", "expert", "leave", self.c, "--date", "2020-01-01")

    def test_audit_log_names_ids_and_fields_but_no_values(self):
        self.ok("--as", "Kim Kontakt", "expert", "edit", self.a, "--phone", "0700-SECRET")
        log = self.ok("log", "--format", "json").json()
        self.assertEqual([e["action"] for e in log], ["init", "recruit", "recruit", "recruit", "edit"])
        self.assertEqual(log[-1]["as_name"], "Kim Kontakt")
        self.assertEqual(log[-1]["entity_id"], self.a)
        self.assertTrue(log[-1]["os_user"])
        raw = self.ok("log", "--format", "csv").out
        for secret in ("SECRET", "Anna", "anna@example.se", "dementia"):
            self.assertNotIn(secret, raw)
        self.assertEqual(len(self.ok("log", "--entity", "expert", "--id", self.a, "--format", "json").json()), 2)
        self.assertEqual(len(self.ok("log", "--limit", "1", "--format", "json").json()), 1)


class MaintenanceTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.recruit()

    def test_check_passes_on_a_healthy_register(self):
        self.assertEqual(self.ok("check").out, "ok\n")

    def test_check_reports_broken_foreign_keys(self):
        con = sqlite3.connect(self.db)
        con.execute("PRAGMA foreign_keys = OFF")
        con.execute("INSERT INTO experience (expert_id, role, area, magnitude) "
                    "VALUES (77, 'patient', 'dementia', 'major')")
        con.commit()
        con.close()
        r = self.run_lbib("check")
        self.assertEqual(r.code, 65)
        self.assertIn("experience", r.out)
        self.assertIn("integrity check", r.err)

    def test_backup_is_private_complete_and_never_overwrites(self):
        dest = self.dir / "backup.sqlite"
        self.assertEqual(self.ok("backup", dest).out.strip(), str(dest))
        self.assertEqual(stat.S_IMODE(dest.stat().st_mode), 0o600)
        r = self.ok("--db", dest, "expert", "list", "--format", "json", db=False)
        self.assertEqual(len(r.json()), 1)
        self.assertEqual(self.ok("--db", dest, "check", db=False).out, "ok\n")
        self.fails(73, "already exists", "backup", dest)
        self.fails(73, "cannot create backup", "backup", self.dir / "no" / "such" / "dir.sqlite")


class ConfigTest(LbibTestCase):
    def write_config(self, text, path=None):
        path = path or self.dir / ".config" / "lbib" / "config.toml"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def test_user_config_extends_taxonomy(self):
        self.write_config('[taxonomy]\nareas = [ { key = "x-ray", sv = "Röntgen", en = "X-ray" } ]\n')
        self.init()
        self.recruit(experiences=("patient:x-ray",))
        self.fails(65, "use one of: x-ray", "recruit", "--name", "N", "--email", "n@example.se",
                   "--channel", "website", "--consent", "register", "--experience", "patient:dementia")

    def test_config_search_order(self):
        self.write_config('[database]\npath = "from-xdg.sqlite"\n')
        explicit = self.write_config('[database]\npath = "from-explicit.sqlite"\n', self.dir / "explicit.toml")
        envfile = self.write_config('[database]\npath = "from-env.sqlite"\n', self.dir / "env.toml")
        self.assertTrue(self.ok("init", db=False).out.strip().endswith("from-xdg.sqlite"))
        env = dict(self.env, LBIB_CONFIG=str(envfile))
        self.assertTrue(self.ok("init", db=False, env=env).out.strip().endswith("from-env.sqlite"))
        self.assertTrue(self.ok("--config", explicit, "init", db=False, env=env).out.strip()
                        .endswith("from-explicit.sqlite"))

    def test_config_errors_name_file_line_and_column(self):
        path = self.write_config('[library]\nname = "ok"\nemail = 42\n')
        r = self.run_lbib("init")
        self.assertEqual(r.code, 78)
        self.assertIn(f"{path}:3:9: 'library.email' must be a string", r.err)
        self.write_config('[library\n')
        self.assertEqual(self.run_lbib("init").code, 78)
        self.write_config('[libary]\n')
        r = self.run_lbib("init")
        self.assertEqual(r.code, 78)
        self.assertIn("unknown key 'libary'", r.err)
        self.assertFalse(self.db.exists(), "nothing is created when the configuration is bad")

    def test_missing_explicit_config(self):
        self.fails(66, "does not exist", "--config", self.dir / "nope.toml", "init")


class CliTest(LbibTestCase):
    def test_help_documents_exit_codes(self):
        r = self.ok("--help", db=False)
        for code in ("64", "65", "66", "73", "74", "75", "78"):
            self.assertIn(f"  {code}  ", r.out)
        for sub in ("init", "recruit", "expert", "log", "check", "backup"):
            self.assertIn(sub, r.out)

    def test_version(self):
        self.assertRegex(self.ok("--version", db=False).out, r"^\d+\.\d+\.\d+")

    def test_usage_errors(self):
        self.assertEqual(self.run_lbib(db=False).code, 64)
        r = self.run_lbib("expert", "--bogus")
        self.assertEqual(r.code, 64)
        self.assertTrue(r.err.startswith("lbib: error: "))

    def test_did_you_mean(self):
        self.ok("init")
        for args, message in [(["recuit"], "'recuit' is not a command of lbib; did you mean 'lbib recruit'?"),
                              (["expert", "lsit"], "did you mean 'lbib expert list'?"),
                              (["--db", "x.sqlite", "reprot", "yearly"], "did you mean 'lbib report'?"),
                              (["rep"], "did you mean 'lbib report'?"),
                              (["zzzzzz"], "see 'lbib --help'"),
                              # Options too, from the command's own and the global ones.
                              (["expert", "list", "--stauts", "active"],
                               "'--stauts' is not an option of lbib expert list; did you mean '--status'?"),
                              (["expert", "list", "--formt=json"], "did you mean '--format'?"),
                              (["report", "yearly", "--cofnig", "x.toml"], "did you mean '--config'?"),
                              (["expert", "list", "--qqqqqqq"], "see 'lbib expert list --help'")]:
            with self.subTest(args=args):
                self.fails(64, message, *args)

    def test_option_values_are_not_taken_for_names(self):
        self.ok("init")
        # A value after an option is not a command or option name, also when it starts with -.
        self.ok("recruit", "--name", "--stauts", "--email", "a@example.se",
                "--channel", "website", "--consent", "register")
        self.ok("--db", str(self.db), "expert", "list", "--", db=False)

    def test_global_options_after_the_subcommand(self):
        self.ok("init")
        r = self.ok("expert", "list", "--format", "json", f"--db={self.db}", db=False)
        self.assertEqual(r.json(), [])

    def test_stdout_write_failure_is_an_io_error(self):
        self.ok("init")
        with open("/dev/full", "w") as full:
            import subprocess
            from lbibtest import LBIB
            proc = subprocess.run([LBIB, "--db", str(self.db), "expert", "list"], stdout=full,
                                  stderr=subprocess.PIPE, text=True, env=self.env)
        self.assertEqual(proc.returncode, 74)
        self.assertIn("cannot write", proc.stderr)


if __name__ == "__main__":
    unittest.main()

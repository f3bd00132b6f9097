# SPDX-License-Identifier: MIT
"""A table of hostile and malformed input across every command. Each bad input exits with
its documented code and one 'lbib: error:' line, never crashes, and leaves the register
byte-for-byte unchanged. Valid-but-hostile input (SQL meta-characters, formula prefixes) is
stored literally and neutralised on output."""
import os
import sqlite3
import unittest

from lbibtest import LbibTestCase

CONTROL = ["a\nb", "a\rb", "a\x1bb", "a\x7fb", "a\u0085b", "a\u2028b", "a\u202eb"]
BAD_DATES = ["2026-02-30", "2026-13-01", "26-01-01", "2026/01/01", "tomorrow", "2026-1-1", "1899-12-31", " 2026-01-01"]
BAD_EMAILS = ["no-at-sign", "a@b", "a b@example.se", "åsa@example.se", "a@example.se\nBcc: x@example.se",
              "a@@example.se", "@example.se", ".a@example.se"]


def cases():
    base = ["recruit", "--name", "N", "--email", "n@example.se", "--channel", "website", "--consent", "register"]

    def recruit(flag, value):
        args = list(base)
        if flag in args:
            args[args.index(flag) + 1] = value
        else:
            args += [flag, value]
        return args

    out = []
    for flag in ("--name", "--phone", "--municipality"):
        for value in CONTROL:
            out.append((65, flag[2:], recruit(flag, value)))
        out.append((65, "too long", recruit(flag, "x" * 100001)))
    for value in ["a\x1bb", "a\r\nb", "x" * 10001]:
        out.append((65, "notes", recruit("--notes", value)))
    for value in BAD_EMAILS:
        out.append((65, "email: not a valid e-mail", recruit("--email", value)))
    for value in BAD_DATES:
        out.append((65, "interviewed: not a valid date", recruit("--interviewed", value)))
        out.append((65, "consent-date: not a valid date", recruit("--consent-date", value)))
    for value in ["19x0", "-1950", "99999", "1899", ""]:
        out.append((65, "birth-year", recruit("--birth-year", value)))
    for flag, value in [("--born-abroad", "kanske"), ("--retired", "YES"), ("--care-professional", "1"),
                        ("--channel", "tv"), ("--channel", "website;drop"), ("--consent", "all"),
                        ("--consent-method", "signed"), ("--experience", "relative"),
                        ("--experience", "relative:moon"), ("--experience", "x:dementia"),
                        ("--experience", "relative:dementia:20"), ("--experience", "relative:dementia:huge"),
                        ("--experience", "relative:dementia:2019:major:extra")]:
        out.append((65, "", recruit(flag, value)))
    # Ids out of range or malformed.
    out.append((66, "no expert with id 99999", ["expert", "show", "99999"]))
    out.append((66, "no expert with id 99999", ["expert", "edit", "99999", "--phone", "1"]))
    for value in ["0", "abc", "1.5", "99999999999999999999", "1e3", "+1", "0x10"]:
        out.append((64, "", ["expert", "show", value]))
        out.append((64, "", ["request", "show", value]))
    # Borrowers, requests, loans, follow-up, reminders, reports, outreach, data protection.
    out += [
        (65, "contact-email", ["borrower", "add", "--organisation", "O", "--contact-name", "K", "--contact-email", "x"]),
        (65, "organisation", ["borrower", "add", "--organisation", "O\nBcc: x@example.se", "--contact-name", "K",
                              "--contact-email", "k@example.se"]),
        (65, "unit", ["borrower", "add", "--organisation", "O", "--unit", "\x00x"[1:] + "\x1b", "--contact-name", "K",
                      "--contact-email", "k@example.se"]),
        (66, "no borrower with id 42", ["request", "new", "--borrower", "42"]),
        (64, "is not an id", ["request", "new", "--borrower", "0"]),
        (64, "is not an id", ["loan", "1", "--expert", "1,x"]),
        (65, "experts", ["request", "new", "--borrower", "1", "--experts", "0"]),
        (65, "experts", ["request", "new", "--borrower", "1", "--experts", "1001"]),
        (65, "age limits", ["request", "new", "--borrower", "1", "--min-age", "200"]),
        (65, "min-age", ["request", "new", "--borrower", "1", "--min-age", "sixty"]),
        (65, "reply-by", ["request", "new", "--borrower", "1", "--reply-by", "snart"]),
        (65, "unknown form", ["request", "new", "--borrower", "1", "--form", "fest"]),
        (65, "want", ["request", "new", "--borrower", "1", "--want", "a:b:c"]),
        (65, "purpose", ["request", "new", "--borrower", "1", "--purpose", "a\x1b[2J"]),
        (65, "time: contains a line break", ["request", "new", "--borrower", "1", "--time", "idag\r\nSubject: x"]),
        (66, "no request with id 77", ["loan", "77", "--expert", "1,2"]),
        (65, "external", ["loan", "1", "--external", "-1", "--expert", "1,2"]),
        (65, "needs a request that is", ["loan", "1", "--expert", "1,2"]),
        (65, "has no loan recorded", ["followup", "book", "1", "--date", "2026-05-01"]),
        (65, "today: not a valid date", ["remind", "--today", "igår"]),
        (65, "from: a year", ["report", "yearly", "--from", "x"]),
        (65, "is after to", ["report", "requests", "--from", "2026", "--to", "2020"]),
        (64, "--format", ["report", "yearly", "--format", "xml"]),
        (64, "--format", ["expert", "list", "--format", "pdf"]),
        (65, "kind", ["outreach", "add", "--kind", "tv"]),
        (65, "audience", ["outreach", "add", "--kind", "event", "--audience", "a\nb"]),
        (65, "kind", ["gdpr", "request", "add", "--kind", "forget"]),
        (64, "add --yes", ["expert", "erase", "1"]),
        (64, "", ["nosuchcommand"]),
        (64, "", ["expert", "list", "--no-such-option"]),
        (65, "unknown area", ["expert", "list", "--area", "'; DROP TABLE expert;--"]),
        (65, "unknown role", ["expert", "list", "--role", "admin"]),
        (65, "state: 'open' is not accepted", ["request", "list", "--state", "open"]),
        (65, "unit", ["pay", "1", "--expert", "1", "--unit", "week", "--status", "due"]),
        (65, "status", ["pay", "1", "--expert", "1", "--unit", "hour", "--status", "maybe"]),
    ]
    return out


class HostileInputTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.recruit("Anna Exempel", "anna@example.se")
        self.recruit("Bo Exempel", "bo@example.se")
        self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name", "K",
                "--contact-email", "k@example.se")
        self.ok("request", "new", "--borrower", "1", "--received", "2026-02-01")

    def test_every_bad_input_is_refused_cleanly(self):
        table = cases()
        self.assertGreaterEqual(len(table), 100)
        for code, fragment, args in table:
            with self.subTest(args=[a[:40] for a in args]):
                r = self.fails(code, fragment, *args)
                self.assertGreaterEqual(r.code, 0, "killed by a signal")

    def test_hostile_but_valid_text_is_stored_literally(self):
        for name in ["Robert'); DROP TABLE expert;--", "=HYPERLINK(\"http://x\")", "+46 70", "@SUM(A1)",
                     "<script>alert(1)</script>", "%s%n%x", "{name}", "Åsa \"Citat\" Öberg"]:
            with self.subTest(name=name):
                eid = self.recruit(name, f"lit{len(name)}.{sum(map(ord, name))}@example.se")
                self.assertEqual(self.ok("expert", "show", eid, "--format", "json").json()["name"], name)
        rows = self.ok("expert", "list", "--format", "csv").csv()
        for row in rows:
            self.assertFalse(row["name"][:1] in "=+-@", f"formula not neutralised: {row['name']}")
        self.assertEqual(self.ok("check").out, "ok\n")


class HostileFilesTest(LbibTestCase):
    def open_fails(self, path, code, fragment):
        r = self.run_lbib("--db", path, "expert", "list", db=False)
        self.assertEqual(r.code, code, r.err)
        self.assertEqual(len(r.err.splitlines()), 1)
        self.assertIn(fragment, r.err)

    def test_files_that_are_not_safe_lbib_registers(self):
        self.init()
        good = self.db.read_bytes()
        cases = {
            "random.sqlite": (os.urandom(8192), 65, "not an lbib register"),
            "text.sqlite": (b"hello\n" * 1000, 65, "not an lbib register"),
            "empty.sqlite": (b"", 65, "not an lbib register"),
            "truncated.sqlite": (good[:4096], 65, ""),
        }
        for name, (content, code, fragment) in cases.items():
            with self.subTest(file=name):
                p = self.dir / name
                p.write_bytes(content)
                os.chmod(p, 0o600)
                before = p.read_bytes()
                self.open_fails(p, code, fragment)
                self.assertEqual(before, p.read_bytes(), "a refused file is left as it was")
        other = self.dir / "other.sqlite"
        con = sqlite3.connect(other)
        con.execute("CREATE TABLE t (x)")
        con.commit()
        con.close()
        os.chmod(other, 0o600)
        self.open_fails(other, 65, "application_id")
        (self.dir / "adir").mkdir()
        self.open_fails(self.dir / "adir", 65, "not a regular file")
        os.chmod(self.db, 0o644)
        self.open_fails(self.db, 77, "chmod 600")
        os.chmod(self.db, 0o600)
        link = self.dir / "link.sqlite"
        link.symlink_to(self.db)
        self.open_fails(link, 77, "symbolic link")

    def test_config_files_with_wrong_types(self):
        self.init()
        config = self.dir / "bad.toml"
        for text, fragment in [
            ("[library]\nname = 5\n", "'library.name' must be a string"),
            ("[database]\nbusy_timeout_ms = \"x\"\n", "must be a whole number"),
            ("[database]\nbusy_timeout_ms = -5\n", "must be a whole number from 0"),
            ("[taxonomy]\nareas = \"x\"\n", "must be a list"),
            ("[taxonomy]\nareas = [1, 2]\n", "must be a table"),
            ("[library\n", "bad.toml:1:"),
            ("name = \"a\x00b\"\n", "bad.toml:1:"),
            ("[mail.sv]\ndispatch_subject = \"{nosuch}\"\n", "placeholders it may use"),
            ("[compensation]\nrates = [ { valid_from = \"2020-01-01\", hour = 1, half_day = 2, full_day = 3 } ]\n",
             "valid_from"),
            ("[report]\nphases = [ { key = \"a\", sv = \"A\", en = \"A\", from = 2022-01-01, to = 2021-01-01 } ]\n",
             "phases must be in order"),
            ("[population]\nborn_abroad = 2.5\n", "share from 0 to 1"),
        ]:
            with self.subTest(config=text):
                config.write_bytes(text.encode())
                self.fails(78, fragment, "--config", config, "expert", "list")


if __name__ == "__main__":
    unittest.main()

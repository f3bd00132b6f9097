# SPDX-License-Identifier: MIT
"""Handing the register to a new owner: lbib export --all and lbib import, all-or-nothing."""
import json
import stat

from lbibtest import LbibTestCase
from test_reports import FIXTURE_CONFIG, replay


class HandoverTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        replay(self.db, self.env)
        self.env["LBIB_CONFIG"] = str(FIXTURE_CONFIG)
        self.export = self.dir / "export.json"
        self.ok("export", "--all", "--out", self.export)
        self.new = self.dir / "new-owner.sqlite"

    def reports(self, db):
        run = lambda *a: self.ok("--db", db, *a, db=False).out
        return (run("report", "yearly", "--from", "2019", "--to", "2022", "--format", "json"),
                run("report", "requests", "--format", "json"),
                run("report", "followups", "--format", "json"),
                run("expert", "list", "--format", "json"),
                run("outreach", "list", "--format", "json"))

    def test_export_then_import_gives_the_same_register(self):
        self.assertEqual(stat.S_IMODE(self.export.stat().st_mode), 0o600)
        doc = json.loads(self.export.read_text())
        self.assertEqual((doc["format"], doc["version"]), ("lbib-register", 1))
        self.assertEqual(len(doc["tables"]["expert"]), 30)
        r = self.ok("--db", self.new, "import", self.export, db=False)
        self.assertIn("imported", r.out)
        self.assertEqual(self.reports(self.db), self.reports(self.new))
        self.assertEqual(self.ok("--db", self.new, "check", db=False).out, "ok\n")
        # Ids are never reused: the next expert after the import is 31, as before it.
        eid = self.ok("--db", self.new, "recruit", "--name", "Ny Ägare", "--email", "ny@example.se",
                      "--channel", "website", "--consent", "register", db=False).out.strip()
        self.assertEqual(eid, "31")
        self.assertEqual(self.ok("--db", self.new, "log", "--limit", "2", "--format", "json", db=False).json()[0]["action"],
                         "import")

    def refused(self, doc, message, code=65):
        bad = self.dir / "bad.json"
        bad.write_text(json.dumps(doc))
        r = self.run_lbib("--db", self.new, "import", bad, db=False)
        self.assertEqual(r.code, code, r.err)
        self.assertEqual(len(r.err.splitlines()), 1)
        self.assertIn(message, r.err)
        self.assertFalse(self.new.exists(), "a refused import leaves no file")
        for suffix in ("-wal", "-shm"):
            self.assertFalse((self.dir / ("new-owner.sqlite" + suffix)).exists())

    def test_import_is_all_or_nothing(self):
        doc = json.loads(self.export.read_text())
        self.refused({"format": "something"}, "not an lbib register export")
        self.refused(dict(doc, version=99), "export version 99 is not supported")
        self.refused(dict(doc, schema=1), "the export has schema 1")
        bad_email = json.loads(json.dumps(doc))
        bad_email["tables"]["expert"][5]["email"] = "not-an-address"
        self.refused(bad_email, "expert 6: email: not a valid e-mail")
        dangling = json.loads(json.dumps(doc))
        dangling["tables"]["invitation"].append({"request_id": 1, "expert_id": 999, "dispatch_id": 1})
        self.refused(dangling, "invitation")
        unknown = json.loads(json.dumps(doc))
        unknown["tables"]["expert"][0]["shoe_size"] = 42
        self.refused(unknown, "table expert has no column 'shoe_size'")
        enum = json.loads(json.dumps(doc))
        enum["tables"]["expert"][0]["status"] = "retired"
        self.refused(enum, "a row of expert is refused")
        # Found by tests/fuzz/fuzz_import: wrong types at the top level, control characters in
        # names echoed by the message.
        self.refused(dict(doc, schema={}), "the export has schema 0")
        self.refused(dict(doc, format=["lbib-register"]), "not an lbib register export")
        newline = json.loads(json.dumps(doc))
        newline["tables"]["expert"][0]["shoe\r\nsize"] = 42
        self.refused(newline, "has no column 'shoe\\x0D\\x0Asize'")
        control = json.loads(json.dumps(doc))
        control["tables"]["expert"][2]["name"] = "Evil\nBcc: x@example.se"
        self.refused(control, "expert 3: name: contains a line break")
        (self.dir / "garbage.json").write_text("{not json")
        r = self.run_lbib("--db", self.new, "import", self.dir / "garbage.json", db=False)
        self.assertEqual(r.code, 65)
        self.assertFalse(self.new.exists())

    def test_import_never_overwrites(self):
        r = self.run_lbib("import", self.export)
        self.assertEqual(r.code, 73)
        self.assertIn("never overwrites", r.err)
        self.assertEqual(self.run_lbib("export", "--all", "--out", self.export).code, 73)

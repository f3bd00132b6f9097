# SPDX-License-Identifier: MIT
"""Hostile hand-over files: `lbib import` checks every row by the rules of the command that
writes it. Each file here is refused with one line and a documented exit code, and leaves
no file behind (neither the register nor a temporary one)."""
import hashlib
import json
import os

from lbibtest import LbibTestCase
from test_reports import FIXTURE_CONFIG, replay

ESC = "\x1b"
OSC52 = ESC + "]52;c;ZWNobyBoaQ==\x07"  # sets the clipboard of a terminal that prints it


def edited(doc, change):
    copy = json.loads(json.dumps(doc))
    change(copy)
    return copy


class HostileImportTest(LbibTestCase):
    @classmethod
    def setUpClass(cls):
        # One replayed register for all cases: its export is the base every case edits.
        case = LbibTestCase("run")
        case.setUp()
        cls.base_dir = case.dir
        replay(case.db, case.env)
        env = dict(case.env, LBIB_CONFIG=str(FIXTURE_CONFIG))
        case.env = env
        eid = case.ok("recruit", "--name", "Lisa Beskriven", "--email", "lisa@example.se",
                      "--channel", "website", "--consent", "register,mailing,website",
                      "--interviewed", "2021-05-01", "--experience", "patient:e-health").out.strip()
        case.ok("expert", "describe", eid, "--text", "Har erfarenhet av e-hälsa.", "--approved",
                "2021-06-01")
        out = case.dir / "export.json"
        case.ok("export", "--all", "--out", out)
        cls.doc = json.loads(out.read_text())
        cls.described = int(eid)
        cls.case = case

    @classmethod
    def tearDownClass(cls):
        cls.case.tearDown()

    def setUp(self):
        super().setUp()
        self.env["LBIB_CONFIG"] = str(FIXTURE_CONFIG)
        self.new = self.dir / "new-owner.sqlite"

    def listing(self):
        return sorted(p.name for p in self.dir.iterdir())

    def refused(self, doc_or_text, message, code=65):
        bad = self.dir / "bad.json"
        bad.write_text(doc_or_text if isinstance(doc_or_text, str) else json.dumps(doc_or_text))
        before = self.listing()
        r = self.run_lbib("--db", self.new, "import", bad, db=False)
        self.assertEqual(r.code, code, r.err)
        self.assertEqual(len(r.err.splitlines()), 1, r.err)
        self.assertTrue(r.err.startswith("lbib: error: import: "), r.err)
        self.assertIn(message, r.err)
        self.assertNotIn(ESC, r.err, "a refusal never echoes a terminal escape")
        self.assertEqual(self.listing(), before, "a refused import leaves no file behind")
        return r

    def expert_row(self, doc, eid):
        return next(e for e in doc["tables"]["expert"] if e["id"] == eid)

    def test_the_base_export_imports(self):
        good = self.dir / "good.json"
        good.write_text(json.dumps(self.doc))
        self.ok("--db", self.new, "import", good, db=False)
        self.assertEqual(self.ok("--db", self.new, "check", db=False).out, "ok\n")

    def test_consents(self):
        d = self.doc
        self.refused(edited(d, lambda x: x["tables"].__setitem__(
            "consent", [c for c in x["tables"]["consent"] if c["expert_id"] != 1])),
            "expert 1 has no register consent in force")
        self.refused(edited(d, lambda x: x["tables"]["consent_text"][0].__setitem__(
            "body", x["tables"]["consent_text"][0]["body"] + " Och allt annat.")),
            "does not match its SHA-256")
        self.refused(edited(d, lambda x: [c.__setitem__("text_version", "1999-1")
                                         for c in x["tables"]["consent"] if c["expert_id"] == 2]),
            "refers to a consent text that is not in the export")

    def test_erased_stubs_hold_nothing_personal(self):
        def stub(x, **extra):
            e = self.expert_row(x, 3)
            e.update(name="(raderad)", email="raderad@invalid", phone=None, municipality=None,
                     birth_year=None, born_abroad="unknown", care_professional="unknown",
                     retired="unknown", notes=None, erased_on="2022-01-01")
            e.update(extra)
            for t in ("experience", "consent"):
                x["tables"][t] = [r for r in x["tables"][t] if r["expert_id"] != 3]
        self.refused(edited(self.doc, lambda x: stub(x, name="Cecilia Testdotter")),
                     "expert 3: erased, but the stub still holds personal data")
        self.refused(edited(self.doc, lambda x: stub(x, notes="Ringer på kvällar")),
                     "the stub still holds personal data")
        self.refused(edited(self.doc, lambda x: stub(x, email="cecilia@example.se")),
                     "the stub still holds personal data")
        with_experience = edited(self.doc, stub)
        with_experience["tables"]["experience"].append(
            {"id": 99999, "expert_id": 3, "role": "patient", "area": "dementia", "year": None,
             "magnitude": "major"})
        self.refused(with_experience, "expert 3 is erased but still has experiences")
        # A clean stub imports.
        good = self.dir / "stub.json"
        good.write_text(json.dumps(edited(self.doc, stub)))
        self.ok("--db", self.new, "import", good, db=False)

    def test_text_rules(self):
        d = self.doc
        cases = [
            ("request", 0, "purpose", "Syfte" + OSC52, "request 1: purpose: "),
            ("request", 0, "purpose", "Rad ett\r\nBcc: x@example.se", "request 1: purpose: "),
            ("request", 0, "time", "kl. 13\nBcc: x@example.se", "request 1: time: contains a line break"),
            ("audit", 0, "os_user", "root" + ESC + "[2J", "audit 1: os_user: "),
            ("audit", 0, "as_name", "Kim\nKontakt", "audit 1: as_name: contains a line break"),
            ("outreach", 0, "audience", "Alla" + ESC + "[31m", "outreach 1: audience: "),
            ("borrower", 0, "contact_name", "Kim\rKontakt", "borrower 1: contact_name: "),
            ("expert", 0, "municipality", "Eskils\u0007tuna", "expert 1: municipality: "),
        ]
        for table, index, column, value, message in cases:
            with self.subTest(table=table, column=column):
                self.refused(edited(d, lambda x: x["tables"][table][index].__setitem__(column, value)),
                             message)
        with self.subTest("catalogue"):
            self.refused(edited(d, lambda x: x["tables"]["catalogue_entry"][0].__setitem__(
                "description", "Text" + OSC52)), f"catalogue_entry of expert {self.described}: description: ")

    def test_vocabularies(self):
        d = self.doc
        self.refused(edited(d, lambda x: x["tables"]["experience"][0].__setitem__("area", "astrology")),
                     "unknown area")
        self.refused(edited(d, lambda x: x["tables"]["request_experience"][0].__setitem__("area", "astrology")),
                     "unknown area")
        self.refused(edited(d, lambda x: self.expert_row(x, 1).__setitem__("channel", "carrier-pigeon")),
                     "expert 1: channel")
        self.refused(edited(d, lambda x: x["tables"]["request"][0].__setitem__("form", "seance")),
                     "request 1: form: unknown form")
        self.refused(edited(d, lambda x: x["tables"]["loan"][0].__setitem__("form", "seance")),
                     "form: unknown form")
        self.refused(edited(d, lambda x: x["tables"]["experience"][0].__setitem__("role", "wizard")),
                     "experience")

    def test_amounts(self):
        loan = self.doc["tables"]["loan_participant"][0]
        payment = {"request_id": loan["request_id"], "expert_id": loan["expert_id"], "unit": "half-day",
                   "quantity": 2, "rate": 600, "travel": 100, "amount": 1300, "rate_valid_from": "2019-01-01",
                   "payer": "Region Sörmland", "status": "due", "due_on": "2022-01-01", "settled_on": None}
        good = edited(self.doc, lambda x: x["tables"]["payment"].append(dict(payment)))
        path = self.dir / "paid.json"
        path.write_text(json.dumps(good))
        self.ok("--db", self.new, "import", path, db=False)
        os.remove(self.new)
        self.refused(edited(self.doc, lambda x: x["tables"]["payment"].append(dict(payment, amount=999999))),
                     "amount: not the rate times the quantity plus travel")
        self.refused(edited(self.doc, lambda x: x["tables"]["payment"].append(
            dict(payment, rate=2**62, amount=2**62 * 2 + 100))), "amount")

    def test_id_counters(self):
        self.refused(edited(self.doc, lambda x: x["id_counters"].__setitem__("expert", 2**63 - 1)),
                     "the id counter of expert is out of range")
        self.refused(edited(self.doc, lambda x: x["id_counters"].__setitem__("expert", 2**53 + 1)),
                     "the id counter of expert is out of range")
        self.refused(edited(self.doc, lambda x: x["id_counters"].__setitem__("expert", -5)),
                     "the id counter of expert is out of range")
        # An id past the bound raises the counter with it.
        self.refused(edited(self.doc, lambda x: x["tables"]["outreach"][0].__setitem__("id", 2**62)),
                     "the id counter of outreach is out of range")
        # At the bound, the next recruitment still works.
        at_bound = edited(self.doc, lambda x: x["id_counters"].__setitem__("expert", 2**53 - 1))
        path = self.dir / "bound.json"
        path.write_text(json.dumps(at_bound))
        self.ok("--db", self.new, "import", path, db=False)
        eid = self.ok("--db", self.new, "recruit", "--name", "Ny Person", "--email", "ny@example.se",
                      "--channel", "website", "--consent", "register", db=False).out.strip()
        self.assertEqual(int(eid), 2**53)

    def test_references_and_structure(self):
        d = self.doc
        self.refused(edited(d, lambda x: x["tables"]["experience"].append(
            {"id": 99998, "expert_id": 9999, "role": "patient", "area": "dementia", "year": None,
             "magnitude": "major"})), "experience")
        self.refused(edited(d, lambda x: x["tables"]["expert"][0].__setitem__("notes", {"a": 1})),
                     "holds a value that is not text, a number or null")
        self.refused(edited(d, lambda x: x["tables"]["expert"][0].__setitem__("birth_year", True)),
                     "expert 1: birth_year: a whole number expected")
        self.refused(edited(d, lambda x: x["tables"]["outreach"][0].__setitem__("id", True)),
                     "holds a value that is not text, a number or null")
        self.refused(edited(d, lambda x: x["tables"]["expert"][0].__setitem__("birth_year", 2**64)),
                     "expert")
        self.refused(edited(d, lambda x: x.__setitem__("extra", 1)), "unknown or misplaced key 'extra'")
        # The header must come before the tables, as lbib writes it, so rows are read once.
        reordered = {"tables": d["tables"], "format": d["format"], "version": d["version"],
                     "schema": d["schema"]}
        self.refused(reordered, "not an lbib register export")
        text = json.dumps(d)
        self.refused(text[: len(text) // 2], "is not valid JSON")
        self.refused("[" * 100000, "not an lbib register export")
        self.refused('{"format": "lbib-register", "version": 1, "schema": ' + str(d["schema"]) +
                     ', "tables": {"expert": [' + "[" * 100000, "a row of expert is not an object")

    def test_a_huge_value_is_refused_cleanly(self):
        huge = edited(self.doc, lambda x: x["tables"]["expert"][0].__setitem__("notes", "x" * 30_000_000))
        self.refused(huge, "expert 1: notes: too long")

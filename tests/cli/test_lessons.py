# SPDX-License-Identifier: MIT
"""The final report's lessons as features (issue #16): each expert's wishes and availability
honoured by `lbib match`, borrowers by sector and municipality, goals with targets, and the
library's decisions and the inquiries it turned away."""
import sqlite3
import unittest

from lbibtest import LbibTestCase


class WishesTest(LbibTestCase):
    """Preferences and availability change who `lbib match` proposes, and it says why."""

    def setUp(self):
        super().setUp()
        self.init()
        self.borrower = int(self.ok(
            "borrower", "add", "--organisation", "Region Exempel", "--contact-name", "Kim Låntagare",
            "--contact-email", "kim@region.example.se").out)
        self.anna = self.recruit("Anna Äldre", "anna@example.se", experiences=("relative:dementia",))
        self.bo = self.recruit("Bo Björk", "bo@example.se",
                               experiences=("relative:dementia", "patient:psychiatry"))
        self.cia = self.recruit("Cia Ceder", "cia@example.se", experiences=("relative:dementia",))

    def request(self, *extra, form="focus-group", want=("relative:dementia",)):
        args = ["request", "new", "--borrower", self.borrower, "--received", "2026-10-01",
                "--purpose", "Utveckling av kallelser", "--form", form,
                "--time", "2026-12-01 kl. 13–16", "--place", "Nyköping", "--reply-by", "2026-11-20"]
        for w in want:
            args += ["--want", w]
        req = int(self.ok(*args, *extra).out)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        return req

    def match(self, req, today="2026-10-10"):
        r = self.run_lbib("match", req, "--today", today, "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        return [c["expert"] for c in r.json()]

    def left_out(self, req, today="2026-10-10"):
        return {x["expert"]: x for x in
                self.ok("match", req, "--left-out", "--today", today, "--format", "json").json()}

    def test_forms_setting_and_areas(self):
        self.ok("expert", "prefer", self.anna, "--forms-unwanted", "focus-group")
        self.ok("expert", "prefer", self.bo, "--setting", "digital")
        in_person = self.request()
        self.assertEqual(self.match(in_person), [self.cia])
        out = self.left_out(in_person)
        self.assertEqual(out[self.anna]["reason"], "form-unwanted")
        self.assertEqual(out[self.anna]["key"], "focus-group")
        self.assertEqual(out[self.bo]["reason"], "setting")
        self.assertIsNone(out[self.bo]["paused_until"])
        digital = self.request("--digital", form="workshop")
        self.assertEqual(sorted(self.match(digital)), [self.anna, self.bo, self.cia])
        # Wanting only some forms leaves the others out; an avoided area too.
        self.ok("expert", "prefer", self.anna, "--forms-unwanted", "", "--forms-wanted", "meeting,interviews")
        self.ok("expert", "prefer", self.cia, "--avoid-areas", "dementia")
        out = self.left_out(digital)
        self.assertEqual((out[self.anna]["reason"], out[self.anna]["key"]), ("form-not-wanted", "workshop"))
        self.assertEqual((out[self.cia]["reason"], out[self.cia]["key"]), ("area-avoided", "dementia"))
        self.assertEqual(self.match(digital), [self.bo])
        # The table says why in words people read; the shortfall note points at --left-out.
        r = self.run_lbib("match", digital, "--today", "2026-10-10")
        self.assertIn("--left-out", r.err)
        table = self.ok("match", digital, "--left-out", "--today", "2026-10-10").out
        self.assertIn("vill helst inte bli tillfrågad om detta område", table)
        shown = self.ok("expert", "show", self.cia, "--format", "json").json()
        self.assertEqual(shown["wishes"][0]["areas_avoided"], "dementia")

    def test_pause_ends_by_itself_on_its_date(self):
        self.ok("expert", "prefer", self.anna, "--paused-until", "2026-11-01")
        req = self.request()
        self.assertNotIn(self.anna, self.match(req, today="2026-10-31"))
        out = self.left_out(req, today="2026-10-31")
        self.assertEqual(out[self.anna]["reason"], "paused-until")
        self.assertEqual(out[self.anna]["paused_until"], "2026-11-01")
        # On its date the pause is over without anyone doing anything.
        self.assertIn(self.anna, self.match(req, today="2026-11-01"))
        self.assertEqual(self.left_out(req, today="2026-11-01"), {})
        # The open-ended pause (status paused) is said too.
        self.ok("expert", "edit", self.bo, "--status", "paused")
        self.assertEqual(self.left_out(req, today="2026-11-01")[self.bo]["reason"], "paused")

    def test_cap_per_period(self):
        self.ok("expert", "prefer", self.anna, "--max-requests", "1", "--per", "quarter")
        first = self.request()
        (self.dir / "out").mkdir()
        eml = self.ok("dispatch", first, "--out", self.dir / "out", "--experts", str(self.anna)).out.split()[0]
        self.ok("dispatch", first, "--record", eml, "--date", "2026-10-06")
        second = self.request()
        self.assertEqual(self.left_out(second)[self.anna]["reason"], "cap-reached")
        self.assertEqual(self.left_out(second)[self.anna]["key"], "quarter")
        # The request she already received does not count against itself.
        self.assertIn(self.anna, self.match(first))
        # A new quarter, a new count.
        self.assertIn(self.anna, self.match(second, today="2027-01-02"))
        # No cap: 0 clears it.
        self.ok("expert", "prefer", self.anna, "--max-requests", "0")
        self.assertIn(self.anna, self.match(second))

    def test_bad_wishes_change_nothing(self):
        self.fails(65, "unknown form 'dance'", "expert", "prefer", self.anna, "--forms-wanted", "dance")
        self.fails(65, "unknown area 'astrology'", "expert", "prefer", self.anna, "--avoid-areas", "astrology")
        self.fails(65, "setting: 'sometimes' is not accepted; use one of: any, digital, in-person",
                   "expert", "prefer", self.anna, "--setting", "sometimes")
        self.fails(65, "max-requests: 5000 is out of range", "expert", "prefer", self.anna,
                   "--max-requests", "5000")
        self.fails(65, "paused-until: not a valid date", "expert", "prefer", self.anna,
                   "--paused-until", "2026-02-30")
        self.fails(65, "also among the forms not wanted", "expert", "prefer", self.anna,
                   "--forms-wanted", "meeting", "--forms-unwanted", "meeting")
        self.fails(64, "--per: give --max-requests too", "expert", "prefer", self.anna, "--per", "month")
        self.fails(64, "nothing to change", "expert", "prefer", self.anna)
        self.fails(66, "no expert with id 99", "expert", "prefer", "99", "--setting", "digital")

    def test_recruit_with_wishes_and_erasure(self):
        dag = self.recruit("Dag Dahl", "dag@example.se", "--setting", "in-person",
                           "--forms-unwanted", "telephone-interviews", "--max-requests", "4")
        w = self.ok("expert", "show", dag, "--format", "json").json()["wishes"][0]
        self.assertEqual((w["setting"], w["forms_unwanted"], w["max_requests"], w["per"]),
                         ("in-person", "telephone-interviews", 4, "year"))
        self.ok("expert", "erase", dag, "--yes")
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM expert_wish WHERE expert_id = ?", (dag,)).fetchone()[0], 0)
        self.assertEqual(con.execute("SELECT count(*) FROM expert_wish_item WHERE expert_id = ?", (dag,)).fetchone()[0], 0)


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""The final report's lessons as features (issue #16): each expert's wishes and availability
honoured by `lbib match`, borrowers by sector and municipality, goals with targets, and the
library's decisions and the inquiries it turned away."""
import json
import sqlite3
import unittest

import test_reports
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
        eml = self.ok("dispatch", first, "--out", self.dir / "out", "--experts", str(self.anna),
                      "--past-reply-by").out.split()[0]  # mailed 2026-10-06, composed today
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


class BorrowerPlaceTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()

    def test_sector_and_municipality(self):
        b = int(self.ok("borrower", "add", "--organisation", "Flens kommun", "--unit", "Äldreomsorgen",
                        "--contact-name", "Kim Låntagare", "--contact-email", "kim@flen.example.se",
                        "--sector", "municipality", "--municipality", "Flen").out)
        shown = self.ok("borrower", "show", b, "--format", "json").json()
        self.assertEqual((shown["sector"], shown["municipality"]), ("municipality", "Flen"))
        self.fails(65, "sector: unknown sector 'church'; use one of: region, municipality, social-services",
                   "borrower", "edit", b, "--sector", "church")
        self.fails(65, "municipality: 'Uppsala' is not one of the county's municipalities: Eskilstuna, Flen",
                   "borrower", "edit", b, "--municipality", "Uppsala")
        self.fails(65, "sector: unknown sector", "borrower", "add", "--organisation", "X",
                   "--contact-name", "Y", "--contact-email", "y@example.se", "--sector", "church")
        self.ok("borrower", "edit", b, "--sector", "social-services", "--municipality", "")
        listed = self.ok("borrower", "list", "--format", "json").json()[0]
        self.assertEqual((listed["sector"], listed["municipality"]), ("social-services", None))

    def test_outreach_names_the_sector_it_addressed(self):
        self.ok("outreach", "add", "--date", "2026-03-01", "--kind", "presentation",
                "--audience", "Socialförvaltningen i Flen", "--sector", "social-services")
        self.ok("outreach", "add", "--date", "2026-04-01", "--kind", "mailing")
        rows = self.ok("outreach", "list", "--format", "json").json()
        self.assertEqual([(r["audience"], r["sector"]) for r in rows],
                         [("Socialförvaltningen i Flen", "social-services"), (None, None)])
        self.fails(65, "sector: unknown sector 'church'", "outreach", "add", "--kind", "event",
                   "--sector", "church")

    def test_the_county_is_configurable(self):
        config = self.dir / "county.toml"
        config.write_text('[county]\nname = "Uppsala"\nmunicipalities = ["Uppsala", "Enköping"]\n'
                          '[taxonomy]\nsectors = [ { key = "kyrka", sv = "Kyrka", en = "Church" } ]\n',
                          encoding="utf-8")
        env = dict(self.env, LBIB_CONFIG=str(config))
        self.ok("borrower", "add", "--organisation", "Svenska kyrkan", "--contact-name", "Y",
                "--contact-email", "y@example.se", "--sector", "kyrka", "--municipality", "Enköping", env=env)
        rows = self.ok("report", "borrowers", "--format", "json", env=env).json()
        self.assertEqual([(r["row"], r["group"], r["borrowers"]) for r in rows],
                         [("sector", "kyrka", 0), ("municipality", "Uppsala", 0),
                          ("municipality", "Enköping", 0), ("total", None, 0)],
                         "a borrower without requests is not counted")
        self.assertEqual(rows[-1]["municipalities"], 2)
        bad = self.dir / "bad.toml"
        bad.write_text('[county]\nmunicipalities = ["Flen", "Flen"]\n', encoding="utf-8")
        self.fails(78, "lists 'Flen' twice", "borrower", "list", env=dict(self.env, LBIB_CONFIG=str(bad)))


class SormlandLessonsTest(test_reports.SormlandCase):
    """The replayed history: borrowers by sector and municipality, and the report's goals."""

    def test_borrowers_by_sector_and_municipality(self):
        rows = self.ok("report", "borrowers", "--format", "json").json()
        by = {(r["row"], r["group"]): r for r in rows}
        self.assertEqual((by["sector", "region"]["requests"], by["sector", "region"]["loans"]), (10, 7))
        self.assertEqual((by["sector", "academia"]["requests"], by["sector", "academia"]["loans"]), (2, 2))
        # Social services were hardly reached: one request from Katrineholm, declined.
        self.assertEqual((by["sector", "social-services"]["requests"], by["sector", "social-services"]["loans"]), (1, 0))
        self.assertEqual((by["municipality", "Katrineholm"]["requests"], by["municipality", "Katrineholm"]["loans"]), (1, 0))
        self.assertEqual(len([r for r in rows if r["row"] == "municipality" and r["group"]]), 9)
        total = next(r for r in rows if r["row"] == "total")
        # After the total, what followed each outreach activity (issue #16), named by its id.
        after = rows[rows.index(total) + 1:]
        self.assertTrue(after)
        self.assertTrue(all(r["row"] == "outreach" and r["outreach"] for r in after))
        self.assertEqual((total["row"], total["requests"], total["loans"]), ("total", 13, 9))
        self.assertEqual((total["reached"], total["municipalities"]), (0, 9), "0 of 9 municipalities have borrowed")
        # Before the closing phase only the loans then count.
        early = next(r for r in self.ok("report", "borrowers", "--to", "2020", "--format", "json").json()
                     if r["row"] == "total")
        self.assertEqual((early["requests"], early["loans"]), (3, 1))

    def test_the_reports_goals_replay_with_its_outcomes(self):
        rows = self.ok("report", "goals", "--format", "json").json()
        self.assertEqual([(r["indicator"], r["by"], r["target"], r["actual"], r["gap"], r["reached"]) for r in rows], [
            # "ett tiotal erfarna" for the build-up phase: seven were interviewed.
            ("experts", "2020-02-14", 10, 7, 3, False),
            # At least 20 by the end of 2021: 28 in November, and two more.
            ("experts", "2021-12-31", 20, 30, 0, True),
            # At least one organisation had borrowed by the end of 2021.
            ("borrowers", "2021-12-31", 1, 6, 0, True),
            # The effect goal: the municipalities were hardly reached.
            ("municipalities_reached", "2022-03-31", 1, 0, 1, False),
        ])
        table = self.ok("report", "goals").out
        self.assertIn("Rekrytera minst 20 erfarna till slutet av 2021", table)

    def test_the_annual_report_opens_with_the_goals(self):
        html = self.ok("report", "annual", "--from", "2019", "--to", "2022").out
        first = html.index("<h2")
        self.assertIn("Mål", html[first:first + 80])
        self.assertIn("Minst en verksamhet har via uppdrag lånat i slutet av 2021", html)

    def test_the_annual_report_shows_decisions_and_inquiries(self):
        html = self.ok("report", "annual", "--from", "2019", "--to", "2022").out
        self.assertIn("Ägarskap och beslut", html)
        self.assertIn("Länsstyrgruppen beslutade att lägga ned", html)
        self.assertIn("Förfrågningar som avvisades", html)
        self.assertIn("Biblioteket höll på att avslutas", html)
        # Without free text the decisions keep their dates and kinds, not their words.
        bare = self.ok("report", "annual", "--from", "2019", "--to", "2022", "--no-free-text").out
        self.assertIn("Ägarskap och beslut", bare)
        self.assertNotIn("Länsstyrgruppen beslutade", bare)
        rows = self.ok("inquiry", "list", "--format", "json").json()
        self.assertEqual([(r["on"], r["kind"], r["reason"], r["count"]) for r in rows],
                         [("2022-03-01", "expert", "closing", 2)])
        kinds = [r["kind"] for r in self.ok("decision", "list", "--format", "json").json()]
        self.assertEqual(kinds, ["report", "mandate", "decision"])


class GovernanceTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()

    def test_decisions_and_inquiries(self):
        self.assertEqual(self.ok("decision", "add", "--date", "2022-02-18", "--kind", "decision",
                                 "--text", "Biblioteket läggs ned").out, "1\n")
        self.ok("decision", "add", "--date", "2019-01-10", "--kind", "owner", "--text", "FoU äger biblioteket")
        rows = self.ok("decision", "list", "--format", "json").json()
        self.assertEqual([(r["on"], r["kind"]) for r in rows], [("2019-01-10", "owner"), ("2022-02-18", "decision")])
        self.assertEqual(len(self.ok("decision", "list", "--from", "2020", "--format", "json").json()), 1)
        self.fails(65, "kind: 'vote' is not accepted; use one of: owner, mandate, report, decision",
                   "decision", "add", "--kind", "vote", "--text", "x")
        self.fails(65, "text: contains a line break", "decision", "add", "--kind", "owner", "--text", "a\nb")
        self.fails(64, "--text is required", "decision", "add", "--kind", "owner")
        self.ok("inquiry", "add", "--date", "2022-03-01", "--kind", "expert", "--reason", "closing", "--count", "2")
        self.ok("inquiry", "add", "--date", "2021-05-01", "--kind", "borrower", "--reason", "outside-county")
        rows = self.ok("inquiry", "list", "--format", "json").json()
        self.assertEqual([(r["kind"], r["reason"], r["count"]) for r in rows],
                         [("borrower", "outside-county", 1), ("expert", "closing", 2)])
        self.fails(65, "reason: 'bored' is not accepted; use one of: closing, capacity, outside-county",
                   "inquiry", "add", "--kind", "expert", "--reason", "bored")
        self.fails(65, "count: 0 is out of range; use 1 to 100000", "inquiry", "add", "--kind", "expert",
                   "--reason", "capacity", "--count", "0")
        self.fails(64, "not a whole number", "inquiry", "add", "--kind", "expert", "--reason", "capacity",
                   "--count", "2.5")

    def test_the_hand_over_carries_the_lessons(self):
        self.ok("decision", "add", "--date", "2022-02-18", "--kind", "decision", "--text", "Biblioteket läggs ned")
        self.ok("inquiry", "add", "--date", "2022-03-01", "--kind", "expert", "--reason", "closing", "--count", "2")
        eid = self.recruit("Eva Ek", "eva@example.se", "--setting", "digital", "--avoid-areas", "psychiatry")
        self.ok("expert", "prefer", eid, "--paused-until", "2027-01-01")
        self.ok("borrower", "add", "--organisation", "Flens kommun", "--contact-name", "Kim",
                "--contact-email", "kim@flen.example.se", "--sector", "municipality", "--municipality", "Flen")
        export = self.dir / "export.json"
        self.ok("export", "--all", "--out", export)
        new = self.dir / "new.sqlite"
        self.ok("--db", new, "import", export, db=False)
        for args in (("decision", "list"), ("inquiry", "list"), ("expert", "show", eid), ("borrower", "list")):
            with self.subTest(args=args):
                self.assertEqual(self.ok("--db", new, *args, "--format", "json", db=False).out,
                                 self.ok(*args, "--format", "json").out)
        # A hand-over with a wish outside the taxonomy is refused as a whole.
        doc = json.loads(export.read_text())
        doc["tables"]["expert_wish_item"][0]["key"] = "astrology"
        bad = self.dir / "bad.json"
        bad.write_text(json.dumps(doc))
        r = self.run_lbib("--db", self.dir / "other.sqlite", "import", bad, db=False)
        self.assertEqual(r.code, 65, r.err)
        self.assertIn("unknown area 'astrology'", r.err)


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""Recruiting for one assignment and outreach that leads somewhere (issue #16): a request's open
call on the public catalogue (in Chromium) until its reply-by date, a person recruited for that
request only (consent scoped to it, offered to no other request), joining the library, automatic
erasure on the configured schedule for those who do not join, `report recruitment` and `report
borrowers` counting what followed, and what followed an outreach activity. People are invented."""
import datetime
import unittest

import browser
from lbibtest import LbibTestCase

TODAY = datetime.date.today()


def day(offset):
    return (TODAY + datetime.timedelta(days=offset)).isoformat()


CALL = ("Vi söker två personer med egen erfarenhet av demensvård som anhörig till en workshop "
        "om kallelser, 15 januari kl. 13–16 i Flen.")
CONFIG = """
[catalogue]
contact_url = "https://region.example.se/levande-bibliotek/kontakt"
accessibility_statement_url = "/om-webbplatsen/tillganglighetsredogorelse"
"""


class AssignmentCase(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.config = self.dir / "lbib.toml"
        self.config.write_text(CONFIG)
        self.env["LBIB_CONFIG"] = str(self.config)
        self.init()
        self.borrower = self.ok("borrower", "add", "--organisation", "Flens kommun", "--contact-name",
                                "Kim Låntagare", "--contact-email", "kim@flen.example.se",
                                "--sector", "municipality", "--municipality", "Flen").out.strip()
        self.regular = self.recruit("Anna Äldre", "anna@example.se", experiences=("relative:dementia",))

    def request(self, reply_by=day(30)):
        req = self.ok("request", "new", "--borrower", self.borrower, "--received", day(-5),
                      "--purpose", "Kallelser som går att förstå", "--form", "workshop",
                      "--time", "15 januari kl. 13–16", "--place", "Flen", "--reply-by", reply_by,
                      "--want", "relative:dementia").out.strip()
        return req

    def recruit_for(self, req, name="Bo Björk", email="bo@example.se", consent="register,mailing"):
        r = self.run_lbib("recruit", "--name", name, "--email", email, "--channel", "website",
                          "--consent", consent, "--experience", "relative:dementia",
                          "--interviewed", day(-1), "--for-request", req)
        self.assertEqual(r.code, 0, r.err)
        return r.out.strip()

    def match(self, req):
        # Fewer than wanted is only a note on stderr.
        r = self.run_lbib("match", req, "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        return [c["expert"] for c in r.json()]

    def page(self, today):
        return self.ok("catalogue", "--today", today).out


class OpenCallTest(AssignmentCase):
    def test_the_catalogue_shows_the_open_assignment_until_reply_by(self):
        req = self.request(reply_by=day(20))
        self.ok("request", "call", req, "--text", CALL)
        shown = self.page(day(1))
        self.assertIn("Öppna uppdrag", shown)
        self.assertIn(f'<h3 id="assignment-{req}">Uppdrag {req}</h3>', shown)
        self.assertIn("workshop om kallelser", shown)
        self.assertIn(f"Svara senast: {day(20)}", shown)
        self.assertIn("https://region.example.se/levande-bibliotek/kontakt", shown)
        self.assertIn(f"ange uppdrag {req}.", shown)
        self.assertIn(f"Uppdrag {req}", self.page(day(20)), "shown on the reply-by day itself")
        gone = self.page(day(21))
        self.assertNotIn("Öppna uppdrag", gone)
        self.assertNotIn("kallelser", gone)
        md = self.ok("catalogue", "--format", "md", "--today", day(1)).out
        self.assertIn(f"### Uppdrag {req}", md)
        # The request shows its call; once cancelled, the page no longer does.
        self.assertEqual(self.ok("request", "show", req, "--format", "json").json()["open_call"], CALL)
        self.ok("request", "cancel", req, "--reason", "by-borrower")
        self.assertNotIn("Öppna uppdrag", self.page(day(1)))

    def test_a_call_is_refused_without_reply_by_or_with_personal_text_rules(self):
        req = self.ok("request", "new", "--borrower", self.borrower, "--received", day(-5)).out.strip()
        self.fails(65, f"request {req} has no reply-by date", "request", "call", req, "--text", CALL)
        self.fails(64, "--text or --clear is required", "request", "call", req)
        self.fails(66, "no request with id 99", "request", "call", "99", "--text", CALL)
        past = self.request(reply_by=day(30))
        self.fails(65, "call: ", "request", "call", past, "--text", "a\x07b")
        self.fails(65, f"request {past} has no open call", "request", "call", past, "--clear")
        self.ok("request", "call", past, "--text", CALL)
        self.ok("request", "call", past, "--clear")
        self.assertNotIn("Öppna uppdrag", self.page(day(1)))


@unittest.skipUnless(browser.CHROMIUM, "needs Debian's chromium (scripts/install-deps.sh)")
class OpenCallInChromiumTest(AssignmentCase):
    def test_open_assignment_is_accessible_and_disappears_after_reply_by(self):
        self.assertTrue(browser.AXE.exists(), "axe-core is missing: run scripts/install-deps.sh")
        req = self.request(reply_by=day(10))
        self.ok("request", "call", req, "--text", CALL + "\n\nErsättning enligt regionens regler.")
        before = self.dir / "before.html"
        before.write_text(self.page(day(3)))
        after = self.dir / "after.html"
        after.write_text(self.page(day(11)))
        with browser.Browser(self.dir) as b:
            page = b.new_page(1280)
            page.open(before)
            self.assertEqual(page.axe(), [])
            headings = page.evaluate("[...document.querySelectorAll('h2, h3')].map(h => h.textContent)")
            self.assertIn("Öppna uppdrag", headings)
            self.assertIn(f"Uppdrag {req}", headings)
            link = page.evaluate(f"document.querySelector('#assignment-{req}').closest('article')"
                                 ".querySelector('a').href")
            self.assertEqual(link, "https://region.example.se/levande-bibliotek/kontakt")
            page.resize(320, 640)
            self.assertEqual(page.axe(), [])
            self.assertLessEqual(page.evaluate("document.documentElement.scrollWidth"), 320)
            page = b.new_page(1280)
            page.open(after)
            self.assertEqual(page.axe(), [])
            self.assertEqual(page.evaluate("document.querySelectorAll('article.call').length"), 0)


class RecruitForAssignmentTest(AssignmentCase):
    def test_recruited_for_one_request_is_offered_to_no_other(self):
        req = self.request()
        other = self.request()
        bo = self.recruit_for(req)
        e = self.ok("expert", "show", bo, "--format", "json").json()
        self.assertEqual(e["consent_scope"], "assignment")
        self.assertEqual(e["recruited_for_request"], int(req))
        self.assertIsNone(e["joined_on"])
        self.assertIn(f"endast förfrågan {req}", self.ok("expert", "show", bo).out)
        self.assertEqual(sorted(self.match(req)), sorted([int(self.regular), int(bo)]))
        self.assertEqual(self.match(other), [int(self.regular)])
        shown = self.ok("request", "show", req, "--format", "json").json()
        self.assertIsNone(shown["open_call"])
        export = self.ok("expert", "export", bo).json()
        self.assertEqual(export["records"]["assignment_recruit"][0]["request_id"], int(req))
        # The regular expert is a library expert.
        self.assertEqual(self.ok("expert", "show", self.regular, "--format", "json").json()["consent_scope"],
                         "library")

    def test_recruiting_for_a_request_needs_mailing_consent_and_an_open_request(self):
        req = self.request()
        self.fails(65, "--for-request: the person must consent to mailing too", "recruit", "--name", "Cia Ceder",
                   "--email", "cia@example.se", "--channel", "website", "--consent", "register",
                   "--for-request", req)
        self.fails(66, "no request with id 77", "recruit", "--name", "Cia Ceder", "--email",
                   "cia@example.se", "--channel", "website", "--consent", "register,mailing",
                   "--for-request", "77")
        self.fails(64, "--for-request", "recruit", "--name", "Cia Ceder", "--email", "cia@example.se",
                   "--channel", "website", "--consent", "register,mailing", "--for-request", "x")
        self.ok("request", "withdraw", req)
        self.fails(65, f"request {req} is withdrawn", "recruit", "--name", "Cia Ceder", "--email",
                   "cia@example.se", "--channel", "website", "--consent", "register,mailing",
                   "--for-request", req)

    def test_joining_makes_a_regular_expert_with_history_and_full_consent(self):
        req = self.request()
        bo = self.recruit_for(req)
        self.ok("request", "cancel", req, "--reason", "by-borrower")
        self.fails(65, f"expert {self.regular} was not recruited for an assignment", "expert", "join",
                   self.regular)
        self.ok("expert", "join", bo, "--date", TODAY.isoformat())
        self.fails(65, f"expert {bo} joined the library on {TODAY.isoformat()}", "expert", "join", bo)
        e = self.ok("expert", "show", bo, "--format", "json").json()
        self.assertEqual(e["consent_scope"], "library")
        self.assertEqual(e["recruited_for_request"], int(req), "the history is kept")
        self.assertEqual(e["joined_on"], TODAY.isoformat())
        in_force = [c for c in e["consents"] if c["withdrawn_on"] is None]
        self.assertEqual(sorted(c["purpose"] for c in in_force), ["mailing", "register"])
        self.assertTrue(all(c["given_on"] == TODAY.isoformat() for c in in_force))
        self.assertIn(int(bo), self.match(self.request()), "offered to other requests now")
        # Never erased for not joining.
        self.ok("gdpr", "purge", "--today", day(400))
        self.assertIsNone(self.ok("expert", "show", bo, "--format", "json").json()["erased_on"])

    def test_not_joining_ends_in_erasure_on_the_configured_schedule(self):
        self.config.write_text(CONFIG + "\n[retention]\nerase_assignment_recruits_after_days = 30\n")
        req = self.request()
        bo = self.recruit_for(req)
        self.assertEqual([d for d in self.ok("remind", "--all", "--format", "json").json()
                          if d["kind"].startswith("gdpr-ask-join")], [], "not while the request is open")
        self.ok("request", "cancel", req, "--reason", "too-few-participants")
        due = [d for d in self.ok("remind", "--all", "--format", "json").json() if d["kind"] == "gdpr-ask-join"]
        self.assertEqual(len(due), 1)
        self.assertEqual(due[0]["command"], f"lbib expert join {bo}")
        said = self.ok("remind").out
        self.assertIn(f"annars raderas hen {day(30)}", said)
        self.assertNotIn("Bo Björk", said, "no name in a reminder")
        self.ok("gdpr", "purge", "--today", day(29))
        self.assertIsNone(self.ok("expert", "show", bo, "--format", "json").json()["erased_on"])
        dry = self.ok("gdpr", "purge", "--dry-run", "--today", day(30), "--format", "json").json()
        self.assertIn({"action": "would erase", "subject": "expert", "id": int(bo), "count": None}, dry)
        self.ok("gdpr", "purge", "--today", day(30))
        e = self.ok("expert", "show", bo, "--format", "json").json()
        self.assertEqual(e["erased_on"], day(30))
        self.assertEqual(e["name"], "(raderad)")
        self.assertIsNone(self.ok("expert", "show", self.regular, "--format", "json").json()["erased_on"])
        # The stub still counts in report recruitment.
        rows = self.recruitment()
        self.assertEqual(rows[("recruited", "assignment")], 1)
        self.assertEqual(rows[("recruited", "assignment-joined")], 0)

    def recruitment(self):
        out = {}
        for r in self.ok("report", "recruitment", "--format", "json").json():
            if r["kind"] == "recruited":
                out[(r["kind"], r["key"])] = out.get((r["kind"], r["key"]), 0) + r["count"]
        return out

    def test_report_recruitment_counts_pool_assignment_and_those_who_stayed(self):
        req = self.request()
        bo = self.recruit_for(req)
        self.recruit_for(req, "Cia Ceder", "cia@example.se")
        self.recruit("Dan Dahl", "dan@example.se")
        self.ok("expert", "join", bo)
        rows = self.recruitment()
        self.assertEqual(rows[("recruited", "pool")], 2)
        self.assertEqual(rows[("recruited", "assignment")], 2)
        self.assertEqual(rows[("recruited", "assignment-joined")], 1)
        table = self.ok("report", "recruitment").out
        self.assertIn("för ett uppdrag, gick sedan med i biblioteket", table)


class OutreachFollowThroughTest(LbibTestCase):
    """What followed an outreach activity: recruits and requests in the months after it."""

    def setUp(self):
        super().setUp()
        self.init()
        flen = self.ok("borrower", "add", "--organisation", "Flens kommun", "--contact-name", "Kim Låntagare",
                       "--contact-email", "kim@flen.example.se", "--sector", "municipality",
                       "--municipality", "Flen").out.strip()
        region = self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name",
                         "Lo Låntagare", "--contact-email", "lo@region.example.se", "--sector",
                         "region").out.strip()
        self.activity = self.ok("outreach", "add", "--date", "2026-03-01", "--kind", "presentation",
                                "--audience", "Socialchefsnätverket", "--sector", "municipality",
                                "--target", "FLENS KOMMUN", "--target", "Gnesta kommun").out.strip()
        for received, borrower in (("2026-03-10", flen), ("2026-05-31", flen), ("2026-06-01", flen),
                                   ("2026-04-01", region)):
            self.ok("request", "new", "--borrower", borrower, "--received", received)
        for i, interviewed in enumerate(("2026-02-28", "2026-03-01", "2026-05-31", "2026-06-01")):
            self.ok("recruit", "--name", f"Påhittad Person{i}", "--email", f"p{i}@example.se",
                    "--channel", "website", "--consent", "register", "--interviewed", interviewed)

    def test_report_recruitment_and_borrowers_show_what_followed(self):
        rows = {r["key"]: r for r in self.ok("report", "recruitment", "--format", "json").json()
                if r["kind"] == "after-outreach"}
        self.assertEqual(rows["recruits"]["count"], 2, "2026-03-01 to 2026-05-31")
        self.assertEqual(rows["requests"]["count"], 2, "the municipalities' requests in three months")
        self.assertEqual(rows["target-requests"]["count"], 2, "Flens kommun, named in any case")
        self.assertEqual(rows["recruits"]["outreach"], int(self.activity))
        self.assertEqual(rows["recruits"]["year"], 2026)
        borrowers = [r for r in self.ok("report", "borrowers", "--format", "json").json()
                     if r["row"] == "outreach"]
        self.assertEqual(borrowers, [{"row": "outreach", "group": None, "borrowers": 1, "requests": 2,
                                      "loans": 0, "reached": None, "municipalities": None,
                                      "outreach": int(self.activity)}])
        self.assertIn("Efter utåtriktade insatser", self.ok("report", "borrowers").out)
        listed = self.ok("outreach", "list", "--format", "json").json()
        self.assertEqual(listed[0]["targets"], "FLENS KOMMUN; Gnesta kommun")

    def test_the_window_is_configurable(self):
        config = self.dir / "lbib.toml"
        config.write_text("[report]\noutreach_follow_months = 1\n")
        self.env["LBIB_CONFIG"] = str(config)
        rows = {r["key"]: r["count"] for r in self.ok("report", "recruitment", "--format", "json").json()
                if r["kind"] == "after-outreach"}
        self.assertEqual(rows, {"recruits": 1, "requests": 1, "target-requests": 1})
        config.write_text("[report]\noutreach_follow_months = 0\n")
        self.fails(78, "report.outreach_follow_months", "report", "recruitment")

    def test_a_bad_target_is_refused(self):
        self.fails(65, "target", "outreach", "add", "--kind", "event", "--target", "")
        self.fails(65, "target", "outreach", "add", "--kind", "event", "--target", "a\nb")


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""Corrections of recorded facts (issue #14): each correction on the real binary, the
history and audit it leaves, the reports that follow it, and each refusal with its message and
the register unchanged."""
import os
import shutil
import unittest

from lbibtest import LbibTestCase

ANSWERS = ["--answer", "how-it-went=Livliga diskussioner", "--answer", "contribution=De höjde nivån",
           "--answer", "insights=Andra infallsvinklar", "--answer", "use-of-results=I förstudien",
           "--answer", "feedback-plan=Egen återkoppling"]


class CorrectionsCase(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.config = self.dir / "config.toml"
        self.config.write_text(
            "[compensation]\n"
            "rates = [ { valid_from = 2020-01-01, hour = 100, half_day = 400, full_day = 800 },\n"
            "  { valid_from = 2026-01-01, hour = 200, half_day = 700, full_day = 1400 } ]\n")
        self.env["LBIB_CONFIG"] = str(self.config)
        self.init()
        self.borrower = self.add_borrower("Region Exempel", "kim@region.example.se")
        self.anna = self.person("Anna Annorlunda", "anna@example.se")
        self.bo = self.person("Bo Böök", "bo@example.se")
        self.cia = self.person("Cia Ciss", "cia@example.se")

    def add_borrower(self, organisation, email, *extra):
        return int(self.ok("borrower", "add", "--organisation", organisation,
                           "--contact-name", "Kim Låntagare", "--contact-email", email, *extra).out)

    def person(self, name, email, *extra):
        return int(self.ok("recruit", "--name", name, "--email", email, "--channel", "personal-contact",
                           "--consent", "register,mailing", "--interviewed", "2025-06-01",
                           "--experience", "relative:dementia:2019:major", *extra).out)

    def show(self, req):
        return self.ok("request", "show", req, "--format", "json").json()

    def last_event(self, req):
        return self.show(req)["history"][-1]

    def request(self, borrower=None):
        return int(self.ok("request", "new", "--borrower", borrower or self.borrower,
                           "--received", "2025-12-01", "--purpose", "Digitala kallelser",
                           "--form", "workshop", "--time", "20 dec", "--digital",
                           "--reply-by", "2025-12-10", "--want", "dementia").out)

    def premeeting(self, req, on="2025-12-02"):
        self.ok("request", "premeeting", req, "--date", on, "--told-compensation",
                "--told-two-experts", "--told-feedback")

    def dispatch(self, req, on="2025-12-03", experts=None):
        out = self.dir / f"out{req}"
        out.mkdir(exist_ok=True)
        who = experts or f"{self.anna},{self.bo},{self.cia}"
        eml = self.ok("dispatch", req, "--out", out, "--experts", who,
                      "--past-reply-by").out.split()[0]  # mailed before its reply-by date
        self.ok("dispatch", req, "--record", eml, "--date", on)
        return eml

    def loaned(self, on="2025-12-20"):
        req = self.request()
        self.premeeting(req)
        self.dispatch(req)
        self.ok("loan", req, "--date", on, "--expert", f"{self.anna},{self.bo}")
        return req

    def followed_up(self, on="2025-12-22"):
        req = self.loaned()
        self.ok("followup", "record", req, "--date", on, "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "paid", *ANSWERS)
        return req

    def summary(self, req, on="2025-12-23"):
        out = self.dir / f"sum{req}-{on}"
        out.mkdir(exist_ok=True)
        for eml in self.ok("followup", "summary", req, "--out", out).out.split():
            self.ok("followup", "summary", req, "--record", eml, "--date", on)

    def audit(self, req):
        return self.ok("log", "--entity", "request", "--id", req, "--format", "json").json()

    def yearly_loans(self):
        rows = self.ok("report", "yearly", "--from", "2025", "--to", "2026", "--format", "json").json()
        return {r["year"]: r["loans"] for r in rows if r["year"] in (2025, 2026, "2025", "2026")}


class LoanEditTest(CorrectionsCase):
    def test_a_corrected_date_moves_the_loan_between_years_and_is_in_history_and_audit(self):
        req = self.loaned()
        before = self.yearly_loans()
        self.assertEqual((before.get(2025, before.get("2025")), before.get(2026, before.get("2026"))), (1, 0))
        self.ok("loan", "correct", req, "--date", "2026-01-10", "--reason", "Fel år inskrivet")
        after = self.yearly_loans()
        self.assertEqual((after.get(2025, after.get("2025")), after.get(2026, after.get("2026"))), (0, 1))
        shown = self.show(req)
        self.assertEqual(shown["loan"][0]["carried_out_on"], "2026-01-10")
        event = shown["history"][-1]
        self.assertEqual((event["from"], event["to"], event["correction"], event["note"]),
                         ("loan-carried-out", "loan-carried-out", "carried_out_on", "Fel år inskrivet"))
        entry = self.audit(req)[-1]
        self.assertEqual((entry["action"], entry["detail"]), ("loan-correct", "carried_out_on"))
        self.assertNotIn("2026-01-10", str(entry))
        # Table 1's comment is never a correction's reason.
        rows = self.ok("report", "requests", "--format", "json").json()
        self.assertNotIn("Fel år", str(rows))

    def test_participants_external_count_and_form(self):
        req = self.loaned()
        self.ok("loan", "correct", req, "--expert", f"{self.anna},{self.cia}", "--external", "4",
                "--form", "focus-group")
        shown = self.show(req)
        self.assertEqual([p["expert"] for p in shown["participants"]], [self.anna, self.cia])
        self.assertEqual((shown["loan"][0]["external_participants"], shown["loan"][0]["form"]),
                         (4, "focus-group"))
        self.assertEqual(shown["history"][-1]["correction"], "form,external_participants,participants")
        table1 = self.ok("report", "requests", "--format", "json").json()[0]
        self.assertEqual((table1["experts"], table1["external"], table1["form"]), (2, 4, "focus-group"))
        # An expert never invited needs a reason, as when the loan is recorded.
        dan = self.person("Dan Dansk", "dan@example.se")
        self.fails(65, f"expert {dan} was not invited to request {req}", "loan", "correct", req,
                   "--expert", f"{self.anna},{dan}")
        self.ok("loan", "correct", req, "--uninvited", f"{dan}:Kom med i sista stund")
        shown = self.show(req)
        self.assertIn({"expert": dan, "invited": False}, shown["participants"])
        self.assertIn("Kom med i sista stund", shown["history"][-1]["note"])

    def test_payments_follow_the_new_date_and_keep_travel(self):
        req = self.loaned()  # 2025: the 2020 rates
        self.ok("pay", req, "--expert", self.bo, "--unit", "hour", "--quantity", "2", "--travel", "50",
                "--status", "due", "--date", "2025-12-20")
        self.ok("loan", "correct", req, "--date", "2026-01-02")
        pay = self.ok("report", "payments", "--all", "--format", "json").json()[0]
        self.assertEqual((pay["rate"], pay["travel"], pay["amount"]), (200, 50, 450))
        self.assertEqual(self.last_event(req)["correction"], "carried_out_on,payment")

    def test_refusals_say_which_later_fact_and_change_nothing(self):
        req = self.request()
        self.fails(65, f"request {req} has no loan recorded", "loan", "correct", req, "--date", "2025-12-20")
        req = self.loaned()
        self.fails(64, "loan correct: nothing to change", "loan", "correct", req)
        self.fails(64, "nothing to change", "loan", "correct", req, "--date", "2025-12-20")
        self.fails(65, "is in the future", "loan", "correct", req, "--date", "2099-01-01")
        self.fails(65, "the loan cannot be before the request was mailed (2025-12-03)",
                   "loan", "correct", req, "--date", "2025-12-02")
        self.fails(65, "unknown form 'dans'", "loan", "correct", req, "--form", "dans")
        self.fails(65, "give --fewer-reason", "loan", "correct", req, "--expert", self.anna)
        self.ok("pay", req, "--expert", self.bo, "--unit", "hour", "--status", "paid", "--date", "2026-01-03")
        self.fails(65, f"expert {self.bo} has a payment recorded for this loan", "loan", "correct", req,
                   "--expert", f"{self.anna},{self.cia}")
        self.fails(65, f"the payment to expert {self.bo} is dated 2026-01-03", "loan", "correct", req,
                   "--date", "2026-01-04")
        self.fails(65, f"expert {self.bo} was paid at the rate of the loan's recorded date", "loan", "correct",
                   req, "--date", "2026-01-02")
        self.ok("followup", "record", req, "--date", "2026-01-05", "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "paid", *ANSWERS)
        self.fails(65, "the follow-up meeting was held on 2026-01-05", "loan", "correct", req,
                   "--date", "2026-01-06")
        self.summary(req, "2026-01-06")
        self.fails(65, f"expert {self.anna} was sent the follow-up summary on 2026-01-06", "loan", "correct",
                   req, "--expert", f"{self.bo},{self.cia}")
        self.fails(64, "REQ is required", "loan", "correct")

    def test_the_loan_itself_still_records_as_before(self):
        req = self.request()
        self.premeeting(req)
        self.dispatch(req)
        self.fails(64, "REQ is required", "loan", "--date", "2025-12-20")
        self.ok("loan", req, "--date", "2025-12-20", "--expert", f"{self.anna},{self.bo}")
        self.assertEqual(self.show(req)["state"], "loan-carried-out")


class ReopenTest(CorrectionsCase):
    def test_a_declined_request_returns_to_where_it_was(self):
        req = self.request()
        self.premeeting(req)
        self.ok("request", "decline", req, "--reason", "no-match", "--date", "2025-12-05")
        self.ok("request", "reopen", req, "--reason", "Avböjd av misstag")
        shown = self.show(req)
        self.assertEqual((shown["state"], shown["reason"]), ("pre-meeting-held", None))
        event = shown["history"][-1]
        self.assertEqual((event["from"], event["to"], event["correction"], event["note"]),
                         ("declined", "pre-meeting-held", "state", "Avböjd av misstag"))
        self.assertEqual(self.audit(req)[-1]["action"], "reopen")
        rows = self.ok("report", "requests", "--format", "json").json()
        self.assertEqual(rows[0]["state"], "pre-meeting-held")
        # It goes on as any open request.
        self.dispatch(req)

    def test_refusals(self):
        req = self.request()
        self.fails(65, "only a request that is declined, cancelled or withdrawn can be reopened",
                   "request", "reopen", req, "--reason", "x")
        self.ok("request", "withdraw", req, "--date", "2025-12-05")
        self.fails(64, "--reason is required", "request", "reopen", req)
        self.fails(64, "--reason: say why", "request", "reopen", req, "--reason", " ")
        self.fails(66, "no request with id 99", "request", "reopen", "99", "--reason", "x")


class UndoTest(CorrectionsCase):
    def test_a_dispatch_recorded_by_mistake(self):
        req = self.request()
        self.premeeting(req)
        eml = self.dispatch(req)
        self.ok("dispatch", "undo", req, "--reason", "Skickades aldrig")
        shown = self.show(req)
        self.assertEqual((shown["state"], shown["invitations"]), ("pre-meeting-held", []))
        self.assertEqual(shown["history"][-1]["correction"], "dispatch,invitation")
        self.assertEqual(self.audit(req)[-1]["action"], "dispatch-undo")
        # The message really sent later is recorded again.
        self.ok("dispatch", req, "--record", eml, "--date", "2025-12-04")
        self.assertEqual(len(self.show(req)["invitations"]), 3)

    def test_a_dispatch_cannot_be_undone_once_the_loan_is_recorded(self):
        req = self.request()
        self.fails(65, f"request {req} has no dispatch recorded", "dispatch", "undo", req, "--reason", "x")
        req = self.loaned()
        self.fails(65, "the loan of 2025-12-20 is recorded; a dispatch cannot be undone", "dispatch", "undo",
                   req, "--reason", "x")
        self.fails(65, "has no dispatch with Message-ID", "dispatch", "undo", req, "--reason", "x",
                   "--message", "<nobody@example>")
        self.fails(64, "--reason is required", "dispatch", "undo", req)

    def test_a_loan_recorded_by_mistake(self):
        req = self.loaned()
        self.ok("loan", "undo", req, "--reason", "Fel förfrågan")
        shown = self.show(req)
        self.assertEqual((shown["state"], shown["loan"], shown["participants"]), ("dispatched", [], []))
        self.assertEqual(shown["history"][-1]["correction"], "loan,loan_participant")
        self.assertEqual(self.yearly_loans().get(2025, self.yearly_loans().get("2025")), 0)
        self.fails(65, f"request {req} has no loan recorded", "loan", "undo", req, "--reason", "x")
        self.ok("loan", req, "--date", "2025-12-20", "--expert", f"{self.anna},{self.bo}")
        self.ok("pay", req, "--expert", self.bo, "--unit", "hour", "--status", "due", "--date", "2025-12-20")
        self.fails(65, f"expert {self.bo} has a payment recorded for this loan; a loan with a payment",
                   "loan", "undo", req, "--reason", "x")
        other = self.followed_up()
        self.fails(65, "a loan cannot be undone once it has a follow-up", "loan", "undo", other,
                   "--reason", "x")

    def test_a_summary_recorded_by_mistake(self):
        req = self.followed_up()
        self.summary(req)
        self.ok("followup", "feedback", req, "--date", "2025-12-24")
        self.assertEqual(self.show(req)["state"], "finished")
        self.ok("followup", "summary", "undo", req, "--reason", "Gick aldrig iväg")
        shown = self.show(req)
        self.assertEqual((shown["state"], shown["followup"][0]["summary_sent_on"]), ("followed-up", None))
        self.assertEqual(shown["history"][-1]["correction"], "summary_recipient,summary_sent_on")
        self.fails(65, f"request {req} has no follow-up summary recorded", "followup", "summary", "undo",
                   req, "--reason", "x")
        # Sent again, it finishes the request again.
        self.summary(req, "2025-12-27")
        self.assertEqual(self.show(req)["state"], "finished")

    def test_a_pick_recorded_by_mistake(self):
        req = self.request()
        self.ok("request", "pick", req, self.anna, self.bo, "--date", "2025-12-01")
        self.ok("request", "pick", "undo", req, self.bo, "--reason", "Fel person")
        shown = self.show(req)
        self.assertEqual(shown["history"][-1]["correction"], "request_pick")
        self.fails(65, f"expert {self.bo} is not picked for request {req}", "request", "pick", "undo", req,
                   self.bo)
        self.fails(64, "EXPERT is required", "request", "pick", req)


class MeetingEditTest(CorrectionsCase):
    def test_premeeting_date_and_notes(self):
        req = self.request()
        self.fails(65, f"request {req} has no pre-meeting recorded", "request", "premeeting", "correct", req,
                   "--date", "2025-12-02")
        self.premeeting(req)
        self.ok("request", "premeeting", "correct", req, "--date", "2025-12-03", "--note", "Bra möte")
        shown = self.show(req)
        self.assertEqual(shown["pre_meeting_on"], "2025-12-03")
        self.assertEqual(shown["history"][-1]["correction"], "held_on,notes")
        self.fails(65, "is in the future", "request", "premeeting", "correct", req, "--date", "2099-01-01")
        self.fails(65, "before the request was received", "request", "premeeting", "correct", req,
                   "--date", "2025-11-01")
        self.dispatch(req, "2025-12-04")
        self.fails(65, "the request was mailed on 2025-12-04; the pre-meeting cannot be after it",
                   "request", "premeeting", "correct", req, "--date", "2025-12-05")
        self.fails(64, "nothing to change", "request", "premeeting", "correct", req)

    def test_followup_answers_satisfaction_and_quotes(self):
        req = self.loaned()
        self.fails(65, "the follow-up meeting is not recorded yet", "followup", "correct", req,
                   "--satisfaction", "5")
        self.ok("followup", "record", req, "--date", "2025-12-22", "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "paid", *ANSWERS)
        self.ok("followup", "correct", req, "--satisfaction", "2", "--answer", "insights=Rättad insikt",
                "--quote", "Mycket givande", "--reason", "Felskrivet")
        shown = self.show(req)
        self.assertEqual(shown["followup"][0]["satisfaction"], 2)
        self.assertEqual(shown["history"][-1]["correction"], "satisfaction,quotes,answer:insights")
        entry = self.audit(req)[-1]
        self.assertEqual(entry["action"], "followup-correct")
        self.assertNotIn("Rättad", str(entry))
        outcomes = self.ok("report", "followups", "--format", "json").out
        self.assertIn("2", outcomes)
        self.fails(65, "satisfaction: a number from 1", "followup", "correct", req, "--satisfaction", "7")
        self.fails(65, "unknown question 'mood'", "followup", "correct", req, "--answer", "mood=glad")
        self.fails(65, "before the loan", "followup", "correct", req, "--date", "2025-12-01")
        self.summary(req)
        self.fails(65, "answer how-it-went: it was mailed to the experts in the summary on 2025-12-23",
                   "followup", "correct", req, "--answer", "how-it-went=Annat")
        self.fails(65, "the summary was sent on 2025-12-23; the follow-up meeting cannot be after it",
                   "followup", "correct", req, "--date", "2025-12-24")
        # An answer the summary did not carry can still be corrected.
        self.ok("followup", "correct", req, "--answer", "feedback-plan=Ett brev")


class MergeTest(CorrectionsCase):
    def test_two_records_of_one_expert_become_one_keeping_everything(self):
        anna2 = self.person("Anna Annorlunda", "anna.a@example.se", "--allow-duplicate",
                            "--experience", "patient:psychiatry:2020:everyday", "--phone", "070-123",
                            "--born-abroad", "no", "--notes", "Andra intervjun")
        first = self.loaned()  # anna took part, anna2 was not invited
        second = self.request()
        self.premeeting(second)
        self.dispatch(second, experts=f"{anna2},{self.cia}")
        self.ok("loan", second, "--date", "2025-12-21", "--expert", f"{anna2},{self.cia}")
        self.ok("pay", second, "--expert", anna2, "--unit", "hour", "--travel", "30", "--status", "due",
                "--date", "2025-12-21")
        self.fails(64, "a merge cannot be undone; add --yes", "expert", "merge", self.anna, anna2)
        self.ok("expert", "merge", self.anna, anna2, "--yes")
        self.fails(66, f"no expert with id {anna2}", "expert", "show", anna2)
        shown = self.ok("expert", "show", self.anna, "--format", "json").json()
        self.assertEqual(sorted(r["request"] for r in shown["requests"]), [first, second])
        self.assertEqual(len(shown["experiences"]), 2)
        # Keep's fields win; what keep lacks comes from drop.
        self.assertEqual((shown["email"], shown["phone"], shown["born_abroad"], shown["notes"]),
                         ("anna@example.se", "070-123", "no", "Andra intervjun"))
        in_force = [c for c in shown["consents"] if c["purpose"] == "mailing" and not c["withdrawn_on"]]
        self.assertEqual(len(in_force), 1)
        self.assertEqual(len([c for c in shown["consents"] if c["purpose"] == "mailing"]), 2)
        self.assertIn(self.anna, [p["expert"] for p in self.show(second)["participants"]])
        pays = self.ok("report", "payments", "--all", "--format", "json").json()
        self.assertEqual([(p["expert"], p["travel"]) for p in pays], [(self.anna, 30)])
        log = self.ok("log", "--entity", "expert", "--id", self.anna, "--format", "json").json()
        self.assertEqual(log[-1]["action"], "merge")
        # The merged person can still be exported and erased as one.
        self.ok("expert", "erase", self.anna, "--yes")
        self.ok("check")

    def test_restoring_a_backup_from_before_the_merge_never_brings_an_erased_person_back(self):
        anna2 = self.person("Anna Annorlunda", "anna.twice@example.se", "--allow-duplicate")
        backup = self.dir / "before.sqlite"
        self.ok("backup", backup)
        self.ok("expert", "merge", self.anna, anna2, "--yes")
        self.ok("expert", "erase", self.anna, "--yes")
        ledger = self.db.with_name(self.db.name + ".erasures").read_text()
        self.assertIn(f"expert {anna2} ", ledger)
        for suffix in ("-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        shutil.copy(backup, self.db)
        os.chmod(self.db, 0o600)
        r = self.run_lbib("expert", "list", "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("re-applied 2 erasures", r.err)
        self.assertNotIn("anna.twice@example.se", r.out)
        self.assertNotIn("Annorlunda", r.out)

    def test_a_withdrawal_on_either_record_stands_after_the_merge(self):
        # The person withdrew the mailing consent on the newer record; the older one still had it.
        again = self.person("Anna Annorlunda", "anna.again@example.se", "--allow-duplicate")
        self.ok("expert", "edit", again, "--withdraw", "mailing")
        self.ok("expert", "merge", self.anna, again, "--yes")
        consents = self.ok("expert", "show", self.anna, "--format", "json").json()["consents"]
        mailing = [c for c in consents if c["purpose"] == "mailing"]
        self.assertEqual(len(mailing), 2)
        self.assertTrue(all(c["withdrawn_on"] for c in mailing), mailing)
        listed = {e["id"]: e for e in self.ok("expert", "list", "--format", "json").json()}
        self.assertFalse(listed[self.anna]["mailing"])

    def test_merge_refusals(self):
        req = self.loaned()  # anna and bo both took part
        self.fails(65, f"experts {self.anna} and {self.bo} both took part in the loan of request {req}",
                   "expert", "merge", self.anna, self.bo, "--yes")
        self.fails(64, "KEEP and DROP are the same id", "expert", "merge", self.anna, self.anna, "--yes")
        self.fails(66, "no expert with id 99", "expert", "merge", self.anna, "99", "--yes")
        self.ok("expert", "erase", self.cia, "--yes")
        self.fails(65, f"expert {self.cia} was erased", "expert", "merge", self.anna, self.cia, "--yes")

    def test_two_records_of_one_borrower_become_one(self):
        other = self.add_borrower("Region Exempel", "kim.l@region.example.se", "--contact-phone", "070-1",
                                  "--allow-duplicate")
        mine = self.request()
        theirs = self.request(borrower=other)
        self.ok("borrower", "merge", self.borrower, other, "--yes")
        rows = self.ok("request", "list", "--borrower", self.borrower, "--format", "json").json()
        self.assertEqual([r["id"] for r in rows], [mine, theirs])
        self.fails(66, f"no borrower with id {other}", "borrower", "show", other)
        kept = self.ok("borrower", "show", self.borrower, "--format", "json").json()
        self.assertEqual(kept["contact_phone"], "070-1")
        self.fails(64, "KEEP and DROP are the same id", "borrower", "merge", self.borrower, self.borrower,
                   "--yes")
        self.ok("check")


class PayTest(CorrectionsCase):
    def test_pay_again_recomputes_the_amount_and_keeps_the_travel_costs(self):
        req = self.loaned()
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--quantity", "3", "--travel", "120",
                "--status", "due", "--date", "2025-12-20")
        self.ok("pay", req, "--expert", self.anna, "--quantity", "5", "--status", "due", "--date", "2025-12-20")
        pay = self.ok("report", "payments", "--all", "--format", "json").json()[0]
        self.assertEqual((pay["quantity"], pay["travel"], pay["amount"]), (5, 120, 620))


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""Repairs a hostile retest of issue #14 asked for, each on the real binary: a payment corrected
without --date keeps its dates; leaving is not in the future and can be undone; a request's
arrival and borrower corrected; a summary told undone; no loan's last day, follow-up meeting
years ahead or outreach in the future; no request mailed after its reply-by date unless said
so, before anything is composed or sent; unknown ids are no input; the first refusal is the
one to fix first; a no-show signed up."""
import subprocess
import unittest

from lbibtest import LBIB, SOURCE_DIR
from mailsink import MailSink
from test_week import ANSWERS, WeekCase, day


class PaymentDatesTest(WeekCase):
    def payment(self):
        return self.ok("report", "payments", "--all", "--format", "json").json()[0]

    def test_a_correction_without_date_keeps_the_recorded_dates(self):
        req = self.loaned([self.anna])
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--status", "due",
                "--date", day(-20))
        # Recorded again as due, with travel costs and no date: still due from the same day.
        self.ok("pay", req, "--expert", self.anna, "--travel", "30", "--status", "due")
        self.assertEqual((self.payment()["due_on"], self.payment()["travel"]), (day(-20), 30))
        self.ok("pay", req, "--expert", self.anna, "--status", "paid", "--date", day(-5))
        before = self.payment()
        self.assertEqual((before["due_on"], before["settled_on"]), (day(-20), day(-5)))
        # A correction of the travel costs without --date: paid on the day it was, due as before.
        self.ok("pay", req, "--expert", self.anna, "--travel", "80", "--status", "paid",
                "--reason", "Fel reseersättning")
        after = self.payment()
        self.assertEqual((after["due_on"], after["settled_on"], after["travel"]),
                         (day(-20), day(-5), 80))
        self.assertEqual(self.show(req)["history"][-1]["correction"], "payment:travel")
        # Declined instead of paid, without --date: still the recorded day.
        self.ok("pay", req, "--expert", self.anna, "--status", "declined", "--reason", "Avböjde")
        self.assertEqual(self.payment()["settled_on"], day(-5))
        self.assertEqual(self.show(req)["history"][-1]["correction"], "payment:status")

    def test_settling_a_due_payment_without_date_is_today(self):
        req = self.loaned([self.anna])
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--status", "due",
                "--date", day(-20))
        self.ok("pay", req, "--expert", self.anna, "--status", "paid")
        pay = self.payment()
        self.assertEqual((pay["due_on"], pay["settled_on"]), (day(-20), day(0)))


class LeaveTest(WeekCase):
    def test_leaving_is_not_in_the_future_and_can_be_undone(self):
        self.fails(65, f"date: {day(1)} is in the future; leaving is recorded once the expert "
                       f"left", "expert", "leave", self.anna, "--date", day(1))
        self.fails(65, "has not left the library", "expert", "leave", "undo", self.anna)
        self.fails(66, "no expert with id 99", "expert", "leave", "undo", "99")
        self.ok("expert", "leave", self.anna, "--date", day(-1))
        self.ok("expert", "leave", "undo", self.anna)
        anna = self.ok("expert", "show", self.anna, "--format", "json").json()
        self.assertEqual((anna["status"], anna.get("left_on")), ("active", None))
        log = self.ok("log", "--entity", "expert", "--id", self.anna, "--format", "json").json()
        self.assertEqual((log[-1]["action"], log[-1]["detail"]), ("leave-undo", "status,left_on"))
        # Matched again, as before the mistake.
        req = self.request()
        self.premeeting(req)
        self.assertIn(self.anna, [c["expert"] for c in self.ok("match", req, "--format",
                                                                "json").json()])

    def test_a_person_recruited_again_is_merged_not_brought_back(self):
        self.ok("expert", "leave", self.anna, "--date", day(-1))
        again = self.person("Anna Annorlunda", "--email", "anna@example.se",
                            extra=("--allow-duplicate",))
        self.fails(65, f"looks like expert {again}", "expert", "leave", "undo", self.anna)


class RequestCorrectTest(WeekCase):
    def test_the_day_it_arrived(self):
        req = self.request()  # received day(-60), reply-by day(-50)
        self.premeeting(req)  # day(-59)
        self.ok("request", "correct", req, "--received", day(-61), "--reason", "Fel dag")
        r = self.show(req)
        self.assertEqual(r["received_on"], day(-61))
        self.assertEqual(r["history"][0]["on"], day(-61), "the arrival moves with it")
        self.assertEqual((r["history"][-1]["correction"], r["history"][-1]["note"]),
                         ("received_on", "Fel dag"))
        log = self.ok("log", "--entity", "request", "--id", req, "--format", "json").json()
        self.assertEqual((log[-1]["action"], log[-1]["detail"]), ("request-correct", "received_on"))
        self.fails(65, f"the pre-meeting was held on {day(-59)}; the request cannot have arrived "
                       "after it", "request", "correct", req, "--received", day(-58))
        self.fails(65, f"received: {day(1)} is in the future", "request", "correct", req,
                   "--received", day(1))
        self.fails(65, "not a valid date", "request", "correct", req, "--received", "2026-02-30")
        self.fails(64, "nothing to change", "request", "correct", req, "--received", day(-61))
        self.fails(66, "no request with id 99", "request", "correct", "99", "--received", day(-1))

    def test_the_reply_by_date_and_the_history_bound_it(self):
        req = self.request(received=day(-10))  # reply-by the same day
        self.fails(65, f"the reply-by date is {day(-10)}", "request", "correct", req,
                   "--received", day(-9))
        self.ok("request", "hold", req, "--until", day(5), "--date", day(-8))
        self.ok("request", "edit", req, "--reply-by", day(20))
        self.fails(65, f"the request's history has a step on {day(-8)}", "request", "correct",
                   req, "--received", day(-7))

    def test_the_borrower(self):
        other = int(self.ok("borrower", "add", "--organisation", "Kommunen",
                            "--contact-name", "Lo Låntagare",
                            "--contact-email", "lo@kommunen.example.se").out)
        req = self.request()
        self.premeeting(req)
        self.fails(66, "no borrower with id 99", "request", "correct", req, "--borrower", "99")
        self.ok("request", "correct", req, "--borrower", other)
        r = self.show(req)
        self.assertEqual((r["borrower_id"], r["history"][-1]["correction"]), (other, "borrower"))
        # Once mailed with the borrower's contact person to reply to, it stays.
        mailed = self.dispatched([self.anna])
        self.fails(65, f"the request was mailed to the experts on {day(-58)}", "request",
                   "correct", mailed, "--borrower", other)
        # Never to a borrower whose contact person was erased.
        self.ok("borrower", "erase", self.borrower, "--yes")
        self.fails(65, "was erased", "request", "correct", req, "--borrower", self.borrower)


class SummaryToldUndoTest(WeekCase):
    def test_a_summary_told_by_mistake_is_undone(self):
        tor = self.person("Tor Telefon", "--phone", "070-111 22 33")
        req = self.dispatched([self.anna])
        self.ok("loan", req, "--date", day(-40), "--expert", self.anna, "--fewer-reason", "En",
                "--uninvited", f"{tor}:Ringdes in")
        self.ok("expert", "edit", self.anna, "--withdraw", "mailing")
        self.ok("followup", "record", req, "--date", day(-30), "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        self.ok("followup", "feedback", req, "--date", day(-2))
        self.ok("followup", "summary", "told", req, "--date", day(-1))
        self.assertEqual(self.show(req)["state"], "finished")
        self.fails(64, "--reason", "followup", "summary", "undo", req)
        self.ok("followup", "summary", "undo", req, "--reason", "Ingen hade fått den")
        r = self.show(req)
        self.assertEqual((r["state"], r["followup"][0]["summary_sent_on"]), ("followed-up", None))
        self.assertEqual(r["history"][-1]["correction"], "summary_sent_on")
        log = self.ok("log", "--entity", "request", "--id", req, "--format", "json").json()
        self.assertEqual((log[-1]["action"], log[-1]["detail"]),
                         ("summary-told-undo", "summary_sent_on"))
        self.assertIn("summary-told", self.kinds_of(req), "to be told again")
        self.fails(65, "has no follow-up summary recorded", "followup", "summary", "undo", req,
                   "--reason", "igen")
        # Told again, the survey mailed to the borrower: the summary it followed stays.
        self.ok("followup", "summary", "told", req, "--date", day(0))
        out = self.dir / "survey"
        out.mkdir()
        eml = self.ok("followup", "borrower", "survey", req, "--out", out).out.split()[0]
        self.ok("followup", "borrower", "survey", req, "--record", eml)
        self.fails(65, "the survey was mailed to the borrower", "followup", "summary", "undo",
                   req, "--reason", "Fel")


class FutureDatesTest(WeekCase):
    def test_a_loans_last_day_is_not_in_the_future(self):
        req = self.dispatched([self.anna, self.bo])
        both = f"{self.anna},{self.bo}"
        self.fails(65, f"until: {day(2)} is in the future", "loan", req, "--date", day(-40),
                   "--until", day(2), "--expert", both)
        self.ok("loan", req, "--date", day(-40), "--until", day(-39), "--expert", both)
        self.fails(65, f"until: {day(1)} is in the future", "loan", "correct", req,
                   "--until", day(1))
        self.ok("loan", "correct", req, "--until", day(-38))

    def test_a_follow_up_meeting_is_booked_at_most_a_year_ahead(self):
        req = self.loaned([self.anna, self.bo])
        self.fails(65, f"date: {day(400)} is more than a year ahead; a follow-up meeting is booked "
                       f"for a day from the loan ({day(-40)}) to {day(365)}",
                   "followup", "book", req, "--date", day(400))
        self.ok("followup", "book", req, "--date", day(365))

    def test_outreach_is_recorded_once_done(self):
        self.fails(65, f"date: {day(1)} is in the future; an outreach activity is recorded once",
                   "outreach", "add", "--kind", "presentation", "--date", day(1))
        self.ok("outreach", "add", "--kind", "presentation", "--date", day(0))


class QuestionnaireAfterTheLoanTest(WeekCase):
    """Found trying the issue's corrections: the experts' questionnaire is a later fact of the
    loan, as the summary and payments are."""

    def test_the_loan_stays_as_the_questionnaire_asked_about_it(self):
        req = self.loaned([self.anna, self.bo])
        out = self.dir / "q"
        out.mkdir()
        for eml in self.ok("followup", "questionnaire", req, "--out", out).out.split():
            self.ok("followup", "questionnaire", req, "--record", eml, "--date", day(-30))
        self.fails(65, "was sent the questionnaire about this loan on", "loan", "undo", req,
                   "--reason", "Fel förfrågan")
        self.fails(65, f"was sent the questionnaire about the loan on {day(-30)}; the loan cannot "
                       "be after it", "loan", "correct", req, "--date", day(-25))
        self.fails(65, f"expert {self.bo} was sent the questionnaire about the loan on {day(-30)}",
                   "loan", "correct", req, "--expert", self.anna, "--fewer-reason", "En")
        self.ok("loan", "correct", req, "--date", day(-35))


class NothingDoneInTheFutureTest(WeekCase):
    """Found trying the issue's date rules as a hostile contact person: every fact recorded as
    done is today or earlier."""

    def test_picks_decisions_inquiries_subject_requests_and_consents(self):
        req = self.request(received=day(-10))
        self.fails(65, f"date: {day(1)} is in the future; a pick is recorded once", "request",
                   "pick", req, self.anna, "--date", day(1))
        self.fails(65, f"date: {day(-11)} is before the request was received ({day(-10)})",
                   "request", "pick", req, self.anna, "--date", day(-11))
        self.ok("request", "pick", req, self.anna, "--date", day(-10))
        self.fails(65, f"date: {day(2)} is in the future; a decision is recorded once",
                   "decision", "add", "--kind", "decision", "--text", "Beslut", "--date", day(2))
        self.fails(65, f"date: {day(2)} is in the future; an inquiry is recorded once",
                   "inquiry", "add", "--kind", "expert", "--reason", "capacity", "--date", day(2))
        self.fails(65, f"received: {day(2)} is in the future; a data-subject request",
                   "gdpr", "request", "add", "--kind", "access", "--expert", self.anna,
                   "--received", day(2))
        self.fails(65, f"consent-date: {day(2)} is in the future", "recruit", "--name", "Ny Ny",
                   "--email", "ny@example.se", "--channel", "website", "--consent", "register",
                   "--interviewed", day(-1), "--consent-date", day(2))


class ReplyByPassedTest(WeekCase):
    def ready(self, reply_by):
        req = int(self.ok("request", "new", "--borrower", self.borrower, "--received", day(-20),
                          "--purpose", "Digitala kallelser", "--form", "workshop", "--time",
                          "eftermiddag", "--digital", "--reply-by", reply_by,
                          "--want", "dementia").out)
        self.premeeting(req, day(-19))
        return req

    def test_compose_refuses_before_anything_is_written(self):
        req = self.ready(day(-1))
        out = self.dir / "out"
        out.mkdir()
        self.fails(65, f"request {req}: its reply-by date {day(-1)} has passed; give the experts "
                       f"a new one first ('lbib request edit {req} --reply-by DATE')",
                   "dispatch", req, "--out", out)
        self.assertEqual(list(out.iterdir()), [], "nothing composed")
        # remind says the same, with a command that runs as printed.
        item = [i for i in self.remind() if i["request"] == req]
        self.assertEqual([i["kind"] for i in item], ["dispatch-reply-by"])
        self.run_printed(item[0]["command"])
        self.assertEqual(self.show(req)["reply_by"], day(7))
        self.assertTrue(self.ok("dispatch", req, "--out", out).out.split())
        self.assertEqual([i["kind"] for i in self.remind() if i["request"] == req], ["dispatch"])

    def test_a_reply_by_date_is_not_moved_before_the_mailing(self):
        req = self.ready(day(-1))
        out = self.dir / "out"
        out.mkdir()
        eml = self.ok("dispatch", req, "--out", out, "--past-reply-by").out.split()[0]
        self.ok("dispatch", req, "--record", eml, "--date", day(-5))
        self.fails(65, f"reply-by: {day(-6)} is before the request was mailed to the experts "
                       f"({day(-5)})", "request", "edit", req, "--reply-by", day(-6))
        self.ok("request", "edit", req, "--reply-by", day(-5))

    def test_an_explicit_flag_mails_it_anyway_and_today_is_not_passed(self):
        req = self.ready(day(-1))
        out = self.dir / "out"
        out.mkdir()
        eml = self.ok("dispatch", req, "--out", out, "--past-reply-by").out.split()[0]
        self.ok("dispatch", req, "--record", eml)
        self.assertEqual(self.show(req)["state"], "dispatched")
        other = self.ready(day(0))
        self.ok("dispatch", other, "--out", self.dir, "--experts", self.bo)

    def test_the_send_script_mails_nobody(self):
        sink = MailSink()
        self.addCleanup(sink.stop)
        sink.write_msmtprc(str(self.dir), "levande.bibliotek@example.se")
        req = self.ready(day(-1))
        env = dict(self.env, LBIB=LBIB, LBIB_DB=str(self.db))
        env.pop("SENDMAIL", None)
        p = subprocess.run([str(SOURCE_DIR / "scripts/send-request.sh"), "--yes", str(req)],
                           capture_output=True, text=True, env=env, cwd=self.dir,
                           stdin=subprocess.DEVNULL, timeout=120)
        self.assertEqual(p.returncode, 65, p.stderr)
        self.assertIn("has passed", p.stderr)
        self.assertEqual(sink.deliveries, [])
        self.assertEqual(self.show(req)["state"], "pre-meeting-held")


class OrderAndIdsTest(WeekCase):
    def test_pick_undo_of_an_unknown_expert_is_no_input(self):
        req = self.request()
        self.ok("request", "pick", req, self.anna)
        self.fails(66, "no expert with id 99", "request", "pick", "undo", req, "99")
        self.fails(65, f"expert {self.bo} is not picked for request {req}", "request", "pick",
                   "undo", req, self.bo)

    def test_a_second_loan_is_refused_before_anything_else(self):
        req = self.loaned([self.anna, self.bo])
        self.fails(65, f"request {req} already has a loan, recorded for {day(-40)}; correct it",
                   "loan", req, "--date", day(-1), "--expert", self.anna)
        self.fails(65, "already has a loan", "loan", req, "--date", day(3), "--expert", "99")


if __name__ == "__main__":
    unittest.main()

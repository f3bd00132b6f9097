# SPDX-License-Identifier: MIT
"""Follow-up, the feedback loop, compensation, reminders walked day by day, and the cron
script with real mail delivery."""
import fcntl
import os
import re
import shlex
import subprocess
import unittest

from lbibtest import LBIB, SOURCE_DIR, LbibTestCase
from mailsink import MailSink

SCRIPTS = SOURCE_DIR / "scripts"
LIBRARY = "levande.bibliotek@example.se"
ANSWERS = ["--answer", "how-it-went=Livliga diskussioner", "--answer", "contribution=De höjde nivån",
           "--answer", "insights=Andra infallsvinklar", "--answer", "use-of-results=I förstudien",
           "--answer", "feedback-plan=INTERN-PLAN-MARKER"]


class FollowupCase(LbibTestCase):
    def show(self, req):
        return self.ok("request", "show", req, "--format", "json").json()

    def setUp(self):
        super().setUp()
        self.config = self.dir / "config.toml"
        self.config.write_text(
            "[library]\n"
            'contact_persons = [ { name = "Kim Kontakt", email = "kim.kontakt@example.se" },\n'
            '                    { name = "Lo Kontakt", email = "lo.kontakt@example.se" } ]\n')
        self.env["LBIB_CONFIG"] = str(self.config)
        self.init()
        self.borrower = int(self.ok("borrower", "add", "--organisation", "Region Exempel",
                                    "--contact-name", "Kim Låntagare",
                                    "--contact-email", "kim@region.example.se").out)
        self.anna = self.recruit("Anna Annorlunda-Markör", "anna@example.se")
        self.bo = self.recruit("Bo Böök-Markör", "bo@example.se")
        self.cia = self.recruit("Cia Ciss", "cia@example.se")

    def remind(self, today):
        r = self.ok("remind", "--all", "--today", today, "--format", "json")
        return sorted((i["request"], i["kind"]) for i in r.json())

    def request(self, received="2026-01-05", reply_by="2026-01-20"):
        return int(self.ok("request", "new", "--borrower", self.borrower, "--received", received,
                           "--purpose", "Digitala kallelser", "--form", "workshop", "--time", "28 jan",
                           "--digital", "--reply-by", reply_by, "--want", "dementia").out)

    def dispatch(self, req, on):
        out = self.dir / f"out{req}"
        out.mkdir(exist_ok=True)
        # Mailed on `on`, before its reply-by date; composed today, after it: said so.
        eml = self.ok("dispatch", req, "--out", out, "--experts", f"{self.anna},{self.bo},{self.cia}",
                      "--past-reply-by").out.split()[0]
        self.ok("dispatch", req, "--record", eml, "--date", on)

    def summary(self, req, on):
        out = self.dir / f"sum{req}"
        out.mkdir(exist_ok=True)
        for eml in self.ok("followup", "summary", req, "--out", out).out.split():
            self.ok("followup", "summary", req, "--record", eml, "--date", on)

    def loaned(self):
        req = self.request()
        self.ok("request", "premeeting", req, "--date", "2026-01-06", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        self.dispatch(req, "2026-01-07")
        self.ok("loan", req, "--date", "2026-01-28", "--expert", f"{self.anna},{self.bo}")
        return req


class LifeTest(FollowupCase):
    def test_a_loan_walked_day_by_day(self):
        req = self.request()
        self.assertEqual(self.remind("2026-01-11"), [])
        self.assertEqual(self.remind("2026-01-12"), [(req, "pre-meeting")])
        self.ok("request", "premeeting", req, "--date", "2026-01-13", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        self.assertEqual(self.remind("2026-01-13"), [])
        self.assertEqual(self.remind("2026-01-14"), [])
        # Held but never mailed: reminded two days later (dispatch_days).
        self.assertEqual(self.remind("2026-01-15"), [(req, "dispatch")])
        self.dispatch(req, "2026-01-14")
        self.assertEqual(self.remind("2026-01-26"), [])
        self.assertEqual(self.remind("2026-01-27"), [(req, "reply")])
        self.ok("loan", req, "--date", "2026-01-28", "--expert", f"{self.anna},{self.bo}")
        self.assertEqual(self.remind("2026-01-28"), [])
        self.assertEqual(self.remind("2026-02-03"), [])
        self.assertEqual(self.remind("2026-02-04"), [(req, "followup-booking")])
        self.ok("followup", "book", req, "--date", "2026-02-10")
        self.assertEqual(self.remind("2026-02-10"), [])
        self.assertEqual(self.remind("2026-02-11"), [(req, "followup-overdue")])
        self.ok("pay", req, "--expert", self.anna, "--unit", "half-day", "--status", "due", "--date", "2026-01-28")
        self.ok("followup", "record", req, "--date", "2026-02-12", "--satisfaction", "5",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        self.assertEqual(self.show(req)["state"], "followed-up")
        self.assertEqual(self.remind("2026-02-12"), [])
        self.assertEqual(self.remind("2026-02-19"), [(req, "summary")])
        self.assertEqual(self.remind("2026-02-27"), [(req, "payment"), (req, "summary")])
        self.summary(req, "2026-02-20")
        self.assertEqual(self.remind("2026-02-27"), [(req, "payment")])
        # The borrower itself is reminded by mail too (borrower_feedback_days, once).
        self.assertEqual(self.remind("2026-03-14"),
                         [(req, "borrower-feedback"), (req, "feedback"), (req, "payment")])
        self.ok("pay", req, "--expert", self.anna, "--unit", "half-day", "--status", "paid", "--date", "2026-03-01")
        self.assertEqual(self.remind("2026-03-14"), [(req, "borrower-feedback"), (req, "feedback")])
        self.fails(65, "is in the future; the borrower's feedback is recorded once it was given",
                   "followup", "feedback", req, "--date", "2099-01-01")
        self.ok("followup", "feedback", req, "--date", "2026-03-15")
        self.assertEqual(self.remind("2026-03-15"), [])
        self.assertEqual(self.remind("2027-01-01"), [])
        r = self.show(req)
        self.assertEqual(r["state"], "finished")
        self.assertEqual([h["to"] for h in r["history"]][-3:],
                         ["loan-carried-out", "followed-up", "finished"])
        f = r["followup"][0]
        self.assertEqual((f["booked_for"], f["held_on"], f["summary_sent_on"], f["feedback_confirmed_on"]),
                         ("2026-02-10", "2026-02-12", "2026-02-20", "2026-03-15"))
        self.assertEqual(f["satisfaction"], 5)  # the number; people read "5 (mycket nöjd)"
        # Each expert's page shows invitation, participation and feedback.
        history = {h["request"]: h for h in self.ok("expert", "show", self.anna, "--format", "json").json()["requests"]}
        self.assertEqual((history[req]["invited_on"], history[req]["took_part"],
                          history[req]["summary_sent_on"], history[req]["borrower_feedback_on"]),
                         ("2026-01-14", True, "2026-02-20", "2026-03-15"))
        cia = self.ok("expert", "show", self.cia, "--format", "json").json()["requests"][0]
        self.assertEqual((cia["took_part"], cia["summary_sent_on"]), (False, None))

    def test_waits_and_holds(self):
        waiting = self.request()
        self.ok("request", "ask-detail", waiting, "--date", "2026-01-06")
        held = self.request()
        self.ok("request", "hold", held, "--until", "2026-02-01", "--date", "2026-01-06")
        self.assertEqual(self.remind("2026-01-26"), [])
        self.assertEqual(self.remind("2026-01-27"), [(waiting, "detail")])
        self.assertEqual(self.remind("2026-02-01"), [(waiting, "detail"), (held, "hold")])
        self.ok("request", "decline", waiting, "--reason", "no-response", "--date", "2026-02-01")
        self.ok("request", "resume", held, "--date", "2026-02-01")
        self.assertEqual(self.remind("2026-02-01"), [])
        self.assertEqual(self.remind("2026-02-08"), [(held, "pre-meeting")])

    def test_remind_text_names_ids_borrowers_and_dates_only(self):
        req = self.loaned()
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--quantity", "3", "--status", "due",
                "--date", "2026-01-28")
        r = self.ok("remind", "--today", "2026-06-01")
        self.assertIn(f"Förfrågan {req} · Region Exempel", r.out)
        self.assertIn("boka uppföljningsmöte", r.out)
        self.assertIn(f"erfaren {self.anna}", r.out)
        for secret in ("Markör", "anna@example.se", "dementia", "Demens"):
            self.assertNotIn(secret, r.out)
        self.assertEqual(self.ok("remind", "--today", "2026-01-01").out, "", "nothing due prints nothing")

    def test_the_payment_hint_of_remind_works_as_printed_and_keeps_the_travel_costs(self):
        req = self.loaned()
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--quantity", "3", "--travel", "120",
                "--status", "due", "--date", "2026-01-28")
        before = self.ok("report", "payments", "--all", "--format", "json").json()
        items = self.ok("remind", "--all", "--today", "2026-06-01", "--format", "json").json()
        hint = [i["command"] for i in items if i["kind"] == "payment"][0]
        self.assertIn(f"({hint})", self.ok("remind", "--today", "2026-06-01").out)
        command = shlex.split(hint)[1:]
        self.assertEqual(command[:1], ["pay"])
        self.ok(*command)  # exactly as printed
        after = self.ok("report", "payments", "--all", "--format", "json").json()
        self.assertEqual(len(after), 1)
        self.assertEqual(after[0]["status"], "paid")
        for kept in ("unit", "quantity", "travel", "amount"):
            self.assertEqual(after[0][kept], before[0][kept], kept)
        # A new payment still needs its unit, and says so.
        self.fails(64, "--unit is required for a new payment: hour, half-day or full-day",
                   "pay", req, "--expert", self.bo, "--status", "due")


class FollowupRulesTest(FollowupCase):
    def test_refusals_change_nothing(self):
        req = self.request()
        self.fails(65, "has no loan recorded", "followup", "book", req, "--date", "2026-02-01")
        loaned = self.loaned()
        self.fails(65, "before the loan", "followup", "book", loaned, "--date", "2026-01-27")
        base = ["followup", "record", str(loaned), "--date", "2026-02-12", "--new-insights", "yes",
                "--compensation", "paid"]
        self.fails(65, "satisfaction: a number from 1", *base, "--satisfaction", "6", *ANSWERS)
        self.fails(65, "missing: feedback-plan", *base, "--satisfaction", "4", *ANSWERS[:-2])
        self.fails(65, "unknown question 'mood'", *base, "--satisfaction", "4", *ANSWERS,
                   "--answer", "mood=glad")
        self.fails(65, "before the loan", "followup", "record", loaned, "--date", "2026-01-01",
                   "--new-insights", "yes", "--compensation", "paid", "--satisfaction", "4", *ANSWERS)
        self.fails(65, "not recorded yet", "followup", "summary", loaned, "--out", self.dir)
        self.fails(65, "record the follow-up meeting first", "followup", "feedback", loaned, "--date", "2026-02-01")
        self.fails(65, "did not take part", "pay", loaned, "--expert", self.cia, "--unit", "hour", "--status", "due")
        self.fails(65, "before the loan", "pay", loaned, "--expert", self.anna, "--unit", "hour",
                   "--status", "due", "--date", "2026-01-01")
        self.fails(65, "'fortnight' is not accepted", "pay", loaned, "--expert", self.anna, "--unit", "fortnight",
                   "--status", "due")

    def test_summary_needs_participants(self):
        req = self.request()
        self.ok("request", "premeeting", req, "--told-compensation", "--told-two-experts", "--told-feedback",
                "--date", "2026-01-06")
        self.dispatch(req, "2026-01-07")
        self.ok("loan", req, "--date", "2026-01-28", "--external", "6",
                "--fewer-reason", "Uppdragsgivaren rekryterade själv")
        self.ok("followup", "record", req, "--date", "2026-02-12", "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "not-applicable", *ANSWERS)
        self.fails(65, "nobody to send the summary to", "followup", "summary", req, "--out", self.dir)

    def test_payments_use_the_rate_valid_on_the_loan_date(self):
        self.config.write_text(self.config.read_text() +
                               "[compensation]\nrates = [ { valid_from = 2020-01-01, hour = 100, half_day = 400, full_day = 800 },\n"
                               "  { valid_from = 2026-02-01, hour = 200, half_day = 700, full_day = 1400 } ]\n")
        req = self.loaned()  # loan on 2026-01-28: the 2020 rates
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--quantity", "3", "--travel", "120",
                "--status", "due", "--date", "2026-01-28")
        self.ok("pay", req, "--expert", self.bo, "--unit", "full-day", "--status", "declined", "--date", "2026-02-05")
        due = self.ok("report", "payments", "--format", "json").json()
        self.assertEqual(len(due), 1)
        self.assertEqual((due[0]["expert"], due[0]["rate"], due[0]["amount"], due[0]["payer"]),
                         (self.anna, 100, 420, "Region Exempel"))
        everything = self.ok("report", "payments", "--all", "--format", "json").json()
        self.assertEqual({p["expert"]: p["status"] for p in everything}, {self.anna: "due", self.bo: "declined"})


class MailTest(FollowupCase):
    def setUp(self):
        super().setUp()
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def script(self, name, *args, env=None):
        return subprocess.run([str(SCRIPTS / name), *map(str, args)], capture_output=True, text=True,
                              env=env or self.env, stdin=subprocess.DEVNULL, timeout=120)

    def test_a_summary_that_could_not_be_recorded_is_never_sent(self):
        """A follow-up meeting booked for a day still to come cannot be recorded as held, so
        there is no summary to send: it is refused before it is composed, and nobody is
        mailed, however often the script is run."""
        import datetime
        req = self.loaned()
        future = (datetime.date.today() + datetime.timedelta(days=10)).isoformat()
        self.fails(65, "is in the future; a follow-up is recorded once it was held", "followup",
                   "record", req, "--date", future, "--satisfaction", "5", "--new-insights", "yes",
                   "--compensation", "arranged", *ANSWERS)
        self.ok("followup", "book", req, "--date", future)
        for _ in range(2):
            r = self.script("send-followup.sh", req)
            self.assertEqual(r.returncode, 65, r.stderr)
            self.assertIn("the follow-up meeting is not recorded yet", r.stderr)
        self.assertEqual(self.sink.deliveries, [])

    def test_the_summary_goes_only_with_mailing_consent_in_force(self):
        req = self.loaned()
        self.ok("followup", "record", req, "--date", "2026-02-12", "--satisfaction", "5",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        self.ok("expert", "edit", self.bo, "--withdraw", "mailing", "--date", "2026-02-13")
        r = self.script("send-followup.sh", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.received_by("anna@example.se")), 1)
        self.assertEqual(self.sink.received_by("bo@example.se"), [])

    def test_send_followup_reaches_the_participants_only(self):
        req = self.loaned()
        self.ok("followup", "record", req, "--date", "2026-02-12", "--satisfaction", "5",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        r = self.script("send-followup.sh", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.received_by("anna@example.se")), 1)
        self.assertEqual(len(self.sink.received_by("bo@example.se")), 1)
        self.assertEqual(self.sink.received_by("cia@example.se"), [])
        msg = self.sink.deliveries[0].message()
        self.assertEqual(str(msg["Subject"]), "Återkoppling: lånet hos Region Exempel (2026-01-28)")
        body = msg.get_content().replace("\r\n", "\n")
        self.assertIn("Hur gick lånet?\nLivliga diskussioner", body)
        self.assertIn("Uppdragsgivaren kommer också själv att återkoppla", body)
        self.assertNotIn("INTERN-PLAN-MARKER", body, "answers not meant for the summary stay in the register")
        raw = self.sink.deliveries[0].data.decode("ascii")
        self.assertNotIn("anna@example.se", raw)
        self.assertNotIn("bo@example.se", raw)
        # Sent once: a second run finds nobody left.
        r = self.script("send-followup.sh", req)
        self.assertEqual(r.returncode, 65)
        self.assertIn("had the summary already", r.stderr)

    def test_cron_remind_mails_the_contact_persons_only_when_something_is_due(self):
        r = self.script("cron-remind.sh", "--today", "2026-01-01")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        self.assertEqual(self.sink.deliveries, [])
        req = self.loaned()
        r = self.script("cron-remind.sh", "--today", "2026-03-01")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        self.assertEqual(len(self.sink.deliveries), 1)
        d = self.sink.deliveries[0]
        self.assertEqual(sorted(d.rcpt_tos), ["kim.kontakt@example.se", "lo.kontakt@example.se"])
        msg = d.message()
        self.assertEqual(str(msg["Subject"]), "Levande Bibliotek: 1 påminnelser 2026-03-01")
        body = msg.get_content()
        self.assertIn(f"Förfrågan {req} · Region Exempel", body)
        self.assertNotIn("Markör", body)

    def test_cron_reminds_the_borrower_of_its_feedback_once(self):
        req = self.loaned()
        self.ok("followup", "record", req, "--date", "2026-02-12", "--satisfaction", "5",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        self.assertIn((req, "borrower-feedback"), self.remind("2026-03-10"))
        r = self.script("cron-remind.sh", "--today", "2026-03-10")
        self.assertEqual((r.returncode, r.stdout, r.stderr), (0, "", ""))
        letters = self.sink.received_by("kim@region.example.se")
        self.assertEqual([d.rcpt_tos for d in letters], [["kim@region.example.se"]])
        self.assertTrue(str(letters[0].message()["Message-ID"]).startswith(
            f"<lbib.borrower-feedback-reminder-{req}."))
        # The contact persons' digest no longer asks them to remind the borrower.
        digest = self.sink.received_by("kim.kontakt@example.se")
        self.assertEqual(len(digest), 1)
        self.assertNotIn("feedback-reminder", digest[0].message().get_content())
        self.assertNotIn((req, "borrower-feedback"), self.remind("2026-03-10"))
        # Once: the next run mails the borrower nothing.
        r = self.script("cron-remind.sh", "--today", "2026-03-11")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.received_by("kim@region.example.se")), 1)

    def test_cron_runs_never_overlap(self):
        self.loaned()
        # The lock is per register, beside it (LBIB_DB is set here), in the register's folder.
        lock = self.dir / ".register.sqlite.remind-lock"
        with open(lock, "w") as held:
            fcntl.flock(held, fcntl.LOCK_EX)
            r = self.script("cron-remind.sh", "--today", "2026-03-01")
            self.assertEqual(r.returncode, 75)
            self.assertIn("another run holds the lock", r.stderr)
            self.assertEqual(self.sink.deliveries, [], "a second run must not send while the first holds the lock")
        r = self.script("cron-remind.sh", "--today", "2026-03-01")
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.deliveries), 1)

    def test_cron_lock_is_never_in_a_shared_folder(self):
        self.loaned()
        env = {k: v for k, v in self.env.items() if k not in ("LBIB_DB", "XDG_RUNTIME_DIR")}
        env["LBIB_CONFIG"] = str(self.config)
        self.config.write_text(self.config.read_text() + f'[database]\npath = "{self.db}"\n')
        r = self.script("cron-remind.sh", "--today", "2026-03-01", env=env)
        self.assertEqual(r.returncode, 0, r.stderr)
        state = self.dir / ".local" / "state" / "lbib"
        self.assertEqual(oct(state.stat().st_mode & 0o777), "0o700")
        self.assertEqual(len(list(state.glob("remind-*.lock"))), 1)

    @unittest.skipUnless(os.geteuid() == 0, "needs root to make a file of another user")
    def test_cron_lock_held_by_another_user_is_reported(self):
        self.loaned()
        lock = self.dir / ".register.sqlite.remind-lock"
        lock.touch()
        os.chown(lock, 65534, 65534)  # nobody
        r = self.script("cron-remind.sh", "--today", "2026-03-01")
        self.assertEqual(r.returncode, 75)
        self.assertIn("belongs to another user", r.stderr)
        self.assertEqual(self.sink.deliveries, [])
        # A folder others may write is refused too (someone could put the lock there first).
        lock.unlink()
        shared = self.dir / "shared"
        shared.mkdir()
        os.chmod(shared, 0o1777)
        env = dict(self.env, LBIB_DB=str(shared / "register.sqlite"))
        r = self.script("cron-remind.sh", "--today", "2026-03-01", env=env)
        self.assertEqual(r.returncode, 75)
        self.assertIn("can be written by others", r.stderr)

    def test_cron_reports_a_sendmail_failure(self):
        self.loaned()
        r = self.script("cron-remind.sh", "--today", "2026-03-01", env=dict(self.env, SENDMAIL="/bin/false"))
        self.assertEqual(r.returncode, 69)
        self.assertIn("were not sent", r.stderr)

    def test_remind_mail_needs_contact_persons(self):
        self.config.write_text("")
        self.loaned()
        self.fails(78, "contact_persons is empty", "remind", "--mail", "--today", "2026-03-01")


if __name__ == "__main__":
    unittest.main()

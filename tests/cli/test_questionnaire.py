# SPDX-License-Identifier: MIT
"""The other side of a loan (issue #15): the experts' own questionnaire by individual mail, its
answers and its single reminder, and the mail to the borrower (conditions, feedback reminder,
summary, survey), sent with real msmtp to a local SMTP server."""
import re
import subprocess
import unittest

import browser
from lbibtest import LBIB
from mailsink import MailSink
from test_pages import A4, Pdf
from test_followup import ANSWERS, LIBRARY, SCRIPTS, FollowupCase

BORROWER = "kim@region.example.se"


class QuestionnaireCase(FollowupCase):
    def setUp(self):
        super().setUp()
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def script(self, name, *args):
        return subprocess.run([str(SCRIPTS / name), *map(str, args)], capture_output=True,
                              text=True, env=self.env, stdin=subprocess.DEVNULL, timeout=120)

    def assert_individual(self, deliveries, addresses):
        """Each delivery went to exactly one of `addresses`, To it alone, with nobody in Bcc
        and no other address anywhere in the message."""
        self.assertEqual(sorted(d.rcpt_tos[0] for d in deliveries), sorted(addresses))
        for d in deliveries:
            self.assertEqual(len(d.rcpt_tos), 1, d.rcpt_tos)
            msg = d.message()
            self.assertEqual(str(msg["To"]), d.rcpt_tos[0])
            self.assertIsNone(msg["Bcc"])
            raw = d.data.decode("ascii")
            for other in {"anna@example.se", "bo@example.se", "cia@example.se", BORROWER} - {d.rcpt_tos[0]}:
                self.assertNotIn(other, raw)

    def record_followup(self, req):
        self.ok("followup", "record", req, "--date", "2026-02-12", "--satisfaction", "5",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)

    def questionnaires(self, req):
        return self.ok("followup", "expert", req, "--format", "json").json()

    def report(self):
        rows = self.ok("report", "followups", "--format", "json").json()
        return {r["measure"]: r["count"] for r in rows}


class ExpertQuestionnaireTest(QuestionnaireCase):
    def test_each_participant_gets_their_own_message_recorded_once(self):
        req = self.loaned()
        r = self.script("send-questionnaire.sh", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_individual(self.sink.deliveries, ["anna@example.se", "bo@example.se"])
        msg = self.sink.deliveries[0].message()
        self.assertTrue(str(msg["Message-ID"]).startswith(f"<lbib.questionnaire-{req}."), msg["Message-ID"])
        self.assertEqual(str(msg["Subject"]),
                         "Hur gick det? Frågor om uppdraget hos Region Exempel (2026-01-28)")
        body = msg.get_content().replace("\r\n", "\n")
        for question in ("1. Hur upplevde du uppdraget?", "2. Kände du dig lyssnad på?",
                         "3. Vill du ha återkoppling", "4. Har du fått din ersättning?"):
            self.assertIn(question, body)
        sent = {row["expert"]: row["sent_on"] for row in self.questionnaires(req)}
        self.assertEqual(set(sent), {self.anna, self.bo})
        self.assertTrue(all(sent.values()))
        # Sent once: a second run finds nobody left and mails nobody.
        r = self.script("send-questionnaire.sh", req)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("has had the questionnaire already", r.stderr)
        self.assertEqual(len(self.sink.deliveries), 2)
        self.assertEqual(self.report()["questionnaires_sent"], 2)

    def test_a_message_is_recorded_once_and_never_before_the_loan(self):
        req = self.loaned()
        out = self.dir / "q"
        out.mkdir()
        emls = self.ok("followup", "questionnaire", req, "--out", out).out.split()
        self.assertEqual(len(emls), 2)
        self.fails(65, "the questionnaire goes to the experts after the loan", "followup",
                   "questionnaire", req, "--record", emls[0], "--date", "2026-01-27")
        self.assertIn("recorded: the questionnaire sent to 1 expert",
                      self.ok("followup", "questionnaire", req, "--record", emls[0], "--date",
                              "2026-02-01").out)
        self.assertIn("already recorded",
                      self.ok("followup", "questionnaire", req, "--record", emls[0]).out)
        self.fails(65, "is a questionnaire message, not a questionnaire-reminder message",
                   "followup", "questionnaire-reminder", req, "--record", emls[1])

    def test_answers_are_recorded_per_question_and_the_reminder_comes_once(self):
        req = self.loaned()
        out = self.dir / "q"
        out.mkdir()
        for eml in self.ok("followup", "questionnaire", req, "--out", out).out.split():
            self.ok("followup", "questionnaire", req, "--record", eml, "--date", "2026-02-01")
        answer = ["followup", "expert", req, "--expert", self.anna, "--date", "2026-02-03"]
        self.fails(65, "'hur' is not a question of followup.expert_questions", *answer,
                   "--answer", "hur=Bra")
        self.fails(65, f"expert {self.cia} did not take part", "followup", "expert", req,
                   "--expert", self.cia, "--answer", "how-it-went=Bra")
        self.fails(65, "is in the future", "followup", "expert", req, "--expert", self.anna,
                   "--answer", "how-it-went=Bra", "--date", "2099-01-01")
        self.fails(64, "--answer needs --expert", "followup", "expert", req, "--answer",
                   "how-it-went=Bra")
        self.ok(*answer, "--answer", "how-it-went=Lärorikt\nANNA-SVAR", "--answer", "listened-to=Ja")
        self.fails(65, "answered 'listened-to'", *answer, "--answer", "listened-to=Nej")
        rows = [r for r in self.questionnaires(req) if r["expert"] == self.anna]
        self.assertEqual({r["question"]: r["answer"] for r in rows},
                         {"how-it-went": "Lärorikt\nANNA-SVAR", "listened-to": "Ja"})
        # The hand-over carries the questionnaires and their answers (line breaks and all).
        export = self.dir / "all.json"
        self.ok("export", "--all", "--out", export)
        new = self.dir / "new.sqlite"
        self.ok("--db", new, "import", export, db=False)
        self.assertEqual(self.ok("--db", new, "followup", "expert", req, "--format", "json",
                                 db=False).json(), self.questionnaires(req))

        def due(today):
            return [i for i in self.remind(today) if i[1] == "questionnaire"]
        self.assertEqual(due("2026-02-14"), [])
        self.assertEqual(due("2026-02-15"), [(req, "questionnaire")])
        # The reminder goes to Bo alone (Anna answered), once.
        r = self.script("send-questionnaire.sh", "--reminder", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_individual(self.sink.deliveries, ["bo@example.se"])
        msg = self.sink.deliveries[0].message()
        self.assertTrue(str(msg["Message-ID"]).startswith(f"<lbib.questionnaire-reminder-{req}."))
        self.assertIn("Vi påminner bara den här gången", msg.get_content())
        self.assertEqual(due("2026-02-15"), [])
        self.assertEqual(due("2027-12-31"), [])
        r = self.script("send-questionnaire.sh", "--reminder", req)
        self.assertEqual(r.returncode, 65)
        self.assertIn("no questionnaire to remind", r.stderr)
        self.assertEqual(len(self.sink.deliveries), 1)
        measures = self.report()
        self.assertEqual((measures["questionnaires_sent"], measures["questionnaires_reminded"],
                          measures["questionnaires_answered"]), (2, 1, 1))
        # The expert's own export holds their answers; erasure takes them away.
        export = self.ok("expert", "export", self.anna).json()
        self.assertEqual({a["question"] for a in export["questionnaire_answers"]},
                         {"how-it-went", "listened-to"})
        self.assertEqual(export["questionnaires"][0]["sent_on"], "2026-02-01")
        self.ok("expert", "erase", self.anna, "--yes", "--date", "2026-04-01")
        self.assertNotIn("ANNA-SVAR", self.db.read_bytes().decode("latin-1"))
        self.assertEqual([r for r in self.questionnaires(req) if r["answer"]], [])


class BorrowerMailTest(QuestionnaireCase):
    def test_the_borrower_is_told_the_conditions_in_writing_after_the_pre_meeting(self):
        req = self.request()
        r = self.script("send-borrower.sh", "conditions", req)
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("after the pre-meeting", r.stderr)
        self.ok("request", "premeeting", req, "--date", "2026-01-06", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        r = self.script("send-borrower.sh", "conditions", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_individual(self.sink.deliveries, [BORROWER])
        msg = self.sink.deliveries[0].message()
        self.assertTrue(str(msg["Message-ID"]).startswith(f"<lbib.borrower-conditions-{req}."))
        body = msg.get_content().replace("\r\n", "\n")
        for text in ("Hej Kim Låntagare!", "Syfte: Digitala kallelser",
                     "1. Ersättning: Ersättning betalas av uppdragsgivaren enligt regionens riktlinjer",
                     "150 SEK per timme", "2. Minst 2 erfarna", "3. Återkoppling"):
            self.assertIn(text, body)
        r = self.script("send-borrower.sh", "conditions", req)
        self.assertEqual(r.returncode, 65)
        self.assertIn("sent this mail on", r.stderr)
        self.assertEqual(len(self.sink.deliveries), 1)
        r = self.script("send-borrower.sh", "thanks", req)
        self.assertEqual(r.returncode, 64)

    def test_summary_feedback_reminder_and_survey(self):
        req = self.loaned()
        r = self.script("send-borrower.sh", "summary", req)
        self.assertEqual(r.returncode, 65)
        self.record_followup(req)
        r = self.script("send-borrower.sh", "summary", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assert_individual(self.sink.deliveries, [BORROWER])
        body = self.sink.deliveries[0].message().get_content().replace("\r\n", "\n")
        self.assertIn("Hur gick lånet?\nLivliga diskussioner", body)
        self.assertNotIn("INTERN-PLAN-MARKER", body)

        def due(today):
            return [i for i in self.remind(today) if i[1] == "borrower-feedback"]
        self.assertEqual(due("2026-03-04"), [])
        self.assertEqual(due("2026-03-05"), [(req, "borrower-feedback")])
        r = self.script("send-borrower.sh", "--yes", "feedback-reminder", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.received_by(BORROWER)), 2)
        self.assertIn("återkoppling till de erfarna",
                      str(self.sink.deliveries[1].message()["Subject"]))
        self.assertEqual(due("2026-03-05"), [])
        self.assertEqual(due("2027-01-01"), [])
        # The survey waits until the loan is finished.
        r = self.script("send-borrower.sh", "survey", req)
        self.assertEqual(r.returncode, 65)
        self.assertIn("once the loan is finished", r.stderr)
        self.summary(req, "2026-02-20")
        self.ok("followup", "feedback", req, "--date", "2026-03-15")
        r = self.script("send-borrower.sh", "feedback-reminder", req)
        self.assertEqual(r.returncode, 65)
        r = self.script("send-borrower.sh", "survey", req)
        self.assertEqual(r.returncode, 0, r.stderr)
        body = self.sink.deliveries[-1].message().get_content()
        self.assertIn("Skulle ni låna erfarna igen?", body)
        self.assertEqual(len(self.sink.received_by(BORROWER)), 3)
        self.fails(65, "'maybe' is not a question of followup.borrower_questions",
                   "followup", "borrower-survey", req, "--answer", "maybe=Ja")
        self.ok("followup", "borrower-survey", req, "--date", "2026-03-20", "--answer",
                "again=Ja, gärna ZQXSURVEY")
        self.assertEqual(self.report()["borrower_surveys_answered"], 1)

        # The borrower's own export holds its answers and the mail it was sent (art. 15) ...
        doc = self.ok("borrower", "export", self.borrower).json()
        self.assertEqual([(a["request_id"], a["question"], a["answer"])
                          for a in doc["loan_survey_answers"]],
                         [(req, "again", "Ja, gärna ZQXSURVEY")])
        self.assertEqual(sorted(m["kind"] for m in doc["mails"]),
                         ["feedback-reminder", "summary", "survey"])
        # ... and its erasure takes the text; that the survey was answered stays counted.
        self.ok("borrower", "erase", self.borrower, "--yes", "--date", "2026-04-01")
        self.ok("gdpr", "compact")
        raw = b"".join(p.read_bytes() for p in self.dir.iterdir()
                       if p.name.startswith(self.db.name))
        self.assertNotIn(b"ZQXSURVEY", raw)
        self.assertEqual(self.report()["borrower_surveys_answered"], 1)


class ClaimTest(QuestionnaireCase):
    def test_the_claim_page_prints_on_a4_with_rate_units_travel_payer_and_tax(self):
        req = self.loaned()
        self.fails(65, f"no compensation is recorded for expert {self.anna}", "pay", "claim", req,
                   "--expert", self.anna)
        self.ok("pay", req, "--expert", self.anna, "--unit", "half-day", "--quantity", "2",
                "--travel", "120", "--status", "due", "--date", "2026-01-28")
        claim = self.dir / "claim.html"
        self.ok("pay", "claim", req, "--expert", self.anna, "--out", claim)
        self.assertEqual(claim.stat().st_mode & 0o777, 0o600)
        self.fails(73, "claim.html", "pay", "claim", req, "--expert", self.anna, "--out", claim)
        self.fails(64, "html or md", "pay", "claim", req, "--expert", self.anna, "--format", "csv")
        if not browser.CHROMIUM:
            self.skipTest("the page itself needs Debian's chromium (scripts/install-deps.sh)")
        with browser.Browser(self.dir) as b:
            page = b.new_page()
            page.open(claim)
            if browser.AXE.exists():
                self.assertEqual(page.axe(), [])
            pdf_path = self.dir / "claim.pdf"
            pdf_path.write_bytes(page.pdf())
        pdf = Pdf(pdf_path)
        self.assertEqual(len(pdf.pages), 1)
        self.assertAlmostEqual(pdf.pages[0][0], A4[0], delta=1)
        self.assertAlmostEqual(pdf.pages[0][1], A4[1], delta=1)
        text = " ".join(pdf.text[0].split())
        for part in ("ersättningsunderlag, förfrågan", "Anna Annorlunda-Markör", "500 SEK per halvdag",
                     "2 × halvdag", "120 SEK", "1120 SEK", "Region Exempel", "2026-01-28",
                     "Skatteverket", "Försäkringskassan", "Sida 1 av 1"):
            self.assertIn(part, text)
        # The payments per payer, for invoicing.
        self.ok("pay", req, "--expert", self.bo, "--unit", "hour", "--quantity", "3", "--payer",
                "Kommunen Exempel", "--status", "paid", "--date", "2026-02-01")
        self.assertEqual(self.ok("report", "payments", "--by", "payer", "--all", "--format", "json").json(),
                         [{"payer": "Kommunen Exempel", "payments": 1, "amount": 450, "due_amount": 0,
                           "paid_amount": 450},
                          {"payer": "Region Exempel", "payments": 1, "amount": 1120, "due_amount": 1120,
                           "paid_amount": 0}])
        self.assertEqual([r["payer"] for r in self.ok("report", "payments", "--by", "payer",
                                                     "--format", "json").json()], ["Region Exempel"])
        self.fails(64, "--by: 'expert' is not accepted", "report", "payments", "--by", "expert")


if __name__ == "__main__":
    unittest.main()

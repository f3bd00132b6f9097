# SPDX-License-Identifier: MIT
"""The last corrections of issue #14, each on the real binary: the borrower's feedback confirmed
by mistake undone (and reminded of again), an expert's answer undone back to not answered
(never a yes a loan rests on), and no erasure dated in the future. Each correction is in the
request's history and audited by field names only; each refusal is one error line, a
documented exit code and the register unchanged."""
import unittest

from test_week import ANSWERS, WeekCase, day


class FeedbackUndoTest(WeekCase):
    def summarised(self):
        req = self.followed_up([self.anna])
        out = self.dir / f"summary{req}"
        out.mkdir()
        eml = self.ok("followup", "summary", req, "--out", out).out.split()[0]
        self.ok("followup", "summary", req, "--record", eml, "--date", day(-3))
        return req

    def finished(self):
        """The follow-up report's feedback confirmed and loans finished."""
        report = self.ok("report", "followups", "--from", day(-400), "--format", "json")
        rows = {r["measure"]: r["count"] for r in report.json()}
        return rows["feedback_confirmed"], rows["finished"]

    def test_feedback_recorded_by_mistake_is_undone_and_reminded_of_again(self):
        req = self.summarised()
        self.assertIn("feedback", self.kinds_of(req))
        self.fails(65, "has no borrower's feedback recorded", "followup", "feedback", "undo", req,
                   "--reason", "Fel")
        self.ok("followup", "feedback", req, "--date", day(-2))
        self.assertEqual(self.show(req)["state"], "finished")
        self.assertNotIn("feedback", self.kinds_of(req))
        self.assertEqual(self.finished(), (1, 1))
        self.fails(64, "--reason", "followup", "feedback", "undo", req)
        self.fails(64, "--reason", "followup", "feedback", "undo", req, "--reason", "  ")
        self.fails(66, "999", "followup", "feedback", "undo", 999, "--reason", "Fel")
        self.ok("followup", "feedback", "undo", req, "--reason", "Kim har inte skrivit än")
        r = self.show(req)
        self.assertEqual((r["state"], r["followup"][0]["feedback_confirmed_on"]),
                         ("followed-up", None))
        self.assertEqual(r["followup"][0]["held_on"], day(-30), "the meeting stays")
        self.assertEqual((r["history"][-1]["from"], r["history"][-1]["to"],
                          r["history"][-1]["correction"], r["history"][-1]["note"]),
                         ("finished", "followed-up", "feedback_confirmed_on",
                          "Kim har inte skrivit än"))
        log = self.ok("log", "--entity", "request", "--id", req, "--format", "json").json()
        self.assertEqual((log[-1]["action"], log[-1]["detail"]),
                         ("feedback-undo", "feedback_confirmed_on"))
        self.assertNotIn("Kim", self.ok("log", "--format", "json").out, "no values audited")
        # The report reads the corrected facts: followed up, not confirmed, not finished.
        self.assertEqual(self.finished(), (0, 0))
        # Reminded of again, by remind and by today.
        self.assertIn("feedback", self.kinds_of(req))
        overdue = self.ok("today", "--format", "json").json()["overdue"]
        self.assertIn((req, "feedback"), [(o["request"], o["kind"]) for o in overdue])
        self.fails(65, "has no borrower's feedback recorded", "followup", "feedback", "undo", req,
                   "--reason", "igen")
        # Confirmed again; once the survey went to the borrower, the feedback stays.
        self.ok("followup", "feedback", req, "--date", day(0))
        self.assertEqual(self.show(req)["state"], "finished")
        out = self.dir / "survey"
        out.mkdir()
        eml = self.ok("followup", "borrower", "survey", req, "--out", out).out.split()[0]
        self.ok("followup", "borrower", "survey", req, "--record", eml)
        self.fails(65, "the survey was mailed to the borrower", "followup", "feedback", "undo",
                   req, "--reason", "Fel")

    def test_feedback_before_the_summary_is_undone_without_a_change_of_state(self):
        req = self.followed_up([self.anna])
        self.ok("followup", "feedback", req, "--date", day(-2))
        self.assertEqual(self.show(req)["state"], "followed-up")
        self.ok("followup", "feedback", "undo", req, "--reason", "Fel förfrågan")
        r = self.show(req)
        self.assertEqual((r["state"], r["history"][-1]["from"], r["history"][-1]["to"]),
                         ("followed-up", "followed-up", "followed-up"))
        self.assertIsNone(r["followup"][0]["feedback_confirmed_on"])

    def test_recording_feedback_still_needs_the_request_and_the_day(self):
        req = self.followed_up([self.anna])
        self.fails(64, "--date", "followup", "feedback", req)
        self.fails(64, "REQ", "followup", "feedback", "--date", day(0))
        self.ok("followup", "feedback", req, "--date", day(0))


class AnswerUndoTest(WeekCase):
    def setUp(self):
        super().setUp()
        self.cia = self.person("Cia Ciss", "--email", "cia@example.se")
        self.req = self.dispatched([self.anna, self.bo, self.cia])

    def answer(self, expert, word):
        self.ok("answer", self.req, word, "--expert", expert, "--date", day(-57))

    def test_an_answer_recorded_by_mistake_is_undone(self):
        self.answer(self.anna, "yes")
        self.answer(self.cia, "no")
        self.assertEqual(self.show(self.req)["declined"], 1)
        out = self.ok("answer", "undo", self.req, "--expert", self.cia,
                      "--reason", "Svaret gällde en annan förfrågan").out
        self.assertIn("not answered 2", out)
        r = self.show(self.req)
        self.assertEqual((r["said_yes"], r["declined"], r["not_answered"]), (1, 0, 2))
        answers = {i["expert"]: i["answer"] for i in r["invitations"]}
        self.assertEqual((answers[self.anna], answers[self.cia]), ("yes", None))
        self.assertEqual((r["history"][-1]["correction"], r["history"][-1]["to"]),
                         (f"expert {self.cia}: answer", "dispatched"))
        log = self.ok("log", "--entity", "request", "--id", self.req, "--format", "json").json()
        self.assertEqual((log[-1]["action"], log[-1]["detail"]),
                         ("answer-undo", f"expert {self.cia}: answer"))
        # Nothing left to undo; answered again as usual.
        self.fails(65, "has no answer recorded", "answer", "undo", self.req, "--expert",
                   self.cia, "--reason", "igen")
        self.answer(self.cia, "yes")
        self.assertEqual(self.show(self.req)["said_yes"], 2)

    def test_refusals(self):
        self.answer(self.anna, "yes")
        self.fails(64, "--reason", "answer", "undo", self.req, "--expert", self.anna)
        self.fails(64, "--expert", "answer", "undo", self.req, "--reason", "Fel")
        self.fails(66, "999", "answer", "undo", self.req, "--expert", 999, "--reason", "Fel")
        self.fails(66, "999", "answer", "undo", 999, "--expert", self.anna, "--reason", "Fel")
        self.fails(65, "has no answer recorded", "answer", "undo", self.req, "--expert", self.bo,
                   "--reason", "Fel")
        # Recording an answer still needs all it needed.
        self.fails(64, "ANSWER", "answer", self.req, "--expert", self.bo)
        self.fails(64, "--expert", "answer", self.req, "yes")

    def test_a_yes_a_loan_rests_on_stays(self):
        self.answer(self.anna, "yes")
        self.answer(self.bo, "yes")
        self.answer(self.cia, "no")
        self.ok("loan", self.req, "--date", day(-40), "--expert", self.anna, "--no-show", self.bo,
                "--fewer-reason", "Bara en kom")
        self.fails(65, f"expert {self.anna} took part in the loan", "answer", "undo", self.req,
                   "--expert", self.anna, "--reason", "Fel")
        self.fails(65, f"expert {self.bo} is recorded as a no-show", "answer", "undo", self.req,
                   "--expert", self.bo, "--reason", "Fel")
        # A no that no loan rests on is undone after the loan too.
        self.ok("answer", "undo", self.req, "--expert", self.cia, "--reason", "Fel")
        # Once the loan says bo was no no-show, the yes can go.
        self.ok("loan", "correct", self.req, "--no-no-shows", "--reason", "Bo anmälde sig aldrig")
        self.ok("answer", "undo", self.req, "--expert", self.bo, "--reason", "Fel")
        self.assertEqual(self.show(self.req)["said_yes"], 1)


class FutureErasureTest(WeekCase):
    def test_erasure_is_not_dated_in_the_future(self):
        for args in (["expert", "erase", self.anna, "--yes"],
                     ["expert", "erase", self.anna, "--dry-run"],
                     ["borrower", "erase", self.borrower, "--yes"]):
            self.fails(65, f"{day(1)} is in the future", *args, "--date", day(1))
        self.ok("expert", "erase", self.anna, "--yes", "--date", day(0))
        self.ok("borrower", "erase", self.borrower, "--yes", "--date", day(-1))
        self.assertEqual(self.ok("expert", "show", self.bo, "--format", "json").json()["id"],
                         self.bo)


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""People without e-mail (issue #14): recruited with a telephone number, put on a call list
beside a dispatch's messages instead of in a Bcc, a call recorded like a mail, and skipped by
the summary with a note naming whom to call."""
import datetime
import os
import stat
import subprocess
import unittest
from pathlib import Path

from lbibtest import LBIB, SOURCE_DIR, LbibTestCase
from mailsink import MailSink
from test_lending import LIBRARY, SEND_REQUEST


class CallCase(LbibTestCase):
    """Three relatives of people with dementia: two with e-mail, one reached by telephone."""

    def setUp(self):
        super().setUp()
        self.init()
        self.borrower = int(self.ok(
            "borrower", "add", "--organisation", "Region Exempel", "--contact-name", "Kim Låntagare",
            "--contact-email", "kim@region.example.se").out)
        self.anna = self.recruit("Anna Äldre", "anna@example.se", experiences=("relative:dementia",))
        self.bo = self.recruit("Bo Björk", "bo@example.se", experiences=("relative:dementia",))
        self.tor = self.phone_only("Tor Telefon", "070-111 22 33")
        self.cia = self.recruit("Cia Cancer", "cia@example.se", experiences=("patient:cancer-care",))

    def phone_only(self, name, phone, *extra, experiences=("relative:dementia",)):
        args = ["recruit", "--name", name, "--phone", phone, "--channel", "personal-contact",
                "--consent", "register,mailing", "--interviewed", "2026-01-15", *extra]
        for x in experiences:
            args += ["--experience", x]
        return int(self.ok(*args).out)

    def ready(self):
        req = int(self.ok(
            "request", "new", "--borrower", self.borrower, "--received", "2026-10-01",
            "--purpose", "Utveckling av digitala kallelser", "--form", "focus-group",
            "--time", "2026-12-01 kl. 13–16", "--digital",
            # Composed today: a reply-by date to come (a passed one is refused).
            "--reply-by", (datetime.date.today() + datetime.timedelta(days=30)).isoformat(),
            "--want", "relative:dementia").out)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        return req

    def show(self, req):
        return self.ok("request", "show", req, "--format", "json").json()


class RecruitWithoutEmailTest(CallCase):
    def test_a_person_without_email_is_kept_with_their_telephone(self):
        e = self.ok("expert", "show", self.tor, "--format", "json").json()
        self.assertIsNone(e["email"])
        self.assertEqual(e["phone"], "070-111 22 33")
        # Listed among the matches, with no address.
        rows = self.ok("match", self.ready(), "--format", "json").json()
        self.assertIn(self.tor, [r["expert"] for r in rows])

    def test_a_person_needs_an_email_or_a_telephone(self):
        self.fails(64, "--email (or --phone or --address) is required", "recruit", "--name", "Ingen Alls",
                   "--channel", "personal-contact", "--consent", "register,mailing",
                   input="")
        # Removing the only way to reach someone is refused too.
        self.fails(65, "give --email, --phone or --address", "expert", "edit", self.tor, "--phone", "")

    def test_the_same_telephone_is_a_duplicate(self):
        r = self.fails(65, f"expert {self.tor}", "recruit", "--name", "Tor Igen",
                       "--phone", "0701112233", "--channel", "personal-contact",
                       "--consent", "register,mailing", "--interviewed", "2026-01-15")
        self.assertIn("allow-duplicate", r.err)


class CallListTest(CallCase):
    def test_dispatch_writes_messages_for_some_and_a_call_list_for_the_others(self):
        req = self.ready()
        out = self.dir / "out"
        out.mkdir()
        r = self.run_lbib("dispatch", req, "--out", out, "--preview")
        self.assertEqual(r.code, 0, r.err)
        paths = [Path(p) for p in r.out.splitlines()]
        emls = [p for p in paths if p.suffix == ".eml"]
        lists = [p for p in paths if p.suffix != ".eml"]
        self.assertEqual(len(emls), 1)
        self.assertEqual(len(lists), 1)
        self.assertTrue(lists[0].name.endswith("-calls.txt"), lists[0])
        self.assertEqual(stat.S_IMODE(lists[0].stat().st_mode), 0o600)
        message = emls[0].read_text()
        self.assertIn("anna@example.se", message)
        self.assertNotIn("Tor Telefon", message)
        self.assertNotIn("070-111", message)
        manifest = emls[0].with_suffix(".json").read_text()
        self.assertNotIn(f"{self.tor}]", manifest.replace(" ", "").replace("\n", ""))
        calls = lists[0].read_text()
        self.assertIn(f"{self.tor}\tTor Telefon\t070-111 22 33\n", calls)
        self.assertNotIn("Anna", calls)
        self.assertIn("Utveckling av digitala kallelser", calls)  # what to tell them
        self.assertIn(f"lbib dispatch {req} --called {self.tor}", calls)
        self.assertIn("Tor Telefon", r.err, "--preview shows the call list")
        # Composing records nothing.
        self.assertEqual(self.show(req)["invitations"], [])

    def test_only_people_without_email_left_gives_only_a_call_list(self):
        req = self.ready()
        out = self.dir / "out"
        out.mkdir()
        r = self.ok("dispatch", req, "--out", out, "--experts", self.tor)
        paths = r.out.splitlines()
        self.assertEqual(len(paths), 1)
        self.assertTrue(paths[0].endswith("-calls.txt"))

    def test_a_call_is_recorded_like_a_mail(self):
        req = self.ready()
        self.assertEqual(self.ok("dispatch", req, "--called", self.tor, "--date", "2026-10-06").out,
                         f"recorded: 1 expert called about request {req}\n")
        s = self.show(req)
        self.assertEqual(s["state"], "dispatched")
        self.assertEqual([(i["expert"], i["sent_on"], i["channel"]) for i in s["invitations"]],
                         [(self.tor, "2026-10-06", "phone")])
        # Counted as invited like a mail: in the request list and Table 1.
        rows = self.ok("request", "list", "--format", "json").json()
        self.assertEqual(rows[0]["invited"], 1)
        # The next dispatch goes to the others only.
        out = self.dir / "out"
        out.mkdir()
        r = self.ok("dispatch", req, "--out", out)
        self.assertEqual([Path(p).suffix for p in r.out.splitlines()], [".eml"])

    def test_refused_calls_leave_the_register_unchanged(self):
        req = self.ready()
        self.fails(65, f"expert {self.cia} does not match request {req}",
                   "dispatch", req, "--called", self.cia)
        self.fails(65, "is in the future", "dispatch", req, "--called", self.tor,
                   "--date", (datetime.date.today() + datetime.timedelta(days=2)).isoformat())
        self.fails(65, "is before the pre-meeting", "dispatch", req, "--called", self.tor,
                   "--date", "2026-10-04")
        self.ok("dispatch", req, "--called", self.tor, "--date", "2026-10-06")
        self.fails(65, f"expert {self.tor} already received request {req}",
                   "dispatch", req, "--called", f"{self.anna},{self.tor}")
        self.assertEqual([i["expert"] for i in self.show(req)["invitations"]], [self.tor])
        self.fails(66, "no expert with id 99", "dispatch", req, "--called", "99")
        self.fails(64, "cannot be given together with", "dispatch", req, "--called", self.anna, "--out", self.dir)

    def test_a_call_can_be_undone_like_a_mail(self):
        req = self.ready()
        self.ok("dispatch", req, "--called", self.tor, "--date", "2026-10-06")
        self.ok("dispatch", "undo", req, "--reason", "Ringde fel person")
        s = self.show(req)
        self.assertEqual((s["state"], s["invitations"]), ("pre-meeting-held", []))


class SendRequestTest(CallCase):
    """send-request.sh --yes through real msmtp: mail only to e-mail addresses."""

    def setUp(self):
        super().setUp()
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)
        self.env.pop("SENDMAIL", None)

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def test_only_email_addresses_are_mailed_and_the_call_list_is_shown(self):
        req = self.ready()
        r = subprocess.run([str(SEND_REQUEST), "--yes", str(req)], capture_output=True, text=True,
                           env=self.env, stdin=subprocess.DEVNULL, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.deliveries), 1, "one message, and no call list mailed")
        recipients = sorted(self.sink.deliveries[0].rcpt_tos)
        self.assertEqual(recipients, sorted([LIBRARY, "anna@example.se", "bo@example.se"]))
        self.assertIn(f"{self.tor}\tTor Telefon\t070-111 22 33", r.stdout)
        self.assertIn(f"--called {self.tor}", r.stdout)
        s = self.show(req)
        self.assertEqual(sorted((i["expert"], i["channel"]) for i in s["invitations"]),
                         [(self.anna, "mail"), (self.bo, "mail")])
        # The call, recorded afterwards, completes the invitations.
        self.ok("dispatch", req, "--called", self.tor)
        self.assertEqual(len(self.show(req)["invitations"]), 3)


class SummaryTest(CallCase):
    def test_the_summary_skips_people_without_email_and_names_them(self):
        req = self.ready()
        self.ok("dispatch", req, "--called", self.tor, "--date", "2026-10-06")
        out = self.dir / "out"
        out.mkdir()
        eml = [p for p in self.ok("dispatch", req, "--out", out).out.splitlines()][0]
        self.ok("dispatch", req, "--record", eml, "--date", "2026-10-07")
        self.ok("loan", req, "--date", "2026-10-20", "--expert", f"{self.anna},{self.tor}")
        self.ok("followup", "book", req, "--date", "2026-10-25")
        self.ok("followup", "record", req, "--date", "2026-10-25", "--satisfaction", "5",
                "--new-insights", "yes", "--compensation", "arranged",
                "--answer", "how-it-went=Livliga diskussioner", "--answer", "contribution=Bra",
                "--answer", "insights=Nya", "--answer", "use-of-results=I förstudien",
                "--answer", "feedback-plan=Plan")
        out2 = self.dir / "out2"
        out2.mkdir()
        r = self.run_lbib("followup", "summary", req, "--out", out2)
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.err, f"lbib: note: without e-mail, not in this mailing; tell them by "
                                f"telephone: experts {self.tor}\n")
        self.assertNotIn("Tor", r.err.replace(f"{self.tor}", ""))
        message = Path(r.out.splitlines()[0]).read_text()
        self.assertIn("anna@example.se", message)


class AnswerTest(CallCase):
    """Answers to a request (issue #15): recorded per invited expert, counted in request show and
    match, and a reminder when the reply-by date nears with fewer yes than wanted."""

    def dispatched(self, reply_by):
        req = int(self.ok(
            "request", "new", "--borrower", self.borrower, "--received", "2026-10-01",
            "--purpose", "Digitala kallelser", "--form", "focus-group", "--time", "28 jan",
            "--digital", "--reply-by", reply_by, "--want", "relative:dementia").out)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        self.ok("dispatch", req, "--called", f"{self.anna},{self.tor}", "--date", "2026-10-06")
        return req

    def test_answers_are_recorded_and_counted(self):
        req = self.dispatched("2026-11-20")
        self.assertEqual(self.ok("answer", req, "yes", "--expert", self.anna, "--date", "2026-10-07").out,
                         f"request {req}: wanted 2, said yes 1, declined 0, not answered 1\n")
        self.ok("answer", req, "no", "--expert", self.tor, "--date", "2026-10-08", "--channel", "phone")
        s = self.show(req)
        self.assertEqual((s["experts_wanted"], s["said_yes"], s["declined"], s["not_answered"]),
                         (2, 1, 1, 0))
        self.assertEqual({i["expert"]: i["answer"] for i in s["invitations"]},
                         {self.anna: "yes", self.tor: "no"})
        r = self.run_lbib("match", req, "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn(f"lbib: note: request {req}: wanted 2, said yes 1, declined 1, not answered 0",
                      r.err)
        # A change of mind replaces the answer.
        self.ok("answer", req, "yes", "--expert", self.tor, "--date", "2026-10-09", "--channel", "borrower")
        self.assertEqual(self.show(req)["said_yes"], 2)

    def test_refused_answers_leave_the_register_unchanged(self):
        req = self.dispatched("2026-11-20")
        self.fails(65, f"expert {self.bo} was not invited to request {req}",
                   "answer", req, "yes", "--expert", self.bo)
        self.fails(65, "is before the expert was invited", "answer", req, "yes",
                   "--expert", self.anna, "--date", "2026-10-01")
        self.fails(65, "is in the future", "answer", req, "yes", "--expert", self.anna,
                   "--date", (datetime.date.today() + datetime.timedelta(days=1)).isoformat())
        self.fails(64, "use yes or no", "answer", req, "maybe", "--expert", self.anna)
        self.fails(65, "use one of: mail, phone, borrower", "answer", req, "yes",
                   "--expert", self.anna, "--channel", "pigeon")

    def test_remind_when_short_of_volunteers_and_the_second_dispatch_runs_as_printed(self):
        today = datetime.date.today()
        req = self.dispatched((today + datetime.timedelta(days=2)).isoformat())
        self.ok("answer", req, "yes", "--expert", self.anna)

        def volunteers(on):
            items = self.ok("remind", "--all", "--today", on.isoformat(), "--format", "json").json()
            return [i for i in items if i["kind"] == "volunteers"]

        self.assertEqual(volunteers(today - datetime.timedelta(days=2)), [])  # 4 days before
        [item] = volunteers(today)
        self.assertEqual(item["command"], f"scripts/send-request.sh {req} --limit 1")
        # Run as printed: the next matching expert gets the request by e-mail.
        sink = MailSink()
        self.addCleanup(sink.stop)
        sink.write_msmtprc(str(self.dir), LIBRARY)
        env = dict(self.env, LBIB=LBIB, LBIB_DB=str(self.db))
        env.pop("SENDMAIL", None)
        words = item["command"].split()
        p = subprocess.run([str(SOURCE_DIR / words[0]), "--yes", *words[1:]], capture_output=True,
                           text=True, env=env, stdin=subprocess.DEVNULL, timeout=120)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertEqual(len(sink.received_by("bo@example.se")), 1)
        self.assertEqual(len(sink.deliveries), 1)
        self.assertEqual(len(self.show(req)["invitations"]), 3)
        self.ok("answer", req, "yes", "--expert", self.bo)
        self.assertEqual(volunteers(today), [], "enough said yes")
        # A config key sets how many days before.
        config = self.dir / "config.toml"
        config.write_text("[reminders]\nvolunteers_days = 1\n")
        self.ok("answer", req, "no", "--expert", self.bo)
        self.env["LBIB_CONFIG"] = str(config)
        self.assertEqual(volunteers(today), [])
        self.assertEqual(len(volunteers(today + datetime.timedelta(days=1))), 1)


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""The lending cycle: borrowers, requests and their state machine, matching, the BCC
dispatch through real msmtp to a local SMTP server, and the loan."""
import datetime
import os
import stat
import subprocess
import unittest
from pathlib import Path

from lbibtest import LBIB, SOURCE_DIR, LbibTestCase
from mailsink import MailSink

# Requests are composed today: their reply-by date is to come (a passed one is refused).
REPLY_BY = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

SEND_REQUEST = SOURCE_DIR / "scripts" / "send-request.sh"
LIBRARY = "levande.bibliotek@example.se"


class LendingCase(LbibTestCase):
    """A register with a borrower and some invented experts."""

    def setUp(self):
        super().setUp()
        self.init()
        self.borrower = int(self.ok(
            "borrower", "add", "--organisation", "Region Exempel", "--unit", "Utvecklingsenheten",
            "--contact-name", "Kim Låntagare", "--contact-email", "kim@region.example.se").out)
        # Four relatives of people with dementia (one of them old), one cancer patient.
        self.anna = self.recruit("Anna Äldre", "anna@example.se", "--birth-year", "1950",
                                 "--municipality", "Flen", experiences=("relative:dementia",))
        self.bo = self.recruit("Bo Björk", "bo@example.se", "--birth-year", "1980",
                               experiences=("relative:dementia", "patient:primary-care"))
        self.cia = self.recruit("Cia Cancer", "cia@example.se", "--birth-year", "1990",
                                experiences=("patient:cancer-care",))
        self.dan = self.recruit("Dan Demens", "dan@example.se", "--birth-year", "1945",
                                experiences=("relative:dementia",))

    def new_request(self, *extra, want=("relative:dementia",),
                    purpose="Utveckling av digitala kallelser"):
        args = ["request", "new", "--borrower", self.borrower, "--received", "2026-10-01",
                "--purpose", purpose, "--form", "focus-group",
                "--time", "2026-12-01 kl. 13–16", "--digital", "--reply-by", REPLY_BY]
        for w in want:
            args += ["--want", w]
        return int(self.ok(*args, *extra).out)

    def ready(self, *extra, **kw):  # noqa: D401
        """A request whose pre-meeting was held: ready to be mailed."""
        req = self.new_request(*extra, **kw)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        return req

    def show(self, req):
        return self.ok("request", "show", req, "--format", "json").json()


class BorrowerTest(LendingCase):
    def test_add_list_show_edit(self):
        rows = self.ok("borrower", "list", "--format", "json").json()
        self.assertEqual(rows[0]["organisation"], "Region Exempel")
        self.ok("borrower", "edit", self.borrower, "--unit", "", "--contact-phone", "016-10 00 00")
        b = self.ok("borrower", "show", self.borrower, "--format", "json").json()
        self.assertIsNone(b["unit"])
        self.assertEqual(b["contact_phone"], "016-10 00 00")

    def test_bad_borrowers(self):
        self.fails(65, "contact-email", "borrower", "add", "--organisation", "X",
                   "--contact-name", "Y", "--contact-email", "nope")
        self.fails(65, "organisation: contains a line break", "borrower", "add", "--organisation",
                   "Evil\r\nBcc: all@example.se", "--contact-name", "Y", "--contact-email", "y@example.se")
        self.fails(65, "contact-name: contains a line break", "borrower", "add", "--organisation", "X",
                   "--contact-name", "Kim\nBcc: x@example.se", "--contact-email", "y@example.se")
        self.fails(66, "no borrower with id 9", "borrower", "edit", "9", "--unit", "x")
        self.fails(64, "nothing to change", "borrower", "edit", self.borrower)


class RequestTest(LendingCase):
    def test_new_request_defaults_and_show(self):
        req = self.new_request()
        r = self.show(req)
        self.assertEqual(r["state"], "received")
        self.assertEqual(r["experts_wanted"], 2)
        self.assertEqual(r["wanted"], "relative:dementia")
        self.assertEqual(r["borrower"], "Region Exempel, Utvecklingsenheten")
        self.assertEqual([e["to"] for e in r["history"]], ["received"])

    def test_bad_requests_change_nothing(self):
        base = ["request", "new", "--borrower", str(self.borrower)]
        self.fails(66, "no borrower with id 77", "request", "new", "--borrower", "77")
        self.fails(65, "unknown form 'party'", *base, "--form", "party")
        self.fails(65, "at least 2 experts", *base, "--experts", "1")
        self.fails(65, "unknown area 'moon'", *base, "--want", "moon")
        self.fails(65, "min-age is above max-age", *base, "--min-age", "70", "--max-age", "60")
        self.fails(65, "reply-by: not a valid date", *base, "--reply-by", "2026-11-31")
        self.fails(65, "time: contains a line break", *base, "--time", "idag\nBcc: x@example.se")

    def test_a_particular_person_needs_a_reason_for_fewer_experts(self):
        req = int(self.ok("request", "new", "--borrower", self.borrower, "--experts", "1",
                          "--fewer-reason", "En särskild erfaren efterfrågades").out)
        self.assertEqual(self.show(req)["experts_wanted"], 1)

    def test_premeeting_requires_the_three_conditions(self):
        req = self.new_request()
        r = self.fails(65, "--told-feedback", "request", "premeeting", req,
                       "--told-compensation", "--told-two-experts")
        self.assertNotIn("--told-compensation (", r.err)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback", "--note", "Digitalt förmöte")
        r = self.show(req)
        self.assertEqual((r["state"], r["pre_meeting_on"]), ("pre-meeting-held", "2026-10-05"))

    def test_invalid_transitions_name_the_states_that_allow_them(self):
        req = self.new_request()
        self.fails(65, "'loan' needs a request that is pre-meeting-held, dispatched", "loan", req, "--expert", "1,2")
        self.fails(65, "'resume' needs a request that is awaiting-detail, on-hold",
                   "request", "resume", req)
        self.fails(65, "before the request was received", "request", "ask-detail", req,
                   "--date", "2026-09-01")
        self.fails(65, "--reason is required; use one of: no-response, no-match",
                   "request", "decline", req)
        self.fails(65, "--reason is required; use one of: too-few-participants, by-borrower, "
                   "library-closing", "request", "cancel", req, "--reason", "no-match")
        self.fails(65, "--until DATE is required", "request", "hold", req)

    def test_side_exits_of_table_1(self):
        # Row 6/10: asked for more detail, no response.
        r6 = self.new_request()
        self.ok("request", "ask-detail", r6, "--date", "2026-10-02", "--note", "Bad om mer spec.")
        self.ok("request", "decline", r6, "--reason", "no-response", "--date", "2026-11-01")
        # Row 3: nobody with the right experience.
        r3 = self.new_request()
        self.ok("request", "decline", r3, "--reason", "no-match", "--note", "Fanns inga erfarna")
        # Row 8: on hold until a funding decision, then resumed where it was.
        r8 = self.ready()
        self.ok("request", "hold", r8, "--until", "2026-11-15", "--date", "2026-10-06")
        self.assertEqual(self.show(r8)["hold_until"], "2026-11-15")
        self.ok("request", "resume", r8, "--date", "2026-11-16")
        self.assertEqual(self.show(r8)["state"], "pre-meeting-held")
        # Row 1: cancelled for too few participants; and a withdrawal.
        r1 = self.ready()
        self.fails(65, "is in the future; a request's step is recorded once it happened",
                   "request", "cancel", r1, "--reason", "too-few-participants", "--date", "2099-01-01")
        self.ok("request", "cancel", r1, "--reason", "too-few-participants")
        rw = self.new_request()
        self.ok("request", "withdraw", rw)

        states = {r["id"]: (r["state"], r["reason"])
                  for r in self.ok("request", "list", "--format", "json").json()}
        self.assertEqual(states[r6], ("declined", "no-response"))
        self.assertEqual(states[r3], ("declined", "no-match"))
        self.assertEqual(states[r1], ("cancelled", "too-few-participants"))
        self.assertEqual(states[rw], ("withdrawn", None))
        history = self.show(r6)["history"]
        self.assertEqual([(h["on"], h["to"]) for h in history],
                         [("2026-10-01", "received"), ("2026-10-02", "awaiting-detail"),
                          ("2026-11-01", "declined")])
        self.assertEqual(history[1]["note"], "Bad om mer spec.")
        # A closed request cannot be edited or moved again.
        self.fails(65, "only a request that is", "request", "edit", r3, "--purpose", "x")
        self.fails(65, "request {} is declined".format(r3), "request", "withdraw", r3)
        self.assertEqual(len(self.ok("request", "list", "--state", "declined", "--format", "json").json()), 2)

    def test_edit(self):
        req = self.new_request()
        self.ok("request", "edit", req, "--want", "dementia", "--want", "patient:cancer-care",
                "--min-age", "65", "--not-digital", "--place", "Eskilstuna")
        r = self.show(req)
        self.assertEqual(r["wanted"], "dementia patient:cancer-care")
        self.assertEqual((r["min_age"], r["digital"], r["place"]), (65, False, "Eskilstuna"))
        self.ok("request", "edit", req, "--min-age", "", "--want", "")
        r = self.show(req)
        self.assertIsNone(r["min_age"])
        self.assertEqual(r["wanted"], "")


class MatchTest(LendingCase):
    def match(self, req):
        r = self.run_lbib("match", req, "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        return r

    def test_fit_consent_status_and_constraints(self):
        self.ok("expert", "edit", self.bo, "--status", "paused")
        left = self.recruit("Lea Lämnat", "lea@example.se", experiences=("relative:dementia",))
        self.ok("expert", "leave", left)
        no_mail = self.recruit("Nils Nej", "nils@example.se", consent="register",
                               experiences=("relative:dementia",))
        req = self.ready()
        ids = [c["expert"] for c in self.match(req).json()]
        self.assertEqual(sorted(ids), [self.anna, self.dan])
        self.assertNotIn(left, ids)
        self.assertNotIn(no_mail, ids)
        # Withdrawn mailing consent removes an expert at once.
        self.ok("expert", "edit", self.dan, "--withdraw", "mailing")
        self.assertEqual([c["expert"] for c in self.match(req).json()], [self.anna])

    def test_age_and_municipality_limits(self):
        req = self.ready("--min-age", "65")  # Table 1 row 5: people over 65
        self.assertEqual(sorted(c["expert"] for c in self.match(req).json()), [self.anna, self.dan])
        req2 = self.ready("--municipality", "Flen")
        self.assertEqual([c["expert"] for c in self.match(req2).json()], [self.anna])

    def test_best_fit_first_then_fair_rotation(self):
        req = self.ready(want=("relative:dementia", "patient:primary-care"))
        rows = self.match(req).json()
        self.assertEqual(rows[0]["expert"], self.bo)  # fits both
        self.assertEqual(rows[0]["fit"], 2)
        self.assertIn("patient:primary-care", rows[0]["why"])
        # Anna and Dan fit equally; Anna was invited to another request lately, so Dan first.
        other = self.ready()
        out = self.dir / "out"
        out.mkdir()
        eml = self.ok("dispatch", other, "--out", out, "--experts", str(self.anna)).out.split()[0]
        self.ok("dispatch", other, "--record", eml)
        rows = self.match(req).json()
        self.assertEqual([r["expert"] for r in rows], [self.bo, self.dan, self.anna])
        self.assertEqual(rows[2]["invited_12m"], 1)

    def test_shortfall_names_the_missing_experience(self):
        req = self.ready(want=("client:addiction",))
        r = self.match(req)
        self.assertEqual(r.json(), [])
        self.assertIn("0 of the 2 experts wanted", r.err)
        self.assertIn("client:addiction", r.err)

    def test_picked_experts(self):
        req = self.ready(want=("patient:cancer-care",))
        self.ok("request", "pick", req, self.dan)
        rows = self.match(req).json()
        self.assertEqual(rows[0]["expert"], self.dan)
        self.assertIn("picked by the borrower", rows[0]["why"])
        no_mail = self.recruit("Nils Nej", "nils@example.se", consent="register")
        self.fails(65, "no mailing consent", "request", "pick", req, no_mail)
        self.fails(66, "no expert with id 99", "request", "pick", req, "99")

    def test_no_wanted_experience_matches_everyone_within_the_limits(self):
        # Without a wanted experience every active expert with mailing consent is looked at, not
        # only those with one (the two ways matching chooses whom it reads, issue #20).
        req = self.new_request(want=())
        self.assertEqual([r["expert"] for r in self.match(req).json()],
                         [self.anna, self.bo, self.cia, self.dan])
        self.assertEqual({r["fit"] for r in self.match(req).json()}, {0})
        flen = self.new_request("--municipality", "Flen", want=())
        self.assertEqual([r["expert"] for r in self.match(flen).json()], [self.anna])
        # With one wanted, the others are left out, and a pick is still found by id.
        cancer = self.new_request(want=("patient:cancer-care",))
        self.ok("request", "pick", cancer, self.bo)
        self.assertEqual([r["expert"] for r in self.match(cancer).json()], [self.bo, self.cia])


class DispatchTest(LendingCase):
    def setUp(self):
        super().setUp()
        self.out = self.dir / "out"
        self.out.mkdir()

    def test_refusals_change_nothing(self):
        req = self.new_request()
        self.fails(65, "after the pre-meeting", "dispatch", req, "--out", self.out)
        bare = int(self.ok("request", "new", "--borrower", self.borrower).out)
        self.ok("request", "premeeting", bare, "--told-compensation", "--told-two-experts", "--told-feedback")
        self.fails(65, "missing: purpose, form, time, place (or --digital), reply-by",
                   "dispatch", bare, "--out", self.out)
        ready = self.ready()
        no_mail = self.recruit("Nils Nej", "nils@example.se", consent="register")
        self.fails(65, "no mailing consent", "dispatch", ready, "--out", self.out, "--experts", str(no_mail))
        self.fails(64, "--out DIR", "dispatch", ready)
        self.assertEqual(list(self.out.iterdir()), [])

    def test_composed_files_are_private_and_recording_is_idempotent(self):
        req = self.ready()
        emls = self.ok("dispatch", req, "--out", self.out).out.split()
        self.assertEqual(len(emls), 1)
        self.assertEqual(self.show(req)["state"], "pre-meeting-held", "composing records nothing")
        for p in self.out.iterdir():
            self.assertEqual(stat.S_IMODE(p.stat().st_mode), 0o600)
        self.assertIn("recorded: 3 experts", self.ok("dispatch", req, "--record", emls[0]).out)
        before = self.snapshot()
        self.assertIn("already recorded", self.ok("dispatch", req, "--record", emls[0]).out)
        self.assertEqual(before, self.snapshot())
        r = self.show(req)
        self.assertEqual(r["state"], "dispatched")
        self.assertEqual(sorted(i["expert"] for i in r["invitations"]), [self.anna, self.bo, self.dan])
        # Everyone matching has the request now: a new dispatch finds nobody.
        self.fails(65, "every matching expert has already received it", "dispatch", req, "--out", self.out)

    def test_preview_shows_the_message_but_no_recipient_address(self):
        req = self.ready()
        r = self.run_lbib("dispatch", req, "--out", self.out, "--preview")
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(len(r.out.split()), 1, "stdout keeps only the file list")
        self.assertIn("Bcc: 3 experts (ids", r.err)
        self.assertIn("Syfte: Utveckling av digitala kallelser", r.err)
        for address in ("anna@example.se", "bo@example.se", "dan@example.se"):
            self.assertNotIn(address, r.err)

    def test_tampered_manifest_is_refused(self):
        req = self.ready()
        eml = Path(self.ok("dispatch", req, "--out", self.out).out.split()[0])
        manifest = eml.with_suffix(".json")
        manifest.write_text(manifest.read_text().replace("lbib.dispatch-", "lbib.x-"))
        self.fails(65, "does not match its manifest", "dispatch", req, "--record", eml)
        self.fails(65, "belongs to request", "dispatch", req + 1, "--record", eml)


class SendRequestTest(LendingCase):
    """send-request.sh through real msmtp to a real SMTP server on 127.0.0.1."""

    def setUp(self):
        super().setUp()
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)
        self.env.pop("SENDMAIL", None)
        self.addresses = {self.anna: "anna@example.se", self.bo: "bo@example.se",
                          self.cia: "cia@example.se", self.dan: "dan@example.se"}

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def send(self, req, *extra, env=None):
        return subprocess.run([str(SEND_REQUEST), str(req), *map(str, extra)], capture_output=True,
                              text=True, env=env or self.env, stdin=subprocess.DEVNULL, timeout=120)

    def wrapper(self, name, body):
        path = self.dir / name
        path.write_text("#!/bin/sh\n" + body)
        path.chmod(0o700)
        return path

    def test_a_request_cancelled_while_the_run_waited_is_not_mailed(self):
        """A colleague cancels the request after this run composed it (while it waited at the
        question): lbib checks before each message leaves, so nothing is delivered."""
        req = self.ready(want=("dementia",))
        marker = self.dir / "cancelled"
        lbib = self.wrapper("lbib-colleague", f"""case "$*" in *--check*)
  if [ ! -e {marker} ]; then
    touch {marker}
    {LBIB} request cancel {req} --reason by-borrower >/dev/null
  fi;;
esac
exec {LBIB} "$@"
""")
        r = self.send(req, env=dict(self.env, LBIB=str(lbib)))
        self.assertEqual(r.returncode, 65, r.stderr)
        self.assertIn("was not sent: lbib would not record it", r.stderr)
        self.assertEqual(self.sink.deliveries, [])
        self.assertEqual(self.ok("request", "show", req, "--format", "json").json()["state"], "cancelled")

    def test_a_sent_message_is_recorded_after_a_colleagues_long_write(self):
        """The register is busy (a colleague's long write) when the message has gone out: the
        run waits and records it rather than losing the record."""
        req = self.ready(want=("dementia",))
        hold = self.dir / "hold.py"
        hold.write_text(f"""import sqlite3, time
con = sqlite3.connect({str(self.db)!r}, isolation_level=None)
con.execute("BEGIN IMMEDIATE")
time.sleep(7)
con.execute("COMMIT")
""")
        sendmail = self.wrapper("sendmail-busy", f"""python3 {hold} &
sleep 0.5
exec /usr/sbin/sendmail "$@"
""")
        r = self.send(req, env=dict(self.env, SENDMAIL=str(sendmail)))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.deliveries), 1)
        shown = self.ok("request", "show", req, "--format", "json").json()
        self.assertEqual(shown["state"], "dispatched")

    def test_stale_outbox_folders_of_killed_runs_are_removed(self):
        """A run killed before its trap could not remove its folder of composed messages (the
        experts' addresses): the next run removes this user's folders whose run is gone."""
        tmp = self.dir / "tmp"
        tmp.mkdir()
        dead = tmp / "lbib-outbox.999999999.abcdef"  # no such process
        dead.mkdir()
        (dead / "request-1.eml").write_text("Bcc: anna@example.se\n")
        alive = tmp / f"lbib-outbox.{os.getpid()}.abcdef"  # a run still going
        alive.mkdir()
        req = self.ready(want=("dementia",))
        r = self.send(req, env=dict(self.env, TMPDIR=str(tmp)))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertFalse(dead.exists(), "a dead run's messages stay behind")
        self.assertTrue(alive.exists(), "a running run's folder is left alone")
        self.assertEqual(sorted(p.name for p in tmp.iterdir()), [alive.name], "the run removed its own folder")

    def test_each_expert_receives_the_request_and_sees_nobody_else(self):
        req = self.ready(want=("dementia",))
        r = self.send(req)
        self.assertEqual(r.returncode, 0, r.stderr)
        invited = [self.anna, self.bo, self.dan]
        for expert in invited:
            got = self.sink.received_by(self.addresses[expert])
            self.assertEqual(len(got), 1, f"expert {expert} received {len(got)} messages")
        self.assertEqual(self.sink.received_by("cia@example.se"), [])
        for delivery in self.sink.deliveries:
            raw = delivery.data.decode("ascii")  # the whole message is 7-bit
            for address in self.addresses.values():
                self.assertNotIn(address, raw, "a recipient's address leaked into the message")
            msg = delivery.message()
            self.assertIsNone(msg["Bcc"])
            # By default the Reply-To is the borrower alone (mail.reply_copy_to_library adds
            # the library's address: tests/cli/test_inbox.py).
            self.assertEqual(len(msg["Reply-To"].addresses), 1)
            self.assertEqual(msg["Reply-To"].addresses[0].addr_spec, "kim@region.example.se")
            self.assertEqual(msg["Reply-To"].addresses[0].display_name, "Kim Låntagare")
            self.assertEqual(str(msg["Subject"]),
                             "Förfrågan om uppdrag från Region Exempel, Utvecklingsenheten: "
                             f"svara senast {REPLY_BY}")
            body = msg.get_content().replace("\r\n", "\n")  # CRLF on the wire
            self.assertIn("Syfte: Utveckling av digitala kallelser\n", body)
            self.assertIn("Tid: 2026-12-01 kl. 13–16\n", body)
            self.assertIn("Plats: Digitalt\n", body)
            self.assertIn("Svara direkt till uppdragsgivaren, Kim Låntagare <kim@region.example.se>", body)
            self.assertEqual(msg["From"].addresses[0].addr_spec, LIBRARY)
            for line in delivery.data.split(b"\r\n"):
                self.assertLessEqual(len(line), 78)
        r = self.show(req)
        self.assertEqual(r["state"], "dispatched")
        self.assertEqual(sorted(i["expert"] for i in r["invitations"]), invited)

    def test_batches_and_a_rerun_after_sendmail_fails_never_send_twice(self):
        config = self.dir / "config.toml"
        config.write_text("[mail]\nbcc_batch_size = 1\n")
        self.env["LBIB_CONFIG"] = str(config)
        req = self.ready(want=("dementia",))
        # A sendmail that accepts one message and then fails: the rest is not recorded.
        counter = self.dir / "count"
        flaky = self.dir / "flaky-sendmail"
        flaky.write_text("#!/bin/sh\n"
                         f"n=$(cat {counter} 2>/dev/null || echo 0); echo $((n+1)) > {counter}\n"
                         "[ \"$n\" -ge 1 ] && exit 75\n"
                         "exec /usr/sbin/sendmail \"$@\"\n")
        flaky.chmod(0o700)
        # A temporary directory of the test's own: other tests send at the same time.
        tmp = self.dir / "tmp"
        tmp.mkdir()
        r = self.send(req, env=dict(self.env, SENDMAIL=str(flaky), TMPDIR=str(tmp)))
        self.assertEqual(r.returncode, 69)
        self.assertIn("sendmail failed", r.stderr)
        self.assertEqual(len(self.sink.deliveries), 1)
        self.assertEqual(len(self.show(req)["invitations"]), 1)
        # The re-run sends only to the two who did not get it.
        r = self.send(req, env=dict(self.env, TMPDIR=str(tmp)))
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(len(self.sink.deliveries), 3)
        for address in ("anna@example.se", "bo@example.se", "dan@example.se"):
            self.assertEqual(len(self.sink.received_by(address)), 1, address)
        self.assertEqual(len(self.show(req)["invitations"]), 3)
        # Nothing is left behind in the temporary directory.
        self.assertEqual(list(tmp.iterdir()), [])

    def test_two_sends_at_once_mail_each_expert_once(self):
        req = self.ready(want=("dementia",))
        # A slow sendmail keeps the first run between composing and recording for a while.
        slow = self.dir / "slow-sendmail"
        slow.write_text("#!/bin/sh\nsleep 2\nexec /usr/sbin/sendmail \"$@\"\n")
        slow.chmod(0o700)
        env = dict(self.env, SENDMAIL=str(slow))
        runs = [subprocess.Popen([str(SEND_REQUEST), "--yes", str(req)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True, env=env, stdin=subprocess.DEVNULL)
                for _ in range(2)]
        results = [(p.wait(timeout=120), p.stderr.read()) for p in runs]
        for p in runs:
            p.stdout.close()
            p.stderr.close()
        for address in ("anna@example.se", "bo@example.se", "dan@example.se"):
            self.assertEqual(len(self.sink.received_by(address)), 1, f"{address}: {results}")
        self.assertEqual(sorted(code for code, _ in results), [0, 65], results)
        second = [err for code, err in results if code == 65][0]
        self.assertIn("every matching expert has already received it", second)
        self.assertIn("waiting for it to finish", second)
        self.assertEqual(len(self.show(req)["invitations"]), 3)

    def test_sendmail_failure_records_nothing(self):
        req = self.ready()
        r = self.send(req, env=dict(self.env, SENDMAIL="/bin/false"))
        self.assertEqual(r.returncode, 69)
        self.assertEqual(self.show(req)["state"], "pre-meeting-held")
        self.assertEqual(self.show(req)["invitations"], [])
        self.assertEqual(self.sink.deliveries, [])

    def test_header_like_text_in_data_stays_in_the_body(self):
        req = self.ready(purpose="Rad ett\nBcc: cia@example.se\nSubject: falsk", want=("dementia",))
        r = self.send(req)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(self.sink.received_by("cia@example.se"), [])
        msg = self.sink.deliveries[0].message()
        self.assertTrue(str(msg["Subject"]).startswith("Förfrågan om uppdrag"))
        self.assertIn("Rad ett\nBcc: cia@example.se\nSubject: falsk",
                      msg.get_content().replace("\r\n", "\n"))

    def test_lbib_errors_pass_through(self):
        req = self.new_request()  # no pre-meeting yet
        r = self.send(req)
        self.assertEqual(r.returncode, 65)
        self.assertIn("after the pre-meeting", r.stderr)


class LoanTest(LendingCase):
    def dispatched(self):
        req = self.ready()
        out = self.dir / f"out{req}"
        out.mkdir()
        eml = self.ok("dispatch", req, "--out", out).out.split()[0]
        self.ok("dispatch", req, "--record", eml, "--date", "2026-10-10")
        return req

    def test_loan_with_invited_and_other_experts_and_external_participants(self):
        req = self.dispatched()
        self.ok("loan", req, "--date", "2026-12-01", "--expert", str(self.anna),
                "--uninvited", f"{self.cia}:Uppdragsgivaren bad om henne", "--external", "3",
                "--form", "workshop")
        r = self.show(req)
        self.assertEqual(r["state"], "loan-carried-out")
        loan = r["loan"][0]
        self.assertEqual((loan["experts"], loan["invited_experts"], loan["external_participants"],
                          loan["form"]), (2, 1, 3, "workshop"))
        self.assertEqual({p["expert"]: p["invited"] for p in r["participants"]},
                         {self.anna: True, self.cia: False})
        took_part = [c for c in self.ok("match", req, "--format", "json").json() if c["expert"] == self.anna]
        self.assertEqual(took_part[0]["took_part"], 1)

    def test_no_shows_signed_up_but_did_not_take_part(self):
        req = self.dispatched()  # anna, bo and dan were invited; cia was not
        both = ("loan", req, "--date", "2026-12-01", "--expert", f"{self.anna},{self.bo}")
        self.fails(65, "also named as taking part", *both, "--no-show", self.anna)
        self.fails(65, f"expert {self.cia} was not invited to request {req}", *both, "--no-show", self.cia)
        self.fails(66, "no expert with id 99", *both, "--no-show", "99")
        # A no-show signed up: an expert with no yes recorded, or who declined, never did.
        self.fails(65, f"expert {self.dan} never signed up for request {req}", *both,
                   "--no-show", self.dan)
        self.ok("answer", req, "no", "--expert", self.dan, "--date", "2026-10-11")
        self.fails(65, f"expert {self.dan} declined request {req}", *both, "--no-show", self.dan)
        self.ok("answer", req, "yes", "--expert", self.dan, "--date", "2026-10-12")
        self.ok(*both, "--no-show", self.dan)
        r = self.show(req)
        loan = r["loan"][0]
        self.assertEqual((loan["experts"], loan["signed_up"], loan["no_shows"]), (2, 3, 1))
        self.assertEqual(r["no_shows"], [{"expert": self.dan}])
        self.assertEqual({p["expert"] for p in r["participants"]}, {self.anna, self.bo})
        row = [x for x in self.ok("report", "requests", "--format", "json").json() if x["request"] == req][0]
        self.assertEqual((row["signed_up"], row["experts"]), (3, 2))
        # The annual report shows "signed up" only when a loan of its period had a no-show.
        def signed_up_shown(*period):
            page = self.ok("report", "annual", "--format", "md", *period).out
            return "Anmälda" in page or "Signed up" in page
        self.assertTrue(signed_up_shown())
        self.assertFalse(signed_up_shown("--to", "2019"))
        # A no-show did not take part: match counts only participants.
        took_part = {c["expert"]: c["took_part"] for c in self.run_lbib("match", req, "--format", "json").json()}
        self.assertEqual((took_part[self.anna], took_part[self.dan]), (1, 0))
        # Corrected: named as taking part, Dan is no longer a no-show.
        self.ok("loan", "correct", req, "--expert", f"{self.anna},{self.bo},{self.dan}",
                "--reason", "Dan kom sent")
        self.assertEqual(self.show(req)["loan"][0]["signed_up"], 3)
        self.assertEqual(self.show(req)["no_shows"], [])
        self.ok("loan", "correct", req, "--expert", f"{self.anna},{self.bo}", "--no-show", self.dan)
        r = self.show(req)
        self.assertEqual((r["loan"][0]["experts"], r["loan"][0]["no_shows"]), (2, 1))
        self.assertEqual(r["history"][-1]["correction"], "participants,no_shows")
        self.fails(65, "also named as taking part", "loan", "correct", req, "--no-show", self.anna)
        self.ok("loan", "correct", req, "--no-no-shows")
        self.assertEqual(self.show(req)["loan"][0]["signed_up"], 2)
        self.assertFalse(signed_up_shown())

    def test_loan_refusals(self):
        req = self.dispatched()
        self.fails(65, "give --fewer-reason", "loan", req, "--date", "2026-12-01", "--expert", str(self.anna))
        self.fails(65, "before the request was mailed", "loan", req, "--date", "2026-10-09",
                   "--expert", f"{self.anna},{self.dan}")
        self.fails(66, "no expert with id 99", "loan", req, "--date", "2026-12-01", "--expert", f"{self.anna},99")
        self.fails(65, "unknown form", "loan", req, "--expert", f"{self.anna},{self.dan}", "--form", "x")
        self.ok("loan", req, "--date", "2026-12-01", "--expert", str(self.anna),
                "--fewer-reason", "En särskild erfaren efterfrågades")
        # A second loan: correct or undo the one recorded, before anything else is looked at.
        self.fails(65, f"request {req} already has a loan, recorded for 2026-12-01; correct it",
                   "loan", req, "--expert", f"{self.anna},{self.dan}")

    def test_an_uninvited_expert_needs_an_explicit_reason(self):
        req = self.dispatched()  # anna, bo and dan were invited; cia was not
        self.fails(65, f"expert {self.cia} was not invited to request {req}; record them with "
                   f"--uninvited {self.cia}:REASON", "loan", req, "--date", "2026-12-01",
                   "--expert", f"{self.anna},{self.cia}")
        self.fails(65, f"expert {self.anna} was invited to request {req}", "loan", req,
                   "--date", "2026-12-01", "--expert", str(self.bo), "--uninvited", f"{self.anna}:x")
        self.fails(64, "as ID:REASON", "loan", req, "--expert", str(self.anna), "--uninvited", str(self.cia))
        self.fails(64, "as ID:REASON", "loan", req, "--expert", str(self.anna), "--uninvited", f"{self.cia}: ")
        self.fails(64, "as ID:REASON", "loan", req, "--expert", str(self.anna), "--uninvited", "x:why")
        self.ok("loan", req, "--date", "2026-12-01", "--expert", str(self.anna), "--uninvited",
                f"{self.cia}:Uppdragsgivaren bad om henne", "--note", "Bra möte")
        r = self.show(req)
        self.assertEqual({p["expert"]: p["invited"] for p in r["participants"]},
                         {self.anna: True, self.cia: False})
        self.assertEqual(r["history"][-1]["note"],
                         f"Bra möte\nerfaren {self.cia} deltog utan inbjudan: Uppdragsgivaren bad om henne")
        audit = self.ok("log", "--format", "json").out
        self.assertNotIn("Uppdragsgivaren", audit, "the reason stays out of the audit log")


class DateRuleTest(LendingCase):
    """Dates that cannot be true are refused, with what is accepted, and nothing is written."""

    def days(self, n):
        return (datetime.date.today() + datetime.timedelta(days=n)).isoformat()

    def test_request_dates(self):
        base = ["request", "new", "--borrower", self.borrower, "--purpose", "P", "--want", "dementia"]
        self.fails(65, "reply-by: 2026-09-01 is before the request was received (2026-10-01)",
                   *base, "--received", "2026-10-01", "--reply-by", "2026-09-01")
        self.fails(65, "is in the future; a request is recorded once it arrived", *base,
                   "--received", self.days(30))
        self.fails(65, "YYYY-MM-DD from 1900 to 2100 is accepted", *base, "--received", "9999-12-31")
        req = self.new_request()
        self.fails(65, "before the request was received", "request", "edit", req, "--reply-by", "2026-09-30")

    def test_premeeting_dispatch_loan_and_followup_are_not_in_the_future(self):
        req = self.new_request()
        told = ["--told-compensation", "--told-two-experts", "--told-feedback"]
        self.fails(65, "is in the future; a pre-meeting is recorded once it was held", "request",
                   "premeeting", req, "--date", self.days(365), *told)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", *told)
        out = self.dir / "out"
        out.mkdir()
        eml = self.ok("dispatch", req, "--out", out).out.split()[0]
        self.fails(65, "is before the pre-meeting (2026-10-05)", "dispatch", req, "--record", eml,
                   "--date", "2026-10-04")
        self.fails(65, "is in the future; a message is recorded", "dispatch", req, "--record", eml,
                   "--date", self.days(1))
        self.ok("dispatch", req, "--record", eml, "--date", "2026-10-10")
        experts = f"{self.anna},{self.bo}"
        self.fails(65, "is in the future; a loan is recorded once it was carried out", "loan", req,
                   "--date", self.days(14), "--expert", experts)
        self.ok("loan", req, "--date", "2026-10-20", "--expert", experts)
        self.ok("followup", "book", req, "--date", self.days(7))  # a coming meeting is fine
        answers = ["--answer", "how-it-went=Bra", "--answer", "contribution=Mycket",
                   "--answer", "insights=Nya", "--answer", "use-of-results=I arbetet",
                   "--answer", "feedback-plan=Ja"]
        self.fails(65, "is in the future; a follow-up is recorded once it was held", "followup",
                   "record", req, "--date", self.days(7), "--satisfaction", "5", "--new-insights",
                   "yes", "--compensation", "arranged", *answers)

    def test_interview_year_and_limit(self):
        self.fails(65, "interviewed: not a valid date; a real calendar date as YYYY-MM-DD from 1900 "
                   "to 2100 is accepted", "recruit", "--name", "Ny Person", "--email", "ny@example.se",
                   "--channel", "website", "--consent", "register", "--interviewed", "9999-12-31")
        self.fails(65, "interviewed: " + self.days(3) + " is in the future", "recruit", "--name", "Ny Person",
                   "--email", "ny@example.se", "--channel", "website", "--consent", "register",
                   "--interviewed", self.days(3))
        req = self.ready()
        out = self.dir / "out"
        out.mkdir()
        for bad in ("-1", "0"):
            self.fails(64, "--limit: " + bad + " is too small; a whole number, at least 1, is accepted",
                       "dispatch", req, "--out", out, f"--limit={bad}")
        for bad in ("1.5", "0x2", "+2", "1e3", " 2"):
            self.fails(64, f"'{bad}' is not a whole number (decimal digits, like 12)", "dispatch", req,
                       "--out", out, "--limit", bad)
        self.fails(64, "'0x2' is not a whole number", "request", "new", "--borrower", self.borrower,
                   "--experts", "0x2")
        self.fails(64, "'+3' is not a whole number", "loan", req, "--expert", f"{self.anna},{self.bo}",
                   "--external", "+3")
        self.assertEqual(list(out.iterdir()), [])


class DuplicateTest(LendingCase):
    """The same person or borrower is not registered twice by mistake."""

    def recruit_args(self, name, email, *extra):
        return ["recruit", "--name", name, "--email", email, "--channel", "website",
                "--consent", "register,mailing", "--interviewed", "2026-01-15",
                "--experience", "relative:dementia", *extra]

    def test_recruit_refuses_the_same_email_phone_or_name_and_birth_year(self):
        self.ok("expert", "edit", self.bo, "--phone", "070-123 45 67")
        self.fails(65, f"already registered as expert {self.anna} (", *self.recruit_args("Annika Annan", "ANNA@Example.SE"))
        self.fails(65, f"already registered as expert {self.bo} (", *self.recruit_args(
            "Bosse Annan", "bosse@example.se", "--phone", "+46 70 123 45 67"))
        self.fails(65, f"already registered as expert {self.anna} (", *self.recruit_args(
            "anna äldre", "annan@example.se", "--birth-year", "1950"))
        r = self.fails(65, "--allow-duplicate to add anyway", *self.recruit_args("Annika Annan", "anna@example.se"))
        self.assertNotIn("anna@example.se", r.err, "no personal data in the message")
        # The same name with another birth year is another person.
        self.ok(*self.recruit_args("Anna Äldre", "anna2@example.se", "--birth-year", "1951"))
        twin = int(self.ok(*self.recruit_args("Anna Äldre", "anna@example.se", "--allow-duplicate")).out)
        self.assertGreater(twin, self.dan)
        # An erased expert does not count.
        self.ok("expert", "erase", self.cia, "--yes")
        self.ok(*self.recruit_args("Cia Cancer", "cia@example.se"))

    def test_borrower_add_refuses_the_same_contact(self):
        base = ["borrower", "add", "--organisation", "Region Annan", "--contact-name", "Lo Låntagare"]
        self.fails(65, f"already registered as borrower {self.borrower} (", *base,
                   "--contact-email", "KIM@region.example.se")
        self.fails(65, f"already registered as borrower {self.borrower} (", "borrower", "add",
                   "--organisation", "region exempel", "--unit", "utvecklingsenheten",
                   "--contact-name", "kim låntagare", "--contact-email", "kim2@region.example.se")
        self.ok("borrower", "edit", self.borrower, "--contact-phone", "016-10 20 30")
        self.fails(65, "--allow-duplicate to add anyway", *base, "--contact-email", "lo@region.example.se",
                   "--contact-phone", "016102030")
        self.ok(*base, "--contact-email", "lo@region.example.se")
        self.fails(65, "already registered as borrower", *base, "--contact-email", "lo2@region.example.se")
        self.ok(*base, "--contact-email", "kim@region.example.se", "--allow-duplicate")

    def test_a_dispatch_lists_an_address_once(self):
        twin = int(self.ok(*self.recruit_args("Anna Ä", "Anna@Example.se", "--allow-duplicate")).out)
        req = self.ready()
        out = self.dir / "out"
        out.mkdir()
        emls = self.ok("dispatch", req, "--out", out).out.split()
        text = "".join(Path(e).read_text() for e in emls).lower()
        self.assertEqual(text.count("anna@example.se"), 1, "the Bcc list holds an address once")
        for eml in emls:
            self.ok("dispatch", req, "--record", eml)
        invited = sorted(i["expert"] for i in self.show(req)["invitations"])
        self.assertEqual(invited, sorted([self.anna, twin, self.bo, self.dan]))


if __name__ == "__main__":
    unittest.main()

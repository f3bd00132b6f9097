# SPDX-License-Identifier: MIT
"""What a hostile retest of issue #14 found, each on the real binary: CLI11's own parse errors in
the user's language with the subcommand's help, "did you mean" for a swapped pair of letters,
the send scripts' question in lbib's language, counts with the right plural, e-mail addresses
with spaces, the consents' heading once, and a notice when a table was shortened to fit."""
import datetime
import os
import pty
import select
import subprocess
import time
import unittest

from lbibtest import LBIB, SOURCE_DIR, WRAPPER, LbibTestCase, read_terminal
from mailsink import MailSink

# A reply-by date still to come: a request is not mailed after its reply-by date.
REPLY_BY = (datetime.date.today() + datetime.timedelta(days=30)).isoformat()

SEND_REQUEST = SOURCE_DIR / "scripts" / "send-request.sh"
LIBRARY = "levande.bibliotek@example.se"


def swedish(env):
    """`env` asking for Swedish by LANG (without the tests' LC_ALL, which would decide)."""
    sv = dict(env, LANG="sv_SE.UTF-8")
    sv.pop("LC_ALL", None)
    return sv


class ParseErrorTest(LbibTestCase):
    """CLI11's own errors: one line in the user's language, what is accepted, the command's help."""

    def setUp(self):
        super().setUp()
        self.init()
        self.sv = swedish(self.env)

    def test_a_missing_required_argument_names_it_and_the_commands_help(self):
        r = self.fails(64, "is required (The request's id); see 'lbib request pick --help'",
                       "request", "pick")
        self.assertNotIn("lbib --help'", r.err)
        self.fails(64, "krävs (De erfarnas id); se 'lbib request pick --help'",
                   "request", "pick", "1", env=self.sv)

    def test_a_value_of_the_wrong_kind(self):
        self.fails(64, "--limit: 'abc' is not a whole number (decimal digits, like 12); "
                   "see 'lbib dispatch --help'", "dispatch", "1", "--limit", "abc")
        self.fails(64, "--limit: 'abc' är inget heltal (decimala siffror, som 12); "
                   "se 'lbib dispatch --help'", "dispatch", "1", "--limit", "abc", env=self.sv)
        self.fails(64, "REQ: 'x' är inget id (ett heltal från 1); se 'lbib dispatch --help'",
                   "dispatch", "x", env=self.sv)

    def test_an_option_without_its_value(self):
        self.fails(64, "--experts needs a value (Send to these expert ids instead of every match); "
                   "see 'lbib dispatch --help'", "dispatch", "1", "--experts")
        self.fails(64, "--experts behöver ett värde (", "dispatch", "1", "--experts", env=self.sv)

    def test_an_argument_too_many(self):
        self.fails(64, "unexpected argument 'extra more'; lbib request list takes no arguments; "
                   "see 'lbib request list --help'", "request", "list", "extra", "more")
        self.fails(64, "oväntat argument 'extra'; lbib request list tar inga argument; "
                   "se 'lbib request list --help'", "request", "list", "extra", env=self.sv)

    def test_a_group_without_its_command(self):
        r = self.fails(64, "lbib report needs a command: one of yearly, requests,", "report")
        self.assertIn("see 'lbib report --help'", r.err)
        self.fails(64, "lbib expert behöver ett kommando: ett av list, show,", "expert", env=self.sv)

    def test_an_option_given_twice(self):
        self.fails(64, "--date: at most 1 accepted; see 'lbib loan --help'",
                   "loan", "1", "--date", "2026-01-01", "--date", "2026-01-02")

    def test_did_you_mean_still_comes_first(self):
        self.fails(64, "did you mean '--limit'?", "dispatch", "1", "--limt", "2")
        self.fails(64, "menade du", "dispatch", "1", "--limt", "2", env=self.sv)

    def test_a_swapped_pair_of_letters_is_one_edit(self):
        """`lbib idga`: today's Swedish name with two letters swapped."""
        self.fails(64, "'idga' is not a command of lbib; did you mean 'lbib idag'?", "idga")
        self.fails(64, "did you mean 'lbib today'?", "tdoay")
        self.fails(64, "did you mean 'lbib request list'?", "request", "lsit")


class WordingTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.sv = swedish(self.env)

    def recruit_args(self, name, email, *extra):
        return ["recruit", "--name", name, "--email", email, "--channel", "website",
                "--consent", "register,mailing", "--interviewed", "2026-01-15",
                "--experience", "relative:dementia", *extra]

    def test_an_email_address_is_trimmed_and_inner_spaces_refused(self):
        anna = int(self.ok(*self.recruit_args("Anna Äldre", "  anna@example.se \t")).out)
        self.assertEqual(self.ok("expert", "show", anna, "--format", "json").json()["email"],
                         "anna@example.se")
        self.fails(65, "email: not a valid e-mail address, it has a space inside",
                   *self.recruit_args("Bo Björk", "bo @example.se"))
        self.fails(65, "email: inte en giltig e-postadress, den har ett mellanslag",
                   *self.recruit_args("Bo Björk", "bo@exa mple.se"), env=self.sv)
        self.ok("expert", "edit", anna, "--email", " anna.aldre@example.se ")
        self.assertEqual(self.ok("expert", "show", anna, "--format", "json").json()["email"],
                         "anna.aldre@example.se")
        self.fails(65, "it has a space inside", "expert", "edit", anna, "--email", "anna aldre@example.se")
        b = int(self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name",
                        "Kim Låntagare", "--contact-email", " kim@region.example.se  ").out)
        shown = self.ok("borrower", "show", b, "--format", "json").json()
        self.assertEqual(shown["contact_email"], "kim@region.example.se")
        self.ok("borrower", "edit", b, "--contact-email", "\tkim.l@region.example.se ")
        shown = self.ok("borrower", "show", b, "--format", "json").json()
        self.assertEqual(shown["contact_email"], "kim.l@region.example.se")
        self.fails(65, "contact-email: not a valid e-mail address, it has a space inside",
                   "borrower", "edit", b, "--contact-email", "kim l@region.example.se")

    def test_one_expert_is_singular(self):
        self.ok(*self.recruit_args("Anna Äldre", "anna@example.se"))
        borrower = int(self.ok("borrower", "add", "--organisation", "Region Exempel",
                               "--contact-name", "Kim Låntagare", "--contact-email",
                               "kim@region.example.se").out)
        req = int(self.ok("request", "new", "--borrower", borrower, "--received", "2026-10-01",
                          "--purpose", "Digitala kallelser", "--form", "focus-group",
                          "--time", "2026-12-01 kl. 13–16", "--digital", "--reply-by", REPLY_BY,
                          "--want", "relative:dementia", "--experts", "1",
                          "--fewer-reason", "en särskild person").out)
        self.ok("request", "premeeting", req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        out = self.dir / "out"
        out.mkdir()
        eml = self.ok("dispatch", req, "--out", out, "--date", "2026-10-06").out.split()[0]
        r = self.ok("dispatch", req, "--record", eml, "--date", "2026-10-06", env=self.sv)
        self.assertEqual(r.out.strip(), f"registrerat: 1 erfaren inbjuden till förfrågan {req}")
        self.ok("dispatch", "undo", req, "--reason", "Fel dag")
        r = self.ok("dispatch", req, "--record", eml, "--date", "2026-10-06")
        self.assertEqual(r.out.strip(), f"recorded: 1 expert invited to request {req}")


class ConsentHeadingTest(LbibTestCase):
    def test_the_interview_shows_the_consents_heading_once(self):
        from test_interview import CONSENTS, CONTACT, MAP, answers
        self.init()
        r = self.run_lbib("recruit", "--interactive", input=answers(CONTACT, MAP, CONSENTS),
                          env=swedish(self.env))
        self.assertEqual(r.code, 0, r.err)
        heading = [line for line in r.err.splitlines() if line.startswith("== Samtycken")]
        self.assertEqual(len(heading), 1, r.err)
        for purpose in ("-- register", "-- mailing", "-- website"):
            self.assertIn(purpose, r.err)


class ShortenedNoticeTest(LbibTestCase):
    """At a terminal, a table shortened to fit says so once, and that --wide shows all."""

    def setUp(self):
        super().setUp()
        if WRAPPER:
            self.skipTest("not under a wrapper")
        self.init()
        b = int(self.ok("borrower", "add", "--organisation",
                        "Region Sörmland, Hälso- och sjukvårdsförvaltningen, Område Öst",
                        "--contact-name", "Åke Ärlig", "--contact-email", "ake@example.se").out)
        self.ok("request", "new", "--borrower", b, "--purpose",
                "Förbättra väntrummet på vårdcentralen i Ängsö så att äldre hittar rätt till sin tid",
                "--form", "focus-group", "--want", "relative:dementia", "--received", "2026-10-01")

    def terminal(self, *args, columns=80, env=None):
        """lbib with stdout and stderr on one pseudo-terminal: what a person sees."""
        import fcntl
        import struct
        import termios
        master, slave = pty.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
        p = subprocess.Popen([LBIB, f"--db={self.db}", *map(str, args)], stdin=subprocess.DEVNULL,
                             stdout=slave, stderr=slave, env=env or self.env, cwd=self.dir)
        os.close(slave)
        shown = read_terminal(master)
        p.wait(timeout=30)
        os.close(master)
        self.assertEqual(p.returncode, 0, shown)
        return shown.decode().replace("\r\n", "\n")

    def test_a_shortened_table_says_so(self):
        env = dict(self.env, COLUMNS="80")
        shown = self.terminal("request", "list", env=env)
        self.assertIn("…", shown)
        self.assertEqual(shown.count("--wide"), 1, shown)
        self.assertTrue(shown.rstrip("\n").endswith(
            "(columns shortened to fit the terminal; --wide shows everything)"), shown)
        sv = self.terminal("request", "list", env=swedish(env))
        self.assertIn("(kolumner förkortade för att få plats i terminalen; --wide visar allt)", sv)

    def test_nothing_is_said_when_nothing_was_shortened(self):
        for shown in (self.terminal("request", "list", "--wide", env=dict(self.env, COLUMNS="80")),
                      self.terminal("request", "list", env=dict(self.env, COLUMNS="300")),
                      self.terminal("borrower", "list", env=dict(self.env, COLUMNS="300"))):
            self.assertNotIn("--wide", shown)
        # A pipe gets everything and no notice.
        r = self.ok("request", "list", env=dict(self.env, COLUMNS="40"))
        self.assertNotIn("--wide", r.out + r.err)


class SendQuestionTest(LbibTestCase):
    """send-request.sh asks in lbib's language (LANG or library.language), not always Swedish."""

    def setUp(self):
        super().setUp()
        if WRAPPER:
            self.skipTest("not under a wrapper")
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.init()
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)
        self.env.pop("SENDMAIL", None)
        self.ok("recruit", "--name", "Anna Äldre", "--email", "anna@example.se", "--channel",
                "website", "--consent", "register,mailing", "--interviewed", "2026-01-15",
                "--experience", "relative:dementia")
        b = int(self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name",
                        "Kim Låntagare", "--contact-email", "kim@region.example.se").out)
        self.req = int(self.ok("request", "new", "--borrower", b, "--received", "2026-10-01",
                               "--purpose", "Digitala kallelser", "--form", "focus-group",
                          "--time", "2026-12-01 kl. 13–16", "--digital", "--reply-by", REPLY_BY,
                               "--want", "relative:dementia").out)
        self.ok("request", "premeeting", self.req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def ask(self, answer, env):
        """send-request.sh at a terminal, answering `answer`; (exit code, what it showed)."""
        master, slave = pty.openpty()
        p = subprocess.Popen([str(SEND_REQUEST), str(self.req)], stdin=slave,
                             stdout=slave, stderr=slave, env=env, cwd=self.dir)
        os.close(slave)
        screen = b""
        end = time.time() + 60
        while b"? [" not in screen and time.time() < end:
            ready, _, _ = select.select([master], [], [], max(0.0, end - time.time()))
            if not ready:
                break
            try:
                screen += os.read(master, 65536)
            except OSError:  # EIO: it ended without asking
                self.fail(screen.decode(errors="replace"))
        os.write(master, (answer + "\n").encode())
        screen += read_terminal(master, timeout=10)
        p.wait(timeout=60)
        os.close(master)
        return p.returncode, screen.decode().replace("\r\n", "\n")

    def test_the_question_follows_the_language(self):
        code, shown = self.ask("n", self.env)
        self.assertEqual(code, 1, shown)
        self.assertIn("Send (1 message)? [y/N]", shown)
        self.assertIn("Bcc: 1 expert (ids 1)", shown)
        self.assertIn("Nothing was sent.", shown)
        self.assertNotIn("Skicka", shown)
        code, shown = self.ask("nej", swedish(self.env))
        self.assertEqual(code, 1, shown)
        self.assertIn("Skicka (1 meddelande)? [j/N]", shown)
        self.assertIn("Inget skickades.", shown)
        # The configured language, as lbib's own messages follow it.
        conf = self.dir / "sv.toml"
        conf.write_text('[library]\nlanguage = "sv"\n')
        code, shown = self.ask("n", dict(self.env, LBIB_CONFIG=str(conf)))
        self.assertIn("Skicka (1 meddelande)? [j/N]", shown)
        self.assertEqual(self.sink.deliveries, [], "nothing was mailed after no")
        # Yes, in either language's word: it is mailed and recorded.
        code, shown = self.ask("y", self.env)
        self.assertEqual(code, 0, shown)
        self.assertIn("recorded: 1 expert invited to request", shown)
        self.assertEqual(len(self.sink.received_by("anna@example.se")), 1)


class LetterTest(LbibTestCase):
    """Someone without e-mail and telephone is recruited with a postal address, listed apart on
    a dispatch's call list, recorded like a call (by letter), exported and erased with them."""

    def setUp(self):
        super().setUp()
        self.init()
        self.lisa = int(self.ok(
            "recruit", "--name", "Lisa Brev", "--address", "Storgatan 1, 642 30 Flen",
            "--channel", "personal-contact", "--consent", "register,mailing", "--interviewed",
            "2026-01-15", "--experience", "relative:dementia").out)
        self.tor = int(self.ok(
            "recruit", "--name", "Tor Telefon", "--phone", "070-111 22 33", "--channel",
            "personal-contact", "--consent", "register,mailing", "--interviewed", "2026-01-15",
            "--experience", "relative:dementia").out)
        b = int(self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name",
                        "Kim Låntagare", "--contact-email", "kim@region.example.se").out)
        self.req = int(self.ok(
            "request", "new", "--borrower", b, "--received", "2026-10-01", "--purpose",
            "Digitala kallelser", "--form", "focus-group", "--time", "2026-12-01 kl. 13–16",
            "--digital", "--reply-by", REPLY_BY, "--want", "relative:dementia").out)
        self.ok("request", "premeeting", self.req, "--date", "2026-10-05", "--told-compensation",
                "--told-two-experts", "--told-feedback")

    def test_recruited_with_a_postal_address(self):
        e = self.ok("expert", "show", self.lisa, "--format", "json").json()
        self.assertEqual((e["email"], e["phone"], e["postal_address"]),
                         (None, None, "Storgatan 1, 642 30 Flen"))
        self.fails(65, "give --email, --phone or --address", "expert", "edit", self.lisa,
                   "--address", "")
        self.fails(65, "address: ", "expert", "edit", self.lisa, "--address", "x" * 301)
        self.ok("expert", "edit", self.lisa, "--address", "Lillgatan 2, 642 30 Flen")
        self.assertEqual(self.ok("expert", "show", self.lisa, "--format", "json").json()
                         ["postal_address"], "Lillgatan 2, 642 30 Flen")

    def test_the_call_list_lists_letters_apart_and_a_letter_is_recorded(self):
        out = self.dir / "out"
        out.mkdir()
        files = self.ok("dispatch", self.req, "--out", out).out.split()
        self.assertEqual(len(files), 1)  # nobody with e-mail: the call list only
        text = open(files[0], encoding="utf-8").read()
        calls, letters = text.split("Per brev (ingen e-post, ingen telefon):")
        self.assertIn(f"{self.tor}\tTor Telefon\t070-111 22 33", calls)
        self.assertNotIn("Lisa", calls)
        self.assertIn(f"{self.lisa}\tLisa Brev\tStorgatan 1, 642 30 Flen", letters)
        self.assertIn(f"--called {self.lisa},{self.tor}", text.replace(f"{self.tor},{self.lisa}",
                                                                      f"{self.lisa},{self.tor}"))
        self.ok("dispatch", self.req, "--called", f"{self.tor},{self.lisa}", "--date", "2026-10-06")
        invited = {i["expert"]: i["channel"] for i in
                   self.ok("request", "show", self.req, "--format", "json").json()["invitations"]}
        self.assertEqual(invited, {self.tor: "phone", self.lisa: "letter"})
        shown = self.ok("request", "show", self.req, env=swedish(self.env)).out
        self.assertIn("per brev", shown)

    def test_the_address_is_exported_and_erased_with_the_person(self):
        export = self.ok("expert", "export", self.lisa).json()
        self.assertEqual(export["expert"]["postal_address"], "Storgatan 1, 642 30 Flen")
        self.ok("expert", "erase", self.lisa, "--yes")
        import sqlite3
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT postal_address FROM expert WHERE id = ?",
                                     (self.lisa,)).fetchone(), (None,))
        con.close()


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""A working week's mistakes and their repair (issue #14), as an independent test found them:
reminders that go away once handled, a booked follow-up meeting cancelled, a paid payment
changed only as a correction, Table 1 after a correction, reports and records at 80 columns,
the interview's duplicates and people without e-mail, Swedish throughout, date and year
rules, "did you mean" at every level and unknown ids. Each on the real binary."""
import datetime
import re
import shlex
import unittest

from lbibtest import WRAPPER, LbibTestCase, on_terminal
from test_day import width
from test_interview import AREAS

TODAY = datetime.date.today()
ANSWERS = ["--answer", "how-it-went=Bra", "--answer", "contribution=Mycket",
           "--answer", "insights=Nya", "--answer", "use-of-results=I arbetet",
           "--answer", "feedback-plan=Ett brev"]


def day(n):
    """The date n days from today (negative: ago)."""
    return (TODAY + datetime.timedelta(days=n)).isoformat()


class WeekCase(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.config = self.dir / "config.toml"
        self.config.write_text(
            "[library]\n"
            'language = "en"\n'
            "[compensation]\n"
            "rates = [ { valid_from = 2020-01-01, hour = 100, half_day = 400, full_day = 800 } ]\n")
        self.env["LBIB_CONFIG"] = str(self.config)
        self.init()
        self.borrower = int(self.ok("borrower", "add", "--organisation", "Region Exempel",
                                    "--contact-name", "Kim Låntagare",
                                    "--contact-email", "kim@region.example.se").out)
        self.anna = self.person("Anna Annorlunda", "--email", "anna@example.se")
        self.bo = self.person("Bo Böök", "--email", "bo@example.se")

    def person(self, name, *reach, consent="register,mailing", extra=()):
        return int(self.ok("recruit", "--name", name, *reach, "--channel", "personal-contact",
                           "--consent", consent, "--interviewed", day(-100),
                           "--experience", "relative:dementia:2019:major", *extra).out)

    def request(self, want="dementia", received=None):
        return int(self.ok("request", "new", "--borrower", self.borrower,
                           "--received", received or day(-60), "--purpose", "Digitala kallelser",
                           "--form", "workshop", "--time", "eftermiddag", "--digital",
                           "--reply-by", received or day(-50), "--want", want).out)

    def premeeting(self, req, on=None):
        self.ok("request", "premeeting", req, "--date", on or day(-59), "--told-compensation",
                "--told-two-experts", "--told-feedback")

    def dispatched(self, experts):
        req = self.request()
        self.premeeting(req)
        out = self.dir / f"out{req}"
        out.mkdir()
        # Mailed on day(-58), composed today, after the reply-by date: said so.
        written = self.ok("dispatch", req, "--out", out, "--experts", ",".join(map(str, experts)),
                          "--past-reply-by")
        for eml in written.out.split():
            if eml.endswith(".eml"):
                self.ok("dispatch", req, "--record", eml, "--date", day(-58))
        return req

    def loaned(self, experts, *extra):
        req = self.dispatched(experts)
        fewer = ["--fewer-reason", "Bara en kunde"] if len(experts) < 2 else []
        self.ok("loan", req, "--date", day(-40), "--expert", ",".join(map(str, experts)),
                *fewer, *extra)
        return req

    def followed_up(self, experts):
        req = self.loaned(experts)
        self.ok("followup", "record", req, "--date", day(-30), "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        return req

    def remind(self):
        return self.ok("remind", "--all", "--format", "json").json()

    def kinds_of(self, req):
        return [i["kind"] for i in self.remind() if i["request"] == req]

    def run_printed(self, command):
        """A suggested lbib command, run as printed."""
        words = shlex.split(command)
        self.assertEqual(words[0], "lbib", command)
        return self.ok(*words[1:])

    def show(self, req):
        return self.ok("request", "show", req, "--format", "json").json()


class RemindersGoAwayTest(WeekCase):
    def test_a_summary_nobody_can_be_mailed_is_told_and_recorded(self):
        tor = self.person("Tor Telefon", "--phone", "070-111 22 33")
        cia = self.person("Cia Ciss", "--email", "cia@example.se")
        req = self.dispatched([cia])
        self.ok("loan", req, "--date", day(-40), "--expert", cia,
                "--uninvited", f"{tor}:Ringdes in")
        self.ok("expert", "edit", cia, "--withdraw", "mailing")
        self.ok("followup", "record", req, "--date", day(-30), "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        # Mailing it is impossible, and remind does not pretend it is.
        self.assertIn("summary-told", self.kinds_of(req))
        self.assertNotIn("summary", self.kinds_of(req))
        item = [i for i in self.remind() if i["kind"] == "summary-told"][0]
        self.assertEqual(item["command"], f"lbib followup summary told {req} --date {day(0)}")
        digest = self.ok("remind").out  # the sentences people read
        self.assertIn("telephone", digest)
        self.assertIn(item["command"], digest)
        self.assertNotIn("send-followup", digest)
        self.run_printed(item["command"])
        self.assertIn("feedback", self.kinds_of(req))
        self.assertNotIn("summary-told", self.kinds_of(req), "handled: the hint is gone")
        self.assertEqual(self.show(req)["followup"][0]["summary_sent_on"], day(0))
        self.fails(65, "already recorded", "followup", "summary", "told", req)
        # Confirming the feedback finishes the request, as after a mailed summary.
        self.ok("followup", "feedback", req, "--date", day(0))
        self.assertEqual(self.show(req)["state"], "finished")

    def test_told_is_refused_while_someone_can_be_mailed(self):
        req = self.followed_up([self.anna, self.bo])
        self.assertIn("summary", self.kinds_of(req))
        self.assertNotIn("summary-told", self.kinds_of(req))
        self.fails(65, f"expert {self.anna} may be mailed the summary", "followup", "summary",
                   "told", req)
        self.fails(65, "in the future", "followup", "summary", "told", req, "--date", day(3))
        self.fails(65, "before the follow-up meeting", "followup", "summary", "told", req,
                   "--date", day(-35))
        self.fails(66, "999", "followup", "summary", "told", "999")

    def test_a_request_nobody_matches_says_so_and_can_be_declined(self):
        req = self.request(want="psychiatry")
        self.premeeting(req, day(-20))
        items = [i for i in self.remind() if i["request"] == req]
        self.assertEqual([i["kind"] for i in items], ["no-match"])
        text = self.ok("remind").out  # the sentences people read
        self.assertIn("no expert matches", text)
        self.assertIn(f"lbib match {req} --left-out", text)
        self.assertNotIn("send-request", text)
        # Every command named in the sentence runs as printed.
        for command in ("lbib help request edit", "lbib help request pick",
                        f"lbib match {req} --left-out"):
            self.assertIn(command, text)
            self.run_printed(command)
        self.run_printed(items[0]["command"])
        self.assertEqual(self.show(req)["state"], "declined")
        self.assertEqual(self.kinds_of(req), [])

    def test_widening_the_request_turns_it_back_into_a_dispatch(self):
        req = self.request(want="psychiatry")
        self.premeeting(req, day(-20))
        self.assertEqual(self.kinds_of(req), ["no-match"])
        self.ok("request", "edit", req, "--want", "dementia")
        # Its reply-by date (day -50) has passed: a new one first, then the mail.
        self.assertEqual(self.kinds_of(req), ["dispatch-reply-by"])
        self.ok("request", "edit", req, "--reply-by", day(7))
        self.assertEqual(self.kinds_of(req), ["dispatch"])


class FollowupCancelTest(WeekCase):
    def test_a_booked_meeting_is_cancelled_and_the_loan_can_then_be_undone(self):
        req = self.loaned([self.anna, self.bo])
        self.ok("followup", "book", req, "--date", day(5))
        r = self.fails(65, f"lbib followup cancel {req} --reason", "loan", "undo", req,
                       "--reason", "Fel förfrågan")
        self.assertIn(f"booked for {day(5)}", r.err)
        self.fails(64, "--reason", "followup", "cancel", req)
        self.ok("followup", "cancel", req, "--reason", "Lånet registrerades på fel förfrågan")
        shown = self.show(req)
        self.assertEqual(shown["followup"], [])
        event = shown["history"][-1]
        self.assertEqual((event["correction"], event["note"]),
                         ("followup_booking", "Lånet registrerades på fel förfrågan"))
        audit = self.ok("log", "--entity", "request", "--id", req, "--format", "json").json()
        self.assertEqual((audit[-1]["action"], audit[-1]["detail"]),
                         ("followup-cancel", "followup_booking"))
        # Booked no more: remind asks to book it again, and the loan can be undone.
        self.assertEqual(self.kinds_of(req), ["followup-booking"])
        self.fails(65, "no follow-up meeting booked", "followup", "cancel", req, "--reason", "x")
        self.ok("loan", "undo", req, "--reason", "Fel förfrågan")
        self.assertEqual(self.show(req)["state"], "dispatched")

    def test_a_meeting_held_is_not_cancelled(self):
        req = self.followed_up([self.anna])
        self.fails(65, "followup correct", "followup", "cancel", req, "--reason", "x")
        self.fails(66, "999", "followup", "cancel", "999", "--reason", "x")


class PaymentCorrectionTest(WeekCase):
    def test_a_paid_payment_changes_only_as_a_correction(self):
        req = self.loaned([self.anna])
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--quantity", "2",
                "--travel", "50", "--status", "paid", "--date", day(-10))
        self.fails(65, "changing it is a correction: add --reason", "pay", req, "--expert",
                   self.anna, "--travel", "80", "--status", "paid", "--date", day(-10))
        self.fails(65, "changing it is a correction", "pay", req, "--expert", self.anna,
                   "--status", "due")
        # The same record again changes nothing (a rerun of a script).
        before = self.snapshot()
        self.ok("pay", req, "--expert", self.anna, "--status", "paid", "--date", day(-10))
        self.assertEqual(before, self.snapshot())
        self.ok("pay", req, "--expert", self.anna, "--travel", "80", "--status", "paid",
                "--date", day(-10), "--reason", "Fel reseersättning")
        pay = self.ok("report", "payments", "--all", "--format", "json").json()[0]
        self.assertEqual((pay["travel"], pay["amount"], pay["status"]), (80, 280, "paid"))
        event = self.show(req)["history"][-1]
        self.assertEqual((event["correction"], event["note"]), ("payment:travel", "Fel reseersättning"))
        audit = self.ok("log", "--entity", "request", "--id", req, "--format", "json").json()
        self.assertEqual(audit[-1]["action"], "pay-correct")
        self.assertNotIn("80", audit[-1]["detail"])

    def test_no_payment_settled_in_the_future(self):
        req = self.loaned([self.anna])
        for status in ("paid", "declined"):
            self.fails(65, f"date: {day(1)} is in the future", "pay", req, "--expert", self.anna,
                       "--unit", "hour", "--status", status, "--date", day(1))
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--status", "due",
                "--date", day(-1))


class TableOneTest(WeekCase):
    def test_the_comment_follows_a_corrected_loan(self):
        cia = self.person("Cia Ciss", "--email", "cia@example.se")
        req = self.dispatched([self.anna, self.bo])
        self.ok("loan", req, "--date", day(-40), "--expert", f"{self.anna},{self.bo}",
                "--uninvited", f"{cia}:Kom med i sista stund")
        def comment():
            rows = self.ok("report", "requests", "--from", str(TODAY.year - 1), "--to",
                           str(TODAY.year), "--format", "json").json()
            return [r for r in rows if r["request"] == req][0]["comment"]
        self.assertIn("Kom med i sista stund", comment())
        self.ok("loan", "correct", req, "--expert", f"{self.anna},{self.bo}",
                "--reason", "Cia deltog inte")
        self.assertNotIn("Kom med i sista stund", comment() or "")
        self.assertNotIn("Cia deltog inte", comment() or "", "never a correction's reason")
        # Added again by a correction, the comment says so again; the history keeps all.
        self.ok("loan", "correct", req, "--uninvited", f"{cia}:Hoppade in ändå")
        self.assertIn("Hoppade in ändå", comment())
        self.assertNotIn("Kom med i sista stund", comment())
        notes = [e["note"] or "" for e in self.show(req)["history"]]
        self.assertTrue(any("Cia deltog inte" in n for n in notes))


class DatesAndYearsTest(WeekCase):
    def test_hold_until_before_the_request_arrived_is_refused(self):
        req = self.request(received=day(-10))
        self.fails(65, f"until: {day(-11)} is before the request was received ({day(-10)})",
                   "request", "hold", req, "--until", day(-11))
        self.ok("request", "hold", req, "--until", day(-10))

    def test_birth_year_in_a_plausible_range(self):
        year = TODAY.year
        for bad in ("2100", str(year + 1), "1899"):
            self.fails(65, f"from 1900 to {year} is accepted", "recruit", "--name", "Ny Person",
                       "--email", "ny@example.se", "--channel", "website", "--consent", "register",
                       "--birth-year", bad)
            self.fails(65, f"from 1900 to {year} is accepted", "expert", "edit", self.anna,
                       "--birth-year", bad)
        self.ok("expert", "edit", self.anna, "--birth-year", str(year))


class DuplicatesTest(WeekCase):
    def test_spacing_and_case_do_not_hide_a_duplicate(self):
        self.ok("expert", "edit", self.anna, "--birth-year", "1960")
        for name, email in (("  anna   ANNORLUNDA ", "ny1@example.se"),
                            ("Anna\u00a0Annorlunda", "ny2@example.se")):
            self.fails(65, f"already registered as expert {self.anna}", "recruit", "--name", name,
                       "--email", email, "--birth-year", "1960", "--channel", "website",
                       "--consent", "register")
        self.fails(65, f"already registered as expert {self.anna}", "recruit", "--name", "Annan",
                   "--email", "ANNA@Example.SE", "--channel", "website", "--consent", "register")

    def test_expert_edit_is_checked_too(self):
        self.fails(65, f"expert {self.bo} would look like expert {self.anna}", "expert", "edit",
                   self.bo, "--email", "Anna@example.se")
        self.ok("expert", "edit", self.anna, "--phone", "070-123 45 67")
        self.fails(65, f"would look like expert {self.anna}", "expert", "edit", self.bo,
                   "--phone", "0701234567")
        # Its own e-mail again is no duplicate; another's is allowed when said explicitly.
        self.ok("expert", "edit", self.anna, "--email", "ANNA@example.se")
        self.ok("expert", "edit", self.bo, "--email", "anna@example.se", "--allow-duplicate")


class SuggestAndIdsTest(WeekCase):
    def test_did_you_mean_below_a_command_with_arguments(self):
        self.fails(64, "did you mean 'lbib loan correct'?", "loan", "corect", "1")
        self.fails(64, "did you mean 'lbib followup summary undo'?", "followup", "summary", "undoo",
                   "1")
        self.fails(64, "did you mean 'lbib request pick undo'?", "request", "pick", "unod", "1")
        # A number is the command's own argument, as before.
        self.fails(66, "999", "loan", "999", "--date", day(-1), "--expert", "1")

    def test_every_unknown_id_is_no_input(self):
        """Every command that takes an id exits 66 for one that does not exist."""
        req = self.followed_up([self.anna])
        commands = [
            ["pay", "{}", "--expert", self.anna, "--status", "paid"],
            ["pay", req, "--expert", "{}", "--unit", "hour", "--status", "paid"],
            ["loan", "{}", "--date", day(-1), "--expert", self.anna],
            ["loan", "correct", "{}", "--external", "2"],
            ["loan", "undo", "{}", "--reason", "x"],
            ["match", "{}"],
            ["dispatch", "{}", "--out", "."],
            ["dispatch", "undo", "{}", "--reason", "x"],
            ["answer", "{}", "yes", "--expert", self.anna],
            ["request", "show", "{}"],
            ["request", "edit", "{}", "--purpose", "x"],
            ["request", "hold", "{}", "--until", day(1)],
            ["request", "resume", "{}"],
            ["request", "decline", "{}", "--reason", "no-match"],
            ["request", "reopen", "{}", "--reason", "x"],
            ["request", "premeeting", "{}", "--told-compensation", "--told-two-experts",
             "--told-feedback"],
            ["request", "pick", "{}", self.anna],
            ["request", "pick", "undo", "{}", self.anna],
            ["followup", "book", "{}", "--date", day(1)],
            ["followup", "cancel", "{}", "--reason", "x"],
            ["followup", "record", "{}", "--satisfaction", "4", "--new-insights", "yes",
             "--compensation", "paid", *ANSWERS],
            ["followup", "correct", "{}", "--satisfaction", "3"],
            ["followup", "feedback", "{}", "--date", day(0)],
            ["followup", "summary", "{}", "--out", "."],
            ["followup", "summary", "told", "{}"],
            ["followup", "summary", "undo", "{}", "--reason", "x"],
            ["expert", "show", "{}"],
            ["expert", "edit", "{}", "--municipality", "Flen"],
            ["expert", "map", "{}"],
            ["expert", "leave", "{}"],
            ["expert", "prefer", "{}", "--setting", "digital"],
            ["expert", "export", "{}"],
            ["expert", "describe", "{}", "--text", "x"],
            ["expert", "merge", self.anna, "{}", "--yes"],
            ["expert", "merge", "{}", self.anna, "--yes"],
            ["expert", "erase", "{}", "--yes"],
            ["borrower", "show", "{}"],
            ["borrower", "edit", "{}", "--unit", "x"],
            ["borrower", "export", "{}"],
            ["borrower", "erase", "{}", "--yes"],
            ["borrower", "merge", self.borrower, "{}", "--yes"],
            ["request", "new", "--borrower", "{}", "--purpose", "x", "--form", "workshop",
             "--want", "dementia"],
            ["request", "premeeting", "correct", "{}", "--date", day(-1)],
            ["gdpr", "request", "add", "--kind", "access", "--expert", "{}"],
            ["gdpr", "request", "done", "{}"],
        ]
        for command in commands:
            args = [str(a).replace("{}", "999") for a in command]
            with self.subTest(command=" ".join(args)):
                r = self.run_lbib(*args)
                self.assertEqual(r.code, 66, f"lbib {' '.join(args)}: {r.err}")
                self.assertIn("999", r.err)


class WidthTest(WeekCase):
    def setUp(self):
        super().setUp()
        if WRAPPER:
            self.skipTest("not under a wrapper")
        self.narrow_env = {k: v for k, v in self.env.items() if k != "COLUMNS"}
        long_org = int(self.ok("borrower", "add", "--organisation",
                               "Region Sörmland, Hälso- och sjukvårdsförvaltningen, Område Öst",
                               "--unit", "Enheten för patientsäkerhet och kvalitetsutveckling",
                               "--contact-name", "Åke Ärlig", "--contact-email", "ake@example.se").out)
        self.ok("expert", "edit", self.anna, "--municipality", "Eskilstuna",
                "--notes", "Vill helst delta digitalt på eftermiddagar, gärna i mindre grupper "
                "och aldrig före klockan tio på förmiddagen")
        self.req = int(self.ok(
            "request", "new", "--borrower", long_org, "--purpose",
            "Förbättra väntrummet på vårdcentralen i Ängsö så att äldre och anhöriga hittar rätt",
            "--form", "focus-group", "--want", "relative:dementia", "--received", day(-3)).out)
        self.ok("request", "decline", self.req, "--reason", "no-match")

    def check_fits(self, *args):
        lines = on_terminal(self, *args, env=self.narrow_env)
        self.assertTrue(lines, args)
        for line in lines:
            self.assertLessEqual(width(line), 80, f"{args}: {line}")
        wide = on_terminal(self, *args, "--wide", env=self.narrow_env)
        self.assertTrue(any(width(line) > 80 for line in wide), f"{args}: --wide shows all")
        return lines, wide

    def test_reports_and_records_fit_80_columns(self):
        for args in (("report", "requests", "--from", TODAY.year, "--to", TODAY.year),
                     ("report", "pool"),
                     ("expert", "show", self.anna),
                     ("request", "show", self.req)):
            with self.subTest(args=args):
                lines, wide = self.check_fits(*args)
                self.assertTrue(any("…" in line for line in lines), "shortened with an ellipsis")
        # A pipe gets everything.
        piped = self.ok("expert", "show", self.anna, env=dict(self.env, COLUMNS="40")).out
        self.assertIn("aldrig före klockan tio på förmiddagen", piped)


class SwedishTest(WeekCase):
    """Under a Swedish environment every word a person reads is Swedish."""

    def setUp(self):
        super().setUp()
        # Messages follow the environment when the configuration does not choose.
        self.config.write_text(self.config.read_text().replace('language = "en"\n', ""))
        self.env = dict(self.env, LANG="sv_SE.UTF-8", LC_ALL="")
        self.env.pop("LC_ALL")

    def test_today_is_swedish(self):
        req = self.request(received=day(-10))
        shown = self.ok("today", "--wide").out
        # The commands are commands; the words around them are Swedish.
        text = re.sub(r"lbib [^\n]*", "", shown)
        for english in ("Overdue", "overdue", "Requests", "requests", "Coming", "Data protection",
                        "request", "kind", "since", "next step", "due", "hold the"):
            self.assertNotIn(english, text)
        self.assertIn("Försenat", text)
        self.assertIn(str(req), text)

    def help_entries(self, path, lang):
        """The description line and each option's and subcommand's text of `lbib PATH --help`
        in `lang`, with the subcommands it lists."""
        env = dict(self.env, LANG=lang)
        text = self.ok(*path, "--help", env=env, db=False).out
        entries, subs, section = {}, [], None
        for line in text.splitlines():
            if re.match(r"^\S.*:$", line):
                section = line
                continue
            m = re.match(r"^  (\S+(?:,\S+)*(?: [A-Z:\[\]\.]+)*)\s{2,}(.*)$", line)
            if m and section:
                entries[m.group(1)] = m.group(2)
                if section in ("Subcommands:", "Underkommandon:") and m.group(1) != "help":
                    subs.append(m.group(1))
        return text.splitlines()[0], entries, subs

    def test_every_help_text_is_swedish(self):
        """Every command's help, walked through the whole tree: no description, option or
        subcommand text reads the same in Swedish as in English."""
        untranslated, todo, seen = [], [[]], 0
        while todo:
            path = todo.pop()
            seen += 1
            en_first, en, subs = self.help_entries(path, "C.UTF-8")
            sv_first, sv, _ = self.help_entries(path, "sv_SE.UTF-8")
            if path and en_first == sv_first:
                untranslated.append((" ".join(path), en_first))
            for key, text in en.items():
                if sv.get(key) == text and re.search(r"[a-z]{3}", text):
                    untranslated.append((" ".join(path), key, text))
            todo += [path + [s] for s in subs]
        self.assertGreater(seen, 80, "the whole tree was walked")
        self.assertEqual(untranslated, [])

    def test_interview_errors_are_swedish(self):
        r = self.run_lbib("recruit", "--interactive",
                          input="j\nAnna\nfel-adress\n" + "\n" * 3)
        self.assertNotEqual(r.code, 0)
        self.assertIn("e-post", r.err.lower())
        for english in ("not an e-mail", "is not", "accepted", "required"):
            self.assertNotIn(english, r.err)


def interview(contact, after):
    """The interview's lines: the register consent, `contact` (name to notes of the profile),
    no experience, no wishes, the other consents, the method, no notes, then `after`."""
    lines = ["j", *contact]
    lines += ["n"] * len(AREAS) + ["n"]  # no area, and not again through the map
    lines += ["n", "j", "n", "", ""]  # no wishes, mailing yes, website no, oral, no notes
    return "\n".join(lines + list(after)) + "\n"


class InterviewTest(WeekCase):
    def test_a_duplicate_is_said_before_saving_and_an_answer_changed(self):
        contact = ["Ny Person", "ANNA@example.se", "", "Flen", "1970", "n", "n", "n", "2"]
        # "Spara? j": it says which id, "Spara ändå? n", then the e-mail (answer 3) is changed.
        r = self.run_lbib("recruit", "--interactive",
                          input=interview(contact, ["j", "n", "3", "ny@example.se", "j"]))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn(f"expert {self.anna}", r.err)
        new = int(r.out)
        self.assertEqual(self.ok("expert", "show", new, "--format", "json").json()["email"],
                         "ny@example.se")
        # Or saved anyway after a confirmation, as --allow-duplicate.
        r = self.run_lbib("recruit", "--interactive",
                          input=interview(contact, ["j", "j"]))
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(self.ok("expert", "show", int(r.out), "--format", "json").json()["email"],
                         "ANNA@example.se")

    def test_a_person_without_email_is_interviewed(self):
        contact = ["Tor Telefon", "", "070-111 22 33", "Flen", "", "n", "n", "n", "2"]
        r = self.run_lbib("recruit", "--interactive", input=interview(contact, ["j"]))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("telefon", r.err.lower())
        self.assertNotIn("Postal address on one line", r.err, "a telephone is enough")
        e = self.ok("expert", "show", int(r.out), "--format", "json").json()
        self.assertEqual((e["email"], e["phone"], e["postal_address"]), (None, "070-111 22 33", None))

    def test_a_person_without_email_and_telephone_is_written_to(self):
        # Without e-mail and telephone the postal address is required: an empty answer is
        # asked again.
        contact = ["Lisa Brev", "", "", "", "Storgatan 1, 642 30 Flen", "Flen", "", "n", "n", "n", "2"]
        r = self.run_lbib("recruit", "--interactive", input=interview(contact, ["j"]))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("is reached by letter: give an address", r.err)
        self.assertIn("Postal address: Storgatan 1, 642 30 Flen", r.err)  # in the summary
        e = self.ok("expert", "show", int(r.out), "--format", "json").json()
        self.assertEqual((e["email"], e["phone"], e["postal_address"]),
                         (None, None, "Storgatan 1, 642 30 Flen"))


if __name__ == "__main__":
    unittest.main()

# SPDX-License-Identifier: MIT
"""A contact person's day (issue #14): every hint of `lbib remind` run as printed against the
real binary (the scripts through real msmtp to a local SMTP server), and `lbib today` on an
empty and on a busy register."""
import datetime
import unicodedata
import re
import shlex
import shutil
import subprocess
import unittest

from lbibtest import LBIB, SOURCE_DIR, WRAPPER, LbibTestCase, on_terminal
from mailsink import MailSink

LIBRARY = "levande.bibliotek@example.se"
TODAY = datetime.date.today()
ANSWERS = ["--answer", "how-it-went=Bra", "--answer", "contribution=Mycket",
           "--answer", "insights=Nya", "--answer", "use-of-results=I arbetet",
           "--answer", "feedback-plan=Ett brev"]
# A command as a reminder's sentence names it: after "(" or "(see " / "(se ", up to ";" or ")".
COMMAND = re.compile(r"\((?:see |se )?((?:lbib|scripts/)[^;)]*)")


def day(n):
    """The date n days from today (negative: ago), as lbib reads dates."""
    return (TODAY + datetime.timedelta(days=n)).isoformat()


class DayCase(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.config = self.dir / "config.toml"
        self.config.write_text(
            "[library]\n"
            'language = "sv"\n'
            f'email = "{LIBRARY}"\n'
            'contact_persons = [ { name = "Kim Kontakt", email = "kim.kontakt@example.se" } ]\n')
        self.env["LBIB_CONFIG"] = str(self.config)
        self.init()
        self.borrower = int(self.ok("borrower", "add", "--organisation", "Region Exempel",
                                    "--contact-name", "Kim Låntagare",
                                    "--contact-email", "kim@region.example.se").out)
        self.anna = self.recruit("Anna Annorlunda", "anna@example.se")
        self.bo = self.recruit("Bo Böök", "bo@example.se")

    def recruit_on(self, name, email, on):
        """An expert recruited, and consenting, on a given day."""
        return int(self.ok("recruit", "--name", name, "--email", email, "--channel", "website",
                           "--consent", "register,mailing", "--interviewed", on,
                           "--experience", "patient:dementia").out)

    def request(self, received, time="eftermiddag", reply_by=None):
        return int(self.ok("request", "new", "--borrower", self.borrower, "--received", received,
                           "--purpose", "Digitala kallelser", "--form", "workshop", "--time", time,
                           "--digital", "--reply-by", reply_by or received, "--want", "dementia").out)

    def premeeting(self, req, on):
        self.ok("request", "premeeting", req, "--date", on, "--told-compensation",
                "--told-two-experts", "--told-feedback")

    def dispatched(self, received, **kw):
        req = self.request(received, **kw)
        self.premeeting(req, received)
        out = self.dir / f"out{req}"
        out.mkdir()
        # Mailed on `received` (composed today, after its reply-by date: said so).
        eml = self.ok("dispatch", req, "--out", out, "--experts", f"{self.anna},{self.bo}",
                      "--past-reply-by").out.split()[0]
        self.ok("dispatch", req, "--record", eml, "--date", received)
        return req

    def loaned(self, on):
        req = self.dispatched(day(-60))
        self.ok("loan", req, "--date", on, "--expert", f"{self.anna},{self.bo}")
        return req

    def followed_up(self, on):
        req = self.loaned(day(-50))
        self.ok("followup", "record", req, "--date", on, "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "arranged", *ANSWERS)
        return req


class RemindHintsTest(DayCase):
    """A register where every kind of reminder is due; each command remind suggests runs."""

    def setUp(self):
        super().setUp()
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env.pop("SENDMAIL", None)
        self.kinds = {}
        self.kinds["pre-meeting"] = self.request(day(-10))
        req = self.request(day(-10), reply_by=day(5))
        self.premeeting(req, day(-5))
        self.kinds["dispatch"] = req
        req = self.request(day(-10))  # its reply-by date has passed: a new one first
        self.premeeting(req, day(-5))
        self.kinds["dispatch-reply-by"] = req
        req = int(self.ok("request", "new", "--borrower", self.borrower, "--received", day(-10),
                          "--purpose", "Psykiatrin", "--form", "workshop", "--want",
                          "psychiatry").out)
        self.premeeting(req, day(-5))
        self.kinds["no-match"] = req  # nobody has the experience: widen, pick or decline
        req = self.request(day(-40))
        self.ok("request", "ask-detail", req, "--date", day(-30))
        self.kinds["detail"] = req
        req = self.request(day(-20))
        self.ok("request", "hold", req, "--until", day(-1), "--date", day(-19))
        self.kinds["hold"] = req
        self.kinds["reply"] = self.dispatched(day(-20), reply_by=day(-10))
        self.kinds["loan"] = self.dispatched(day(-20), time=f"{day(-2)} kl. 13–16", reply_by=day(-5))
        self.kinds["followup-booking"] = self.loaned(day(-10))
        req = self.loaned(day(-10))
        self.ok("followup", "book", req, "--date", day(-2))
        self.kinds["followup-overdue"] = req
        self.kinds["summary"] = self.followed_up(day(-9))
        req = self.followed_up(day(-40))
        out = self.dir / f"sum{req}"
        out.mkdir()
        for eml in self.ok("followup", "summary", req, "--out", out).out.split():
            self.ok("followup", "summary", req, "--record", eml, "--date", day(-39))
        self.ok("pay", req, "--expert", self.anna, "--unit", "hour", "--status", "due", "--date", day(-40))
        self.kinds["feedback"] = self.kinds["payment"] = self.kinds["borrower-feedback"] = req
        # The experts' questionnaire, sent 20 days ago and unanswered (issue #15).
        req = self.loaned(day(-30))
        out = self.dir / f"questionnaire{req}"
        out.mkdir()
        for eml in self.ok("followup", "questionnaire", req, "--out", out).out.split():
            self.ok("followup", "questionnaire", req, "--record", eml, "--date", day(-20))
        self.kinds["questionnaire"] = req
        # Data protection: a consent to re-confirm, a data-subject request, an erasure.
        self.kinds["gdpr-reconfirm"] = self.recruit_on("Cia Ciss", "cia@example.se", day(-4 * 366))
        left = self.recruit_on("Dan Dansk", "dan@example.se", day(-4 * 366))
        self.ok("expert", "leave", left, "--date", day(-3 * 366))
        self.kinds["gdpr-erase"] = left
        self.kinds["gdpr-subject-request"] = int(self.ok(
            "gdpr", "request", "add", "--kind", "access", "--expert", self.anna,
            "--received", day(-28)).out)

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def register_files(self):
        return [p for p in (self.db, self.dir / (self.db.name + "-wal")) if p.exists()]

    def run_hint(self, command):
        """Runs a command as printed: lbib against the register, a script from the source tree
        (as the README shows them) with the register in LBIB_DB."""
        words = shlex.split(command)
        if words[0] == "lbib":
            return self.run_lbib(*words[1:])
        env = dict(self.env, LBIB=LBIB, LBIB_DB=str(self.db))
        p = subprocess.run([str(SOURCE_DIR / words[0]), *words[1:]], capture_output=True, text=True,
                           env=env, cwd=self.dir, stdin=subprocess.DEVNULL, timeout=120)
        p.code, p.err = p.returncode, p.stderr
        return p

    def test_every_kind_is_due_and_every_command_runs_as_printed(self):
        items = self.ok("remind", "--all", "--format", "json").json()
        due = {(i["kind"], i["request"] or i["expert"]) for i in items}
        for kind, subject in self.kinds.items():
            if kind == "gdpr-subject-request":
                self.assertIn(kind, {k for k, _ in due})
            else:
                self.assertIn((kind, subject), due)
        # The digest names the same commands as the JSON (and a few alternatives in words).
        digest = self.ok("remind").out
        in_text = set(COMMAND.findall(digest))
        in_json = {i["command"] for i in items}
        self.assertNotIn("...", digest)
        # The JSON carries data only: no sentence in the register's language.
        self.assertTrue(all("text" not in i for i in items))
        self.assertLessEqual(in_json, in_text)
        extra = in_text - in_json
        self.assertTrue(extra, "the alternatives named in words are run too")
        # Each command, on the register as remind saw it.
        saved = self.dir / "saved"
        saved.mkdir()
        for f in self.register_files():
            shutil.copy2(f, saved / f.name)
        for command in sorted(in_text):
            with self.subTest(command=command):
                r = self.run_hint(command)
                self.assertEqual(r.code, 0, f"{command}: {r.err}")
                if command in in_json:
                    # Done as suggested, the item is no longer due.
                    after = self.ok("remind", "--all", "--format", "json").json()
                    self.assertNotIn(command, {i["command"] for i in after})
            for f in self.register_files():
                f.unlink()
            for f in saved.iterdir():
                shutil.copy2(f, self.dir / f.name)
        # The scripts really mailed: the request to its experts, the summary to those who took part.
        self.assertTrue(self.sink.received_by("anna@example.se"))

    def test_the_loan_date_and_the_reply_by_date(self):
        """A loan date in the request's time: reminded once it has passed, not the reply-by."""
        items = self.ok("remind", "--all", "--format", "json").json()
        loan = [i for i in items if i["request"] == self.kinds["loan"]]
        self.assertEqual([i["kind"] for i in loan], ["loan"])
        self.assertEqual(loan[0]["since"], day(-2))
        self.assertEqual(loan[0]["command"], f"lbib loan {self.kinds['loan']} --date {day(-2)} "
                                             f"--expert {self.anna},{self.bo}")
        # Before the loan date nothing is due for it, however long ago the reply-by date was.
        self.assertNotIn(self.kinds["loan"], [i["request"] for i in self.ok(
            "remind", "--all", "--today", day(-2), "--format", "json").json()])


class TodayTest(DayCase):
    def test_an_empty_register_has_nothing_to_do(self):
        self.assertEqual(self.ok("today").out,
                         "Inget att göra i dag: ingen förfrågan väntar, inget är försenat och "
                         "inget förfaller de närmaste 14 dagarna.\n")
        self.assertEqual(self.ok("idag").out, self.ok("today").out, "the Swedish alias")
        data = self.ok("today", "--format", "json").json()
        self.assertEqual(data, {"today": TODAY.isoformat(), "overdue": [], "coming": [],
                                "requests": [], "data_protection": []})

    def test_a_busy_register(self):
        waiting = self.request(day(-10))
        fresh = self.request(day(-1))
        planned = self.dispatched(day(-3), time=f"{day(5)} kl. 9", reply_by=day(1))
        for expert in (self.anna, self.bo):  # enough said yes: no "volunteers" item (issue #15)
            self.ok("answer", planned, "yes", "--expert", expert, "--date", day(-2))
        booked = self.loaned(day(-3))
        self.ok("followup", "book", booked, "--date", day(10))
        finished = self.request(day(-5))
        self.ok("request", "decline", finished, "--reason", "no-match")
        data = self.ok("today", "--format", "json").json()
        self.assertEqual(data["today"], TODAY.isoformat())
        # Overdue is exactly what remind says is due.
        remind = self.ok("remind", "--all", "--format", "json").json()
        self.assertEqual([(o["request"], o["kind"], o["command"]) for o in data["overdue"]],
                         [(i["request"], i["kind"], i["command"]) for i in remind if i["request"]])
        self.assertIn((waiting, "pre-meeting"), [(o["request"], o["kind"]) for o in data["overdue"]])
        # Coming: the fresh request's pre-meeting, the loan day, the follow-up meeting.
        coming = [(c["on"], c["request"], c["kind"]) for c in data["coming"]]
        self.assertIn((day(6), fresh, "pre-meeting"), coming)
        self.assertIn((day(5), planned, "loan-day"), coming)
        self.assertIn((day(10), booked, "followup-meeting"), coming)
        self.assertEqual(coming, sorted(coming, key=lambda c: c[0]), "in date order")
        # Every open request with its state and next step; finished ones are not listed.
        steps = {r["request"]: (r["state"], r["next_step"], r["due_on"]) for r in data["requests"]}
        self.assertEqual(steps[waiting], ("received", "pre-meeting", day(-3)))
        self.assertEqual(steps[planned], ("dispatched", "loan", day(6)))
        self.assertEqual(steps[booked], ("loan-carried-out", "followup-overdue", day(11)))
        self.assertNotIn(finished, steps)
        # For people: words, not keys, and no personal data.
        text = self.ok("today").out
        self.assertIn("håll förmötet", text)
        self.assertIn("Försenat", text)
        for secret in ("Anna", "anna@example.se", "Kim Låntagare", "dementia"):
            self.assertNotIn(secret, text)

    def test_the_loan_and_booking_hints_run_as_printed_and_do_not_rebook(self):
        req = self.dispatched(day(-20), time=f"{day(-2)} kl. 13–16", reply_by=day(-5))
        self.ok("answer", req, "--expert", self.bo, "no")
        loan = [i for i in self.ok("remind", "--all", "--format", "json").json()
                if i["request"] == req and i["kind"] == "loan"][0]
        # Those who declined are left out; one is fewer than the library lends, so the command
        # carries a reason to check, and runs as printed.
        self.assertIn(f"--expert {self.anna} --fewer-reason", loan["command"])
        self.ok(*shlex.split(loan["command"])[1:])
        self.assertEqual(self.ok("request", "show", req, "--format", "json").json()["state"],
                         "loan-carried-out")
        # A meeting booked ahead: today lists its day, and nothing to re-book it before then.
        self.ok("followup", "book", req, "--date", day(10))
        coming = [c for c in self.ok("today", "--format", "json").json()["coming"]
                  if c["request"] == req]
        self.assertIn((day(10), "followup-meeting"), [(c["on"], c["kind"]) for c in coming])
        self.assertEqual([c["command"] for c in coming], [None] * len(coming))

    def test_the_same_data_in_every_language(self):
        self.request(day(-10))
        self.dispatched(day(-3), time=f"{day(5)} kl. 9", reply_by=day(1))
        self.recruit_on("Cia Ciss", "cia@example.se", day(-3 * 365 - 5))
        sv = self.ok("today", "--format", "json").out
        self.config.write_text(self.config.read_text().replace('language = "sv"', 'language = "en"'))
        self.assertEqual(self.ok("today", "--format", "json").out, sv)
        self.assertIn("hold the pre-meeting", self.ok("today").out)
        self.assertIn("consent to re-confirm", self.ok("today").out)

    def test_data_protection_due(self):
        old = self.recruit_on("Cia Ciss", "cia@example.se", day(-3 * 365 - 5))
        soon = self.recruit_on("Dan Dansk", "dan@example.se", day(-3 * 365 + 10))
        data = self.ok("today", "--format", "json").json()["data_protection"]
        got = {(d["kind"], d["id"]): d["overdue"] for d in data}
        self.assertEqual(got[("reconfirm", old)], True)
        self.assertEqual(got[("reconfirm", soon)], False, "within 14 days: coming")

    def test_a_kind_with_many_items_is_counted_as_remind_counts_it(self):
        """More than 25 items of one kind (remind's limit): counts by month, not every item."""
        many = [self.recruit_on(f"Påhittad Nummer{i}", f"nummer{i}@example.se",
                                day(-3 * 365 - 5 - 40 * (i % 3))) for i in range(26)]
        data = self.ok("today", "--format", "json").json()
        self.assertNotIn("reconfirm", [d["kind"] for d in data["data_protection"]])
        horizon = day(14)
        items = [i for i in self.ok("remind", "--all", "--today", horizon, "--format", "json").json()
                 if i["kind"] == "gdpr-reconfirm"]
        self.assertEqual(sorted(i["expert"] for i in items), many)
        months = {}
        for i in items:
            months[i["due_on"][:7]] = months.get(i["due_on"][:7], 0) + 1
        self.assertEqual(data["data_protection_counted"],
                         [{"kind": "reconfirm", "month": m, "count": n} for m, n in sorted(months.items())])
        # For people: the counts, and the command that lists every item; no item's command.
        text = self.ok("today").out
        self.assertIn(f"lbib remind --all --today {horizon}", text)
        self.assertNotIn("--reconfirm", text)
        self.assertIn(f"lbib remind --all --today {horizon}", self.ok("today", "--format", "md").out)
        # 25 are listed again, each with its command, and nothing is counted.
        self.ok("expert", "edit", many[0], "--reconfirm")
        data = self.ok("today", "--format", "json").json()
        self.assertEqual(sorted(d["id"] for d in data["data_protection"] if d["kind"] == "reconfirm"),
                         many[1:])
        self.assertNotIn("data_protection_counted", data)
        self.assertNotIn("lbib remind --all", self.ok("today").out)

    def test_bad_options(self):
        self.fails(65, "today", "today", "--today", "igår")
        self.fails(64, "--format", "today", "--format", "svg")


def width(line):
    """Columns on a terminal: East Asian wide characters take two, combining marks none."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1
               for c in line)


class WidthTest(DayCase):
    """Text tables fit the terminal they are shown on; pipes and --wide get every character."""

    def setUp(self):
        super().setUp()
        if WRAPPER:
            self.skipTest("not under a wrapper")
        long_org = int(self.ok("borrower", "add", "--organisation",
                               "Region Sörmland, Hälso- och sjukvårdsförvaltningen, Område Öst",
                               "--contact-name", "Åke Ärlig", "--contact-email", "ake@example.se").out)
        for purpose in ("Förbättra väntrummet på vårdcentralen i Ängsö så att äldre hittar rätt",
                        "Utveckla digitala kallelser till mammografi tillsammans med användarna",
                        "東京の病院との協力について話し合う"):
            self.ok("request", "new", "--borrower", long_org, "--purpose", purpose, "--form",
                    "focus-group", "--want", "relative:dementia", "--want", "patient:psychiatry",
                    "--received", day(-3))

    def on_terminal(self, *args, columns=80, env=None):
        """lbib with stdout on a pseudo-terminal `columns` wide; the lines it showed."""
        return on_terminal(self, *args, columns=columns, env=env)

    def test_request_list_fits_80_columns(self):
        env = {k: v for k, v in self.env.items() if k != "COLUMNS"}
        lines = self.on_terminal("request", "list", env=env)
        self.assertEqual(len(lines), 2 + 3)
        for line in lines:
            self.assertLessEqual(width(line), 80, line)
        self.assertTrue(any("…" in line for line in lines), "long columns end in an ellipsis")
        # What stays whole: ids, dates and states.
        self.assertTrue(lines[2].startswith("1   " + day(-3)), lines[2])
        for n, line in enumerate(lines[2:], start=1):
            self.assertRegex(line, rf"^{n}\s")
            self.assertIn("inkommen", line)  # the state in words
        # The columns still line up: every row as wide as the header's rule.
        rule = lines[1]
        self.assertTrue(set(rule) <= {"-", " "})
        # A narrower terminal (COLUMNS wins over the terminal's own width).
        for line in self.on_terminal("request", "list", env=dict(env, COLUMNS="60"), columns=120):
            self.assertLessEqual(width(line), 60, line)

    def test_wide_and_pipes_show_everything(self):
        full = "Förbättra väntrummet på vårdcentralen i Ängsö så att äldre hittar rätt"
        wide = self.on_terminal("request", "list", "--wide")
        self.assertTrue(any(full in line for line in wide))
        self.assertFalse(any("…" in line for line in wide))
        self.assertTrue(any(width(line) > 80 for line in wide))
        # A pipe (a script, less, a file) is never shortened, whatever COLUMNS says.
        piped = self.ok("request", "list", env=dict(self.env, COLUMNS="40")).out
        self.assertIn(full, piped)
        self.assertIn("東京の病院との協力について話し合う", piped)
        self.assertNotIn("…", piped)
        self.assertEqual(self.on_terminal("--wide", "request", "list"), wide, "--wide before the command too")

    def test_today_leaves_commands_out_rather_than_cutting_them(self):
        command = "lbib request premeeting 2 --told-compensation --told-two-experts --told-feedback"
        narrow = self.on_terminal("today")
        for line in narrow:
            self.assertLessEqual(width(line), 80, line)
            self.assertNotRegex(line, r"lbib[^…]*…", "a command is shown whole or not at all")
        self.assertIn("håll förmötet", "\n".join(narrow))
        self.assertNotIn("lbib request", "\n".join(narrow))
        self.assertIn(command, "\n".join(self.on_terminal("today", columns=200)))
        self.assertIn(command, "\n".join(self.on_terminal("today", "--wide")))

    def test_wide_characters_count_twice(self):
        lines = self.on_terminal("request", "list", columns=70)
        for line in lines:
            self.assertLessEqual(width(line), 70, line)
        row = [line for line in lines if line.startswith("3 ")][0]
        self.assertIn("東京", row)


if __name__ == "__main__":
    unittest.main()

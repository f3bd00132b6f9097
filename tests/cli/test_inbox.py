# SPDX-License-Identifier: MIT
"""lbib inbox (issue #15): experts' replies to a dispatch, sent with real msmtp to the local SMTP
server, which delivers the library's copy (Reply-To) into a real Maildir; and a corpus of awkward
messages (every encoding, HTML only, nested multiparts, forwarded mail, auto-replies, wrong
senders, missing headers, a 10 MB attachment, broken MIME) with the counts asserted exactly.
Replies to the experts' questionnaire after a loan (and to its reminder), with their own awkward
cases: a second reply, a questionnaire answered by command, another expert's address."""
import datetime
import email.policy
import hashlib
import json
import os
import sqlite3
import subprocess
import unittest
from email.message import EmailMessage
from email.mime.application import MIMEApplication
from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText
from email.header import Header
from email.utils import format_datetime, formataddr, localtime, parseaddr
from pathlib import Path

from lbibtest import LBIB
from mailsink import MailSink, deliver_to_maildir, make_maildir
from test_lending import LIBRARY, SEND_REQUEST, LendingCase

SEND_QUESTIONNAIRE = SEND_REQUEST.parent / "send-questionnaire.sh"

BORROWER = "kim@region.example.se"


def encoded(value):
    """A header value as a mail program writes it: RFC 2047 encoded-words when not ASCII."""
    return value if value.isascii() else Header(value, "utf-8").encode()


def files(folder):
    return sorted(p.name for p in folder.iterdir())


def digest(path):
    return hashlib.sha256(path.read_bytes()).hexdigest()


class InboxCase(LendingCase):
    def setUp(self):
        super().setUp()
        self.maildir = self.dir / "Maildir"
        config = self.dir / "config.toml"
        config.write_text("[mail]\nreply_copy_to_library = true\n")
        self.env["LBIB_CONFIG"] = str(config)

    def inbox(self, *extra):
        return self.ok("inbox", self.maildir, "--format", "json", *extra).json()

    @staticmethod
    def skipped(result):
        return {row["reason"]: row["messages"] for row in result["skipped"]}


class RepliesThroughMsmtpTest(InboxCase):
    """A dispatch through send-request.sh; the experts answer with msmtp to its Reply-To."""

    def setUp(self):
        super().setUp()
        self.sink = MailSink(maildir=str(self.maildir), mailbox=LIBRARY)
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)
        self.env.pop("SENDMAIL", None)

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def reply(self, dispatch, sender, text, subtype="plain", charset="utf-8"):
        """`sender` answers `dispatch` from their mail program: to its Reply-To, with
        In-Reply-To and References, through msmtp (sendmail -t)."""
        msg = EmailMessage()
        msg["From"] = sender
        msg["To"] = dispatch["Reply-To"]
        msg["Subject"] = "Sv: " + str(dispatch["Subject"])
        msg["Date"] = format_datetime(localtime())
        msg["Message-ID"] = f"<reply.{sender.split('@')[0]}@example.se>"
        msg["In-Reply-To"] = dispatch["Message-ID"]
        msg["References"] = dispatch["Message-ID"]
        msg.set_content(text, subtype=subtype, charset=charset)
        r = subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg.as_bytes(),
                           env=dict(self.env, HOME=str(self.dir)), capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

    def test_replies_are_recorded_from_the_library_copy(self):
        req = self.ready(want=("dementia",))
        r = subprocess.run([str(SEND_REQUEST), "--yes", str(req)], capture_output=True, text=True,
                           env=self.env, stdin=subprocess.DEVNULL, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        dispatch = self.sink.received_by("anna@example.se")[0].message()
        # The Reply-To is still the borrower, with the library beside it for a copy.
        self.assertEqual([a.addr_spec for a in dispatch["Reply-To"].addresses], [BORROWER, LIBRARY])
        self.reply(dispatch, "anna@example.se", "Ja, jag kommer gärna!\n\nAnna\n")
        self.reply(dispatch, "Bo@Example.se", "Nej tyvärr, jag är bortrest då.\n", charset="iso-8859-1")
        self.reply(dispatch, "dan@example.se", "Hej! Vilken tid börjar det?\n")
        # The borrower received every reply; the library its copy (and its own dispatch).
        self.assertEqual(len(self.sink.received_by(BORROWER)), 3)
        self.assertEqual(len(files(self.maildir / "new")), 4)

        result = self.inbox()
        self.assertEqual((result["messages"], result["recorded"], result["unchanged"]), (4, 3, 0))
        self.assertEqual(self.skipped(result), {"not-a-reply": 1})  # the dispatch's own copy
        self.assertEqual(sorted((a["expert"], a["answer"], a["request"]) for a in result["answers"]),
                         [(self.anna, "yes", req), (self.bo, "no", req), (self.dan, "unclear", req)])
        shown = self.show(req)
        self.assertEqual((shown["said_yes"], shown["declined"], shown["answered_unclear"],
                          shown["not_answered"]), (1, 1, 1, 0))
        self.assertEqual({i["expert"]: i["answer"] for i in shown["invitations"]},
                         {self.anna: "yes", self.bo: "no", self.dan: "unclear"})
        # Handled messages moved to cur/ with the seen flag; the rest untouched in new/.
        self.assertEqual(len(files(self.maildir / "new")), 1)
        cur = files(self.maildir / "cur")
        self.assertEqual(len(cur), 3)
        self.assertTrue(all(name.endswith(":2,S") for name in cur), cur)
        # No body is stored; nothing personal is printed.
        raw = b"".join(p.read_bytes() for p in self.dir.glob(self.db.name + "*"))
        self.assertNotIn("Vilken tid".encode(), raw)
        r = self.run_lbib("inbox", self.maildir)
        for address in ("anna@example.se", "bo@example.se", "dan@example.se", BORROWER):
            self.assertNotIn(address, r.out + r.err)

        # Reading again changes nothing: the handled messages are seen.
        before = self.snapshot()
        again = self.inbox()
        self.assertEqual((again["messages"], again["recorded"], again["answers"]), (1, 0, []))
        self.assertEqual(before, self.snapshot())

        # A change of mind by phone replaces the unclear mail.
        self.ok("answer", req, "--expert", self.dan, "no", "--channel", "phone")
        self.assertEqual(self.show(req)["declined"], 2)
        # match shows each invited expert's answer beside the fit (the counts go to stderr).
        r = self.run_lbib("match", req, "--format", "json")
        self.assertIn("declined 2", r.err)
        shown = {row["expert"]: row["answer"] for row in json.loads(r.out)}
        self.assertEqual(shown[self.dan], "no")

    def test_text_table_for_people(self):
        make_maildir(self.maildir)
        config = self.dir / "config.toml"
        config.write_text('[library]\nlanguage = "sv"\n')
        out = self.ok("inbox", self.maildir).out
        self.assertIn("meddelanden:", out)
        # An empty Maildir: the counts, and no headings of empty sections.
        self.assertNotIn("hoppade över", out)
        self.assertEqual(self.inbox()["skipped"], [])  # JSON keeps its shape


    def test_symbolic_links_in_the_maildir_are_passed_by(self):
        make_maildir(self.maildir)
        outside = self.dir / "outside.eml"
        outside.write_text("From: anna@example.se\r\nSubject: Re: x\r\n\r\nJa\r\n")
        (self.maildir / "new" / "1.link").symlink_to(outside)
        (self.maildir / "new" / "2.broken").symlink_to(self.dir / "nowhere")
        result = self.inbox()
        self.assertEqual((result["messages"], result["skipped"]), (0, []))
        self.assertTrue((self.maildir / "new" / "1.link").is_symlink())  # left as it was


class CorpusTest(InboxCase):
    """Awkward messages delivered straight into the Maildir, read in one run."""

    def setUp(self):
        super().setUp()
        make_maildir(self.maildir)
        self.more = {}
        for name in ("Eva Exempel", "Fia Fiktiv", "Gun Görpåhittad", "Hans Hittepå"):
            address = name.split()[0].lower() + "@example.se"
            self.more[address] = self.recruit(name, address, experiences=("relative:dementia",))
        req = self.ready(want=("dementia",))
        out = self.dir / "out"
        out.mkdir()
        emls = self.ok("dispatch", req, "--out", out).out.split()
        self.assertEqual(len(emls), 1)
        self.ok("dispatch", req, "--record", emls[0])
        self.req = req
        text = Path(emls[0]).read_text()
        self.dispatch_id = [line.split(":", 1)[1].strip() for line in text.splitlines()
                            if line.startswith("Message-ID:")][0]
        self.assertTrue(self.dispatch_id.startswith("<lbib.dispatch-"), self.dispatch_id)

    def message(self, sender, body=None, subject="Sv: Förfrågan", reply=True, **headers):
        msg = MIMEText(body, "plain", "utf-8") if isinstance(body, str) else body
        if sender:
            msg["From"] = formataddr(parseaddr(sender), charset="utf-8")
        msg["To"] = f"{BORROWER}, {LIBRARY}"
        msg["Subject"] = encoded(subject)
        msg["Date"] = format_datetime(localtime())
        if reply:
            msg["In-Reply-To"] = self.dispatch_id
            msg["References"] = self.dispatch_id
        for key, value in headers.items():
            msg[key.replace("_", "-")] = value
        return msg.as_bytes(policy=email.policy.SMTP)

    def deliver(self, data):
        return deliver_to_maildir(str(self.maildir), data)

    def test_every_awkward_message_is_counted_and_nothing_crashes(self):
        eva, fia, gun, hans = (self.more[a] for a in ("eva@example.se", "fia@example.se",
                                                      "gun@example.se", "hans@example.se"))
        handled = []
        # Quoted-printable in ISO-8859-1.
        qp = MIMEText("Nej, jag kan inte den dagen.\n\n> Förfrågan om uppdrag\n", "plain", "iso-8859-1")
        qp.replace_header("Content-Transfer-Encoding", "quoted-printable")
        qp.set_payload("Nej, jag kan inte den dagen. H=E4lsningar\n\n> F=F6rfr=E5gan om uppdrag\n")
        handled.append(self.deliver(self.message("Anna Äldre <anna@example.se>", qp)))
        # Base64 in windows-1252 (an en dash is 0x96 there).
        b64 = MIMEText("Ja – gärna!\n", "plain", "windows-1252")
        handled.append(self.deliver(self.message("bo@example.se", b64)))
        # HTML only, the answer after a greeting, the quoted request in a blockquote.
        html = MIMEText("<html><head><style>p {}</style></head><body><p>Hej,</p>"
                        "<p>Kan tyv&auml;rr inte.</p><blockquote>Ja, ja</blockquote></body></html>",
                        "html", "utf-8")
        handled.append(self.deliver(self.message("dan@example.se", html)))
        # Nested multiparts: mixed [alternative [plain, html], a PDF].
        alternative = MIMEMultipart("alternative")
        alternative.attach(MIMEText("Yes, I can come.\n", "plain", "utf-8"))
        alternative.attach(MIMEText("<p>Yes, I can come.</p>", "html", "utf-8"))
        mixed = MIMEMultipart("mixed")
        mixed.attach(alternative)
        mixed.attach(MIMEApplication(b"%PDF-1.4 fake", "pdf", Name="intyg.pdf"))
        handled.append(self.deliver(self.message("eva@example.se", mixed)))
        # Words a person must read.
        handled.append(self.deliver(self.message("fia@example.se", "Kan du ringa mig om det?\n")))
        # Anna again, the same answer the same day: handled, nothing changes.
        handled.append(self.deliver(self.message("anna@example.se", "Nej.\n")))

        skipped = []
        # Forwarded with the request attached whole.
        forwarded = MIMEMultipart("mixed")
        forwarded.attach(MIMEText("Till dig som kanske vill.\n", "plain", "utf-8"))
        attached = EmailMessage()
        attached["Subject"] = "Förfrågan"
        attached.set_content("Förfrågan om uppdrag")
        from email.mime.message import MIMEMessage
        forwarded.attach(MIMEMessage(attached))
        skipped.append(self.deliver(self.message("gun@example.se", forwarded, subject="VB: Förfrågan")))
        # Auto-replies: "Frånvaro" with Auto-Submitted, and an X-Autoreply.
        skipped.append(self.deliver(self.message("gun@example.se", "Jag är borta till måndag.\n",
                                                 subject="Frånvaro: Förfrågan",
                                                 Auto_Submitted="auto-replied")))
        skipped.append(self.deliver(self.message("hans@example.se", "Ja, jag läser mejl sällan.\n",
                                                 X_Autoreply="yes")))
        # Wrong senders: a stranger, and the borrower itself.
        skipped.append(self.deliver(self.message("okand@example.org", "Ja!\n")))
        skipped.append(self.deliver(self.message(BORROWER, "Ja, vi ses.\n")))
        # Not a reply: no In-Reply-To or References; a made-up lbib Message-ID.
        skipped.append(self.deliver(self.message("hans@example.se", "Ja\n", reply=False)))
        skipped.append(self.deliver(self.message(
            "hans@example.se", "Ja\n", reply=False,
            In_Reply_To=f"<lbib.dispatch-{self.req}.1.00000000deadbeef@example.se>")))
        # In reply to a kind of lbib mail that asks for no answer.
        skipped.append(self.deliver(self.message(
            "hans@example.se", "Tack!\n", reply=False,
            In_Reply_To="<lbib.followup-summary-1.1.0123456789abcdef@example.se>")))
        # Missing From; no headers at all (binary noise); broken MIME (its boundary never comes).
        skipped.append(self.deliver(self.message(None, "Ja\n")))
        skipped.append(self.deliver(bytes(range(256)) * 40))
        broken = (f"From: hans@example.se\r\nIn-Reply-To: {self.dispatch_id}\r\n"
                  "Subject: Sv: x\r\nMIME-Version: 1.0\r\n"
                  "Content-Type: multipart/mixed; boundary=\"never\"\r\n\r\n"
                  "--elsewhere\r\nContent-Type: text/plain\r\n\r\n").encode()
        skipped.append(self.deliver(broken))
        # A 10 MB attachment: larger than mail.inbox_max_message_bytes, skipped unread.
        big = MIMEMultipart("mixed")
        big.attach(MIMEText("Ja, se bilagan.\n", "plain", "utf-8"))
        big.attach(MIMEApplication(os.urandom(10 * 1024 * 1024), "octet-stream", Name="stor.bin"))
        skipped.append(self.deliver(self.message("hans@example.se", big)))

        # In cur/: one seen by a person already (not read), one not yet seen (read).
        seen = self.maildir / "cur" / "1.seen.lbib-test:2,S"
        seen.write_bytes(self.message("gun@example.se", "Ja\n"))
        unseen_name = "2.unseen.lbib-test:2,F"
        (self.maildir / "cur" / unseen_name).write_bytes(self.message("gun@example.se", "Nej tack.\n"))
        (self.maildir / "new" / ".hidden").write_bytes(b"not a message")
        before = {name: digest(self.maildir / "new" / name) for name in skipped}

        result = self.inbox()
        self.assertEqual(result["messages"], len(handled) + len(skipped) + 1)
        self.assertEqual((result["recorded"], result["unchanged"]), (6, 1))
        self.assertEqual(self.skipped(result), {
            "too-large": 1, "malformed": 3, "auto-reply": 2, "forwarded": 1, "not-a-reply": 2,
            "not-an-answer": 1, "unknown-sender": 2})
        answers = {self.anna: "no", self.bo: "yes", self.dan: "no", eva: "yes", fia: "unclear",
                   gun: "no"}
        self.assertEqual({i["expert"]: i["answer"] for i in self.show(self.req)["invitations"]
                          if i["answer"]}, answers)
        # The skipped are untouched in new/; the handled in cur/ with S added to their flags.
        self.assertEqual({name: digest(self.maildir / "new" / name) for name in skipped}, before)
        self.assertEqual(sorted(files(self.maildir / "new")), sorted(skipped + [".hidden"]))
        cur = files(self.maildir / "cur")
        self.assertIn("2.unseen.lbib-test:2,FS", cur)
        self.assertIn(seen.name, cur)
        self.assertEqual(len(cur), len(handled) + 2)
        # Running again: only the skipped are read, and nothing changes.
        snapshot = self.snapshot()
        again = self.inbox()
        self.assertEqual((again["messages"], again["recorded"], again["unchanged"]),
                         (len(skipped), 0, 0))
        self.assertEqual(snapshot, self.snapshot())

    def test_the_size_limit_is_configurable(self):
        config = self.dir / "config.toml"
        config.write_text("[mail]\ninbox_max_message_bytes = 1024\n")
        self.deliver(self.message("anna@example.se", "Ja\n" + "x" * 2000))
        self.deliver(self.message("bo@example.se", "Ja\n"))
        result = self.inbox()
        self.assertEqual((result["recorded"], self.skipped(result)), (1, {"too-large": 1}))

    def test_not_a_maildir(self):
        self.fails(66, "is not a Maildir", "inbox", self.dir / "nosuch")
        (self.dir / "half").mkdir()
        (self.dir / "half" / "new").mkdir()
        self.fails(66, "needs the folders new/ and cur/", "inbox", self.dir / "half")


def header_of(eml, name):
    """A header of a composed .eml file, as written."""
    for line in Path(eml).read_text().splitlines():
        if line.startswith(name + ":"):
            return line.split(":", 1)[1].strip()
    raise AssertionError(f"{eml} has no {name}")


class QuestionnaireRepliesTest(InboxCase):
    """The experts' questionnaire after a loan goes to each of them alone, from the library; the
    replies come to the library (through msmtp, into its Maildir) and `lbib inbox` records that
    each expert answered, with the yes/no answers of numbered lines."""

    def setUp(self):
        super().setUp()
        self.sink = MailSink(maildir=str(self.maildir), mailbox=LIBRARY)
        self.sink.write_msmtprc(str(self.dir), LIBRARY)
        self.env["LBIB"] = LBIB
        self.env["LBIB_DB"] = str(self.db)
        self.env.pop("SENDMAIL", None)
        self.today = datetime.date.today().isoformat()
        req = self.ready(want=("dementia",))
        out = self.dir / "out"
        out.mkdir()
        for eml in self.ok("dispatch", req, "--out", out).out.split():
            self.ok("dispatch", req, "--record", eml, "--date", "2026-10-06")
        self.ok("loan", req, "--date", "2026-10-25", "--expert", f"{self.anna},{self.bo},{self.dan}",
                "--uninvited", f"{self.cia}:Kom via enheten")
        self.req = req
        # The first round, composed and recorded for an earlier day (as send-questionnaire.sh
        # does today); each expert's message has its own Message-ID.
        q = self.dir / "q"
        q.mkdir()
        self.sent = {}
        for eml in self.ok("followup", "questionnaire", req, "--out", q).out.split():
            self.ok("followup", "questionnaire", req, "--record", eml, "--date", "2026-10-27")
            self.sent[header_of(eml, "To")] = header_of(eml, "Message-ID")
        self.assertEqual(sorted(self.sent), ["anna@example.se", "bo@example.se",
                                             "cia@example.se", "dan@example.se"])
        self.assertTrue(all(i.startswith(f"<lbib.questionnaire-{req}.") for i in self.sent.values()))

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def reply(self, message_id, sender, body, subject="Sv: Hur gick det?", **headers):
        """`sender` answers the message `message_id` from their mail program, to the library,
        through msmtp (sendmail -t)."""
        msg = MIMEText(body, "plain", "utf-8") if isinstance(body, str) else body
        msg["From"] = formataddr(parseaddr(sender), charset="utf-8")
        msg["To"] = LIBRARY
        msg["Subject"] = encoded(subject)
        msg["Date"] = format_datetime(localtime())
        msg["In-Reply-To"] = message_id
        msg["References"] = message_id
        for key, value in headers.items():
            msg[key.replace("_", "-")] = value
        r = subprocess.run(["/usr/sbin/sendmail", "-t", "-i"], input=msg.as_bytes(),
                           env=dict(self.env, HOME=str(self.dir)), capture_output=True, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)

    def questionnaires(self):
        rows = self.ok("followup", "expert", self.req, "--format", "json").json()
        return ({r["expert"]: r["replied_on"] for r in rows},
                {(r["expert"], r["question"]): r["answer"] for r in rows if r["question"]})

    def expert_show(self, expert, language):
        config = self.dir / f"{language}.toml"
        config.write_text(f'[library]\nlanguage = "{language}"\n')
        return self.ok("expert", "show", expert, "--format", "json",
                       env=dict(self.env, LBIB_CONFIG=str(config))).out

    def test_replies_answer_the_questionnaire_and_the_reminder_goes_to_the_others(self):
        anna, bo, cia, dan = self.anna, self.bo, self.cia, self.dan
        # Bo's answers were recorded by command before his mail came.
        self.ok("followup", "expert", self.req, "--expert", bo, "--answer", "how-it-went=Bra",
                "--date", "2026-10-30")
        # Anna answers on numbered lines, two of them a plain yes or no; the quote is not read.
        self.reply(self.sent["anna@example.se"], "Anna Äldre <Anna@Example.se>",
                   "Hej!\n\n1. Mycket lärorikt, ANNAS-ORD.\n2. Ja\n4) nej\n\n"
                   "> 1. Hur upplevde du uppdraget?\n> 3. ja\n")
        # Dan in his own words, quoted-printable in ISO-8859-1.
        qp = MIMEText("", "plain", "iso-8859-1")
        qp.replace_header("Content-Transfer-Encoding", "quoted-printable")
        qp.set_payload("Tack, det var fint att vara med. DANS-ORD: ers=E4ttningen har inte kommit.\n")
        self.reply(self.sent["dan@example.se"], "dan@example.se", qp)
        # Bo by mail too: his questionnaire is answered already.
        self.reply(self.sent["bo@example.se"], "bo@example.se", "2. ja\n")
        # Cia is away: an automatic reply.
        self.reply(self.sent["cia@example.se"], "cia@example.se", "Jag är borta till måndag.\n",
                   subject="Frånvaro: Hur gick det?", Auto_Submitted="auto-replied")
        # Wrong senders: a stranger, and Anna answering Cia's message.
        self.reply(self.sent["cia@example.se"], "okand@example.org", "1. ja\n")
        self.reply(self.sent["cia@example.se"], "anna@example.se", "2. ja\n")
        # A questionnaire's Message-ID lbib never recorded.
        self.reply(f"<lbib.questionnaire-{self.req}.1.00000000deadbeef@example.se>",
                   "cia@example.se", "1. ja\n")
        before = self.snapshot()

        result = self.inbox()
        self.assertEqual((result["messages"], result["recorded"], result["unchanged"]), (7, 2, 0))
        self.assertEqual(self.skipped(result), {"auto-reply": 1, "unknown-sender": 2,
                                                "answered-already": 1, "not-a-reply": 1})
        self.assertEqual(sorted((a["kind"], a["expert"], a["answer"], a["answered_on"],
                                 a["questions"]) for a in result["answers"]),
                         sorted([("questionnaire", anna, "unclear", self.today, 2),
                                 ("questionnaire", dan, "unclear", self.today, 0)]))
        self.assertNotEqual(before, self.snapshot())
        replied, answers = self.questionnaires()
        self.assertEqual(replied, {anna: self.today, bo: None, cia: None, dan: self.today})
        self.assertEqual(answers, {(anna, "listened-to"): "ja", (anna, "compensation"): "nej",
                                   (bo, "how-it-went"): "Bra"})
        # Nothing of a reply is stored but the day and the yes and no.
        raw = b"".join(p.read_bytes() for p in self.dir.glob(self.db.name + "*"))
        for words in ("ANNAS-ORD", "DANS-ORD", "lärorikt"):
            self.assertNotIn(words.encode(), raw)
        # The expert's own page lists the questionnaire and how it was answered, the same data
        # in both languages.
        sv = self.expert_show(anna, "sv")
        self.assertEqual(sv, self.expert_show(anna, "en"))
        self.assertEqual(json.loads(sv)["questionnaires"], [{
            "request": self.req, "loan_on": "2026-10-25", "sent_on": "2026-10-27",
            "reminded_on": None, "answered_on": self.today, "answered_by": "mail"}])
        self.assertEqual(json.loads(self.expert_show(bo, "en"))["questionnaires"][0]["answered_by"],
                         "command")
        self.assertIn("by mail", self.ok("expert", "show", anna).out)
        sv_config = self.dir / "sv.toml"
        self.assertIn("med e-post", self.ok("expert", "show", anna,
                                            env=dict(self.env, LBIB_CONFIG=str(sv_config))).out)

        # A second reply from Anna changes nothing, and is left for a person to read.
        self.reply(self.sent["anna@example.se"], "anna@example.se", "3. ja\n")
        snapshot = self.snapshot()
        again = self.inbox()
        self.assertEqual((again["messages"], again["recorded"]), (6, 0))
        self.assertEqual(self.skipped(again)["answered-already"], 2)
        self.assertEqual(snapshot, self.snapshot())

        # The reminder goes to Cia alone: the others answered, by mail or by command.
        self.assertEqual([i for i in self.remind_kinds() if i == "questionnaire"], ["questionnaire"])
        r = subprocess.run([str(SEND_QUESTIONNAIRE), "--reminder", "--yes", str(self.req)],
                           capture_output=True, text=True, env=self.env, stdin=subprocess.DEVNULL,
                           timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        reminders = [d for d in self.sink.deliveries if str(d.message()["Message-ID"]).startswith(
            "<lbib.questionnaire-reminder-")]
        self.assertEqual([d.rcpt_tos for d in reminders], [["cia@example.se"]])
        reminder = reminders[0].message()
        self.assertTrue(str(reminder["Message-ID"]).startswith(f"<lbib.questionnaire-reminder-{self.req}."))
        # Cia answers the reminder from a mail program that writes HTML only, in base64.
        html = MIMEText("<html><body><p>Hej!</p><p>3. Ja</p><p>Det var bra.</p></body></html>",
                        "html", "utf-8")
        self.reply(str(reminder["Message-ID"]), "cia@example.se", html)
        result = self.inbox()
        self.assertEqual(result["recorded"], 1)
        self.assertEqual([(a["expert"], a["questions"]) for a in result["answers"]], [(cia, 1)])
        replied, answers = self.questionnaires()
        self.assertEqual(replied[cia], self.today)
        self.assertEqual(answers[(cia, "feedback")], "ja")
        self.assertEqual(self.remind_kinds().count("questionnaire"), 0)
        shown = json.loads(self.expert_show(cia, "en"))["questionnaires"][0]
        self.assertEqual((shown["reminded_on"], shown["answered_by"]), (self.today, "mail"))
        report = {r["measure"]: r["count"]
                  for r in self.ok("report", "followups", "--format", "json").json()}
        self.assertEqual((report["questionnaires_sent"], report["questionnaires_reminded"],
                          report["questionnaires_answered"]), (4, 1, 4))
        # What they answered, beside the borrower's view: the yes of each question.
        answered = [a for (e, q), a in answers.items() if q == "feedback"]
        self.assertEqual(report["expert_yes_feedback"],
                         sum(1 for a in answered if a.lower().startswith(("ja", "yes"))))
        self.assertGreaterEqual(report["expert_yes_feedback"], 1)

    def test_a_reply_the_register_refuses_is_recorded_not_at_all(self):
        """Cia was recorded as a participant by mistake and taken off the loan after her
        questionnaire went: her reply's yes would be refused, so not even the day is kept.
        lbib itself now refuses that correction (the questionnaire is a later fact of the loan);
        a register corrected before that rule can still hold the state, made here in SQL."""
        self.fails(65, "a participant who got it cannot be removed", "loan", "correct", self.req,
                   "--expert", f"{self.anna},{self.bo},{self.dan}", "--reason", "Cia deltog inte")
        con = sqlite3.connect(self.db)
        with con:
            con.execute("DELETE FROM loan_participant WHERE request_id = ? AND expert_id = ?",
                        (self.req, self.cia))
        con.close()
        self.reply(self.sent["cia@example.se"], "cia@example.se", "1. ja\n")
        before = self.snapshot()
        result = self.inbox()
        self.assertEqual((result["recorded"], self.skipped(result)), (0, {"refused": 1}))
        self.assertEqual(before, self.snapshot())
        self.assertEqual(len(files(self.maildir / "new")), 1)

    def remind_kinds(self):
        rows = self.ok("remind", "--all", "--format", "json", "--today", "2026-11-30").json()
        return [r["kind"] for r in rows if r["request"] == self.req]


if __name__ == "__main__":
    unittest.main()

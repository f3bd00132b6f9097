# SPDX-License-Identifier: MIT
"""Display names that look like RFC 2047 encoded words (issue #19): a borrower contact, the
library's name or a contact person named `=?UTF-8?B?...?=` that decodes to a line break and a
Bcc header must reach the mail encoded, so a reader decodes it back to the literal text and
never to a header. Checked through Python's own mail parser with the strict policy; and the
configuration x data property that no combination reaches exit 70."""
import base64
import email
import email.policy
import random
from pathlib import Path

from test_lending import LendingCase

INJECTED = "Evil\r\nBcc: attacker@evil.example"
B_WORD = "=?UTF-8?B?" + base64.b64encode(INJECTED.encode()).decode() + "?="
Q_WORD = "=?utf-8?q?Evil=0D=0ABcc:_attacker@evil.example?="
SPLIT = "Kim =?UTF-8?B?" + base64.b64encode(b"\r\nBcc: attacker@evil.example").decode() + "?= Kontakt"
HOSTILE_NAMES = [B_WORD, Q_WORD, SPLIT, '"=?x?=" <a@b>', "Ann \"Q\" =?", "=?", "?="]
LIBRARY_HEADERS = {"Date", "From", "To", "Bcc", "Reply-To", "Subject", "Message-ID", "MIME-Version",
                   "Content-Type", "Content-Transfer-Encoding"}


def toml_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class EncodedWordNamesTest(LendingCase):
    def parse(self, raw):
        msg = email.message_from_bytes(raw, policy=email.policy.strict)
        self.assertEqual(msg.defects, [])
        self.assertLessEqual(set(msg.keys()), LIBRARY_HEADERS, "no data adds a header")
        for name in msg.keys():
            self.assertEqual(len(msg.get_all(name)), 1, name)
            value = str(msg[name])
            self.assertNotIn("\r", value)
            self.assertNotIn("\n", value)
        for name in ("To", "Bcc"):
            for a in (msg[name].addresses if msg[name] is not None else ()):
                self.assertNotIn("attacker", a.addr_spec)
        return msg

    # Python's parser puts a space between adjacent encoded words in a display name, where
    # RFC 2047 6.2 says the space between them is ignored (a long name takes several words);
    # so names are compared without spaces. What matters is that the raw "=?" text comes back
    # as text, and that no header appears.
    @staticmethod
    def joined(name):
        return name.replace(" ", "")

    def shown(self, msg, header):
        return self.joined(msg[header].addresses[0].display_name)

    def configure(self, library, contacts):
        config = self.dir / "config.toml"
        people = ", ".join(f"{{ name = {toml_string(n)}, email = \"k{i}@example.se\" }}"
                           for i, n in enumerate(contacts))
        config.write_text(f"[library]\nname = {toml_string(library)}\ncontact_persons = [ {people} ]\n")
        self.env["LBIB_CONFIG"] = str(config)

    def test_display_names_through_the_strict_parser(self):
        for name in HOSTILE_NAMES:
            with self.subTest(name=name):
                self.configure(name, [name, "Lo Kontakt"])
                self.ok("borrower", "edit", self.borrower, "--contact-name", name)
                req = self.ready()
                out = self.dir / f"out{req}"
                out.mkdir()
                eml = Path(self.ok("dispatch", req, "--out", out).out.split()[0])
                msg = self.parse(eml.read_bytes())
                self.assertEqual(self.shown(msg, "Reply-To"), self.joined(name),
                                 "the name decodes to exactly the text stored")
                self.assertEqual(self.shown(msg, "From"), self.joined(name))
                self.new_request()  # waits for its pre-meeting: something is due
                raw = self.ok("remind", "--mail", "--today", "2027-06-01").out
                self.assertIn("Subject:", raw)
                msg = self.parse(raw.encode("ascii"))
                self.assertEqual(self.shown(msg, "To"), self.joined(name))
                self.assertEqual(self.shown(msg, "From"), self.joined(name))


class ConfigTimesDataTest(LendingCase):
    """A seeded random walk over configurations (subjects with every placeholder, hostile
    library and contact names, up to and past the contact-person bound) and data (purposes with
    line breaks, hostile borrower names): every mailing command ends 0 or with one line and a
    documented code other than 70."""

    SUBJECTS = ["{purpose}", "Förfrågan: {purpose} {borrower}", "{borrower_contact}", "{{x}} {form}",
                "{time} {place} {reply_by}", "{compensation}", "{library}: {request}",
                "{borrower} {borrower_contact} {library_email}", "{experts_wanted} {request}"]
    FOLLOWUP_SUBJECTS = ["{answers}", "Återkoppling {borrower}", "{loan_date} {borrower}", "{library}",
                         "{request}"]
    REMIND_SUBJECTS = ["{items}", "{library}: {count}", "{today}", "{count} {library}"]
    PURPOSES = ["Rad ett\nRad två", "Bcc: x@example.se\nSubject: hej", "=?UTF-8?B?SGVq?=", "å" * 1999]

    def test_no_configuration_and_data_reach_exit_70(self):
        self.new_request()  # something due for remind --mail
        rnd = random.Random(19)
        runs = refused_config = 0
        for trial in range(60):
            dispatch_subject = rnd.choice(self.SUBJECTS)
            followup_subject = rnd.choice(self.FOLLOWUP_SUBJECTS)
            remind_subject = rnd.choice(self.REMIND_SUBJECTS)
            count = rnd.choice([1, 3, 3, 100, 101])
            names = [rnd.choice(HOSTILE_NAMES + ["Ö" * 200, "Kim"]) for _ in range(count)]
            config = self.dir / "config.toml"
            people = ", ".join(f"{{ name = {toml_string(n)}, email = \"k{i}@{'x' * 60}.example.se\" }}"
                               for i, n in enumerate(names))
            config.write_text(
                f"[library]\nname = {toml_string(rnd.choice(HOSTILE_NAMES))}\ncontact_persons = [ {people} ]\n"
                f"[mail.sv]\ndispatch_subject = {toml_string(dispatch_subject)}\n"
                f"followup_subject = {toml_string(followup_subject)}\n"
                f"remind_subject = {toml_string(remind_subject)}\n")
            self.env["LBIB_CONFIG"] = str(config)
            multi = any(p in s for s, p in ((dispatch_subject, "{purpose}"), (dispatch_subject, "{compensation}"),
                                            (followup_subject, "{answers}"), (followup_subject, "{purpose}"),
                                            (remind_subject, "{items}")))
            r = self.run_lbib("request", "list")
            if multi or count > 100:
                self.assertEqual(r.code, 78, r.err)
                self.assertEqual(len(r.err.splitlines()), 1)
                self.assertTrue("_subject" in r.err or "contact_persons" in r.err, r.err)
                refused_config += 1
                continue
            self.assertEqual(r.code, 0, r.err)
            self.env["LBIB_CONFIG"] = str(config)
            req = self.ready(purpose=rnd.choice(self.PURPOSES))
            out = self.dir / f"out{trial}"
            out.mkdir()
            for args in (["dispatch", req, "--out", out], ["remind", "--mail", "--today", "2027-06-01"]):
                r = self.run_lbib(*args)
                runs += 1
                self.assertNotEqual(r.code, 70, f"{args}: {r.err}")
                if r.code != 0:
                    self.assertEqual(len(r.err.splitlines()), 1, r.err)
                elif args[0] == "remind":
                    email.message_from_bytes(r.out.encode("ascii"), policy=email.policy.strict)
        self.assertGreater(runs, 10)
        self.assertGreater(refused_config, 3)

    def test_five_thousand_contact_persons_are_a_configuration_error(self):
        config = self.dir / "config.toml"
        people = ", ".join(f'{{ name = "Kontakt {i}", email = "k{i}@example.se" }}' for i in range(5000))
        config.write_text(f"[library]\ncontact_persons = [ {people} ]\n")
        self.ready()
        self.env["LBIB_CONFIG"] = str(config)
        self.fails(78, "library.contact_persons: at most 100", "remind", "--mail", "--today", "2027-06-01")

    def test_multi_line_placeholder_in_a_subject_is_named(self):
        for key, value in (("dispatch_subject", "Förfrågan: {purpose}"), ("followup_subject", "{answers}"),
                           ("remind_subject", "{items}")):
            with self.subTest(key=key):
                config = self.dir / "config.toml"
                config.write_text(f"[mail.sv]\n{key} = {toml_string(value)}\n")
                self.env["LBIB_CONFIG"] = str(config)
                self.fails(78, f"mail.sv.{key}", "request", "list")

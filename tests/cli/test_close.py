# SPDX-License-Identifier: MIT
"""Winding the library down (lbib close), as Sörmland did in early 2022: recruitment and
new requests refused, the closing notice and the final surveys by real mail, response rates,
the anonymous statistics, and the erasure of everyone with every report intact and not one
person's name or address left in the files."""
import json
import subprocess

from lbibtest import LBIB, SOURCE_DIR, LbibTestCase
from mailsink import MailSink
from test_reports import FIXTURE_CONFIG, replay



# An erased expert keeps only the year of the interview, so they no longer count among the
# recruits that followed an outreach activity in its months (docs/output.md); every other count
# stays.
def without_outreach_recruits(rows):
    return [r for r in rows if (r["kind"], r["key"]) != ("after-outreach", "recruits")]

class CloseTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        replay(self.db, self.env)
        self.env["LBIB_CONFIG"] = str(FIXTURE_CONFIG)
        self.sink = MailSink()
        self.sink.write_msmtprc(str(self.dir), "levande.bibliotek@example.se")
        self.env.update(LBIB=LBIB, LBIB_DB=str(self.db))

    def tearDown(self):
        self.sink.stop()
        super().tearDown()

    def send(self, mailing):
        return subprocess.run([str(SOURCE_DIR / "scripts" / "send-closing.sh"), "--yes", mailing],
                              capture_output=True, text=True, env=self.env, stdin=subprocess.DEVNULL, timeout=120)

    def reports(self):
        return (self.ok("report", "yearly", "--from", "2019", "--to", "2022", "--format", "json").json(),
                self.ok("report", "requests", "--format", "json").json(),
                self.ok("report", "followups", "--format", "json").json(),
                without_outreach_recruits(self.ok("report", "recruitment", "--format", "json").json()))

    def test_the_library_closes(self):
        self.fails(65, "not closing", "close", "mail", "notice", "--out", self.dir)
        self.ok("close", "start", "--date", "2022-01-10")
        self.fails(65, "the library is closing (since 2022-01-10); no new experts", "recruit", "--name", "N",
                   "--email", "n@example.se", "--channel", "website", "--consent", "register")
        self.fails(65, "no new requests are taken", "request", "new", "--borrower", "1")
        self.fails(65, "has been closing since", "close", "start")

        # An expert who withdrew the mailing consent is not mailed, not even to say goodbye.
        withdrawn = self.ok("expert", "show", "20", "--format", "json").json()["email"]
        self.ok("expert", "edit", "20", "--withdraw", "mailing", "--date", "2022-01-05")
        r = self.send("notice")
        self.assertEqual(r.returncode, 0, r.stderr)
        recipients = {a for d in self.sink.deliveries for a in d.rcpt_tos} - {"levande.bibliotek@example.se"}
        self.assertEqual(len(recipients), 27, "every expert in the library with mailing consent, "
                         "not the two who left")
        self.assertNotIn(withdrawn, recipients)
        msg = self.sink.deliveries[0].message()
        self.assertEqual(str(msg["Subject"]), "Sörmlands Levande Bibliotek avslutas")
        self.assertIn("Sedan 2022-01-10", msg.get_content().replace("\r\n", "\n"))
        self.assertEqual(self.send("notice").returncode, 65, "nobody gets it twice")

        for mailing in ("survey-experts", "survey-borrowers"):
            r = self.send(mailing)
            self.assertEqual(r.returncode, 0, r.stderr)
        for expert in (1, 2, 3, 4, 5, 6, 7, 8, 9):
            self.ok("close", "answer", "survey-experts", expert, "--date", "2022-02-15",
                    "--answers", "Tack för att jag fick medverka!")
        for borrower in (2, 4, 5):
            self.ok("close", "answer", "survey-borrowers", borrower, "--date", "2022-02-20")
        self.fails(65, "expert 10 was not sent the survey", "close", "answer", "survey-experts", "10")
        status = {r["measure"]: r for r in self.ok("close", "status", "--format", "json").json()}
        self.assertEqual(status["closing_since"]["count"], "2022-01-10")
        self.assertEqual((status["closing_notice_sent"]["count"], status["closing_notice_sent"]["of"]), (27, 27))
        self.assertEqual((status["survey_experts_answered"]["count"], status["survey_experts_answered"]["of"]), (9, 27))
        self.assertEqual((status["survey_borrowers_answered"]["count"], status["survey_borrowers_answered"]["of"]), (3, 11))

        stats = self.ok("close", "statistics").json()
        self.assertEqual(stats["format"], "lbib-statistics")
        self.assertEqual([r["recruited"] for r in stats["yearly"]][-1], 28)
        self.assertEqual(len(stats["requests"]), 13)
        # Kept after everyone is erased: no free text, only fixed words for why a request ended.
        self.assertEqual([r["purpose"] for r in stats["requests"]], [None] * 13)
        with_text = self.ok("report", "requests", "--format", "json").json()
        notes = {r["comment"] for r in with_text if r["comment"]} - {r["comment"] for r in stats["requests"]}
        self.assertTrue(notes, "the fixture has free-text comments for this check to mean anything")
        self.assertFalse(any(n in json.dumps(stats, ensure_ascii=False) for n in notes))

        # Everyone's name and address, from the register itself, before the erasure.
        export = json.loads(self.ok("export", "--all").out)
        secrets = {e["name"] for e in export["tables"]["expert"]} | {e["email"] for e in export["tables"]["expert"]}
        secrets |= {b["contact_name"] for b in export["tables"]["borrower"]}
        secrets |= {b["contact_email"] for b in export["tables"]["borrower"]}
        secrets.add("Tack för att jag fick medverka!")
        before = self.reports()
        raw_before = b"".join((self.db.with_name(self.db.name + s)).read_bytes()
                              for s in ("", "-wal", "-shm") if self.db.with_name(self.db.name + s).exists())
        self.assertEqual(sorted(s for s in secrets if s.encode() not in raw_before), [],
                         "the search must find every secret before the erasure")
        self.fails(64, "--yes-erase-everyone", "close", "erase")
        self.fails(65, "is in the future", "close", "erase", "--yes-erase-everyone", "--date",
                   "2099-01-01")
        out = self.ok("close", "erase", "--yes-erase-everyone", "--date", "2022-03-31").out
        self.assertIn("erased 30 experts and 11 borrowers' contact persons", out)
        self.assertEqual(before, self.reports(), "every report stays as it was")
        raw = b"".join((self.db.with_name(self.db.name + s)).read_bytes()
                       for s in ("", "-wal", "-shm") if self.db.with_name(self.db.name + s).exists())
        left = sorted(s for s in secrets if s.encode() in raw)
        self.assertEqual(left, [], "personal data remains in the files")
        self.assertEqual(self.ok("check").out, "ok\n")


if __name__ == "__main__":
    import unittest
    unittest.main()

# SPDX-License-Identifier: MIT
"""`lbib remind` at scale (issue #20): the counts by kind and month due, the items of short kinds
in full, and every item on request with --all, written as it is read."""
import collections
import csv
import email
import email.policy
import io
import unittest

from lbibtest import LbibTestCase

FIRST = ["Alma", "Berit", "Cecilia", "Doris", "Einar", "Folke", "Greta", "Harald", "Ingrid",
         "Jarl", "Karin", "Lennart", "Majken", "Nils", "Olga", "Per", "Ragnhild", "Sune", "Tyra",
         "Ulf", "Vera", "Wilhelm", "Yngve", "Åke", "Ärla", "Östen", "Dagny"]
TODAY = "2026-06-01"


class RemindCase(LbibTestCase):
    """27 consents given in January and February 2022 (re-confirmation due three years later)
    and one request waiting for its pre-meeting."""

    def setUp(self):
        super().setUp()
        self.config = self.dir / "config.toml"
        self.config.write_text(
            "[library]\n"
            'contact_persons = [ { name = "Kim Kontakt", email = "kim.kontakt@example.se" } ]\n')
        self.env["LBIB_CONFIG"] = str(self.config)
        self.init()
        self.experts = []
        for i, first in enumerate(FIRST):
            # Ten in January, seventeen in February.
            on = f"2022-01-{10 + i:02d}" if i < 10 else f"2022-02-{i - 9:02d}"
            self.experts.append(int(self.ok(
                "recruit", "--name", f"{first} Påhittad-Markör", "--email", f"p{i}@example.se",
                "--channel", "personal-contact", "--consent", "register,mailing",
                "--interviewed", on, "--consent-date", on,
                "--experience", "relative:dementia:2019:major").out))
        self.borrower = self.ok("borrower", "add", "--organisation", "Region Exempel",
                                "--contact-name", "Kim Låntagare",
                                "--contact-email", "kim@region.example.se").out.strip()
        self.request = int(self.ok("request", "new", "--borrower", self.borrower, "--received",
                                   "2026-05-02", "--purpose", "Digitala kallelser", "--form",
                                   "workshop", "--time", "eftermiddag", "--digital",
                                   "--want", "dementia").out)

    def every_item(self, *args):
        return self.ok("remind", "--all", "--today", TODAY, "--format", "json", *args).json()

    def counts(self):
        return [(r["kind"], r["month"], r["count"])
                for r in self.ok("remind", "--today", TODAY, "--format", "json").json()]

    def test_the_counts_are_the_full_list_grouped_by_kind_and_month(self):
        items = self.every_item()
        self.assertEqual(len(items), 28)
        grouped = collections.Counter((i["kind"], i["due_on"][:7]) for i in items)
        self.assertEqual(sorted(self.counts()), sorted((k, m, n) for (k, m), n in grouped.items()))
        # The lending cycle first, then data protection, months in order.
        self.assertEqual(self.counts(), [("pre-meeting", "2026-05", 1),
                                         ("gdpr-reconfirm", "2025-01", 10),
                                         ("gdpr-reconfirm", "2025-02", 17)])
        # Each re-confirmation fell due three years after its consent.
        reconfirm = sorted((i["expert"], i["since"], i["due_on"]) for i in items
                           if i["kind"] == "gdpr-reconfirm")
        self.assertEqual([e for e, _, _ in reconfirm], sorted(self.experts))
        for _, since, due_on in reconfirm:
            self.assertEqual(due_on, "2025" + since[4:])
        # CSV: the same counts, keys only; the table reads the step in words.
        rows = list(csv.reader(io.StringIO(
            self.ok("remind", "--today", TODAY, "--format", "csv").out[1:], newline=""), delimiter=";"))
        self.assertEqual(rows, [["kind", "month", "count"], ["pre-meeting", "2026-05", "1"],
                                ["gdpr-reconfirm", "2025-01", "10"], ["gdpr-reconfirm", "2025-02", "17"]])
        table = self.ok("remind", "--today", TODAY, "--format", "table").out
        self.assertIn("samtycke", table.lower())
        self.assertNotIn("gdpr-reconfirm", table)

    def test_a_person_reads_the_short_kinds_in_full_and_counts_for_the_long(self):
        out = self.ok("remind", "--today", TODAY).out
        self.assertIn(f"Förfrågan {self.request} · Region Exempel", out)
        self.assertIn(f"lbib request premeeting {self.request}", out)
        self.assertIn("Räknade, inte listade (27 stycken; fler än 25", out)
        self.assertIn("(2025-01): 10", out)
        self.assertIn("(2025-02): 17", out)
        self.assertIn("lbib remind --all", out)
        self.assertNotIn("--reconfirm", out)  # no item of a counted kind
        for secret in ("Markör", "Påhittad", "@example.se", "dementia", "Demens"):
            self.assertNotIn(secret, out)
        # --all: every item, each with its command, and still no person's name.
        every = self.ok("remind", "--all", "--today", TODAY).out
        self.assertEqual(every.count("--reconfirm)"), 27)
        self.assertNotIn("Räknade", every)
        for secret in ("Markör", "Påhittad", "@example.se"):
            self.assertNotIn(secret, every)
        # At the limit (25 of a kind) every item is listed, and nothing is said to be counted.
        for expert in self.experts[:2]:
            self.ok("expert", "edit", expert, "--reconfirm")  # today: due again in 2029-12, after TODAY
        at_limit = self.ok("remind", "--today", TODAY).out
        self.assertEqual(at_limit.count("--reconfirm)"), 25)
        self.assertNotIn("Räknade", at_limit)
        self.assertEqual(at_limit, self.ok("remind", "--all", "--today", TODAY).out)

    def test_the_mail_to_the_contact_persons_counts_every_item_and_lists_the_short_kinds(self):
        message = email.message_from_string(self.ok("remind", "--mail", "--today", TODAY).out,
                                            policy=email.policy.default)
        self.assertIn(": 28 påminnelser 2026-06-01", message["Subject"])  # every item counted
        mail = message.get_content()
        self.assertIn("(2025-02): 17", mail)
        self.assertIn(f"lbib request premeeting {self.request}", mail)
        self.assertNotIn("--reconfirm", mail)
        for secret in ("Markör", "Påhittad", "p0@example.se"):
            self.assertNotIn(secret, mail)
        every = email.message_from_string(self.ok("remind", "--mail", "--all", "--today", TODAY).out,
                                          policy=email.policy.default).get_content()
        self.assertEqual(every.count("--reconfirm)"), 27)

    def test_every_format_of_the_full_list_has_every_item(self):
        items = self.every_item()
        raw = self.ok("remind", "--all", "--today", TODAY, "--format", "csv").out
        self.assertTrue(raw.startswith("\ufeff"))
        rows = list(csv.DictReader(io.StringIO(raw[1:], newline=""), delimiter=";"))
        self.assertEqual([r["command"] for r in rows], [i["command"] for i in items])
        self.assertEqual(list(rows[0]), list(items[0]))
        md = self.ok("remind", "--all", "--today", TODAY, "--format", "md").out.splitlines()
        self.assertEqual(len(md), 2 + len(items))
        self.assertEqual(len(self.ok("remind", "--all", "--today", TODAY, "--format", "table")
                             .out.splitlines()), 2 + len(items))

    def test_nothing_due_is_said_by_nothing_or_an_empty_list(self):
        for args in ([], ["--all"], ["--mail"], ["--mail", "--all"]):
            with self.subTest(args=args):
                self.assertEqual(self.ok("remind", "--today", "2022-03-01", *args).out, "")
        for args in ([], ["--all"]):
            self.assertEqual(self.ok("remind", "--today", "2022-03-01", "--format", "json", *args)
                             .json(), [])
        self.assertEqual(self.ok("remind", "--today", "2022-03-01", "--format", "csv").out,
                         "\ufeffkind;month;count\r\n")


if __name__ == "__main__":
    unittest.main()

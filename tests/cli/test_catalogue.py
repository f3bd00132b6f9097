"""The public catalogue (lbib catalogue) and the approved descriptions (lbib expert describe):
anonymous cards, only for those who consented to the website, rendered in real Chromium."""
import html.parser
import os
import shutil
import sqlite3
import subprocess
import unittest

import browser
from lbibtest import LbibTestCase

CHROMIUM = browser.CHROMIUM
PDFTOTEXT = shutil.which("pdftotext")

# Invented people. Every personal value carries a marker that must never reach the page.
PEOPLE = [
    # name, email, phone, municipality, birth year, consents, experiences, description
    ("Zyxa Qwertysson", "zyxa@example.se", "0701112233", "Zyxköping", "1961", "register,mailing,website",
     ["relative:dementia:2018:major", "patient:pharmacy"], "Jag har vårdat min mamma med demens i sex år."),
    ("Zyxb Qwertysson", "zyxb@example.se", "0702223344", "Zyxstad", "1990", "register,mailing,website",
     ["user:psychiatry:2015:major"], "Jag har egen erfarenhet av psykiatrin som ung vuxen."),
    ("Zyxc Qwertysson", "zyxc@example.se", "0703334455", "Zyxby", "1975", "register,mailing",
     ["patient:dental-care"], "HIDDEN-no-website-consent"),
    ("Zyxd Qwertysson", "zyxd@example.se", "0704445566", "Zyxvik", "1980", "register,website",
     ["client:social-services"], "HIDDEN-paused"),
    ("Zyxe Qwertysson", "zyxe@example.se", "0705556677", "Zyxås", "1985", "register,website",
     ["patient:cancer-care"], "HIDDEN-erased"),
    ("Zyxf Qwertysson", "zyxf@example.se", "0706667788", "Zyxholm", "1950", "register,website",
     ["relative:elderly-care"], "HIDDEN-withdrew-website"),
    ("Zyxg Qwertysson", "zyxg@example.se", "0707778899", "Zyxfors", "1966", "register,website",
     ["patient:primary-care"], None),  # consented, but approved no description
]


class PageStructure(html.parser.HTMLParser):
    """Headings in order, images and their alt texts, the page's language."""

    def __init__(self):
        super().__init__()
        self.headings, self.images, self.lang = [], [], None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag in ("h1", "h2", "h3"):
            self.headings.append(int(tag[1]))
        if tag in ("img", "svg"):
            self.images.append(a)


class CatalogueTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.ok("init")
        for name, email, phone, muni, year, consents, experiences, _ in PEOPLE:
            args = ["--as", "Zyxkontakt", "recruit", "--name", name, "--email", email, "--phone", phone,
                    "--municipality", muni, "--birth-year", year, "--channel", "website", "--consent", consents,
                    "--interviewed", "2026-01-15", "--notes", f"ZYXNOTE {name}"]
            for x in experiences:
                args += ["--experience", x]
            self.ok(*args)
        for i, person in enumerate(PEOPLE, start=1):
            if person[7]:
                self.ok("--as", "Zyxkontakt", "expert", "describe", i, "--text", person[7], "--approved", "2026-02-01")
        self.ok("expert", "edit", "4", "--status", "paused")
        self.ok("expert", "erase", "5", "--yes")
        self.ok("expert", "edit", "6", "--withdraw", "website")

    def personal_values(self):
        """Every personal value in the register, read from the file itself."""
        con = sqlite3.connect(self.db)
        values = set()
        for row in con.execute("SELECT name, email, phone, municipality, birth_year, notes FROM expert"):
            values |= {str(v) for v in row if v is not None}
        values |= {r[0] for r in con.execute("SELECT recorded_by FROM consent")}
        values |= {r[0] for r in con.execute("SELECT recorded_by FROM catalogue_entry")}
        con.close()
        return values - {"(raderad)", "raderad@invalid"}

    def test_only_consenting_active_experts_with_an_approved_description(self):
        md = self.ok("catalogue", "--format", "md", "--today", "2026-11-22").out
        self.assertIn("## Demenssjukdom", md)
        self.assertIn("Jag har vårdat min mamma med demens i sex år.", md)
        self.assertIn("- Anhörig – Demenssjukdom", md)
        self.assertIn("- Ålder: 60–69 år", md)
        self.assertIn("## Psykiatri", md)
        self.assertEqual(md.count("### Erfaren "), 2)
        self.assertNotIn("HIDDEN", md)

    def test_no_personal_field_can_appear(self):
        values = self.personal_values()
        self.assertGreater(len(values), 30)
        for fmt in ("html", "md"):
            page = self.ok("catalogue", "--format", fmt, "--today", "2026-11-22").out
            for v in values:
                self.assertNotIn(v, page, f"{fmt}: a personal value reached the catalogue")
            self.assertNotIn("Zyx", page)
            self.assertNotIn("2026-02-01", page, "not even the approval date")

    def test_html_is_accessible_and_self_contained(self):
        page = self.ok("catalogue", "--today", "2026-11-22").out
        p = PageStructure()
        p.feed(page)
        self.assertEqual(p.lang, "sv")
        self.assertEqual(p.headings[0], 1)
        for a, b in zip(p.headings, p.headings[1:]):
            self.assertLessEqual(b - a, 1, "no heading level is skipped")
        self.assertEqual(len(p.images), 2)
        for img in p.images:
            self.assertEqual(img.get("aria-hidden"), "true", "the placeholder picture is decoration")
        for external in ("http://", "https://", "<script", "<link", "src="):
            self.assertNotIn(external, page)

    def test_erasure_removes_the_description(self):
        self.ok("expert", "erase", "1", "--yes")
        con = sqlite3.connect(self.db)
        self.assertEqual(con.execute("SELECT count(*) FROM catalogue_entry WHERE expert_id = 1").fetchone()[0], 0)
        con.close()
        self.assertNotIn("mamma", self.ok("catalogue").out)

    def test_subject_export_holds_the_description(self):
        doc = self.ok("expert", "export", "1").json()
        self.assertEqual(doc["catalogue_description"][0]["approved_on"], "2026-02-01")

    def test_bad_descriptions_are_refused(self):
        self.fails(66, "no expert with id 99", "expert", "describe", "99", "--text", "x")
        self.fails(66, "no expert with id 5", "expert", "describe", "5", "--text", "x")  # erased
        self.fails(65, "description", "expert", "describe", "1", "--text", "x" * 601)
        self.fails(65, "description", "expert", "describe", "1", "--text", "rad\x1b[31m")
        self.fails(65, "description: empty", "expert", "describe", "1", "--text", "  ")
        self.fails(65, "before the expert's interview", "expert", "describe", "1", "--text", "x",
                   "--approved", "2025-01-01")
        self.fails(64, "give --text TEXT, or --clear", "expert", "describe", "1")
        self.fails(66, "has no description to remove", "expert", "describe", "7", "--clear")
        self.fails(64, "html or md", "catalogue", "--format", "csv")

    @unittest.skipUnless(CHROMIUM and PDFTOTEXT, "needs Debian's chromium and poppler-utils")
    def test_renders_in_chromium(self):
        page = self.dir / "katalog.html"
        page.write_text(self.ok("catalogue", "--today", "2026-11-22").out)
        profile = self.dir / "chromium-profile"
        base = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0"]
        png = self.dir / "katalog.png"
        r = subprocess.run(base + [f"--screenshot={png}", "--window-size=1000,900", page.as_uri()],
                           capture_output=True, text=True, timeout=180, env=self.env)
        self.assertTrue(png.exists(), r.stderr[-2000:])
        self.assertNotIn(":CONSOLE(", r.stderr, "the page logged to the console")
        self.assertEqual(png.read_bytes()[:8], b"\x89PNG\r\n\x1a\n")
        keep = os.environ.get("LBIB_KEEP_SCREENSHOTS")
        if keep:
            shutil.copy(png, keep)
        pdf = self.dir / "katalog.pdf"
        r = subprocess.run(base + ["--no-pdf-header-footer", f"--print-to-pdf={pdf}", page.as_uri()],
                           capture_output=True, text=True, timeout=180, env=self.env)
        self.assertTrue(pdf.exists(), r.stderr[-2000:])
        text = subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        self.assertIn("Levande Bibliotek – möt våra erfarna", text)
        self.assertRegex(text, r"Erfaren [0-9A-F]{6}")
        self.assertIn("Demenssjukdom", text)
        self.assertNotIn("Zyx", text)

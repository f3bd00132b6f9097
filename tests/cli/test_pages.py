# SPDX-License-Identifier: MIT
"""The pages lbib publishes, checked as a region's web editor, an accessibility reviewer and a
printer would: the public catalogue and the annual report opened in Debian's headless
Chromium (driven over the DevTools protocol, browser.py), axe-core's WCAG 2.1 A/AA and
best-practice rules, reflow at 320 CSS px, print to PDF measured with poppler's pdftotext
-bbox, and the chart seen in greyscale. People are invented."""
import base64
import datetime
import json
import os
import re
import shutil
import sqlite3
import subprocess
import unittest
from pathlib import Path

import browser
from lbibtest import LBIB, SOURCE_DIR, LbibTestCase
from test_reports import SormlandCase

PDFTOTEXT = shutil.which("pdftotext")
PDFINFO = shutil.which("pdfinfo")
CAN_RENDER = bool(browser.CHROMIUM and PDFTOTEXT and PDFINFO)
WHY_NOT = "needs Debian's chromium and poppler-utils (scripts/install-deps.sh)"

A4 = (595.28, 841.89)  # points
MM = 72 / 25.4
# pdftotext -bbox gives a word the height of its font's ascent plus descent: for DejaVu Sans
# (the pages' first font, from fonts-dejavu-core) 1.164 times the font size.
DEJAVU_HEIGHT = 1.164
LONG_COMPOUND = "funktionsnedsättningsområdet"
MONTHS = ["januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
          "oktober", "november", "december"]


def keep(path):
    """Copies a rendering to $LBIB_KEEP_SCREENSHOTS, for a person to look at."""
    folder = os.environ.get("LBIB_KEEP_SCREENSHOTS")
    if folder:
        shutil.copy(path, folder)


class Pdf:
    """A PDF's pages (size) and words (text, page, box) from poppler."""

    def __init__(self, path):
        info = subprocess.run([PDFINFO, "-f", "1", "-l", "999", str(path)], capture_output=True,
                              text=True, check=True).stdout
        self.pages = [tuple(float(v) for v in m.groups()) for m in
                      re.finditer(r"Page +\d+ size: +([\d.]+) x ([\d.]+) pts", info)]
        bbox = subprocess.run([PDFTOTEXT, "-bbox", str(path), "-"], capture_output=True,
                              text=True, check=True).stdout
        self.words = []
        for n, page in enumerate(bbox.split("<page ")[1:], start=1):
            for m in re.finditer(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" '
                                 r'yMax="([\d.]+)">([^<]*)</word>', page):
                x0, y0, x1, y1 = (float(v) for v in m.groups()[:4])
                self.words.append({"page": n, "x0": x0, "y0": y0, "x1": x1, "y1": y1,
                                   "text": unescape(m.group(5))})
        self.text = [subprocess.run([PDFTOTEXT, "-f", str(n), "-l", str(n), "-layout", str(path), "-"],
                                    capture_output=True, text=True, check=True).stdout
                     for n in range(1, len(self.pages) + 1)]

    def find(self, text):
        return [w for w in self.words if w["text"] == text]

    @staticmethod
    def font_size(word):
        """The font size a word was printed at, in points (DejaVu Sans)."""
        return (word["y1"] - word["y0"]) / DEJAVU_HEIGHT


def unescape(s):
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")


# -- the catalogue -------------------------------------------------------------------------

CATALOGUE_CONFIG = """
[catalogue]
contact_url = "https://region.example.se/levande-bibliotek/kontakt"
accessibility_statement_url = "/om-webbplatsen/tillganglighetsredogorelse"
"""

# Invented people: (experience, description). Nine cards in four areas, as in the issue.
CARDS = [
    ("relative:dementia:2018:major", "Jag har vårdat min mamma med demens i sex år och lärt mig "
     "mycket om hur dagverksamhet och hemtjänst fungerar ihop."),
    ("patient:dementia:2021:major", "Jag fick min diagnos tidigt och vill berätta hur det är att "
     "leva med en demenssjukdom mitt i arbetslivet."),
    ("relative:dementia:2015:major", "Min pappa bodde på ett särskilt boende i fyra år."),
    ("user:psychiatry:2015:major", "Jag har egen erfarenhet av psykiatrin som ung vuxen, av "
     "slutenvård och av öppenvård."),
    ("relative:psychiatry:2019:major", "Mitt barn har vårdats inom barn- och ungdomspsykiatrin."),
    ("user:disability-support:2010:major", "Jag har arbetat länge inom " + LONG_COMPOUND +
     " och har själv personlig assistans. Jag vill att fler frågar oss som använder stödet."),
    ("relative:disability-support:2012:major", "Som förälder till ett barn med "
     "funktionsnedsättning har jag mött habilitering, skola och LSS-handläggare."),
    ("patient:cancer-care:2020:major", "Jag behandlades för bröstcancer 2020 och följer nu "
     "rehabiliteringen."),
    ("patient:cancer-care:2022:major", "Jag fick strålbehandling och vill berätta om väntan "
     "mellan beskeden."),
]


class CatalogueCase(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.config = self.dir / "lbib.toml"
        self.config.write_text(CATALOGUE_CONFIG)
        self.env["LBIB_CONFIG"] = str(self.config)
        self.ok("init")
        for i, (experience, text) in enumerate(CARDS, start=1):
            self.recruit(f"Påhittad Person{i}", f"person{i}@example.se", "--birth-year", str(1950 + 4 * i),
                         consent="register,mailing,website", experiences=(experience,))
            self.ok("expert", "describe", str(i), "--text", text, "--approved", "2026-02-01")

    def page(self, fmt="html"):
        return self.ok("catalogue", "--format", fmt, "--today", "2026-11-22").out

    def references(self):
        return re.findall(r'<h3 id="card-([0-9A-F]{6})">Erfaren \1</h3>', self.page())


class CatalogueTest(CatalogueCase):
    def test_cards_are_named_by_stable_random_references(self):
        before = self.references()
        self.assertEqual(len(before), 9)
        self.assertEqual(len(set(before)), 9)
        # One more description, in the first area on the page; and one removed.
        self.recruit("Påhittad Tio", "tio@example.se", consent="register,website",
                     experiences=("patient:cancer-care:2023:major",))
        self.ok("expert", "describe", "10", "--text", "Jag är ny i katalogen.")
        self.ok("expert", "describe", "3", "--clear")
        con = sqlite3.connect(self.db)
        after = self.references()
        self.assertEqual(len(after), 9)
        new = set(after) - set(before)
        self.assertEqual(len(new), 1)
        self.assertEqual(len(set(before) - set(after)), 1, "only the removed card's reference went")
        # An edited description keeps its reference.
        ref_of_1 = con.execute("SELECT reference FROM catalogue_entry WHERE expert_id = 1").fetchone()[0]
        self.ok("expert", "describe", "1", "--text", "Ny text, samma kort.")
        self.assertEqual(con.execute("SELECT reference FROM catalogue_entry WHERE expert_id = 1")
                         .fetchone()[0], ref_of_1)
        self.assertIn(ref_of_1, self.references())
        # Erasure takes the reference with the description.
        self.ok("expert", "erase", "1", "--yes")
        self.assertNotIn(ref_of_1, self.page())
        self.assertEqual(con.execute("SELECT count(*) FROM catalogue_entry WHERE reference = ?",
                                     (ref_of_1,)).fetchone()[0], 0)
        con.close()

    def test_descriptions_from_before_the_references_get_one(self):
        # The register as the schema before the references' migration left it: no reference
        # column, and the version before that migration's (found by name, never hard-coded).
        migrations = sorted(p.name for p in (SOURCE_DIR / "lib" / "lbib" / "db" / "schema").glob("*.sql"))
        ours = [i for i, name in enumerate(migrations, start=1) if name.endswith("_catalogue_reference.sql")]
        self.assertEqual(len(ours), 1)
        if ours[0] != len(migrations):
            self.skipTest("later migrations would have to be undone too")
        con = sqlite3.connect(self.db)
        con.executescript("DROP INDEX catalogue_entry_reference;"
                          "ALTER TABLE catalogue_entry DROP COLUMN reference;"
                          f"PRAGMA user_version = {ours[0] - 1};")
        con.close()
        refs = self.references()  # the migration runs as lbib opens the register
        self.assertEqual(len(set(refs)), 9)
        self.assertEqual(refs, self.references(), "drawn once, then kept")

    def test_references_say_nothing_about_the_person(self):
        # The same history in another register gives other references: they come from chance,
        # not from the person's id, name or dates.
        ours = self.references()
        other = self.dir / "other.sqlite"
        self.ok("--db", other, "init", db=False)
        for i, (experience, text) in enumerate(CARDS, start=1):
            self.ok("--db", other, "recruit", "--name", f"Påhittad Person{i}", "--email", f"person{i}@example.se",
                    "--channel", "personal-contact", "--consent", "register,website",
                    "--interviewed", "2026-01-15", "--experience", experience, db=False)
            self.ok("--db", other, "expert", "describe", str(i), "--text", text, "--approved", "2026-02-01",
                    db=False)
        theirs = re.findall(r'<h3 id="card-([0-9A-F]{6})"',
                            self.ok("--db", other, "catalogue", "--today", "2026-11-22", db=False).out)
        self.assertEqual(len(theirs), 9)
        self.assertFalse(set(ours) & set(theirs))
        # The subject's own export shows their reference.
        doc = self.ok("expert", "export", "2").json()
        self.assertRegex(doc["catalogue_description"][0]["reference"], r"^[0-9A-F]{6}$")

    def test_illustration_is_hidden_from_assistive_technology(self):
        page = self.page()
        self.assertNotIn("Plats för en illustration", page)
        svgs = re.findall(r"<svg[^>]*>", page)
        self.assertEqual(len(svgs), 9)
        for svg in svgs:
            self.assertIn('aria-hidden="true"', svg)
            self.assertNotIn("role=", svg)

    def test_contact_and_accessibility_statement_links(self):
        page = self.page()
        self.assertIn('<a href="https://region.example.se/levande-bibliotek/kontakt">Kontakta oss</a>', page)
        self.assertIn('<a href="/om-webbplatsen/tillganglighetsredogorelse">Tillgänglighetsredogörelse</a>', page)
        md = self.page("md")
        self.assertIn("[Kontakta oss](<https://region.example.se/levande-bibliotek/kontakt>)", md)
        self.assertIn("[Tillgänglighetsredogörelse](</om-webbplatsen/tillganglighetsredogorelse>)", md)
        # Without the settings: mail to the library, and no statement link.
        self.config.write_text("")
        page = self.page()
        self.assertIn('<a href="mailto:levande.bibliotek@example.se">Kontakta oss</a>', page)
        self.assertNotIn("Tillgänglighetsredogörelse", page)

    def test_bad_links_are_refused(self):
        for bad in ('"javascript:alert(1)"', '"https://a.example/\\" onmouseover=\\"x"', '"//evil.example"',
                    '"kontakt"', "1"):
            self.config.write_text(f"[catalogue]\ncontact_url = {bad}\n")
            r = self.fails(78, "catalogue.contact_url", "catalogue")
            self.assertNotIn("alert", r.err.split("contact_url")[0])
        self.config.write_text("[catalogue]\nstatement = \"/x\"\n")
        self.fails(78, "unknown key 'catalogue.statement'", "catalogue")


@unittest.skipUnless(CAN_RENDER, WHY_NOT)
class CatalogueInChromiumTest(CatalogueCase):
    def setUp(self):
        super().setUp()
        self.assertTrue(browser.AXE.exists(), "axe-core is missing: run scripts/install-deps.sh")
        self.html = self.dir / "katalog.html"
        self.html.write_text(self.page())

    def test_axe_finds_nothing_at_full_width_and_at_320_px(self):
        with browser.Browser(self.dir) as b:
            page = b.new_page(1280)
            page.open(self.html)
            self.assertEqual(page.axe(), [])
            page.resize(320, 640)
            self.assertEqual(page.axe(), [])
            self.assertEqual(page.console_messages(), [])

    def test_reflows_at_320_px_without_sideways_scrolling(self):
        with browser.Browser(self.dir) as b:
            page = b.new_page(320, 640)
            page.open(self.html)
            width = page.evaluate("document.documentElement.scrollWidth")
            self.assertLessEqual(width, 320)
            # No element sticks out of the screen, the long compound's paragraph included.
            wide = page.evaluate("[...document.querySelectorAll('body *')].filter(e => "
                                 "e.getBoundingClientRect().right > 320.5).map(e => e.tagName)")
            self.assertEqual(wide, [])
            compound = page.evaluate(
                "[...document.querySelectorAll('article p')].find(p => p.textContent.includes(%s))"
                ".getBoundingClientRect().right" % json.dumps(LONG_COMPOUND))
            self.assertLessEqual(compound, 320)
            png = self.dir / "katalog-320.png"
            page.screenshot(png)
            keep(png)

    def test_prints_on_a4_two_cards_a_row_with_headings_kept_with_their_cards(self):
        with browser.Browser(self.dir) as b:
            page = b.new_page()
            page.open(self.html)
            pdf_path = self.dir / "katalog.pdf"
            pdf_path.write_bytes(page.pdf())
        keep(pdf_path)
        pdf = Pdf(pdf_path)
        for size in pdf.pages:
            self.assertAlmostEqual(size[0], A4[0], delta=1)
            self.assertAlmostEqual(size[1], A4[1], delta=1)
        self.assertIn(len(pdf.pages), (1, 2, 3), "nine cards, two a row, on at most three pages")
        cards = [w for w in pdf.find("Erfaren") if re.fullmatch(r"[0-9A-F]{6}", self.next_word(pdf, w))]
        self.assertEqual(len(cards), 9)
        columns = sorted({round(w["x0"]) for w in cards})
        self.assertEqual(len(columns), 2, f"two cards a row: {columns}")
        # Each area heading stands on the page of its first card, above it.
        headings = ["Demenssjukdom", "Psykiatri", "Funktionsstöd", "Cancervård"]
        for heading in headings:
            h = [w for w in pdf.find(heading) if w["y1"] - w["y0"] > 14][0]  # the 14 pt heading
            below = [c for c in cards if c["page"] == h["page"] and c["y0"] > h["y1"]]
            self.assertTrue(below, f"{heading} is left alone at the foot of page {h['page']}")

    @staticmethod
    def next_word(pdf, word):
        i = pdf.words.index(word)
        return pdf.words[i + 1]["text"] if i + 1 < len(pdf.words) else ""


# -- the annual report -----------------------------------------------------------------------

def swedish_today():
    d = datetime.date.today()
    return f"{d.day} {MONTHS[d.month - 1]} {d.year}"


@unittest.skipUnless(CAN_RENDER, WHY_NOT)
class AnnualReportInChromiumTest(SormlandCase):
    """The report of scripts/yearly-stats.sh, printed to PDF the way a browser prints it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
        env.update(HOME=str(cls.shared), LC_ALL="C.UTF-8", LBIB=LBIB, LBIB_DB=str(cls.shared_db),
                   LBIB_CONFIG=str(SOURCE_DIR / "tests" / "fixtures" / "sormland.toml"))
        cls.stats = cls.shared / "stats"
        subprocess.run([str(SOURCE_DIR / "scripts" / "yearly-stats.sh"), str(cls.stats), "--from", "2019",
                        "--to", "2022"], check=True, env=env, stdout=subprocess.DEVNULL, timeout=120)
        with browser.Browser(cls.shared) as b:
            page = b.new_page()
            page.open(cls.stats / "report.html")
            cls.violations = page.axe()
            cls.console = page.console_messages()
            cls.pdf_path = cls.shared / "report.pdf"
            cls.pdf_path.write_bytes(page.pdf())
        cls.pdf = Pdf(cls.pdf_path)
        keep(cls.pdf_path)

    def test_axe_finds_nothing(self):
        self.assertTrue(browser.AXE.exists(), "axe-core is missing: run scripts/install-deps.sh")
        self.assertEqual(self.violations, [])
        self.assertEqual(self.console, [])

    def test_a4_pages_numbered_and_dated_in_swedish(self):
        pages = self.pdf.pages
        self.assertGreaterEqual(len(pages), 2)
        for size in pages:  # portrait, or landscape for Table 1
            self.assertAlmostEqual(min(size), A4[0], delta=1)
            self.assertAlmostEqual(max(size), A4[1], delta=1)
        for n, text in enumerate(self.pdf.text, start=1):
            self.assertIn(f"Sida {n} av {len(pages)}", text)
            self.assertIn(swedish_today(), text)
            self.assertNotIn("file:", text)
            self.assertIsNone(re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text), "no US date")

    def test_the_browser_prints_no_header_or_footer_of_its_own(self):
        # Printed as a person would, with the browser's default header and footer switched on:
        # the page's own margin boxes take their place, so no file path or US date appears.
        pdf = self.dir / "default.pdf"
        subprocess.run([browser.CHROMIUM, *browser.FLAGS[:-1], f"--user-data-dir={self.dir / 'profile'}",
                        f"--print-to-pdf={pdf}", (self.stats / "report.html").as_uri()],
                       capture_output=True, timeout=120, env=self.env)
        text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        self.assertIn("Sida 1 av", text)
        self.assertNotIn("file:", text)
        self.assertIsNone(re.search(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b", text))

    def test_printed_at_full_size(self):
        # The body text and the table text print at their CSS sizes (11 pt and 9 pt): nothing
        # was shrunk to fit the page.
        paragraph = [w for w in self.pdf.find("streck")]
        self.assertTrue(paragraph)
        self.assertAlmostEqual(Pdf.font_size(paragraph[0]), 11, delta=0.3)
        cell = self.pdf.find("Habiliteringen")[0]
        self.assertAlmostEqual(Pdf.font_size(cell), 9, delta=0.3)
        # Table 1 has landscape pages of its own and lies within their margins (15 mm a side);
        # the other pages are portrait, and nothing crosses their margins either.
        for n, (width, height) in enumerate(self.pdf.pages, start=1):
            words = [w for w in self.pdf.words if w["page"] == n]
            self.assertLessEqual(max(w["x1"] for w in words), width - 15 * MM + 2)
            self.assertGreaterEqual(min(w["x0"] for w in words), 15 * MM - 2)
            self.assertEqual(width > height, any(w["text"] == "Habiliteringen" for w in words) or
                             n - 1 in [i for i, t in enumerate(self.pdf.text) if "Implementeringsfas" in t],
                             f"page {n}: landscape for Table 1 alone")
        for w in self.pdf.words:
            self.assertGreaterEqual(Pdf.font_size(w), 7.5, f"{w['text']} printed too small")

    def test_swedish_words_and_numbers(self):
        text = "\n".join(self.pdf.text)
        self.assertIn("Levande Bibliotek: sammanställning 2019–2022", text)
        self.assertRegex(text, r"77,8\s%")
        self.assertNotRegex(text, r"\d\.\d")
        for key in ("satisfaction_5", "days_to_finished_median", "followed_up", "loans"):
            self.assertNotIn(key, text)
        for caption in ("Figur 3.", "Tabell 1.", "Tabell 3.", "Siffrorna i figur 3"):
            self.assertIn(caption, text)
        self.assertIn("Fas", text, "Sörmland's phases are configured")
        # The data formats keep their keys and plain numbers.
        rows = self.ok("report", "followups", "--from", "2019", "--to", "2022", "--format", "json").json()
        self.assertIn("satisfaction_5", [r["measure"] for r in rows])
        self.assertIn(77.8, [round(r["percent"], 1) for r in rows if r["percent"] is not None])

    def test_chart_is_named_once_and_described(self):
        html = (self.stats / "report.html").read_text()
        svg = re.search(r"<svg[^>]*>", html).group(0)
        self.assertIn('aria-labelledby="fig3-title"', svg)
        self.assertIn('aria-describedby="fig3-desc"', svg)
        desc = re.search(r'<desc id="fig3-desc">([^<]*)</desc>', html).group(1)
        self.assertNotIn("Sammanställning", desc)
        self.assertIn("Rekryterade (N=28)", desc)
        self.assertIn("<figcaption>Figur 3.", html)
        # The goals (the fixture configures the report's), Figure 3's numbers, Tables 1-3, the
        # decisions and the inquiries turned away.
        self.assertEqual(html.count("<caption>"), 7)
        self.assertIn("<caption>Bibliotekets mål", html)

    def test_chart_series_differ_in_greyscale(self):
        svg_path = self.stats / "figure3.svg"
        svg = svg_path.read_text()
        bars = {}
        for m in re.finditer(r'<rect class="bar" data-series="(\w+)" x="([\d.]+)" y="([\d.]+)" '
                             r'width="([\d.]+)" height="([\d.]+)"', svg):
            x, y, w, h = (float(v) for v in m.groups()[1:])
            if h > bars.get(m.group(1), (0, 0, 0, 0))[3]:
                bars[m.group(1)] = (x, y, w, h)
        self.assertEqual(sorted(bars), ["loans", "recruited", "requests"])
        blank = self.dir / "blank.html"
        blank.write_text('<!DOCTYPE html><html lang="sv"><title>Figur 3 i gråskala</title></html>')
        with browser.Browser(self.dir) as b:
            page = b.new_page(800, 480)
            page.open(blank)
            # The chart drawn on a canvas through a greyscale filter; each series' tallest bar
            # measured inside its outline: mean relative luminance and its spread (texture).
            # (A data: URL, since a canvas that drew a file:// picture may not be read.)
            measured = page.evaluate("""
              new Promise((resolve, reject) => {
                const img = new Image();
                img.onload = () => { try {
                  const c = document.createElement('canvas');
                  c.width = 800; c.height = 480;
                  const g = c.getContext('2d');
                  g.filter = 'grayscale(1)';
                  g.drawImage(img, 0, 0, 800, 480);
                  const lin = v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
                  const out = {};
                  for (const [name, [x, y, w, h]] of Object.entries(%s)) {
                    const d = g.getImageData(Math.ceil(x + 3), Math.ceil(y + 3),
                                             Math.floor(w - 6), Math.floor(h - 6)).data;
                    let sum = 0, sq = 0, n = 0, grey = true;
                    for (let i = 0; i < d.length; i += 4) {
                      grey = grey && Math.abs(d[i] - d[i + 1]) <= 1 && Math.abs(d[i + 1] - d[i + 2]) <= 1;
                      const l = lin(d[i]); sum += l; sq += l * l; n++;
                    }
                    const mean = sum / n;
                    out[name] = {mean, spread: Math.sqrt(sq / n - mean * mean), grey};
                  }
                  const png = c.toDataURL('image/png');
                  resolve({out, png});
                } catch (e) { reject(String(e)); } };
                img.onerror = () => reject('the chart did not load');
                img.src = 'data:image/svg+xml;base64,' + %s;
              })""" % (json.dumps(bars), json.dumps(base64.b64encode(svg.encode()).decode())))
        grey_png = self.dir / "figure3-grey.png"
        grey_png.write_bytes(base64.b64decode(measured["png"].split(",", 1)[1]))
        keep(grey_png)
        series = measured["out"]
        for name, m in series.items():
            self.assertTrue(m["grey"], f"{name} was not rendered in greyscale")

        def contrast(a, b):
            hi, lo = max(a, b), min(a, b)
            return (hi + 0.05) / (lo + 0.05)

        names = sorted(series)
        for i, a in enumerate(names):
            for b in names[i + 1:]:
                ratio = contrast(series[a]["mean"], series[b]["mean"])
                self.assertGreaterEqual(ratio, 1.5, f"{a} and {b} look alike in greyscale ({ratio:.2f})")
        # The patterns show as texture: the solid series is flat, the others are not.
        self.assertLess(series["recruited"]["spread"], 0.01)
        self.assertGreater(series["requests"]["spread"], 0.05)
        self.assertGreater(series["loans"]["spread"], 0.05)


class AnnualReportTitleTest(LbibTestCase):
    """The period in the title, and the phase column only when phases are configured."""

    def test_title_names_the_period(self):
        self.ok("init")
        html = self.ok("report", "annual", "--from", "2026", "--to", "2026").out
        self.assertIn("<h1>Levande Bibliotek: sammanställning 2026</h1>", html)
        html = self.ok("report", "annual", "--from", "2026-01-01", "--to", "2026-06-30").out
        self.assertIn("<h1>Levande Bibliotek: sammanställning 2026-01-01–2026-06-30</h1>", html)
        html = self.ok("report", "annual", "--from", "2019", "--to", "2022").out
        self.assertIn("<h1>Levande Bibliotek: sammanställning 2019–2022</h1>", html)

    def test_no_empty_phase_column(self):
        self.ok("init")
        borrower = self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name", "Kim Påhittad",
                           "--contact-email", "kim@region.example.se").out.strip()
        self.ok("request", "new", "--borrower", borrower, "--purpose", "Digitala kallelser", "--form", "meeting",
                "--want", "relative:dementia", "--experts", "2", "--time", "3 dec", "--reply-by", "2026-11-20",
                "--received", "2026-11-01")
        html = self.ok("report", "annual", "--from", "2026", "--to", "2026").out
        table1 = html.split("Tabell 1.")[1].split("</thead>")[0]
        self.assertNotIn(">Fas<", table1)
        self.assertIn("Digitala kallelser", html)


if __name__ == "__main__":
    unittest.main()

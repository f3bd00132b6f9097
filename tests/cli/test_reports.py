# SPDX-License-Identifier: MIT
"""Reports: Figure 3 and Table 1 reproduced from the replayed Sörmland history, every report
in every format, bad input, an empty register, and the chart and HTML report rendered in
real headless Chromium."""
import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import tempfile
import unittest
from pathlib import Path

import browser
from lbibtest import LBIB, SOURCE_DIR, LbibTestCase

FIXTURE = SOURCE_DIR / "tests" / "fixtures" / "sormland.sh"
FIXTURE_CONFIG = SOURCE_DIR / "tests" / "fixtures" / "sormland.toml"
CHROMIUM = browser.CHROMIUM
PDFTOTEXT = shutil.which("pdftotext")

TABLE_1 = [
    # As people read it (Swedish): (phase, borrower, to experts, form, experts who took part, follow-up)
    ("Uppbyggnadsfas", "FoU i Sörmland, Flexit-forskning", "Ja", "Workshop", None, None),
    ("Uppbyggnadsfas", "Mälardalens högskola och Region Sörmland, Mälarsjukhuset", "Ja", "Möte", 3, "Ja"),
    ("Uppbyggnadsfas", "Region Sörmland, Habiliteringen", "Nej", "Workshop", None, None),
    ("Implementeringsfas", "Region Sörmland, Utvecklingsenheten", "Ja", "Fokusgrupp", 4, "Ja"),
    ("Implementeringsfas", "Mälardalens högskola, Samhällskontraktet", "Ja", "Fotoelicitering", 3, "Ja"),
    ("Implementeringsfas", "Region Sörmland, Radiologen, Nyköpings lasarett", "Nej", "Möte", None, None),
    ("Implementeringsfas", "FoU i Sörmland, Samverkansrådet för vård och omsorg vid demenssjukdom", "Ja",
     "Inspirationsdag eller konferens", 2, "Ja"),
    ("Implementeringsfas", "Region Sörmland, Utvecklingsenheten (i samverkan med Mälardalens högskola)",
     "Nej", "Annat", 0, "Planeras"),
    ("Implementeringsfas", "FoU i Sörmland, Uppdrag Nära vård", "Ja", "Fokusgrupp", 7, "Ja"),
    ("Implementeringsfas", "Katrineholms kommun, Socialförvaltningen", "Nej", "Intervjuer", None, None),
    ("Avslutningsfas (jan–mars 2022)", "Region Sörmland, Utvecklingsenheten", "Ja", "Workshop", 3, "Ja"),
    ("Avslutningsfas (jan–mars 2022)", "Länsgemensamt regionalt stöd", "Ja", "Delta i process", 1, "Planeras"),
    ("Avslutningsfas (jan–mars 2022)", "Region Sörmland, Utvecklingsenheten", "Ja", "Intervjuer via telefon", 6, "Ja"),
]


# The same rows as JSON carries them: keys, booleans and numbers in every language.
TABLE_1_DATA = [
    ("build-up", True, "workshop", None, None),
    ("build-up", True, "meeting", 3, "held"),
    ("build-up", False, "workshop", None, None),
    ("implementation", True, "focus-group", 4, "held"),
    ("implementation", True, "photo-elicitation", 3, "held"),
    ("implementation", False, "meeting", None, None),
    ("implementation", True, "inspiration-day", 2, "held"),
    ("implementation", False, "other", 0, "planned"),
    ("implementation", True, "focus-group", 7, "held"),
    ("implementation", False, "interviews", None, None),
    ("closing", True, "workshop", 3, "held"),
    ("closing", True, "process", 1, "planned"),
    ("closing", True, "telephone-interviews", 6, "held"),
]


def md_rows(md):
    """The body rows of a Markdown table, as lists of cells."""
    lines = [line for line in md.splitlines() if line.startswith("|")][2:]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines]


def _replay_into(db, env):
    subprocess.run([str(FIXTURE)], check=True, env=dict(env, LBIB=LBIB, LBIB_DB=str(db)),
                   stdout=subprocess.DEVNULL, timeout=300)


def _fixture_key():
    """What the replayed register depends on: the binary and the fixture's two files."""
    binary = Path(shutil.which(LBIB) or LBIB).resolve()
    st = binary.stat()
    h = hashlib.sha256(f"{binary}:{st.st_size}:{st.st_mtime_ns}".encode())
    for f in (FIXTURE, FIXTURE_CONFIG):
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


def replay(db, env):
    """The Sörmland history in a new register at `db`.

    Under CTest ($LBIB_FIXTURE_CACHE, a folder in the build tree) the history is replayed once per
    binary and fixture, under a lock so that parallel test processes wait for one replay, and each
    test gets a copy of the register file; run by hand, it is replayed for each call."""
    cache_root = os.environ.get("LBIB_FIXTURE_CACHE")
    if not cache_root:
        _replay_into(db, env)
        return
    cache = Path(cache_root)
    cache.mkdir(mode=0o700, parents=True, exist_ok=True)
    cached = cache / f"sormland-{_fixture_key()}.sqlite"
    with open(cache / "replay.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not cached.exists():
            building = cache / "building"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir(mode=0o700)
            _replay_into(building / "register.sqlite", dict(env, HOME=str(building)))
            leftovers = sorted(p.name for p in building.iterdir() if p.name != "register.sqlite")
            if leftovers:  # a copy of the one file would not be the whole register
                raise AssertionError(f"the replay left more than the register: {leftovers}")
            os.rename(building / "register.sqlite", cached)
            building.rmdir()
    shutil.copy2(cached, db)


class SormlandCase(LbibTestCase):
    """The replayed history, built once for the class (it is read-only for the tests)."""

    @classmethod
    def setUpClass(cls):
        cls.shared = Path(tempfile.mkdtemp(prefix="lbib-sormland-"))
        os.chmod(cls.shared, 0o700)
        env = {k: v for k, v in os.environ.items() if not k.startswith("LBIB_")}
        env.update(HOME=str(cls.shared), LC_ALL="C.UTF-8")
        cls.shared_db = cls.shared / "sormland.sqlite"
        replay(cls.shared_db, env)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.shared, ignore_errors=True)

    def setUp(self):
        super().setUp()
        self.db = self.shared_db
        self.env["LBIB_CONFIG"] = str(FIXTURE_CONFIG)


class FigureAndTableTest(SormlandCase):
    def test_figure_3_is_reproduced_exactly(self):
        rows = self.ok("report", "yearly", "--from", "2019", "--to", "2022", "--format", "json").json()
        self.assertEqual([(r["year"], r["recruited"], r["requests"], r["loans"], r["row"]) for r in rows],
                         [(2019, 7, 1, 0, "year"), (2020, 6, 2, 1, "year"), (2021, 15, 7, 5, "year"),
                          (2022, 0, 3, 3, "year"), (None, 28, 13, 9, "total")])
        # People read the total row as the final report prints it.
        md = self.ok("report", "yearly", "--from", "2019", "--to", "2022", "--format", "md").out
        self.assertEqual(md_rows(md)[-1], ["Totalt (N)", "28", "13", "9"])
        self.assertTrue(md.startswith("| År | Rekryterade | Uppdragsförfrågningar | Uppdrag som genomförts |"))

    def test_experts_who_left_count_on_request(self):
        rows = self.ok("report", "yearly", "--from", "2019", "--to", "2022", "--include-left",
                       "--format", "json").json()
        self.assertEqual(rows[-1]["recruited"], 30)
        # Before they left (end of 2020), the one recruited in 2020 was still in the library.
        rows = self.ok("report", "yearly", "--from", "2019", "--to", "2020", "--format", "json").json()
        self.assertEqual([r["recruited"] for r in rows], [7, 7, 14])

    def test_table_1_is_reproduced(self):
        rows = self.ok("report", "requests", "--format", "json").json()
        self.assertEqual(len(rows), 13)
        got = [(r["phase"], r["to_experts"], r["form"], r["experts"], r["followup"]) for r in rows]
        self.assertEqual(got, TABLE_1_DATA)
        people = md_rows(self.ok("report", "requests", "--format", "md").out)
        got = [(r[2], r[4], r[6], r[8], int(r[10]) if r[10] else None, r[12] or None) for r in people]
        self.assertEqual(got, TABLE_1)
        # Signed up beside those who took part: row 13's "6 anmälda" (nobody recorded as a
        # no-show in the fixture, so the two are equal).
        self.assertEqual([r["signed_up"] for r in rows], [r["experts"] for r in rows])
        self.assertEqual(rows[12]["signed_up"], 6)
        self.assertEqual(rows[0]["comment"], "Inställt p.g.a. för få deltagare (2)")
        self.assertEqual((rows[2]["state"], rows[2]["reason"]), ("declined", "no-match"))
        self.assertEqual(rows[2]["comment"], "Nej, fanns inga erfarna med rätt erfarenhet")
        self.assertEqual(rows[8]["external"], 5)
        self.assertEqual([r["nr"] for r in rows], list(range(1, 14)))

    def test_table_1_csv_has_the_keys_as_headings(self):
        raw = self.ok("report", "requests", "--format", "csv").out
        self.assertTrue(raw.startswith("\ufeffnr;request;phase;received_on;borrower;purpose;to_experts;"))
        self.assertEqual(raw.count("\r\n"), 14)

    def test_period_filters(self):
        rows = self.ok("report", "requests", "--from", "2022-01-01", "--format", "json").json()
        self.assertEqual(len(rows), 3)
        rows = self.ok("report", "yearly", "--from", "2021-06-01", "--to", "2021-12-31", "--format", "json").json()
        self.assertEqual((rows[0]["year"], rows[0]["requests"], rows[0]["loans"]), (2021, 2, 2))


class OtherReportsTest(SormlandCase):
    def test_pool_flags_gaps_and_no_match_declines(self):
        rows = {r["area"]: r for r in self.ok("report", "pool", "--format", "json").json()}
        self.assertTrue(rows["habilitation"]["gap"])
        self.assertEqual(rows["habilitation"]["declined_no_match"], 1)  # Table 1 row 3
        self.assertFalse(rows["dementia"]["gap"])
        self.assertEqual(rows["dementia"]["relative"], 3)

    def test_composition_beside_population(self):
        rows = self.ok("report", "experts", "--format", "json").json()
        abroad = [r for r in rows if r["dimension"] == "born_abroad" and r["category"] == "yes"][0]
        self.assertEqual(abroad["experts"], 1)  # one of the 28 (the other left)
        self.assertAlmostEqual(abroad["register_percent"], 100 / 28, places=3)
        self.assertAlmostEqual(abroad["population_percent"], 20.0)
        self.assertAlmostEqual(abroad["gap_points"], 100 / 28 - 20.0, places=3)
        total = sum(r["experts"] for r in rows if r["dimension"] == "municipality")
        self.assertEqual(total, 28)

    def test_followup_outcomes(self):
        rows = {r["measure"]: r for r in self.ok("report", "followups", "--format", "json").json()}
        self.assertEqual(rows["loans"]["count"], 9)
        self.assertEqual(rows["followed_up"]["count"], 7)
        self.assertEqual(rows["feedback_confirmed"]["count"], 4)
        self.assertEqual(rows["satisfaction_5"]["count"] + rows["satisfaction_4"]["count"], 7)

    def test_recruitment_beside_outreach(self):
        rows = self.ok("report", "recruitment", "--format", "json").json()
        recruited = sum(r["count"] for r in rows if r["key"] in
                        ("personal-contact", "website", "assignment", "user-organisation",
                         "relatives-centre", "social-media", "other") and r["kind"] == "channel")
        self.assertEqual(recruited, 30)
        self.assertIn((2021, "podcast"), [(r["year"], r["key"]) for r in rows])
        outreach = self.ok("outreach", "list", "--format", "json").json()
        self.assertEqual(len(outreach), 5)

    def test_every_report_in_every_format(self):
        reports = ["yearly", "requests", "pool", "experts", "followups", "recruitment", "payments"]
        for report in reports:
            for fmt in ("table", "json", "csv", "md"):
                with self.subTest(report=report, fmt=fmt):
                    out = self.ok("report", report, "--format", fmt).out
                    self.assertTrue(out)
                    if fmt == "json":
                        self.assertIsInstance(json.loads(out), list)
        svg = self.ok("report", "yearly", "--from", "2019", "--to", "2022", "--format", "svg").out
        self.assertTrue(svg.startswith("<svg"))
        self.assertIn("Rekryterade (N=28)", svg)
        self.assertIn("Uppdragsförfrågningar (N=13)", svg)
        self.assertIn("Uppdrag som genomförts (N=9)", svg)
        html = self.ok("report", "annual", "--from", "2019", "--to", "2022", "--format", "html").out
        self.assertTrue(html.startswith("<!DOCTYPE html>"))
        self.assertIn('lang="sv"', html)
        md = self.ok("report", "annual", "--format", "md").out
        self.assertIn("*Tabell 1. ", md)
        self.assertRegex(md, r"\| 7 \| 77,8\s%")


class BadInputTest(SormlandCase):
    def test_bad_periods_and_formats(self):
        self.fails(65, "from: 2022-01-01 is after to: 2019-12-31", "report", "yearly", "--from", "2022", "--to", "2019")
        self.fails(65, "from: a year (YYYY, 1900-2100) or a date", "report", "yearly", "--from", "20x1")
        self.fails(65, "to: a year", "report", "requests", "--to", "2021-02-30")
        self.fails(64, "svg: only 'lbib report yearly'", "report", "requests", "--format", "svg")
        self.fails(64, "html or md", "report", "annual", "--format", "csv")
        r = self.run_lbib("report", "nosuch")
        self.assertEqual(r.code, 64)
        self.assertTrue(r.err.startswith("lbib: error: "))

    def test_unwritable_output_folder(self):
        target = self.dir / "readonly"
        target.mkdir()
        target.chmod(0o500)
        env = dict(self.env, LBIB=LBIB, LBIB_DB=str(self.db))
        r = subprocess.run([str(SOURCE_DIR / "scripts" / "yearly-stats.sh"), str(target / "stats")],
                           capture_output=True, text=True, env=env)
        if os.geteuid() == 0:
            # root writes anywhere; a path under a regular file cannot be created by anyone.
            r = subprocess.run([str(SOURCE_DIR / "scripts" / "yearly-stats.sh"), str(self.db / "stats")],
                               capture_output=True, text=True, env=env)
        self.assertEqual(r.returncode, 73)
        self.assertIn("cannot write to the folder", r.stderr)


class EmptyRegisterTest(LbibTestCase):
    def test_reports_of_an_empty_register_are_zeros(self):
        self.init()
        rows = self.ok("report", "yearly", "--from", "2020", "--to", "2022", "--format", "json").json()
        self.assertEqual([(r["recruited"], r["requests"], r["loans"]) for r in rows], [(0, 0, 0)] * 4)
        self.assertEqual(self.ok("report", "requests", "--format", "json").json(), [])
        rows = self.ok("report", "followups", "--format", "json").json()
        self.assertTrue(all(r["count"] in (0, None) for r in rows))
        self.assertTrue(all(r["gap"] for r in self.ok("report", "pool", "--format", "json").json()))
        self.assertIn("<svg", self.ok("report", "yearly", "--format", "svg").out)
        self.assertIn("<table>", self.ok("report", "annual").out)


@unittest.skipUnless(CHROMIUM and PDFTOTEXT, "needs Debian's chromium and poppler-utils (scripts/install-deps.sh)")
class ChromiumTest(SormlandCase):
    """yearly-stats.sh's folder, opened in real headless Chromium."""

    def chromium(self, *args):
        profile = self.dir / "chromium-profile"
        cmd = [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
               "--disable-background-networking", "--disable-component-update", "--disable-sync",
               "--disable-dev-shm-usage", f"--user-data-dir={profile}", "--enable-logging=stderr", "--v=0",
               *args]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=180, env=self.env)

    def test_html_report_renders_with_the_tallies_and_no_console_errors(self):
        env = dict(self.env, LBIB=LBIB, LBIB_DB=str(self.db))
        out = self.dir / "stats"
        r = subprocess.run([str(SOURCE_DIR / "scripts" / "yearly-stats.sh"), str(out), "--from", "2019",
                            "--to", "2022"], capture_output=True, text=True, env=env, timeout=120)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(sorted(p.name for p in out.iterdir()),
                         ["experts.csv", "figure3.csv", "figure3.svg", "followups.csv", "pool.csv",
                          "recruitment.csv", "report.html", "table1.csv"])
        pdf = self.dir / "report.pdf"
        r = self.chromium("--no-pdf-header-footer", f"--print-to-pdf={pdf}", (out / "report.html").as_uri())
        self.assertTrue(pdf.exists(), r.stderr[-2000:])
        self.assertNotIn(":CONSOLE(", r.stderr, "the page logged to the console")
        text = subprocess.run([PDFTOTEXT, "-layout", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
        self.assertIn("Sammanställning erfarna, förfrågningar och uppdrag per år", text)
        self.assertIn("Rekryterade (N=28)", text)
        self.assertIn("Uppdragsförfrågningar (N=13)", text)
        self.assertIn("Uppdrag som genomförts (N=9)", text)
        self.assertIn("Tabell 1", text)
        self.assertIn("Habilitering", text)
        # Every column of Table 1 fits the page: the last heading is printed whole.
        self.assertIn("Uppföljning", text.split("Tabell 1")[1].split("Luckor")[0])
        self.assertIn("Planeras", text)
        info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
        self.assertIn("(A4)", info.split("Page size:")[1].split("\n")[0])

    def test_chart_renders_as_a_picture(self):
        svg = self.dir / "figure3.svg"
        svg.write_text(self.ok("report", "yearly", "--from", "2019", "--to", "2022", "--format", "svg").out)
        png = self.dir / "figure3.png"
        r = self.chromium(f"--screenshot={png}", "--window-size=800,480", svg.as_uri())
        self.assertTrue(png.exists(), r.stderr[-2000:])
        self.assertNotIn(":CONSOLE(", r.stderr)
        header = png.read_bytes()[:24]
        self.assertEqual(header[:8], b"\x89PNG\r\n\x1a\n")
        self.assertEqual(int.from_bytes(header[16:20], "big"), 800)
        keep = os.environ.get("LBIB_KEEP_SCREENSHOTS")
        if keep:
            shutil.copy(png, keep)


if __name__ == "__main__":
    unittest.main()

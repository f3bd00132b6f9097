# SPDX-License-Identifier: MIT
"""The output contract (docs/output.md): every command the document lists, run on the replayed
Sörmland history in Swedish and in English, writes the same JSON bytes in both languages, CSV
headed by the documented keys, and every value of its documented type. The tables of
docs/output.md are the test's only source, so the document and the output cannot drift."""
import csv
import io
import json
import re

import test_reports
from lbibtest import SOURCE_DIR

DOC = SOURCE_DIR / "docs" / "output.md"
FIXTURE_CONFIG = SOURCE_DIR / "tests" / "fixtures" / "sormland.toml"
DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
TYPES = {"integer", "number", "boolean", "string", "date", "enum"}


def contract():
    """{command: [(key, type, nullable, values or None)]} from docs/output.md's tables."""
    commands = {}
    command = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        heading = re.match(r"^### `lbib (.+)`$", line)
        if heading:
            command = heading.group(1)
            commands[command] = []
            continue
        cell = re.match(r"^\| `(\w+)` \| ([a-z ]+) \|(.*)\|$", line)
        if command and cell:
            key, kind, values = cell.groups()
            values = values.strip()
            nullable = kind.endswith(" or null")
            kind = kind.removesuffix(" or null")
            assert kind in TYPES, f"{command}: {key}: unknown type {kind!r}"
            fixed = None
            if kind == "enum" and not values.startswith("configured"):
                # `key_<question>` stands for one value per configured key (lowercase, _).
                fixed = [re.compile("^" + re.escape(v).replace(re.escape("<question>"), "[a-z0-9_]+") + "$")
                         if "<question>" in v else v for v in re.findall(r"`([^`]+)`", values)]
            commands[command].append((key, kind, nullable, fixed))
    return commands


class OutputContractTest(test_reports.SormlandCase):
    def run_in(self, language, *args):
        config = self.dir / f"config-{language}.toml"
        if not config.exists():
            text = FIXTURE_CONFIG.read_text(encoding="utf-8")
            text = text.replace("[library]\n", f'[library]\nlanguage = "{language}"\n', 1)
            config.write_text(text, encoding="utf-8")
        return self.ok(*args, env=dict(self.env, LBIB_CONFIG=str(config))).out

    def check_json(self, command, columns, value, key, kind, nullable, fixed):
        where = f"{command}: {key} = {value!r}"
        if value is None:
            self.assertTrue(nullable, where)
        elif kind == "integer":
            self.assertTrue(isinstance(value, int) and not isinstance(value, bool), where)
        elif kind == "number":
            self.assertTrue(isinstance(value, (int, float)) and not isinstance(value, bool), where)
        elif kind == "boolean":
            self.assertIsInstance(value, bool, where)
        elif kind == "date":
            self.assertRegex(value, DATE, where)
        else:
            self.assertIsInstance(value, str, where)
            if fixed is not None:
                self.assert_one_of(value, fixed, where)

    def check_csv(self, command, cell, key, kind, nullable, fixed):
        where = f"{command} (csv): {key} = {cell!r}"
        if cell == "":
            self.assertTrue(nullable or kind == "string", where)
        elif kind == "integer":
            self.assertRegex(cell, r"^-?\d+$", where)
        elif kind == "number":
            self.assertRegex(cell, r"^-?\d+(,\d)?$", where)
        elif kind == "boolean":
            self.assertIn(cell, ("yes", "no"), where)
        elif kind == "date":
            self.assertRegex(cell, DATE, where)
        elif fixed is not None:
            self.assert_one_of(cell, fixed, where)

    def assert_one_of(self, value, fixed, where):
        self.assertTrue(any(value == f if isinstance(f, str) else f.match(value) for f in fixed),
                        f"{where}: not one of {[getattr(f, 'pattern', f) for f in fixed]}")

    def test_the_document_lists_every_report(self):
        documented = {c.split()[1] for c in contract() if c.startswith("report ")}
        self.assertEqual(documented, {"yearly", "requests", "pool", "experts", "followups",
                                      "recruitment", "payments", "borrowers", "goals"})

    def test_every_documented_command_keeps_the_contract_in_both_languages(self):
        for command, columns in contract().items():
            args = command.split()
            keys = [c[0] for c in columns]
            with self.subTest(command=command):
                sv = self.run_in("sv", *args, "--format", "json")
                en = self.run_in("en", *args, "--format", "json")
                self.assertEqual(sv, en, f"lbib {command} --format json differs by language")
                rows = json.loads(sv)
                # The fixture records no payments: their CSV header is checked, not their values.
                self.assertTrue(rows or command.startswith("report payments"),
                                f"the fixture gives lbib {command} no rows to check")
                for row in rows:
                    self.assertEqual(list(row), keys, command)
                    for key, kind, nullable, fixed in columns:
                        self.check_json(command, columns, row[key], key, kind, nullable, fixed)
                for language in ("sv", "en"):
                    raw = self.run_in(language, *args, "--format", "csv")
                    self.assertTrue(raw.startswith("\ufeff"))
                    table = list(csv.reader(io.StringIO(raw[1:], newline=""), delimiter=";"))
                    self.assertEqual(table[0], keys, f"lbib {command} --format csv in {language}")
                    self.assertEqual(len(table) - 1, len(rows))
                    for line in table[1:]:
                        for cell, (key, kind, nullable, fixed) in zip(line, columns):
                            self.check_csv(command, cell, key, kind, nullable, fixed)

    def test_figure_3_total_is_numeric_and_labelled_only_for_people(self):
        rows = json.loads(self.run_in("en", "report", "yearly", "--from", "2019", "--to", "2022",
                                      "--format", "json"))
        total = [r for r in rows if r["row"] == "total"]
        self.assertEqual(len(total), 1)
        self.assertEqual((total[0]["year"], total[0]["recruited"]), (None, 28))
        self.assertTrue(all(isinstance(r["year"], int) for r in rows if r["row"] == "year"))
        self.assertIn("Totalt (N)", self.run_in("sv", "report", "yearly", "--format", "table"))
        self.assertIn("Total (N)", self.run_in("en", "report", "yearly", "--format", "table"))

    def test_people_read_labels_in_their_language(self):
        sv = self.run_in("sv", "report", "requests", "--format", "md")
        en = self.run_in("en", "report", "requests", "--format", "md")
        self.assertIn("| Nr | Förfrågan | Fas |", sv)
        self.assertIn("| No. | Request | Phase |", en)
        self.assertIn("Fokusgrupp", sv)
        self.assertIn("Focus group", en)
        self.assertNotIn("focus-group", sv + en)

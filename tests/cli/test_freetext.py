# SPDX-License-Identifier: MIT
"""Free text and the person (issue 13): erasure reaches every free-text place, proven by a
raw-byte search of the register, its WAL and shm; a person's export holds everything about
them and nothing of anyone else; an erasure survives a restore and an older hand-over; free
text can be entered without standing on the command line; retention for the people who are
not experts. People are invented; each carries unique markers."""
import datetime
import json
import os
import shutil
import stat
import subprocess
import unittest

from lbibtest import LBIB, SOURCE_DIR, LbibTestCase

# The person to be erased, with markers in every field that is theirs.
ALFA = {"name": "Zqxalfa Markörsson", "email": "zqx.alfa@example.se", "phone": "070-111 22 33"}
ALFA_MARKERS = [b"Zqxalfa", "Markörsson".encode(), b"zqx.alfa@example.se", b"111 22 33",
                b"0701112233", b"ZQXNOTES", b"ZQXDESC", b"ZQXDSR"]
# A co-participant in the same loan.
BETA = {"name": "Ylvbeta Annansson", "email": "ylv.beta@example.se"}

ANSWERS = {
    "how-it-went": "Bra. ZQXALFA berättade om sin diagnos; Ylvbeta lyssnade.",
    "contribution": "Markörssons bidrag var viktigt (ring 0701112233).",
    "insights": "Nya insikter",
    "use-of-results": "I förstudien",
    "feedback-plan": "ZQXUNSENT intern plan om Ylvbeta",
}


def folded(data):
    return data.lower()



# An erased expert keeps only the year of the interview, so they no longer count among the
# recruits that followed an outreach activity in its months (docs/output.md); every other count
# stays.
def without_outreach_recruits(rows):
    return [r for r in rows if (r["kind"], r["key"]) != ("after-outreach", "recruits")]

class FreeTextCase(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.init()
        self.borrower = int(self.ok("borrower", "add", "--organisation", "Region Exempel",
                                    "--contact-name", "Kim Låntagare",
                                    "--contact-email", "kim@region.example.se").out)

    def raw(self, db=None):
        db = db or self.db
        data = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            p = db.with_name(db.name + suffix)
            if p.exists():
                data += p.read_bytes()
        return data

    def assert_gone(self, data, markers, where="the register"):
        for m in markers:
            self.assertNotIn(m, data, f"{m!r} remains in {where}")
            self.assertNotIn(folded(m), folded(data), f"{m!r} (case-folded) remains in {where}")

    def people(self):
        alfa = self.recruit(ALFA["name"], ALFA["email"], "--phone", ALFA["phone"], "--notes",
                            "ZQXNOTES berättar gärna", consent="register,mailing,website")
        beta = self.recruit(BETA["name"], BETA["email"])
        self.ok("expert", "describe", alfa, "--text", "ZQXDESC har erfarenhet av demensvård",
                "--approved", "2026-01-20")
        self.ok("gdpr", "request", "add", "--kind", "access", "--expert", alfa, "--received",
                "2026-02-01", "--note", "ZQXDSR ringde")
        self.ok("outreach", "add", "--kind", "event", "--date", "2026-01-10", "--note",
                "Träffade Zqxalfa på mässan")
        return alfa, beta

    def lend(self, alfa, beta, summary=True):
        req = int(self.ok("request", "new", "--borrower", self.borrower, "--received", "2026-02-01",
                          "--purpose", "Uppdragsgivaren bad om Zqxalfa Markörsson särskilt",
                          "--notes", "Ring zqx.alfa@example.se eller 070 111 22 33",
                          "--form", "workshop", "--time", "T", "--digital",
                          "--reply-by", "2026-02-20").out)
        self.ok("request", "premeeting", req, "--date", "2026-02-02", "--told-compensation",
                "--told-two-experts", "--told-feedback", "--note", "Markörsson vill delta")
        out = self.dir / "out"
        out.mkdir(exist_ok=True)
        eml = self.ok("dispatch", req, "--out", out, "--experts", f"{alfa},{beta}",
                      "--past-reply-by").out.split()[0]  # mailed 2026-02-03, composed today
        self.ok("dispatch", req, "--record", eml, "--date", "2026-02-03")
        self.ok("loan", req, "--date", "2026-02-25", "--expert", f"{alfa},{beta}",
                "--note", "Zqxalfas dotter följde med")
        self.ok("pay", req, "--expert", alfa, "--unit", "hour", "--quantity", "2", "--status",
                "due", "--date", "2026-02-25")
        args = []
        for key, text in ANSWERS.items():
            args += ["--answer", f"{key}={text}"]
        self.ok("followup", "record", req, "--date", "2026-03-01", "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "arranged",
                "--quote", "\u201dZqxalfa Markörsson gjorde skillnad\u201d", *args)
        if summary:
            for eml in self.ok("followup", "summary", req, "--out", out).out.split():
                self.ok("followup", "summary", req, "--record", eml, "--date", "2026-03-02")
        return req

    def reports(self):
        table1 = self.ok("report", "requests", "--format", "json").json()
        for row in table1:  # the text is redacted; every count stays
            row.pop("purpose")
            row.pop("comment")
        return (self.ok("report", "yearly", "--format", "json").json(), table1,
                self.ok("report", "followups", "--format", "json").json(),
                without_outreach_recruits(self.ok("report", "recruitment", "--format", "json").json()))


class EraseTest(FreeTextCase):
    def test_erasure_removes_own_text_and_redacts_shared_text_on_the_raw_files(self):
        alfa, beta = self.people()
        req = self.lend(alfa, beta)
        before = self.raw()
        for m in ALFA_MARKERS:
            self.assertIn(m, before, f"{m!r} must be on disk before erasure")
        reports = self.reports()

        # The dry run names tables, fields and counts, never a value, and changes nothing.
        snapshot = self.snapshot()
        dry = self.ok("expert", "erase", alfa, "--dry-run", "--date", "2026-04-01", "--format", "json")
        self.assertEqual(snapshot, self.snapshot(), "a dry run changed the register")
        self.assert_gone(dry.out.encode(), ALFA_MARKERS, "the dry run's output")
        lines = {(r["table"], r["field"], r["action"]): r["count"] for r in dry.json()}
        self.assertEqual(lines[("expert", "notes", "cleared")], 1)
        self.assertEqual(lines[("catalogue_entry", "*", "deleted")], 1)
        self.assertEqual(lines[("subject_request", "note", "cleared")], 1)
        for field in [("request", "purpose"), ("request", "notes"), ("pre_meeting", "notes"),
                      ("request_event", "note"), ("followup", "quotes"),
                      ("followup_answer", "answer"), ("outreach", "note")]:
            self.assertGreater(lines.get((*field, "redacted"), 0), 0, f"{field} not redacted")

        self.ok("expert", "erase", alfa, "--yes", "--date", "2026-04-01")
        after = self.raw()
        self.assert_gone(after, ALFA_MARKERS)
        self.assertIn(b"[raderad]", after)
        self.assertIn("Ylvbeta lyssnade".encode(), after, "text about others stays")
        self.assertEqual(reports, self.reports(), "the reports keep their numbers")
        shown = self.ok("request", "show", req, "--format", "json").json()
        self.assertIn("[raderad]", shown["purpose"])
        stub = self.ok("expert", "show", alfa, "--format", "json").json()
        self.assertEqual(stub["interviewed_on"], "2026-01-01", "the stub keeps only the year")
        self.assertEqual(self.ok("check").out, "ok\n")
        # What is made from the register afterwards holds nothing of them either.
        backup, handover = self.dir / "after.sqlite", self.dir / "after.json"
        self.ok("backup", backup)
        self.ok("export", "--all", "--out", handover)
        self.assert_gone(backup.read_bytes(), ALFA_MARKERS, "a backup made after the erasure")
        self.assert_gone(handover.read_bytes(), ALFA_MARKERS, "a hand-over made after the erasure")

    def test_a_co_participants_export_holds_nothing_of_anyone_else(self):
        alfa, beta = self.people()
        req = self.lend(alfa, beta)
        out = self.dir / "beta.json"
        self.ok("expert", "export", beta, "--out", out)
        self.assertEqual(stat.S_IMODE(out.stat().st_mode), 0o600)
        data = out.read_bytes()
        self.assert_gone(data, ALFA_MARKERS + [b"ZQXUNSENT"], "the co-participant's export")
        doc = json.loads(data)
        self.assertEqual(doc["expert"]["name"], BETA["name"])
        summary = doc["followup_summaries"][0]
        self.assertEqual(summary["request"], req)
        self.assertEqual(sorted(a["question"] for a in summary["answers"]),
                         ["contribution", "how-it-went", "insights", "use-of-results"],
                         "only the answers that were mailed")
        # Every table linked to an expert, derived from the schema, is in the export.
        import sqlite3
        con = sqlite3.connect(self.db)
        linked = {t for (t,) in con.execute(
            "SELECT DISTINCT m.name FROM sqlite_schema m JOIN pragma_table_info(m.name) p "
            "WHERE m.type = 'table' AND p.name = 'expert_id'")}
        con.close()
        self.assertTrue(linked <= set(doc["records"]), linked - set(doc["records"]))
        for table in ("notice", "survey_response", "audit", "invitation", "loan_participant"):
            self.assertIn(table, doc["records"])
        self.fails(73, "exists", "expert", "export", beta, "--out", out)
        # Alfa's own export holds their own text.
        own = self.ok("expert", "export", alfa).out
        self.assertIn("ZQXNOTES", own)
        self.assertIn("ZQXDSR", own)

    def test_the_own_export_redacts_others_in_the_persons_own_notes(self):
        alfa, beta = self.people()
        self.ok("expert", "edit", beta, "--notes",
                f"Känner {ALFA['name']} ({ALFA['email']}, {ALFA['phone']}); Ylvbeta själv")
        doc = self.ok("expert", "export", beta).json()
        self.assert_gone(json.dumps(doc, ensure_ascii=False).encode(), ALFA_MARKERS, "beta's export")
        self.assertIn("Ylvbeta själv", doc["expert"]["notes"], "their own name is theirs")

    def test_borrower_contact_export_and_erasure(self):
        alfa, beta = self.people()
        self.lend(alfa, beta)
        doc = self.ok("borrower", "export", self.borrower).json()
        self.assertEqual(doc["borrower"]["contact_name"], "Kim Låntagare")
        self.assertTrue(doc["requests"])
        self.assert_gone(json.dumps(doc, ensure_ascii=False).encode(), [b"Zqxalfa", b"zqx.alfa"],
                         "the borrower's export")
        self.ok("outreach", "add", "--kind", "event", "--note", "Kim Låntagare ringer kim@region.example.se")
        self.fails(64, "add --yes", "borrower", "erase", self.borrower)
        self.ok("borrower", "erase", self.borrower, "--yes", "--date", "2026-05-01")
        self.assert_gone(self.raw(), ["Låntagare".encode(), b"kim@region.example.se"])
        self.fails(65, "was erased on 2026-05-01", "borrower", "edit", self.borrower,
                   "--contact-name", "X")
        self.fails(65, "was erased", "borrower", "erase", self.borrower, "--yes")


class SummaryTest(FreeTextCase):
    def test_the_preview_names_registered_people_and_record_checks_consent_again(self):
        alfa, beta = self.people()
        req = self.lend(alfa, beta, summary=False)
        out = self.dir / "summary"
        out.mkdir()
        r = self.run_lbib("followup", "summary", req, "--out", out, "--preview")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn(f"The summary mentions registered people: expert {alfa} ({ALFA['name']})", r.err)
        self.assertNotIn("ZQXUNSENT", r.err, "answers not marked for the summary stay out")
        # Beta withdraws the mailing consent after the summary was composed.
        self.ok("expert", "edit", beta, "--withdraw", "mailing", "--date", "2026-03-02")
        eml = r.out.split()[0]
        recorded = self.run_lbib("followup", "summary", req, "--record", eml, "--date", "2026-03-02")
        self.assertEqual(recorded.code, 0, recorded.err)
        self.assertIn(f"not recorded for {beta}: erased", recorded.err)
        got = self.ok("expert", "export", beta).json()["followup_summaries"]
        self.assertEqual(got, [], "nothing is recorded for a recipient who withdrew")
        self.assertEqual(len(self.ok("expert", "export", alfa).json()["followup_summaries"]), 1)


class RestoreTest(FreeTextCase):
    def test_an_erasure_survives_restoring_an_older_backup(self):
        alfa, beta = self.people()
        backup = self.dir / "before.sqlite"
        self.ok("backup", backup)
        self.ok("expert", "erase", alfa, "--yes", "--date", "2026-04-01")
        ledger = self.db.with_name(self.db.name + ".erasures")
        self.assertTrue(ledger.exists())
        self.assert_gone(ledger.read_bytes(), ALFA_MARKERS, "the ledger")
        # Restore the older copy over the register.
        for suffix in ("-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        shutil.copy(backup, self.db)
        os.chmod(self.db, 0o600)
        r = self.run_lbib("expert", "list", "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("re-applied 1 erasures", r.err)
        self.assertNotIn(ALFA["name"], r.out)
        self.assert_gone(self.raw(), ALFA_MARKERS)
        self.assertEqual(self.ok("expert", "list", "--format", "json").err, "")

    def test_an_older_hand_over_does_not_bring_anyone_back(self):
        alfa, beta = self.people()
        handover = self.dir / "old.json"
        self.ok("export", "--all", "--out", handover)
        self.ok("expert", "erase", alfa, "--yes", "--date", "2026-04-01")
        for suffix in ("", "-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        r = self.run_lbib("import", handover)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("re-applied 1 erasures", r.err)
        self.assert_gone(self.raw(), ALFA_MARKERS)

    def schema9_register(self, path):
        """A register as lbib kept it before schema 10 (before a register had an identity)."""
        import sqlite3
        con = sqlite3.connect(path)
        for n in range(1, 10):
            sql = next((SOURCE_DIR / "lib" / "lbib" / "db" / "schema").glob(f"{n:04d}_*.sql"))
            con.executescript(sql.read_text())
        con.executescript(
            "PRAGMA application_id = 1279412546; PRAGMA user_version = 9;"
            "INSERT INTO audit (at, os_user, action, entity) VALUES ('2025-01-01T10:00:00Z', 'kim', 'init', 'register');"
            "INSERT INTO expert (name, email, channel, interviewed_on, notes) VALUES "
            "('Zqxalfa Markörsson', 'zqx.alfa@example.se', 'website', '2025-01-02', 'ZQXNOTES');"
            "INSERT INTO consent (expert_id, purpose, given_on, text_version, recorded_by) VALUES "
            "(1, 'register', '2025-01-02', '2019-1', 'kim');")
        body = "Jag samtycker till att mina uppgifter sparas."
        import hashlib
        con.execute("INSERT INTO consent_text (purpose, version, body, sha256) VALUES (?, ?, ?, ?)",
                    ("register", "2019-1", body, hashlib.sha256(body.encode()).hexdigest()))
        con.commit()
        con.close()
        os.chmod(path, 0o600)

    def test_a_backup_from_before_the_upgrade_does_not_bring_anyone_back(self):
        """Backed up at schema 9, upgraded, then someone erased: restoring the old backup
        upgrades it to the same identity, and the erasure is made again."""
        for suffix in ("", "-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        self.schema9_register(self.db)
        backup = self.dir / "backup-before-upgrade.sqlite"
        shutil.copy(self.db, backup)
        self.ok("expert", "erase", 1, "--yes", "--date", "2026-04-01")  # upgrades, then erases
        for suffix in ("-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        shutil.copy(backup, self.db)
        r = self.run_lbib("expert", "list", "--format", "json")
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("re-applied 1 erasures", r.err)
        self.assert_gone(self.raw(), [b"Zqxalfa", b"ZQXNOTES"])

    def test_a_hand_over_without_the_registers_identity_is_still_recognised(self):
        """An upgraded register's hand-over that lacks library_state (edited, or written by a
        tool of its own) is given the identity the register had, so the ledger applies."""
        for suffix in ("", "-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        self.schema9_register(self.db)
        self.ok("check")  # upgrades
        handover = self.dir / "old.json"
        self.ok("export", "--all", "--out", handover)
        doc = json.loads(handover.read_text())
        del doc["tables"]["library_state"]
        older = self.dir / "older.json"
        older.write_text(json.dumps(doc))
        self.ok("expert", "erase", 1, "--yes", "--date", "2026-04-01")
        for suffix in ("", "-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        r = self.run_lbib("import", older)
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("re-applied 1 erasures", r.err)
        self.assert_gone(self.raw(), [b"Zqxalfa", b"ZQXNOTES"])

    def test_a_new_register_at_the_same_path_is_not_given_the_old_erasures(self):
        alfa, beta = self.people()
        self.ok("expert", "erase", alfa, "--yes", "--date", "2026-04-01")
        for suffix in ("", "-wal", "-shm"):
            self.db.with_name(self.db.name + suffix).unlink(missing_ok=True)
        self.init()
        first = self.recruit("Ny Person", "ny@example.se")
        self.assertEqual(first, alfa, "ids start again in a new register")
        shown = self.ok("expert", "show", first, "--format", "json").json()
        self.assertEqual(shown["name"], "Ny Person")


class EntryTest(FreeTextCase):
    def test_free_text_from_standard_input(self):
        eid = int(self.ok("recruit", "--name", "Stina Stdin", "--email", "stina@example.se",
                          "--channel", "website", "--consent", "register", "--notes", "-",
                          input="Hemlig anteckning ZQXSTDIN\n").out)
        self.assertEqual(self.ok("expert", "show", eid, "--format", "json").json()["notes"],
                         "Hemlig anteckning ZQXSTDIN")
        self.fails(64, "only one text", "request", "new", "--borrower", self.borrower,
                   "--purpose", "-", "--notes", "-", input="x")

    def test_free_text_in_the_editor_leaves_no_file(self):
        eid = self.recruit()
        seen = self.dir / "seen.txt"
        editor = self.dir / "editor.sh"
        editor.write_text(
            "#!/bin/sh\n"
            f'echo "$1" > {seen}\n'
            "sed -i 's/^# --notes.*/&\\nAnteckning ZQXEDIT\\nrad två/' \"$1\"\n")
        editor.chmod(0o700)
        env = dict(self.env, EDITOR=str(editor), XDG_RUNTIME_DIR=str(self.dir))
        self.ok("expert", "edit", eid, "--edit", env=env)
        self.assertEqual(self.ok("expert", "show", eid, "--format", "json").json()["notes"],
                         "Anteckning ZQXEDIT\nrad två")
        path = seen.read_text().strip()
        self.assertTrue(path.startswith(str(self.dir)), path)
        self.assertFalse(os.path.exists(path), "the editor's file was left behind")
        # An editor that fails saves nothing.
        before = self.snapshot()
        r = self.run_lbib("expert", "edit", eid, "--edit", env=dict(env, EDITOR="false"))
        self.assertEqual(r.code, 64, r.err)
        self.assertIn("nothing was saved", r.err)
        self.assertEqual(before, self.snapshot())


    def test_follow_up_answers_from_standard_input_and_the_editor(self):
        alfa, beta = self.people()
        req = int(self.ok("request", "new", "--borrower", self.borrower, "--received", "2026-02-01",
                          "--purpose", "P", "--form", "workshop", "--time", "T", "--digital",
                          "--reply-by", "2026-02-20").out)
        self.ok("request", "premeeting", req, "--date", "2026-02-02", "--told-compensation",
                "--told-two-experts", "--told-feedback")
        out = self.dir / "out"
        out.mkdir()
        eml = self.ok("dispatch", req, "--out", out, "--experts", f"{alfa},{beta}",
                      "--past-reply-by").out.split()[0]  # mailed 2026-02-03, composed today
        self.ok("dispatch", req, "--record", eml, "--date", "2026-02-03")
        self.ok("loan", req, "--date", "2026-02-25", "--expert", f"{alfa},{beta}")
        editor = self.dir / "answers.sh"
        editor.write_text("#!/bin/sh\n"
                          "for k in contribution insights use-of-results feedback-plan; do\n"
                          "  sed -i \"s/^# --answer $k:.*/&\\\\nSvar om $k/\" \"$1\"\n"
                          "done\n")
        editor.chmod(0o700)
        env = dict(self.env, EDITOR=str(editor), XDG_RUNTIME_DIR=str(self.dir))
        self.ok("followup", "record", req, "--date", "2026-03-01", "--satisfaction", "4",
                "--new-insights", "yes", "--compensation", "arranged",
                "--answer", "how-it-went=-", "--edit", input="ZQXSTDIN gick bra\n", env=env)
        import sqlite3
        con = sqlite3.connect(self.db)
        answers = dict(con.execute("SELECT question, answer FROM followup_answer WHERE request_id = ?",
                                   (req,)))
        con.close()
        self.assertEqual(answers["how-it-went"], "ZQXSTDIN gick bra")
        self.assertEqual(answers["use-of-results"], "Svar om use-of-results")
        self.assertEqual(len(answers), 5)
        self.assertFalse(any(p.name.startswith("lbib-edit-") for p in self.dir.iterdir()))

    def test_the_editors_file_goes_when_lbib_is_killed_or_the_terminal_closes(self):
        import signal
        import time
        eid = self.recruit()
        editor = self.dir / "slow-editor.sh"
        editor.write_text("#!/bin/sh\necho 'ZQXHEALTH diagnos' >> \"$1\"\nsleep 30\n")
        editor.chmod(0o700)
        runtime = self.dir / "run"
        runtime.mkdir(mode=0o700)
        env = dict(self.env, EDITOR=str(editor), XDG_RUNTIME_DIR=str(runtime))
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            before = self.snapshot()
            proc = subprocess.Popen([LBIB, f"--db={self.db}", "expert", "edit", str(eid), "--edit"],
                                    env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE, start_new_session=True)
            for _ in range(100):
                if any(runtime.iterdir()):
                    break
                time.sleep(0.05)
            self.assertTrue(any(runtime.iterdir()), "the editor's file was never made")
            time.sleep(0.2)
            os.kill(proc.pid, sig)
            proc.wait(timeout=30)
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # the editor, orphaned
            except ProcessLookupError:
                pass
            proc.communicate(timeout=30)
            self.assertEqual(proc.returncode, -sig, "lbib ends as the signal asks")
            self.assertEqual(list(runtime.iterdir()), [], f"left behind after {sig!r}")
            self.assertEqual(before, self.snapshot())
        # A file left by an lbib killed outright (no handler runs) goes at the next --edit.
        stale = runtime / "lbib-edit-999999-abcdef.txt"
        stale.write_text("ZQXHEALTH")
        ok_editor = self.dir / "ok-editor.sh"
        ok_editor.write_text("#!/bin/sh\nsed -i 's/^# --notes.*/&\\nNy anteckning/' \"$1\"\n")
        ok_editor.chmod(0o700)
        self.ok("expert", "edit", eid, "--edit", env=dict(env, EDITOR=str(ok_editor)))
        self.assertFalse(stale.exists())


class RetentionTest(FreeTextCase):
    def test_a_pause_that_lasts_too_long_ends_in_erasure_with_a_warning_first(self):
        alfa, beta = self.people()
        self.ok("expert", "edit", alfa, "--status", "paused")
        paused_on = datetime.date.fromisoformat(
            self.ok("expert", "export", alfa).json()["expert"]["paused_on"])
        due = paused_on.replace(year=paused_on.year + 2)  # 24 months
        warn = due - datetime.timedelta(days=30)
        kinds = lambda day: [(i["kind"], i["expert"]) for i in
                             self.ok("remind", "--all", "--today", day.isoformat(), "--format", "json").json()
                             if i["kind"].startswith("gdpr-erase")]
        self.assertEqual(kinds(warn - datetime.timedelta(days=1)), [])
        self.assertEqual(kinds(warn), [("gdpr-erase-paused-soon", alfa)])
        self.assertEqual(kinds(due), [("gdpr-erase-paused", alfa)])
        done = self.ok("gdpr", "purge", "--today", due.isoformat(), "--format", "json").json()
        self.assertIn({"action": "erased", "subject": "expert", "id": alfa, "count": None}, done)
        self.assert_gone(self.raw(), ALFA_MARKERS)

    def test_the_one_month_deadline_across_a_year_end_and_at_month_ends(self):
        # Received today or earlier (a request is recorded once it arrived).
        for received, due in [("2025-12-10", "2026-01-10"), ("2025-01-31", "2025-02-28"),
                              ("2024-01-31", "2024-02-29"), ("2026-03-31", "2026-04-30")]:
            rid = self.ok("gdpr", "request", "add", "--kind", "access", "--received", received).out.strip()
            rows = {str(r["id"]): r for r in self.ok("gdpr", "request", "list", "--format", "json").json()}
            self.assertEqual(rows[rid]["due_on"], due, received)

    def test_borrower_contacts_notes_audit_and_payments_have_their_periods(self):
        alfa, beta = self.people()
        req = self.lend(alfa, beta)
        self.ok("followup", "feedback", req, "--date", "2026-03-10")
        self.ok("pay", req, "--expert", alfa, "--unit", "hour", "--quantity", "2", "--status", "paid",
                "--date", "2026-03-15")
        dry = self.ok("gdpr", "purge", "--today", "2029-04-01", "--dry-run", "--format", "json").json()
        actions = {(r["action"], r["subject"]) for r in dry}
        self.assertIn(("would erase", "borrower"), actions)
        self.assertIn(("would clear-notes", "request"), actions)
        done = self.ok("gdpr", "purge", "--today", "2034-01-01", "--format", "json").json()
        actions = {(r["action"], r["subject"]) for r in done}
        self.assertIn(("erased", "borrower"), actions)
        self.assertIn(("cleared-notes", "request"), actions)
        self.assertIn(("deleted", "payment"), actions)
        self.assertIn(("deleted", "audit"), actions)
        self.assert_gone(self.raw(), ["Låntagare".encode(), "diagnos".encode()])


class RecordTest(FreeTextCase):
    def test_the_record_of_processing_needs_the_controller_and_says_everything(self):
        self.fails(78, "gdpr.controller", "gdpr", "record")
        config = self.dir / "config.toml"
        config.write_text('[gdpr]\ncontroller = "Region Exempel, 100 00 Exempelstad"\n'
                          'contact = "registrator@region.example.se"\ndpo = "dso@region.example.se"\n'
                          'third_countries = ["Ingen överföring utom EU/EES (e-post i Sverige)."]\n')
        self.env["LBIB_CONFIG"] = str(config)
        md = self.ok("gdpr", "record").out
        for heading in ("a) Personuppgiftsansvarig", "b) Ändamål", "c) Kategorier av personuppgifter",
                        "d) Mottagare", "e) Överföring till tredje land", "f) Lagring och gallring",
                        "g) Säkerhetsåtgärder"):
            self.assertIn(heading, md)
        self.assertIn("Ingen överföring utom EU/EES", md)
        self.assertIn("fritext", md)
        self.assertIn("age", md)


class StatisticsTest(FreeTextCase):
    def test_the_stats_folder_carries_no_free_text(self):
        alfa, beta = self.people()
        self.lend(alfa, beta)
        out = self.dir / "stats"
        env = dict(self.env, LBIB=LBIB, LBIB_DB=str(self.db))
        r = subprocess.run([str(SOURCE_DIR / "scripts" / "yearly-stats.sh"), str(out)], env=env,
                           capture_output=True, text=True)
        self.assertEqual(r.returncode, 0, r.stderr)
        for f in out.iterdir():
            self.assert_gone(f.read_bytes(), ALFA_MARKERS + [b"ZQXUNSENT", b"diagnos"], f.name)


if __name__ == "__main__":
    unittest.main()

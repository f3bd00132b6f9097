"""The recruitment interview (lbib recruit --interactive) and the experience map (expert map),
over piped answers and in a real terminal (a pseudo-terminal, as a contact person sits at)."""
import fcntl
import json
import os
import pty
import select
import signal
import subprocess
import termios
import time
import tomllib

from lbibtest import LBIB, SOURCE_DIR, WRAPPER, LbibTestCase

AREAS = [a for a in tomllib.loads((SOURCE_DIR / "config" / "lbib.toml").read_text())["taxonomy"]["areas"]]


def answers(contact, experiences, consents, after=()):
    """Lines for the whole interview: `experiences` maps an area key to its answers; the first
    of `consents` is the register consent, asked first; `after` follows "Spara?"."""
    lines = consents[:1] + list(contact)
    for area in AREAS:
        lines += ["j"] + experiences[area["key"]] if area["key"] in experiences else ["n"]
    lines.append("")  # the map's last question: any wishes? no
    return "\n".join(lines + consents[1:] + list(after)) + "\n"


# An invented person.
CONTACT = ["Åsa Öberg", "asa@example.se", "", "Flen", "1956", "n", "vet ej", "j", "2"]
MAP = {"dementia": ["anhörig", "2018", ""], "primary-care": ["", "", ""], "accompanying": ["4", "2003", "s"]}
CONSENTS = ["j", "j", "n", "", "Vill helst delta digitalt", "j"]  # consents, method, notes, save


class InterviewTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.ok("init")

    def check_recruited(self, eid):
        e = self.ok("expert", "show", eid, "--format", "json").json()
        self.assertEqual(e["name"], "Åsa Öberg")
        self.assertEqual(e["municipality"], "Flen")
        m = {r["area"]: r for r in self.ok("expert", "map", eid, "--today", "2026-06-01", "--format", "json").json()}
        self.assertEqual(len(m), len(AREAS), "every area is on the map, the gaps too")
        self.assertEqual(m["dementia"]["roles"], "relative")
        self.assertEqual(m["dementia"]["years_ago"], 8)
        self.assertEqual(m["primary-care"]["magnitude"], "everyday")  # everyday area, default kept
        self.assertIs(m["primary-care"]["everyday"], True)
        self.assertEqual(m["accompanying"]["magnitude"], "major")  # her view
        self.assertIs(m["dental-care"]["experience"], False)
        # People read the words, in the register's language.
        table = self.ok("expert", "map", eid, "--today", "2026-06-01", "--wide").out
        self.assertRegex(table, r"Demenssjukdom +│? *–? *│? *ja +│? *Anhörig")
        self.assertIn("stor händelse", table)
        self.assertEqual(e["notes"], "Vill helst delta digitalt", "the notes are asked, not typed as arguments")

    def test_piped_answers(self):
        r = self.run_lbib("recruit", "--interactive", input=answers(CONTACT, MAP, CONSENTS))
        self.assertEqual(r.code, 0, r.err)
        self.assertEqual(r.out.strip(), "1", "stdout holds only the new id; the questions are on stderr")
        self.assertIn("Erfarenhetskarta", r.err)
        self.assertIn("Apotek (vardag): erfarenhet?", r.err)
        self.check_recruited(1)

    def test_missing_options_without_a_terminal_fail_cleanly(self):
        self.fails(64, "--name is required (or run the interview", "recruit", "--email", "a@example.se",
                   "--channel", "website", "--consent", "register")

    def test_interview_that_ends_early_saves_nothing(self):
        before = self.snapshot()
        r = self.run_lbib("recruit", "--interactive", input="Åsa Öberg\nasa@example.se\n")
        self.assertEqual(r.code, 64)
        self.assertEqual(r.err.splitlines()[-1],
                         "lbib: error: the interview ended before it was finished; nothing was saved")
        self.assertEqual(before, self.snapshot())

    def test_refused_register_consent_saves_nothing(self):
        before = self.snapshot()
        r = self.run_lbib("recruit", "--interactive", input=answers(CONTACT, MAP, ["n"]))
        self.assertEqual(r.code, 65)
        self.assertIn("utan samtycke till registret kan ingen sparas", r.err.splitlines()[-1])
        self.assertEqual(before, self.snapshot())

    def test_english_interview(self):
        (self.dir / "en.toml").write_text('[library]\nlanguage = "en"\n')
        env = dict(self.env, LBIB_CONFIG=str(self.dir / "en.toml"))
        contact = ["Kim Example", "kim@example.org", "", "", "", "n", "n", "n", "website"]
        r = self.run_lbib("recruit", "--interactive", env=env,
                          input=answers(contact, {"dental-care": ["patient", "", "e"]}, ["y", "n", "n", "o", "", "y"]))
        self.assertEqual(r.code, 0, r.err)
        self.assertIn("Experience map", r.err)
        self.assertIn("Dental care (everyday): any experience?", r.err)
        m = self.ok("expert", "map", "1", "--format", "json", env=env).json()
        self.assertEqual([x["area"] for x in m if x["experience"]], ["dental-care"])
        self.assertEqual(m, self.ok("expert", "map", "1", "--format", "json").json(),
                         "the data is the same in every language")

    def test_in_a_terminal_the_interview_starts_by_itself(self):
        """`lbib recruit` with nothing given, at a terminal: the interview runs."""
        if WRAPPER:
            self.skipTest("not under a wrapper")
        master, slave = pty.openpty()
        p = subprocess.Popen([LBIB, f"--db={self.db}", "recruit"], stdin=slave, stdout=subprocess.PIPE,
                             stderr=slave, env=self.env, cwd=self.dir)
        os.close(slave)
        screen = b""

        def read_until(text, timeout=20):
            nonlocal screen
            end = time.time() + timeout
            while text.encode() not in screen:
                ready, _, _ = select.select([master], [], [], max(0.0, end - time.time()))
                if not ready:
                    self.fail(f"no {text!r} on the terminal; it shows {screen.decode(errors='replace')[-500:]!r}")
                screen += os.read(master, 65536)

        read_until("Samtycker personen?")  # the register consent first
        # Typed one answer at a time, each after its question, as a person would.
        for line in answers(CONTACT, MAP, CONSENTS).splitlines():
            os.write(master, (line + "\n").encode())
            time.sleep(0.01)
        read_until("Spara? [J/n]")
        out, _ = p.communicate(timeout=30)
        os.close(master)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(out.decode().strip(), "1")
        text = screen.decode()
        self.assertLess(text.index("-- register"), text.index("Namn: "))
        self.assertLess(text.index("Namn: "), text.index("Erfarenhetskarta"))
        self.assertIn("Kanal:", text)
        self.assertIn("Följa med någon till vården (vardag): erfarenhet?", text)
        self.assertIn("Samtycker personen?", text)
        self.check_recruited(1)

    def at_terminal(self, *args):
        """lbib with stdin and stderr on a pseudo-terminal that is its controlling terminal, as
        at a contact person's desk (so Ctrl-C reaches it). Returns the process, the terminal and
        a function that waits for text on it."""
        master, slave = pty.openpty()

        def take_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)

        p = subprocess.Popen([LBIB, f"--db={self.db}", *args], stdin=slave, stdout=subprocess.PIPE,
                             stderr=slave, env=self.env, cwd=self.dir, start_new_session=True,
                             preexec_fn=take_terminal)
        os.close(slave)
        screen = [b""]

        def read_until(text, timeout=20, times=1):
            end = time.time() + timeout
            while screen[0].count(text.encode()) < times:
                ready, _, _ = select.select([master], [], [], max(0.0, end - time.time()))
                if not ready:
                    self.fail(f"no {text!r} on the terminal; it shows {screen[0].decode(errors='replace')[-500:]!r}")
                try:
                    screen[0] += os.read(master, 65536)
                except OSError:
                    self.fail(f"the terminal closed before {text!r}: {screen[0].decode(errors='replace')[-500:]!r}")
            return screen[0].decode()

        return p, master, read_until

    def test_go_back_and_change_an_answer_before_saving(self):
        if WRAPPER:
            self.skipTest("not under a wrapper")
        before = self.snapshot()
        p, master, read_until = self.at_terminal("recruit", "--interactive")
        read_until("Samtycker personen?")
        # "<" at the e-mail goes back to the name; "Spara? n" offers to change one answer.
        lines = answers(["Fel Namn", "<"] + CONTACT, MAP, CONSENTS[:-1]).splitlines()
        for line in lines:
            os.write(master, (line + "\n").encode())
            time.sleep(0.01)
        read_until("Spara? [J/n]")
        self.assertEqual(before, self.snapshot(), "nothing is written before the last answer")
        os.write(master, b"n\n")
        read_until("Vilket svar vill du ändra?")
        os.write(master, b"6\n")  # the home municipality
        read_until("Hemkommun")
        os.write(master, b"Katrineholm\n")
        text = read_until("Spara? [J/n]", times=2)
        summaries = text.split("== Sammanfattning")
        self.assertEqual(len(summaries), 3, "the summary again, with the change")
        self.assertIn("Hemkommun: Flen", summaries[1])
        self.assertIn("Hemkommun: Katrineholm", summaries[2])
        for shown in ("Samtycke till registret: ja", "Namn: Åsa Öberg", "E-post: asa@example.se",
                      "Födelseår: 1956", "Pensionär?: ja", "Kanal: Webbplats", "Demenssjukdom – Anhörig, 2018",
                      "Övriga samtycken: mailing", "Hur samtycket gavs: muntligt",
                      "Anteckningar: Vill helst delta digitalt"):
            self.assertIn(shown, summaries[2])
        os.write(master, b"j\n")
        out, _ = p.communicate(timeout=30)
        os.close(master)
        self.assertEqual(p.returncode, 0)
        self.assertEqual(out.decode().strip(), "1")
        e = self.ok("expert", "show", "1", "--format", "json").json()
        self.assertEqual((e["name"], e["municipality"]), ("Åsa Öberg", "Katrineholm"))

    def test_ctrl_c_says_nothing_was_saved(self):
        if WRAPPER:
            self.skipTest("not under a wrapper")
        before = self.snapshot()
        p, master, read_until = self.at_terminal("recruit", "--interactive")
        read_until("Samtycker personen?")
        os.write(master, b"j\nAsa Oberg\n")
        read_until("E-post (")
        os.write(master, b"\x03")  # Ctrl-C, as the terminal sends it
        text = read_until("inget sparades")
        p.communicate(timeout=30)
        os.close(master)
        self.assertEqual(p.returncode, 128 + signal.SIGINT)
        self.assertIn("lbib: avbrutet; inget sparades", text)
        self.assertEqual(before, self.snapshot())

    def test_map_of_a_missing_expert(self):
        self.fails(66, "no expert with id 9", "expert", "map", "9")
        self.fails(65, "today", "expert", "map", "1", "--today", "igår")

"""Shell integration: completion through real bash and zsh, colour only on a terminal and
never with NO_COLOR, and names in Swedish order with case-insensitive search."""
import os
import pty
import shutil
import subprocess
import unittest

from lbibtest import LBIB, WRAPPER, LbibTestCase, read_terminal

ZSH = shutil.which("zsh")


class CompletionTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.ok("init")
        for i, name in enumerate(("Örjan Ek", "Åsa Berg", "Zlatan Ögren", "Ärla Holm", "Anna Åberg", "åke Lind")):
            self.ok("recruit", "--name", name, "--email", f"x{i}@example.se", "--channel", "website",
                    "--consent", "register")
        self.ok("expert", "erase", "6", "--yes")
        self.env["LBIB_DB"] = str(self.db)

    def complete(self, *words):
        return self.ok("__complete", *words, db=False).out.splitlines()

    def test_commands_options_and_ids(self):
        top = self.complete("")
        for command in ("recruit", "expert", "request", "catalogue", "report", "completion"):
            self.assertIn(command, top)
        self.assertNotIn("__complete", top)
        self.assertEqual(self.complete("ex"), ["expert", "export"])
        self.assertEqual(self.complete("expert", "m"), ["map", "merge"])
        self.assertEqual(self.complete("expert", "list", "--s"), ["--sort", "--status"])
        self.assertIn("--interactive", self.complete("recruit", "--"))
        # Ids, never names; erased experts are not offered.
        self.assertEqual(self.complete("expert", "show", ""), ["1", "2", "3", "4", "5"])
        self.assertEqual(self.complete("--as", "Kim", "expert", "map", "3"), ["3"])
        out = self.ok("__complete", "expert", "show", "", db=False).out
        self.assertNotIn("Åsa", out)

    def test_each_id_argument_completes_what_it_names(self):
        # Two borrowers (one erased) and one request: ids that differ from the experts' 1-5.
        b1 = self.ok("borrower", "add", "--organisation", "Vårdcentralen Norr", "--contact-name",
                     "Kim Berg", "--contact-email", "kim@example.se").out.strip()
        self.ok("borrower", "add", "--organisation", "Socialtjänsten", "--contact-name",
                "Ola Ek", "--contact-email", "ola@example.se")
        self.ok("borrower", "erase", "2", "--yes")
        self.ok("request", "new", "--borrower", b1, "--purpose", "Förbättra väntrummet",
                "--received", "2026-11-02")
        self.assertEqual(self.complete("pay", ""), ["claim", "1"])   # a request, not an expert
        self.assertEqual(self.complete("pay", "claim", ""), ["1"])
        self.assertEqual(self.complete("followup", "book", ""), ["1"])
        self.assertEqual(self.complete("borrower", "show", ""), ["1"])  # the erased one is not offered
        self.assertEqual(self.complete("request", "new", "--borrower", ""), ["1"])
        self.assertEqual(self.complete("loan", "1", "--expert", ""), ["1", "2", "3", "4", "5"])
        # A correction comes right after its command, with its own id argument.
        self.assertEqual(self.complete("loan", ""), ["correct", "undo", "1"])
        self.assertEqual(self.complete("loan", "correct", ""), ["1"])
        self.assertEqual(self.complete("request", "list", "--format", ""), [])  # not an id
        self.ok("gdpr", "request", "add", "--kind", "access", "--expert", "2")
        self.assertEqual(self.complete("gdpr", "request", "done", ""), ["1"])

    def test_without_a_register_completion_is_quiet(self):
        env = dict(self.env, LBIB_DB=str(self.dir / "none.sqlite"))
        r = self.run_lbib("__complete", "expert", "show", "", db=False, env=env)
        self.assertEqual((r.code, r.out, r.err), (0, "", ""))

    def test_bash(self):
        script = self.ok("completion", "bash", db=False).out
        env = dict(self.env, PATH=f"{os.path.dirname(LBIB)}:{self.env['PATH']}")
        r = subprocess.run(["bash", "-c", script + '\nCOMP_WORDS=(lbib expert sh); COMP_CWORD=2; _lbib; '
                            'echo "${COMPREPLY[*]}"; COMP_WORDS=(lbib expert show ""); COMP_CWORD=3; _lbib; '
                            'echo "${COMPREPLY[*]}"'], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["show", "1 2 3 4 5"])

    @unittest.skipUnless(ZSH, "needs zsh (scripts/install-deps.sh)")
    def test_zsh(self):
        script = self.ok("completion", "zsh", db=False).out
        env = dict(self.env, PATH=f"{os.path.dirname(LBIB)}:{self.env['PATH']}")
        # compadd and compdef belong to zsh's completion system; stand-ins print what it gets.
        driver = ('compdef() { :; }; compadd() { print -l -- "${(@P)2}"; }\n' + script +
                  '\nwords=(lbib expert li); CURRENT=3; _lbib\nwords=(lbib request show ""); CURRENT=4; _lbib\n')
        r = subprocess.run([ZSH, "-f", "-c", driver], capture_output=True, text=True, env=env, timeout=60)
        self.assertEqual(r.returncode, 0, r.stderr)
        self.assertEqual(r.stdout.splitlines(), ["list", ""])
        self.assertEqual(subprocess.run([ZSH, "-n", "-c", script]).returncode, 0)

    def test_unknown_shell(self):
        self.fails(64, "completion: use bash or zsh", "completion", "fish")


class HelpAndValuesTest(LbibTestCase):
    """`lbib help COMMAND...`, "did you mean" for the options of nested commands, and completion of
    the values of vocabulary options from the configuration."""

    def setUp(self):
        super().setUp()
        self.ok("init")
        self.env["LBIB_DB"] = str(self.db)

    def complete(self, *words):
        return self.ok("__complete", *words, db=False).out.splitlines()

    def test_help_is_the_command_help(self):
        for words in (["request", "new"], ["followup", "record"], ["today"], ["remind"]):
            with self.subTest(words=words):
                self.assertEqual(self.ok("help", *words).out, self.ok(*words, "--help").out)
        self.assertEqual(self.ok("help").out, self.ok("--help").out)
        self.assertIn("help", self.complete(""))
        self.assertEqual(self.complete("help", "requ"), ["request"])
        # A command's alias leads to its options like its name does.
        self.assertEqual(self.complete("idag", "--for"), ["--format"])
        self.assertEqual(self.complete("help", "request", "ne"), ["new"])
        self.fails(64, "did you mean 'lbib request'?", "help", "reqest")

    def test_did_you_mean_for_options_of_nested_commands(self):
        borrower = self.ok("borrower", "add", "--organisation", "Region Exempel", "--contact-name",
                           "Kim Berg", "--contact-email", "kim@example.se").out.strip()
        self.fails(64, "'--purpos' is not an option of lbib request new; did you mean '--purpose'?",
                   "request", "new", "--borrower", borrower, "--purpos", "x")
        self.fails(64, "'--knd' is not an option of lbib gdpr request add; did you mean '--kind'?",
                   "gdpr", "request", "add", "--knd", "access")
        self.fails(64, "did you mean '--wide'?", "request", "list", "--wdie")

    def test_vocabulary_values(self):
        self.assertEqual(self.complete("request", "new", "--form", "fo"), ["focus-group"])
        self.assertIn("telephone-interviews", self.complete("loan", "1", "--form", ""))
        self.assertEqual(self.complete("request", "new", "--want", "dem"), ["dementia"])
        self.assertEqual(self.complete("request", "new", "--want", "relative:dem"), ["relative:dementia"])
        self.assertEqual(self.complete("expert", "list", "--role", ""), ["patient", "user", "client", "relative"])
        self.assertEqual(self.complete("expert", "list", "--area", "ph"), ["pharmacy"])
        self.assertEqual(self.complete("recruit", "--channel", "so"), ["social-media"])
        # Municipalities come from [population] in the configuration; with none configured, none.
        self.assertEqual(self.complete("recruit", "--municipality", ""), [])
        config = self.dir / "config.toml"
        config.write_text('[population]\nmunicipalities = [ { name = "Eskilstuna", share = 0.36 }, '
                          '{ name = "Nyköping", share = 0.19 } ]\n')
        env = dict(self.env, LBIB_CONFIG=str(config))
        for words in (["recruit", "--municipality", ""], ["request", "new", "--municipality", ""],
                      ["expert", "list", "--municipality", ""]):
            r = self.ok("__complete", *words, db=False, env=env)
            self.assertEqual(r.out.splitlines(), ["Eskilstuna", "Nyköping"], words)
        # Only where the command has the option: `--form` means nothing to `expert list`.
        self.assertEqual(self.complete("expert", "list", "--form", ""), [])


class SwedishOrderTest(LbibTestCase):
    def setUp(self):
        super().setUp()
        self.ok("init")
        for i, name in enumerate(("Örjan Ek", "Åsa Berg", "Zlatan Ögren", "Ärla Holm", "Anna Åberg", "åke Lind", "Bo Ek")):
            self.ok("recruit", "--name", name, "--email", f"x{i}@example.se", "--channel", "website",
                    "--consent", "register")

    def names(self, *args):
        return [e["name"] for e in self.ok("expert", "list", "--format", "json", *args).json()]

    def test_sort_by_name(self):
        self.assertEqual(self.names("--sort", "name"),
                         ["Anna Åberg", "Bo Ek", "Zlatan Ögren", "åke Lind", "Åsa Berg", "Ärla Holm", "Örjan Ek"])
        self.assertEqual(self.names()[0], "Örjan Ek", "by id unless asked")

    def test_search_ignores_case_with_swedish_letters(self):
        self.assertEqual(self.names("--name", "ÅSA"), ["Åsa Berg"])
        self.assertEqual(self.names("--name", "ÅBERG"), ["Anna Åberg"])
        self.assertEqual(self.names("--name", "ö", "--sort", "name"), ["Zlatan Ögren", "Örjan Ek"])
        self.assertEqual(self.names("--name", "ek", "--sort", "name"), ["Bo Ek", "Örjan Ek"])

    def test_bad_sort_and_search(self):
        self.fails(64, "--sort: use id or name", "expert", "list", "--sort", "age")
        self.fails(65, "--name", "expert", "list", "--name", "a\nb")


class ColourTest(LbibTestCase):
    def on_terminal(self, env):
        """Runs a failing lbib command with stderr on a pseudo-terminal; returns what it showed."""
        master, slave = pty.openpty()
        p = subprocess.Popen(WRAPPER + [LBIB, "expert", "shwo"], stdin=subprocess.DEVNULL,
                             stdout=subprocess.DEVNULL, stderr=slave, env=env, cwd=self.dir)
        os.close(slave)
        shown = read_terminal(master)
        p.wait(timeout=30)
        os.close(master)
        self.assertEqual(p.returncode, 64)
        return shown.decode()

    def test_colour_only_on_a_terminal(self):
        env = dict(self.env, TERM="xterm")
        env.pop("NO_COLOR", None)
        self.assertIn("\x1b[1;31mlbib: error:\x1b[0m", self.on_terminal(env))
        self.assertNotIn("\x1b[", self.on_terminal(dict(env, NO_COLOR="1")))
        self.assertNotIn("\x1b[", self.on_terminal(dict(env, TERM="dumb")))
        r = self.run_lbib("expert", "shwo", env=env)  # stderr is a pipe here
        self.assertEqual(r.code, 64)
        self.assertNotIn("\x1b[", r.err)

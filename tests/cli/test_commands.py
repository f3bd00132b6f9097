# SPDX-License-Identifier: MIT
"""lbib builds only the command groups a command line names (cmd/main.cpp, issue #20): the
help and behaviour of every command must be what the whole tree gives."""
import unittest

from lbibtest import LbibTestCase


class CommandTreeTest(LbibTestCase):
    def words(self, *path):
        """The candidates completion gives after `path` (completion builds the whole tree)."""
        r = self.ok("__complete", *path, "", db=False)
        return [w for w in r.out.splitlines() if w and not w.startswith("-")]

    def test_the_whole_tree_passes_the_table_check(self):
        # With every group built (completion, an unknown word), each group is checked against the
        # words it lists, and the top-level help against the list it is written from without the
        # groups (top_commands); either drifting stops lbib with exit 70.
        for word in ("expert", "dispatch", "today", "catalogue", "backup"):
            self.assertIn(word, self.words())
        r = self.run_lbib("exprt", db=False)
        self.assertEqual(r.code, 64, r.err)
        self.assertIn("expert", r.err)

    def test_the_top_level_help_lists_every_command_of_the_whole_tree(self):
        # `lbib --help`, `lbib help` and `lbib` alone build no group: the commands they list come
        # from cmd/main.cpp's top_commands, which must be what the groups define.
        top = [w for w in self.words() if w != "idag"]
        swedish = dict(self.env, LANG="sv_SE.UTF-8", LANGUAGE="sv")
        del swedish["LC_ALL"]
        for env in (self.env, swedish):
            for args in (["--help"], ["help"], ["-h"]):
                r = self.ok(*args, db=False, env=env)
                listed = r.out.split("\n\n")[2].splitlines()[1:]
                self.assertEqual([line.split()[0].rstrip(",") for line in listed], top, args)
            r = self.run_lbib(db=False, env=env)
            self.assertEqual(r.code, 64)
            self.assertIn(", ".join(top), r.err)
        self.assertIn("  today, idag  ", self.ok("--help", db=False).out)

    def test_every_command_and_subcommand_has_its_own_help(self):
        top = [w for w in self.words() if w != "help"]
        self.assertIn("expert", top)
        self.assertGreater(len(top), 20)
        for word in top:
            r = self.ok(word, "--help", db=False)
            self.assertIn(f"lbib {word}", r.out, word)
            for sub in self.words(word):
                r = self.run_lbib(word, sub, "--help", db=False)
                self.assertEqual(r.code, 0, f"lbib {word} {sub} --help: {r.err}")

    def test_a_subcommand_from_another_group_is_there_when_its_command_is_named(self):
        # `expert describe` comes from the catalogue's group, `expert list` from the experts'.
        self.assertIn("describe", self.words("expert"))
        r = self.ok("expert", "describe", "--help", db=False)
        self.assertIn("lbib expert describe", r.out)
        r = self.ok("expert", "--help", db=False)
        self.assertIn("describe", r.out)
        self.assertIn("list", r.out)

    def test_global_options_before_the_command_and_help_word(self):
        self.init()
        self.ok("--as", "Kim", "--wide", "expert", "list")
        r = self.ok("help", "expert", "list", db=False)
        self.assertIn("lbib expert list", r.out)
        self.ok("idag")  # an alias names its group too
        r = self.ok("--version", db=False)
        self.assertRegex(r.out.strip(), r"^\d+\.\d+\.\d+")

    def test_what_cli11_reads_differently_is_read_the_same(self):
        # Found by a differential test against the whole tree (cmd/main.cpp's needed_groups).
        self.init()
        # After `--` there is no command: the message names all of them.
        r = self.run_lbib("--", "expert")
        self.assertEqual(r.code, 64)
        self.assertIn("init", r.err)
        self.assertIn("doctor", r.err)
        # CLI11 takes the word after an empty `--as=` as its value: `today` is a name here.
        self.ok("--as=", "today", "expert", "list")
        self.ok("expert", "list", "--as=", "recruit")
        # A global option without its value, beside --version: CLI11's error, translated.
        env = dict(self.env, LANG="sv_SE.UTF-8", LANGUAGE="sv")
        del env["LC_ALL"]
        r = self.run_lbib("--version", "--as", db=False, env=env)
        self.assertEqual(r.code, 64)
        self.assertIn("--as behöver ett värde", r.err)

    def test_a_mistyped_command_still_gets_its_suggestion(self):
        r = self.run_lbib("exprt", "list")
        self.assertEqual(r.code, 64)
        self.assertIn("expert", r.err)
        r = self.run_lbib("expert", "lsit")
        self.assertEqual(r.code, 64)
        self.assertIn("list", r.err)


if __name__ == "__main__":
    unittest.main()

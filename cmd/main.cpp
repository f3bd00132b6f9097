// SPDX-License-Identifier: MIT
// lbib: the register of a Living Library. This file only wires CLI11 to the subcommands and
// turns every failure into one line on stderr and a documented exit code.
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <map>
#include <new>
#include <sstream>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "commands.hpp"
#include "lbib/error.hpp"
#include "lbib/output/format.hpp"
#include "lbib/privacy/ledger.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/version.hpp"
#include "suggest.hpp"

namespace {

using lbib::i18n::N_;

constexpr const char* exit_codes_help = lbib::i18n::N_(R"(Exit codes:
  0   success
  64  usage error (unknown option, missing argument)
  65  invalid data (bad field value, unknown key, not an lbib register)
  66  no such record or file
  70  internal error (a bug: please report it)
  71  out of memory
  73  cannot create (refuses to overwrite an existing file)
  74  input/output error (disk full, read-only file)
  75  the register is busy with another command: try again later
  77  unsafe permissions (register readable by others, symbolic link, network filesystem)
  78  configuration error
  1, 2  lbib doctor: a warning (1) or a problem (2) was found

Environment: LBIB_DB (register file), LBIB_CONFIG (configuration file).)");

// Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org).
bool colour_on_stderr() {
  const char* no_color = std::getenv("NO_COLOR");
  const char* term = std::getenv("TERM");
  return ::isatty(STDERR_FILENO) == 1 && (no_color == nullptr || *no_color == '\0') &&
         (term == nullptr || std::string_view(term) != "dumb");
}

// The width text tables are fitted to (docs/output.md): only when a person reads them at a
// terminal; a pipe or a file gets every character, as scripts expect. COLUMNS when it is a
// number, else the terminal's own width, else 80.
std::size_t terminal_width() {
  if (::isatty(STDOUT_FILENO) != 1) {
    return 0;
  }
  if (const char* columns = std::getenv("COLUMNS"); columns != nullptr) {
    const std::string_view s(columns);
    std::size_t n = 0;
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
    if (ec == std::errc{} && end == s.data() + s.size() && n > 0) {
      return n;
    }
  }
  struct winsize size {};
  if (::ioctl(STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0) {
    return size.ws_col;
  }
  return 80;
}

// Whether `w` is a global option whose value is the next word: `--db X`, and, as CLI11 reads
// it, an empty `--db=` too. The words before the command are read ahead of CLI11 twice
// (without_help_word, needed_groups), both with this one rule.
bool value_follows(std::string_view w) {
  for (const std::string_view name : {"--db", "--config", "--as"}) {
    if (w.starts_with(name) && (w.size() == name.size() || w.substr(name.size()) == "=")) {
      return true;
    }
  }
  return false;
}

// `lbib help [COMMAND...]` as the words `lbib [COMMAND...] --help`: the one help there is,
// and a mistyped command gets its "did you mean". Global options before `help` stay.
std::vector<std::string> without_help_word(int argc, char** argv) {
  std::vector<std::string> words(argv, argv + argc);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (value_follows(w)) {
      ++i;  // its value
      continue;
    }
    if (w.starts_with("-")) {
      continue;
    }
    if (w == "help") {
      words.erase(words.begin() + static_cast<std::ptrdiff_t>(i));
      words.emplace_back("--help");
    }
    break;
  }
  return words;
}

// The command groups, in the order their setup functions run (catalogue adds `expert
// describe` to expert's group, so it comes after it), and the top-level words each one
// defines. Only the groups a command line names are built: CLI11 builds its whole tree of
// options and translated help before parsing, and most of a short command's time went there
// (docs/performance.md). tests/cli/test_commands.py checks this table against the tree
// completion builds in full: every word and subcommand there has the same help here.
struct Group {
  void (*setup)(CLI::App&, lbib::cmd::Context&);
  // A vector, not an initializer_list: the array behind an initializer_list member lives only
  // as long as the expression that makes the group (ASan found the table reading freed stack).
  std::vector<std::string_view> words;
};

const std::array groups{
    Group{lbib::cmd::setup_init, {"init"}},
    Group{lbib::cmd::setup_recruit, {"recruit"}},
    Group{lbib::cmd::setup_expert, {"expert"}},
    Group{lbib::cmd::setup_borrower, {"borrower"}},
    Group{lbib::cmd::setup_request, {"request"}},
    Group{lbib::cmd::setup_lending, {"match", "answer", "dispatch", "loan"}},
    Group{lbib::cmd::setup_inbox, {"inbox"}},
    Group{lbib::cmd::setup_followup, {"followup", "pay", "remind", "today", "idag"}},
    Group{lbib::cmd::setup_report, {"report"}},
    Group{lbib::cmd::setup_outreach, {"outreach"}},
    Group{lbib::cmd::setup_governance, {"decision", "inquiry"}},
    Group{lbib::cmd::setup_gdpr, {"gdpr"}},
    Group{lbib::cmd::setup_handover, {"export", "import"}},
    Group{lbib::cmd::setup_catalogue, {"catalogue", "expert"}},
    Group{lbib::cmd::setup_close, {"close"}},
    Group{lbib::cmd::setup_admin, {"log", "check", "backup"}},
    Group{lbib::cmd::setup_completion, {"completion"}},
    Group{lbib::cmd::setup_doctor, {"doctor"}},
};

// The top-level commands as the groups above make them, in the same order, each with its help,
// written here only: each group's setup reads it (top_help), and `lbib --help` (and `lbib
// help`, `lbib` alone) is written from this list without building any group, which was most of
// its time (docs/performance.md, "Fifth round"). Whenever every group is built (completion, an
// unknown word), the top-level help of the whole tree is compared with the one written from
// this list (check_top_commands), so the names, aliases and order cannot drift either.
struct TopCommand {
  std::string_view name;
  std::string_view alias;  // empty for none
  const char* description;
};

const std::array top_commands{
    TopCommand{"init", {}, N_("Create a new, empty register (never overwrites one)")},
    TopCommand{"recruit",
               {},
               N_("Record a new expert after the recruitment interview; prints the new id")},
    TopCommand{
        "expert", {}, N_("List, show, edit, export or erase experts, or record that one left")},
    TopCommand{"borrower", {}, N_("Add, list, show, edit, export or erase borrowers (låntagare)")},
    TopCommand{
        "request", {}, N_("Requests from borrowers (uppdragsförfrågningar) and their lifecycle")},
    TopCommand{"match",
               {},
               N_("List the experts a request can go to: best fit first, then those invited least "
                  "lately")},
    TopCommand{
        "answer",
        {},
        N_("Record an invited expert's answer to a request: yes (interested) or no (declined)")},
    TopCommand{"dispatch",
               {},
               N_("Compose the request's BCC mailing to matching experts (--out DIR), or record a "
                  "message sendmail accepted (--record FILE). scripts/send-request.sh does both.")},
    TopCommand{"loan", {}, N_("Record that a request's loan was carried out, and who took part")},
    TopCommand{"inbox",
               {},
               N_("Read replies to lbib's mail from a Maildir: each invited expert's answer to a "
                  "request, and each expert's reply to the questionnaire after a loan, is "
                  "recorded, and the message marked seen")},
    TopCommand{"followup",
               {},
               N_("The follow-up of a loan: the meeting, the summary to the experts, the "
                  "borrower's feedback")},
    TopCommand{"pay",
               {},
               N_("Record compensation for an expert who took part in a loan, at the rate valid on "
                  "the loan's date")},
    TopCommand{"remind",
               {},
               N_("Print what is due, grouped by request, and only counts by kind and month for a "
                  "kind with more than 25 items; prints nothing when nothing is due (for cron)")},
    TopCommand{
        "today", "idag",
        N_("What needs you now, on one screen: overdue steps, what falls due in the next 14 days, "
           "every open request with its next step, and data protection due (Swedish: idag)")},
    TopCommand{"report", {}, N_("Reports for the steering group and the contact persons")},
    TopCommand{
        "outreach", {}, N_("Record and list outreach: presentations, events, mailings, ...")},
    TopCommand{
        "decision",
        {},
        N_("Record and list the library's governance: owner, mandate, reports and decisions")},
    TopCommand{"inquiry",
               {},
               N_("Record and list inquiries the library turned away, as counts with a reason")},
    TopCommand{"gdpr",
               {},
               N_("Data protection: retention, the record of processing, data-subject requests")},
    TopCommand{"export",
               {},
               N_("Export the whole register as versioned JSON, to hand it to a new owner (holds "
                  "personal data)")},
    TopCommand{"import",
               {},
               N_("Create a new register from 'lbib export --all' (validates everything; all or "
                  "nothing)")},
    TopCommand{"catalogue",
               {},
               N_("Write the public catalogue for the website: one anonymous card per expert who "
                  "consented to the website and approved a description, grouped by area")},
    TopCommand{
        "close",
        {},
        N_("Wind the library down: stop recruitment and requests, tell everyone, survey, erase")},
    TopCommand{"log", {}, N_("Show the audit log: who changed what, and when")},
    TopCommand{
        "check",
        {},
        N_("Check the register's integrity, its foreign keys and the keys derived from names")},
    TopCommand{"backup",
               {},
               N_("Copy the register to DEST while it is in use (mode 0600, never overwrites)")},
    TopCommand{"completion",
               {},
               N_("Print the shell completion script: eval \"$(lbib completion bash)\"")},
    TopCommand{"doctor",
               {},
               N_("Check that this deployment is safe and complete: register, filesystem, mail, "
                  "jobs, configuration, locale (exit 0 all ok, 1 a warning, 2 a problem)")},
};

}  // namespace

const char* lbib::cmd::top_help(std::string_view name) {
  for (const auto& command : top_commands) {
    if (command.name == name) {
      return command.description;
    }
  }
  throw std::logic_error("top_commands in cmd/main.cpp has no '" + std::string(name) + "'");
}

namespace {

enum class Build { all, named, top, none };

// Which groups a command line needs: those defining its command word; none for --version
// alone (with global options), which needs neither the tree nor the configuration; only the
// top-level commands' names and help (top) when no command is named (`lbib --help`, `lbib`);
// all of them for completion and a word no group defines (so "did you mean" sees every
// command).
std::pair<Build, std::string_view> needed_groups(int argc, char** argv,
                                                 const std::vector<std::string>& words) {
  if (argc >= 2 && std::string_view(argv[1]) == "__complete") {
    return {Build::all, {}};
  }
  bool version = false;
  bool other = false;  // anything but --version and the global options
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (w == "--") {
      return {Build::all, {}};  // what follows is no command: CLI11 names them all
    }
    if (value_follows(w)) {
      // A value missing at the end is CLI11's error, in the settled language.
      other = other || i + 1 == words.size();
      ++i;  // its value
      continue;
    }
    if (w == "--version") {
      version = true;
    } else if (w.starts_with("-")) {
      other = other || !(w == "--wide" || w.starts_with("--db=") || w.starts_with("--config=") ||
                         w.starts_with("--as="));
    } else {
      for (const auto& group : groups) {
        if (std::find(group.words.begin(), group.words.end(), w) != group.words.end()) {
          return {Build::named, w};
        }
      }
      return {Build::all, {}};
    }
  }
  return {version && !other ? Build::none : Build::top, {}};
}

// How many commands and options a command holds, all the way down.
std::size_t tree_size(const CLI::App& command) {
  std::size_t size = 1 + command.get_options().size();
  for (const CLI::App* sub : command.get_subcommands({})) {
    size += tree_size(*sub);
  }
  return size;
}

// Each top-level command's tree_size, to see what a setup added or changed.
std::map<const CLI::App*, std::size_t> command_sizes(const CLI::App& app) {
  std::map<const CLI::App*, std::size_t> sizes;
  for (const CLI::App* sub : app.get_subcommands({})) {
    sizes[sub] = tree_size(*sub);
  }
  return sizes;
}

// The top-level command without its subcommands: its help, --version and the global options.
void setup_top(CLI::App& app, lbib::cmd::Context& ctx) {
  app.name("lbib");
  app.description("lbib: the register of a Living Library (Levande Bibliotek)");
  app.set_version_flag("--version", std::string(lbib::version()));
  app.footer(exit_codes_help);
  app.fallthrough();  // global options may also follow the subcommand
  app.require_subcommand(1);
  auto& g = ctx.globals();
  app.add_option("--db", g.db,
                 "Register file (default: $LBIB_DB, the config's database.path, "
                 "~/.local/share/lbib/lbib.sqlite)");
  app.add_option("--config", g.config,
                 "Configuration file (default: $LBIB_CONFIG, "
                 "~/.config/lbib/config.toml, /etc/lbib/config.toml)");
  app.add_option("--as", g.as, "Name of the contact person at the keyboard, for the audit log");
  app.add_flag_callback(
      "--wide", [] { lbib::output::set_table_width(0); },
      "Show tables in full: at a terminal, long columns are otherwise shortened with … to fit");
}

// The top-level commands from top_commands: each one empty, with its name, alias and help.
void add_top_commands(CLI::App& app) {
  for (const auto& command : top_commands) {
    auto* sub = app.add_subcommand(std::string(command.name), command.description);
    if (!command.alias.empty()) {
      sub->alias(std::string(command.alias));
    }
  }
}

// Stops lbib (exit 70) when the top-level help of the whole tree `app` is not the one written
// from top_commands, naming the first line that differs.
void check_top_commands(const CLI::App& app, lbib::cmd::Context& ctx) {
  CLI::App shallow;
  setup_top(shallow, ctx);
  add_top_commands(shallow);
  const auto expected = shallow.help();
  const auto actual = app.help();
  if (expected == actual) {
    return;
  }
  std::istringstream want(expected);
  std::istringstream got(actual);
  std::string want_line;
  std::string got_line;
  while (std::getline(want, want_line) && std::getline(got, got_line) && want_line == got_line) {
  }
  throw lbib::make_error(lbib::ExitCode::software,
                         "the list of top-level commands in cmd/main.cpp does not match the "
                         "commands the groups define: it has '{}' where they have '{}'",
                         want_line, got_line);
}

// Runs the setups `needed` names. When all of them run, each is checked against its words: a
// group that adds or changes a command it does not list would be left out when that command
// is named alone, so the table is corrected before anything is parsed (every test that asks
// for the top-level help runs this check).
void setup_commands(CLI::App& app, lbib::cmd::Context& ctx,
                    const std::pair<Build, std::string_view>& needed) {
  // The named word's groups, and with them every group that shares a word with one of them
  // (the catalogue's group adds to `expert`, so it needs the experts' group that makes it).
  if (needed.first == Build::top) {
    add_top_commands(app);
    return;
  }
  std::vector<std::string_view> named;
  if (needed.first == Build::named) {
    named.push_back(needed.second);
  }
  const auto names_any = [&named](const Group& group) {
    return std::find_first_of(group.words.begin(), group.words.end(), named.begin(), named.end()) !=
           group.words.end();
  };
  for (std::size_t count = 0; count != named.size();) {
    count = named.size();
    for (const auto& group : groups) {
      if (names_any(group)) {
        for (const auto word : group.words) {
          if (std::find(named.begin(), named.end(), word) == named.end()) {
            named.push_back(word);
          }
        }
      }
    }
  }
  for (const auto& group : groups) {
    const auto& words = group.words;
    if (needed.first == Build::named && names_any(group)) {
      group.setup(app, ctx);
    } else if (needed.first == Build::all) {
      const auto before = command_sizes(app);
      group.setup(app, ctx);
      for (const auto& [sub, size] : command_sizes(app)) {
        const auto old = before.find(sub);
        if (old != before.end() && old->second == size) {
          continue;  // not touched by this group
        }
        std::vector<std::string> names = sub->get_aliases();
        names.push_back(sub->get_name());
        for (const auto& name : names) {
          if (std::find(words.begin(), words.end(), name) == words.end()) {
            throw lbib::make_error(lbib::ExitCode::software,
                                   "the command table in cmd/main.cpp does not list '{}' for the "
                                   "group that defines it",
                                   name);
          }
        }
      }
    }
  }
  if (needed.first == Build::all) {
    check_top_commands(app, ctx);
  }
}

int report(lbib::ExitCode code, std::string message) {
  if (lbib::privacy::ledger::pending()) {
    // The error came after the erasure ledger was written, before the commit.
    message += "; ";
    message += lbib::i18n::tr(
        "the register was not changed, but the erasure is in its erasure ledger: the next "
        "command that opens the register carries it out");
  }
  if (colour_on_stderr()) {
    std::cerr << "\033[1;31mlbib: error:\033[0m " << message << '\n';
  } else {
    std::cerr << "lbib: error: " << message << '\n';
  }
  return static_cast<int>(code);
}

// "nothing was changed" after `what`, unless report will say what was (the erasure ledger).
std::string unchanged(std::string what) {
  return lbib::privacy::ledger::pending() ? what : what + "; nothing was changed";
}

// SQLite's own errors, mapped to the exit codes lbib documents.
int report_sqlite(const SQLite::Exception& e) {
  switch (e.getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return report(lbib::ExitCode::temp_fail,
                    "the register is busy with another command; try again later");
    case SQLITE_FULL:
      return report(lbib::ExitCode::io, unchanged("the disk is full"));
    case SQLITE_READONLY:
      return report(lbib::ExitCode::io, unchanged("the register or its directory is read-only"));
    case SQLITE_CANTOPEN:
      // Usually the WAL and shm files beside the register cannot be created.
      return report(lbib::ExitCode::io,
                    "cannot open the register and its -wal/-shm files for writing; is its "
                    "directory read-only or full?");
    case SQLITE_IOERR:
      return report(lbib::ExitCode::io,
                    std::string("cannot read or write the register: ") + e.what());
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return report(lbib::ExitCode::data,
                    "the register file is damaged; run 'lbib check' and "
                    "restore a backup");
    default:
      return report(lbib::ExitCode::software, std::string("database error: ") + e.what());
  }
}

}  // namespace

int main(int argc, char** argv) {
  // Everything lbib creates (register, WAL, backups, directories) is private to the user.
  ::umask(077);
  // A file size limit (ulimit -f) makes a write fail (EFBIG) instead of killing lbib: the
  // erasure ledger is then truncated back and SQLite rolls back, as on a full disk.
  std::signal(SIGXFSZ, SIG_IGN);

  lbib::cmd::Context ctx(std::cout, std::cerr, lbib::config::process_environment());
  CLI::App app;
  setup_top(app, ctx);
  lbib::output::set_table_width(terminal_width());

  try {
    auto words = without_help_word(argc, argv);
    const auto needed = needed_groups(argc, argv, words);
    if (needed.first != Build::none) {
      // The configuration and the language, once, before any help is built or word parsed.
      ctx.settle(argc, argv);
    }
    // The scripts' question, in the settled language, before any command is built.
    if (const auto answered = lbib::cmd::answer_confirm_send(ctx, argc, argv)) {
      return *answered;
    }
    setup_commands(app, ctx, needed);
    // Listed for --help and completion; answered by without_help_word before parsing.
    app.add_subcommand("help",
                       "Show the help of a command: lbib help request new is lbib request "
                       "new --help");
    lbib::cmd::translate_help(app);
    if (lbib::cmd::answer_completion(app, ctx, argc, argv)) {
      return 0;
    }
    std::vector<char*> args;
    for (auto& w : words) {
      args.push_back(w.data());
    }
    const int count = static_cast<int>(args.size());
    if (const auto unknown = lbib::cmd::unknown_word(app, count, args.data())) {
      return report(lbib::ExitCode::usage, *unknown);
    }
    app.parse(count, args.data());
    std::cout.flush();
    if (!std::cout) {
      return report(lbib::ExitCode::io, "cannot write the output");
    }
    if (lbib::output::table_shortened()) {
      // Only ever at a terminal: a pipe or a file gets every column whole (terminal_width).
      ctx.err() << lbib::i18n::tr(
                       "(columns shortened to fit the terminal; --wide shows everything)")
                << '\n';
    }
    return ctx.exit_status();
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return report(lbib::ExitCode::usage, lbib::cmd::parse_error_message(app, e));
  } catch (const lbib::Error& e) {
    return report(e.code(), e.what());
  } catch (const SQLite::Exception& e) {
    return report_sqlite(e);
  } catch (const std::bad_alloc&) {
    // Never an abort (exit 134): a file too large for the memory given is refused cleanly.
    return report(lbib::ExitCode::os_error, unchanged("out of memory"));
  } catch (const std::exception& e) {
    return report(lbib::ExitCode::software, std::string("internal error: ") + e.what());
  }
}

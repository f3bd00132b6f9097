// SPDX-License-Identifier: MIT
// lbib: the register of a Living Library. This file only wires CLI11 to the subcommands and
// turns every failure into one line on stderr and a documented exit code.
#include <SQLiteCpp/Exception.h>
#include <sqlite3.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <iostream>
#include <new>
#include <string>
#include <string_view>
#include <vector>

#include "commands.hpp"
#include "lbib/error.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/version.hpp"
#include "suggest.hpp"

namespace {

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

// `lbib help [COMMAND...]` as the words `lbib [COMMAND...] --help`: the one help there is,
// and a mistyped command gets its "did you mean". Global options before `help` stay.
std::vector<std::string> without_help_word(int argc, char** argv) {
  std::vector<std::string> words(argv, argv + argc);
  for (std::size_t i = 1; i < words.size(); ++i) {
    const std::string_view w = words[i];
    if (w == "--db" || w == "--config" || w == "--as") {
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

int report(lbib::ExitCode code, const std::string& message) {
  if (colour_on_stderr()) {
    std::cerr << "\033[1;31mlbib: error:\033[0m " << message << '\n';
  } else {
    std::cerr << "lbib: error: " << message << '\n';
  }
  return static_cast<int>(code);
}

// SQLite's own errors, mapped to the exit codes lbib documents.
int report_sqlite(const SQLite::Exception& e) {
  switch (e.getErrorCode()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return report(lbib::ExitCode::temp_fail,
                    "the register is busy with another command; try again later");
    case SQLITE_FULL:
      return report(lbib::ExitCode::io, "the disk is full; nothing was changed");
    case SQLITE_READONLY:
      return report(lbib::ExitCode::io,
                    "the register or its directory is read-only; nothing was changed");
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

  lbib::cmd::Context ctx(std::cout, std::cerr, lbib::config::process_environment());
  // The configuration and the language, once, before any help is built or word is parsed.
  ctx.settle(argc, argv);
  CLI::App app("lbib: the register of a Living Library (Levande Bibliotek)", "lbib");
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
  lbib::output::set_table_width(terminal_width());
  app.add_flag_callback(
      "--wide", [] { lbib::output::set_table_width(0); },
      "Show tables in full: at a terminal, long columns are otherwise shortened with … to fit");

  lbib::cmd::setup_init(app, ctx);
  lbib::cmd::setup_recruit(app, ctx);
  lbib::cmd::setup_expert(app, ctx);
  lbib::cmd::setup_borrower(app, ctx);
  lbib::cmd::setup_request(app, ctx);
  lbib::cmd::setup_lending(app, ctx);
  lbib::cmd::setup_inbox(app, ctx);
  lbib::cmd::setup_followup(app, ctx);
  lbib::cmd::setup_report(app, ctx);
  lbib::cmd::setup_outreach(app, ctx);
  lbib::cmd::setup_governance(app, ctx);
  lbib::cmd::setup_gdpr(app, ctx);
  lbib::cmd::setup_handover(app, ctx);
  lbib::cmd::setup_catalogue(app, ctx);
  lbib::cmd::setup_close(app, ctx);
  lbib::cmd::setup_admin(app, ctx);
  lbib::cmd::setup_completion(app, ctx);
  lbib::cmd::setup_doctor(app, ctx);
  // Listed for --help and completion; answered by without_help_word before parsing.
  app.add_subcommand("help",
                     "Show the help of a command: lbib help request new is lbib request "
                     "new --help");
  lbib::cmd::translate_help(app);

  try {
    if (lbib::cmd::answer_completion(app, ctx, argc, argv)) {
      return 0;
    }
    if (const auto answered = lbib::cmd::answer_confirm_send(ctx, argc, argv)) {
      return *answered;
    }
    auto words = without_help_word(argc, argv);
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
    return report(lbib::ExitCode::os_error, "out of memory; nothing was changed");
  } catch (const std::exception& e) {
    return report(lbib::ExitCode::software, std::string("internal error: ") + e.what());
  }
}

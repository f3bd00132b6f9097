// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/error.hpp"

namespace lbib::cmd {

/// Options every subcommand accepts (before or after the subcommand name).
struct GlobalOptions {
  std::string db;
  std::string config;
  std::string as;
};

/// What a command needs from its surroundings: the global options, where to write, the
/// configuration and the register. Passed by reference to every command; no globals.
class Context {
 public:
  Context(std::ostream& out, std::ostream& err, config::Getenv getenv);

  GlobalOptions& globals() { return m_globals; }
  /// Where a command's output goes (standard output).
  std::ostream& out() { return m_out; }
  /// Where notes, warnings, previews and questions go (standard error): never the output.
  std::ostream& err() { return m_err; }

  /// The environment lbib reads (the process's, or a test's).
  const config::Getenv& getenv() const { return m_getenv; }

  /// Settles the configuration and the language once, before the command line is parsed or
  /// any help is built: loads the configuration named by --config (read from `argv` ahead of
  /// the parser), $LBIB_CONFIG or the default places, umasks for a shared group, and makes
  /// every message follow its library.language, else the environment's (LANGUAGE, LC_ALL,
  /// LC_MESSAGES, LANG). A configuration that fails to load is not an error yet: the command
  /// that needs it gets the error from config(), and `lbib doctor` and --help still work.
  void settle(int argc, const char* const* argv);

  /// The configuration settled by settle() (or loaded now, in tests that skip it); throws
  /// the configuration's error when it failed to load.
  const config::Config& config();

  /// Loads the configuration like config(), but a configuration that fails to load falls back
  /// to the built-in defaults: returns its error message then (for `lbib doctor`).
  std::optional<std::string> try_config();

  /// The process's exit status after a command that succeeded but wants to say more than 0
  /// (`lbib doctor`: 1 for a warning, 2 for a problem).
  int exit_status() const { return m_exit_status; }
  void set_exit_status(int status) { m_exit_status = status; }

  /// The register's path: --db, $LBIB_DB, the config's database.path, or
  /// $XDG_DATA_HOME/lbib/lbib.sqlite (~/.local/share/lbib/lbib.sqlite).
  std::filesystem::path db_path();

  /// How registers are opened: the config's busy timeout and group mode, $LBIB_SQL_LOG.
  db::OpenOptions open_options();

  /// Opens the existing register.
  db::Database open_db();

  /// Opens the existing register to read it (check, export --all, backup): as open_db() when
  /// it can be written, otherwise read-only (db::Database::open_read_only), with a note on
  /// stderr for each thing that could not be done, so a register on read-only media can still
  /// be checked and rescued.
  db::Database open_db_for_reading();

  /// Says on stderr, as "lbib: note: ...", something a command could not do.
  void note(std::string_view message);

  /// Creates a new register.
  db::Database create_db();

  /// Who runs this command (for the audit log and consent records).
  const audit::Actor& actor();

 private:
  std::ostream& m_out;
  std::ostream& m_err;
  config::Getenv m_getenv;
  GlobalOptions m_globals;
  std::optional<config::Config> m_config;
  std::optional<Error> m_config_error;
  std::optional<audit::Actor> m_actor;
  int m_exit_status = 0;
};

}  // namespace lbib::cmd

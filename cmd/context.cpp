// SPDX-License-Identifier: MIT
#include "context.hpp"

#include <sys/stat.h>

#include <ostream>

#include "lbib/error.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::cmd {

Context::Context(std::ostream& out, std::ostream& err, config::Getenv getenv)
    : m_out(out), m_err(err), m_getenv(std::move(getenv)) {}

void Context::settle(int argc, const char* const* argv) {
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") {
      break;
    }
    if (arg == "--config" && i + 1 < argc) {
      m_globals.config = argv[++i];
    } else if (arg.starts_with("--config=")) {
      m_globals.config = std::string(arg.substr(9));
    }
  }
  i18n::use_language(i18n::language_of_environment(m_getenv));
  try {
    config();
  } catch (const Error& e) {
    m_config_error = e;
  }
}

const config::Config& Context::config() {
  if (m_config_error) {
    throw *m_config_error;
  }
  if (!m_config) {
    std::optional<std::filesystem::path> explicit_path;
    if (!m_globals.config.empty()) {
      explicit_path = m_globals.config;
    }
    m_config = config::load(config::find_file(explicit_path, m_getenv));
    if (m_config->language_chosen) {
      i18n::use_language(m_config->language);
    }
    if (m_config->shared_group) {
      ::umask(007);  // files the group of contact persons shares; never others
    }
  }
  return *m_config;
}

std::optional<std::string> Context::try_config() {
  try {
    config();
    return std::nullopt;
  } catch (const Error& e) {
    m_config = config::defaults();
    m_config_error.reset();
    return std::string(e.what());
  }
}

std::filesystem::path Context::db_path() {
  if (!m_globals.db.empty()) {
    return m_globals.db;
  }
  if (auto env = m_getenv("LBIB_DB")) {
    return *env;
  }
  if (config().database_path) {
    return *config().database_path;
  }
  if (auto xdg = m_getenv("XDG_DATA_HOME")) {
    return std::filesystem::path(*xdg) / "lbib" / "lbib.sqlite";
  }
  if (auto home = m_getenv("HOME")) {
    return std::filesystem::path(*home) / ".local" / "share" / "lbib" / "lbib.sqlite";
  }
  throw make_error(ExitCode::config,
                   "no register named: give --db PATH, set LBIB_DB or database.path, or set HOME");
}

db::OpenOptions Context::open_options() {
  db::OpenOptions options{config().busy_timeout, config().shared_group};
  if (auto log = m_getenv("LBIB_SQL_LOG")) {
    options.sql_log = *log;
  }
  return options;
}

db::Database Context::open_db() {
  auto db = db::Database::open(db_path(), open_options());
  // A register restored from a copy older than an erasure gets the erasure again.
  if (const auto n = privacy::reapply_ledger(db, actor()); n > 0) {
    m_err << "lbib: note: "
          << i18n::tr_format(
                 "re-applied {} erasures from the erasure ledger beside the "
                 "register (it is older than they are)",
                 n)
          << '\n';
  }
  return db;
}

db::Database Context::open_db_for_reading() {
  const auto path = db_path();
  if (db::Database::writable(path) || !std::filesystem::exists(path)) {
    return open_db();  // and its own errors (no register, unsafe permissions, ...)
  }
  auto db = db::Database::open_read_only(path, open_options());
  note(i18n::tr("the register is read-only: opened without writing anything"));
  for (const auto& n : db.notes()) {
    note(n);
  }
  return db;
}

void Context::note(std::string_view message) {
  m_err << i18n::tr("lbib: note: ") << message << '\n';
}

db::Database Context::create_db() {
  return db::Database::create(db_path(), open_options());
}

const audit::Actor& Context::actor() {
  if (!m_actor) {
    std::optional<std::string> as_name;
    if (!m_globals.as.empty()) {
      text::check_line("--as", m_globals.as, text::limits::name);
      as_name = m_globals.as;
    }
    m_actor = audit::current_actor(std::move(as_name));
  }
  return *m_actor;
}

}  // namespace lbib::cmd

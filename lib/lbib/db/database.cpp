// SPDX-License-Identifier: MIT
#include "lbib/db/database.hpp"

#include <SQLiteCpp/Backup.h>
#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <fstream>
#include <set>

#include "lbib/deploy/filesystem.hpp"
#include "lbib/error.hpp"
#include "lbib/text/collate.hpp"

namespace lbib::db {
namespace {

namespace fs = std::filesystem;

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

// The embedded migrations in order. Their file names start with consecutive numbers from 1;
// anything else is a packaging bug caught by the unit tests.
std::vector<Migration> migrations() {
  std::vector<Migration> out;
  for (const auto& file : schema_files()) {
    int version = 0;
    std::from_chars(file.name.data(), file.name.data() + file.name.size(), version);
    out.push_back({version, file.name, file.content});
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i].version != static_cast<int>(i) + 1) {
      throw make_error(ExitCode::software, "schema migration {} is out of sequence", out[i].name);
    }
  }
  return out;
}

// Per-connection settings: every connection, every time.
void configure(SQLite::Database& db) {
  text::register_collation(db.getHandle());
  db.exec("PRAGMA foreign_keys = ON");
  db.exec("PRAGMA secure_delete = ON");
  const std::string mode = db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (mode != "wal" && mode != "memory") {
    throw make_error(ExitCode::io, "cannot switch the register to WAL journaling (got {})", mode);
  }
  db.exec("PRAGMA synchronous = FULL");
}

int user_version(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

// Applies the migrations newer than the file's version, all in the caller's transaction.
void migrate(WriteTransaction& tx) {
  const int from = user_version(tx.sql());
  int to = from;
  for (const auto& m : migrations()) {
    if (m.version > from) {
      tx.sql().exec(std::string(m.sql));
      to = m.version;
    }
  }
  if (to != from) {
    tx.sql().exec(fmt::format("PRAGMA user_version = {}", to));
  }
}

// Creates `path` exclusively with mode 0600, so that no other process can slip a file in
// between the check and the creation.
void create_private_file(const fs::path& path, std::string_view what, bool shared_group = false) {
  const int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC,
                        shared_group ? 0660 : 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      throw make_error(ExitCode::cant_create, "{} {} already exists; lbib never overwrites it",
                       what, path.string());
    }
    throw make_error(ExitCode::cant_create, "cannot create {} {}: {}", what, path.string(),
                     std::strerror(errno));
  }
  ::close(fd);
}

void remove_database_files(const fs::path& path) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(fs::path(path.string() + suffix), ec);
  }
}

// Refuses a path that is missing, not a regular file, a symbolic link, or open to other users.
void check_file(const fs::path& path, bool shared_group) {
  struct stat st {};
  if (::lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      throw make_error(ExitCode::no_input,
                       "no register at {}; create one with 'lbib init' or name another with --db",
                       path.string());
    }
    throw make_error(ExitCode::io, "cannot read {}: {}", path.string(), std::strerror(errno));
  }
  if (S_ISLNK(st.st_mode)) {
    throw make_error(ExitCode::no_perm,
                     "{} is a symbolic link; lbib opens a register only by its real path",
                     path.string());
  }
  if (!S_ISREG(st.st_mode)) {
    throw make_error(ExitCode::data, "{} is not a regular file", path.string());
  }
  const ::mode_t forbidden = shared_group ? 0007 : 0077;
  if ((st.st_mode & forbidden) != 0) {
    throw make_error(ExitCode::no_perm,
                     "{} can be read or written by other users (mode {:04o}); the register "
                     "holds personal data: run 'chmod {} {}'",
                     path.string(), st.st_mode & 07777, shared_group ? "660" : "600",
                     path.string());
  }
}

// The statements one connection has run, for OpenOptions::sql_log.
struct StatementLog {
  std::ofstream out;
  std::set<std::string, std::less<>> seen;
};

int trace_statement(unsigned type, void* context, void* statement, void* /*sql*/) {
  if (type == SQLITE_TRACE_STMT) {
    auto& log = *static_cast<StatementLog*>(context);
    // sqlite3_sql is the text as prepared: placeholders, never the values bound to them.
    const char* text = sqlite3_sql(static_cast<sqlite3_stmt*>(statement));
    if (text != nullptr && log.seen.insert(text).second) {
      // One line per statement: backslashes and line breaks escaped (\\, \n, \r).
      std::string line;
      for (const char* c = text; *c != '\0'; ++c) {
        switch (*c) {
          case '\\':
            line += "\\\\";
            break;
          case '\n':
            line += "\\n";
            break;
          case '\r':
            line += "\\r";
            break;
          default:
            line += *c;
        }
      }
      log.out << line << '\n' << std::flush;
    }
  }
  return 0;
}

}  // namespace

Database::Database(std::unique_ptr<SQLite::Database> db, fs::path path)
    : m_db(std::move(db)), m_path(std::move(path)) {}

void Database::log_statements(const fs::path& file) {
  auto log = std::make_shared<StatementLog>();
  log->out.open(file, std::ios::app);
  if (!log->out) {
    throw make_error(ExitCode::cant_create, "cannot open the SQL log {}", file.string());
  }
  sqlite3_trace_v2(m_db->getHandle(), SQLITE_TRACE_STMT, trace_statement, log.get());
  m_statement_log = std::move(log);
}

int latest_schema_version() {
  return static_cast<int>(migrations().size());
}

Database Database::create(const fs::path& path, const OpenOptions& options) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(path, ec))) {
    throw make_error(ExitCode::cant_create,
                     "{} already exists; 'lbib init' never overwrites a register", path.string());
  }
  deploy::refuse_network_filesystem(path);
  if (path.has_parent_path()) {
    fs::create_directories(path.parent_path(), ec);
    if (ec) {
      throw make_error(ExitCode::cant_create, "cannot create directory {}: {}",
                       path.parent_path().string(), ec.message());
    }
  }
  create_private_file(path, "register", options.shared_group);
  try {
    auto sql = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE,
                                                  static_cast<int>(options.busy_timeout.count()));
    configure(*sql);
    Database db(std::move(sql), path);
    WriteTransaction tx(db);
    tx.sql().exec(fmt::format("PRAGMA application_id = {}", application_id));
    migrate(tx);
    tx.commit();
    return db;
  } catch (...) {
    remove_database_files(path);
    throw;
  }
}

Database Database::open(const fs::path& path, const OpenOptions& options) {
  check_file(path, options.shared_group);
  deploy::refuse_network_filesystem(path);
  auto sql = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE,
                                                static_cast<int>(options.busy_timeout.count()));
  int app_id = 0;
  try {
    // Read before configure(): switching a foreign file to WAL would modify it.
    app_id = sql->execAndGet("PRAGMA application_id").getInt();
  } catch (const SQLite::Exception& e) {
    if (e.getErrorCode() == SQLITE_NOTADB || e.getErrorCode() == SQLITE_CORRUPT) {
      throw make_error(ExitCode::data, "{} is not an lbib register (not an SQLite database)",
                       path.string());
    }
    throw;
  }
  if (app_id != application_id) {
    throw make_error(ExitCode::data, "{} is not an lbib register (SQLite application_id {:#x})",
                     path.string(), static_cast<unsigned>(app_id));
  }
  const int version = user_version(*sql);
  const int latest = latest_schema_version();
  if (version > latest) {
    throw make_error(ExitCode::data,
                     "{} was written by a newer lbib (schema {}; this lbib knows up to {}); "
                     "upgrade lbib to use it",
                     path.string(), version, latest);
  }
  configure(*sql);
  Database db(std::move(sql), path);
  if (options.sql_log) {
    db.log_statements(*options.sql_log);
  }
  if (version < latest) {
    WriteTransaction tx(db);
    migrate(tx);
    tx.commit();
  }
  return db;
}

Database Database::in_memory() {
  auto sql = std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE);
  configure(*sql);
  Database db(std::move(sql), ":memory:");
  WriteTransaction tx(db);
  tx.sql().exec(fmt::format("PRAGMA application_id = {}", application_id));
  migrate(tx);
  tx.commit();
  return db;
}

int Database::schema_version() {
  return user_version(*m_db);
}

WriteTransaction::WriteTransaction(Database& db) : m_db(db) {
  m_db.sql().exec("BEGIN IMMEDIATE");
}

WriteTransaction::~WriteTransaction() {
  if (!m_done) {
    try {
      m_db.sql().exec("ROLLBACK");
    } catch (...) {
      // SQLite already rolled back (for example after SQLITE_FULL); nothing is left to undo.
    }
  }
}

void WriteTransaction::commit() {
  m_db.sql().exec("COMMIT");
  m_done = true;
}

std::vector<std::string> check_integrity(Database& db) {
  std::vector<std::string> problems;
  SQLite::Statement integrity(db.sql(), "PRAGMA integrity_check");
  while (integrity.executeStep()) {
    const std::string line = integrity.getColumn(0).getString();
    if (line != "ok") {
      problems.push_back(line);
    }
  }
  SQLite::Statement keys(db.sql(), "PRAGMA foreign_key_check");
  while (keys.executeStep()) {
    problems.push_back(fmt::format("table {} row {} refers to a missing row of {}",
                                   keys.getColumn(0).getString(), keys.getColumn(1).getInt64(),
                                   keys.getColumn(2).getString()));
  }
  return problems;
}

std::string register_id(Database& db) {
  SQLite::Statement q(db.sql(), "SELECT value FROM library_state WHERE key = 'register_id'");
  return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

std::optional<std::string> closing_since(Database& db) {
  SQLite::Statement q(db.sql(), "SELECT value FROM library_state WHERE key = 'closing_since'");
  if (q.executeStep()) {
    return q.getColumn(0).getString();
  }
  return std::nullopt;
}

void backup(Database& db, const fs::path& destination, bool shared_group) {
  create_private_file(destination, "backup", shared_group);
  try {
    SQLite::Database copy(destination.string(), SQLite::OPEN_READWRITE);
    SQLite::Backup job(copy, db.sql());
    job.executeStep(-1);
  } catch (...) {
    remove_database_files(destination);
    throw;
  }
}

}  // namespace lbib::db

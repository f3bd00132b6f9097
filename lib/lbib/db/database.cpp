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
#include <memory>
#include <new>
#include <set>

#include "lbib/deploy/filesystem.hpp"
#include "lbib/error.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/i18n.hpp"

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
    // A migration may edit a table's definition in place (writable_schema, as 0015 does): a new
    // schema cookie makes every connection, this one included, read the definitions again.
    const int cookie = tx.sql().execAndGet("PRAGMA schema_version").getInt();
    tx.sql().exec(fmt::format("PRAGMA schema_version = {}", cookie + 1));
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

// A connection is only ever used by the thread that opened it (lbib starts no threads), so it
// opens without SQLite's per-connection mutex: every sqlite3_column_* call would otherwise lock
// and unlock it (a twentieth of Table 1's CSV at 100k, docs/performance.md).
constexpr int one_thread = SQLITE_OPEN_NOMUTEX;

// Checks that `sql` is an lbib register this lbib can read; returns its schema version.
int checked_version(SQLite::Database& sql, const fs::path& path) {
  int app_id = 0;
  try {
    app_id = sql.execAndGet("PRAGMA application_id").getInt();
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
  const int version = user_version(sql);
  const int latest = latest_schema_version();
  if (version > latest) {
    throw make_error(ExitCode::data,
                     "{} was written by a newer lbib (schema {}; this lbib knows up to {}); "
                     "upgrade lbib to use it",
                     path.string(), version, latest);
  }
  return version;
}

// An absolute path as the path of an SQLite URI ('%', '?' and '#' escaped).
std::string uri_path(const fs::path& path) {
  std::string out;
  for (const char c : fs::absolute(path).string()) {
    if (c == '%' || c == '?' || c == '#') {
      out += fmt::format("%{:02X}", static_cast<unsigned char>(c));
    } else {
      out += c;
    }
  }
  return out;
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
    auto sql =
        std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | one_thread,
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
  auto sql = std::make_unique<SQLite::Database>(path.string(), SQLite::OPEN_READWRITE | one_thread,
                                                static_cast<int>(options.busy_timeout.count()));
  // Read before configure(): switching a foreign file to WAL would modify it.
  const int version = checked_version(*sql, path);
  configure(*sql);
  Database db(std::move(sql), path);
  if (options.sql_log) {
    db.log_statements(*options.sql_log);
  }
  if (version < latest_schema_version()) {
    WriteTransaction tx(db);
    migrate(tx);
    tx.commit();
  }
  return db;
}

bool Database::writable(const fs::path& path) {
  const fs::path dir = path.has_parent_path() ? path.parent_path() : fs::path(".");
  return ::access(path.c_str(), W_OK) == 0 && ::access(dir.c_str(), W_OK) == 0;
}

Database Database::open_read_only(const fs::path& path, const OpenOptions& options) {
  check_file(path, options.shared_group);
  const int timeout = static_cast<int>(options.busy_timeout.count());
  const auto open = [&](std::string_view query) {
    auto sql = std::make_unique<SQLite::Database>(
        fmt::format("file:{}?{}", uri_path(path), query),
        SQLite::OPEN_READONLY | SQLite::OPEN_URI | one_thread, timeout);
    return sql;
  };
  std::vector<std::string> notes;
  std::unique_ptr<SQLite::Database> sql;
  int version = 0;
  std::error_code ec;
  const auto wal = fs::file_size(path.string() + "-wal", ec);
  if (!ec && wal > 0) {
    // Committed changes may still be in the -wal file: read them if SQLite can without
    // writing (it needs the -shm file to be there).
    try {
      sql = open("mode=ro");
      version = checked_version(*sql, path);
      sql->execAndGet("SELECT count(*) FROM sqlite_schema");
    } catch (const SQLite::Exception&) {
      sql.reset();
      notes.push_back(
          i18n::tr("not read: the changes in the -wal file beside the register "
                   "(copy the register with its -wal file to writable storage to "
                   "read them)"));
    }
  }
  if (!sql) {
    sql = open("immutable=1");
    version = checked_version(*sql, path);
  }
  if (version < latest_schema_version()) {
    notes.push_back(i18n::tr_format(
        "not migrated: the register has schema {} and this lbib writes {} (read-only)", version,
        latest_schema_version()));
  }
  text::register_collation(sql->getHandle());
  Database db(std::move(sql), path);
  db.m_read_only = true;
  db.m_notes = std::move(notes);
  return db;
}

Database Database::in_memory() {
  auto sql = std::make_unique<SQLite::Database>(":memory:", SQLite::OPEN_READWRITE | one_thread);
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
  for (const auto& f : m_after_commit) {
    f();
  }
}

ReadTransaction::ReadTransaction(Database& db) : m_db(db) {
  m_db.sql().exec("BEGIN");
  // A deferred transaction takes its snapshot at its first read: take it now.
  m_db.sql().execAndGet("SELECT count(*) FROM sqlite_schema");
}

ReadTransaction::~ReadTransaction() {
  try {
    m_db.sql().exec("ROLLBACK");
  } catch (...) {
    // Nothing was written; a failed statement may have ended the transaction already.
  }
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

namespace lbib::db {

void backup(Database& db, std::ostream& out) {
  // An in-memory database of SQLite's memdb VFS, so its bytes can be read without a copy.
  SQLite::Database copy("file:lbib-backup?vfs=memdb",
                        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_URI);
  {
    SQLite::Backup job(copy, db.sql());
    job.executeStep(-1);
  }
  sqlite3_int64 size = 0;
  unsigned char* bytes =
      sqlite3_serialize(copy.getHandle(), "main", &size, SQLITE_SERIALIZE_NOCOPY);
  std::unique_ptr<unsigned char, decltype(&sqlite3_free)> owned(nullptr, sqlite3_free);
  if (bytes == nullptr) {
    bytes = sqlite3_serialize(copy.getHandle(), "main", &size, 0);
    owned.reset(bytes);
  }
  if (bytes == nullptr) {
    throw std::bad_alloc();
  }
  out.write(reinterpret_cast<const char*>(bytes), static_cast<std::streamsize>(size));
  out.flush();
  if (!out) {
    throw make_error(ExitCode::io, "cannot write the backup to the output");
  }
}

}  // namespace lbib::db

// SPDX-License-Identifier: MIT
#pragma once

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "lbib/embedded.hpp"

namespace lbib::db {

/// lbib's SQLite application_id ("LBIB"): marks a file as an lbib register.
inline constexpr int application_id = 0x4C424942;

/// How a database file is opened.
struct OpenOptions {
  std::chrono::milliseconds busy_timeout{5000};
  bool shared_group = false;  // the file's group may read and write it (0660); others never
  /// When set, the text of every distinct SQL statement this connection runs is appended to
  /// this file, one per line (placeholders only: bound values never appear). The query-plan
  /// test (tests/bench/test_query_plans.py) reads it through $LBIB_SQL_LOG.
  std::optional<std::filesystem::path> sql_log{};
};

/// An open lbib register. Every connection has foreign keys on, WAL journaling, synchronous=FULL
/// and secure_delete, and has been migrated to the schema this lbib knows.
class Database {
 public:
  /// Creates a new register at `path`; refuses (Error cant_create) when the file exists.
  /// Missing parent directories are created private to the user.
  static Database create(const std::filesystem::path& path, const OpenOptions& options);

  /// Opens an existing register, refusing unsafe permissions, symbolic links, files that are
  /// not lbib registers and registers written by a newer lbib; applies pending migrations.
  static Database open(const std::filesystem::path& path, const OpenOptions& options);

  /// Opens an existing register only to read it, for a register on read-only media: with
  /// SQLite's `mode=ro` when a -wal file holds changes (so they are read), else `immutable=1`
  /// (no -wal or -shm needed, nothing written). The same checks as open(), but no migration;
  /// notes() says what could not be done. Writing through it fails with SQLITE_READONLY.
  static Database open_read_only(const std::filesystem::path& path, const OpenOptions& options);

  /// True when `path` and its directory can be written (not read-only media or permissions),
  /// so open() can create the -wal and -shm files it needs.
  static bool writable(const std::filesystem::path& path);

  /// Opens a register held in memory (unit tests).
  static Database in_memory();

  /// The underlying SQLiteCpp connection.
  SQLite::Database& sql() { return *m_db; }

  /// The file this register lives in (":memory:" for in-memory ones).
  const std::filesystem::path& path() const { return m_path; }

  /// The schema version stored in the file (user_version).
  int schema_version();

  /// True when opened by open_read_only().
  bool read_only() const { return m_read_only; }

  /// What open_read_only() could not do, as sentences for the person at the keyboard.
  const std::vector<std::string>& notes() const { return m_notes; }

 private:
  Database(std::unique_ptr<SQLite::Database> db, std::filesystem::path path);

  /// Starts appending statements to `file` (OpenOptions::sql_log).
  void log_statements(const std::filesystem::path& file);

  std::shared_ptr<void> m_statement_log;  // outlives m_db, whose trace callback uses it
  std::unique_ptr<SQLite::Database> m_db;
  std::filesystem::path m_path;
  bool m_read_only = false;
  std::vector<std::string> m_notes;
};

/// The schema version this lbib writes: the number of the newest embedded migration.
int latest_schema_version();

/// A write transaction begun with BEGIN IMMEDIATE, so a second writer waits (or fails with
/// exit code 75) at the start, never half-way. It rolls back unless commit() was called.
/// Functions that write take a WriteTransaction& as proof that they run inside one.
class WriteTransaction {
 public:
  explicit WriteTransaction(Database& db);
  ~WriteTransaction();
  WriteTransaction(const WriteTransaction&) = delete;
  WriteTransaction& operator=(const WriteTransaction&) = delete;

  /// The connection the transaction runs on.
  SQLite::Database& sql() { return m_db.sql(); }
  Database& database() { return m_db; }

  /// Commits; after this the destructor does nothing.
  void commit();

  /// Runs `f` once the transaction has committed (never if it rolls back): for what was
  /// written outside the register in the meantime (the erasure ledger) to know it holds.
  void after_commit(std::function<void()> f) { m_after_commit.push_back(std::move(f)); }

 private:
  Database& m_db;
  bool m_done = false;
  std::vector<std::function<void()>> m_after_commit;
};

/// A read transaction: every statement run while it lives sees one state of the register, even
/// while another process writes (WAL keeps the snapshot). Reports, listings and composing a
/// mailing read through one, so their counts and rows agree with each other. It ends without
/// writing anything.
class ReadTransaction {
 public:
  explicit ReadTransaction(Database& db);
  ~ReadTransaction();
  ReadTransaction(const ReadTransaction&) = delete;
  ReadTransaction& operator=(const ReadTransaction&) = delete;

 private:
  Database& m_db;
};

/// Checks the database file's integrity and foreign keys; returns the problems found.
std::vector<std::string> check_integrity(Database& db);

/// Copies the open register to `destination` with SQLite's online backup API. The copy is
/// mode 0600 (0660 in shared-group mode); an existing destination is refused (Error cant_create).
void backup(Database& db, const std::filesystem::path& destination, bool shared_group = false);

/// Writes a copy of the open register to `out` (a backup to standard output, for encrypting
/// on the fly): SQLite's online backup API into memory, then the file's bytes. No copy is ever
/// written to a file; the register is held in memory once while it is written.
void backup(Database& db, std::ostream& out);

/// The day the library began closing (`lbib close start`), if it has. New recruitment and new
/// requests are refused from then on.
std::optional<std::string> closing_since(Database& db);

/// The register's identity: random, made when it was created, kept by backups and hand-overs
/// (so the erasure ledger beside it is not applied to another register at the same path).
std::string register_id(Database& db);

/// The embedded numbered migrations (defined in the generated embedded_schema.cpp).
std::span<const EmbeddedFile> schema_files();

}  // namespace lbib::db

// SPDX-License-Identifier: MIT
#include <SQLiteCpp/Statement.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>

#include "helpers.hpp"
#include "lbib/db/database.hpp"

namespace db = lbib::db;
namespace fs = std::filesystem;
using lbib::ExitCode;
using lbib::testing::TempDir;

TEST_CASE("an in-memory register has the current schema and lbib's application id") {
  auto d = db::Database::in_memory();
  CHECK(d.schema_version() == db::latest_schema_version());
  CHECK(d.sql().execAndGet("PRAGMA application_id").getInt() == db::application_id);
  CHECK(d.sql().execAndGet("PRAGMA foreign_keys").getInt() == 1);
  CHECK(d.sql().execAndGet("PRAGMA secure_delete").getInt() == 1);
}

TEST_CASE("the embedded migrations are numbered from 1 without gaps") {
  const auto files = db::schema_files();
  REQUIRE(!files.empty());
  CHECK(db::latest_schema_version() == static_cast<int>(files.size()));
  CHECK(files[0].name.substr(0, 5) == "0001_");
}

TEST_CASE("create makes a private WAL register and refuses to overwrite") {
  const ::mode_t old = ::umask(077);
  TempDir dir;
  const auto path = dir.path / "sub" / "reg.sqlite";
  {
    auto d = db::Database::create(path, {});
    CHECK(d.sql().execAndGet("PRAGMA journal_mode").getString() == "wal");
    CHECK(d.sql().execAndGet("PRAGMA synchronous").getInt() == 2);  // FULL
  }
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  CHECK_LBIB_ERROR(db::Database::create(path, {}), ExitCode::cant_create, "never overwrites");
  CHECK_NOTHROW(db::Database::open(path, {}));
  ::umask(old);
}

TEST_CASE("open refuses what is not a safe lbib register") {
  TempDir dir;
  SUBCASE("missing file") {
    CHECK_LBIB_ERROR(db::Database::open(dir.path / "none.sqlite", {}), ExitCode::no_input,
                     "lbib init");
  }
  SUBCASE("readable by others") {
    const auto path = dir.path / "reg.sqlite";
    db::Database::create(path, {});
    ::chmod(path.c_str(), 0644);
    CHECK_LBIB_ERROR(db::Database::open(path, {}), ExitCode::no_perm, "chmod 600");
  }
  SUBCASE("symbolic link") {
    const auto path = dir.path / "reg.sqlite";
    db::Database::create(path, {});
    fs::create_symlink(path, dir.path / "link.sqlite");
    CHECK_LBIB_ERROR(db::Database::open(dir.path / "link.sqlite", {}), ExitCode::no_perm,
                     "symbolic link");
  }
  SUBCASE("not an SQLite file") {
    const auto path = dir.path / "text.sqlite";
    std::ofstream(path) << std::string(4096, 'x');
    ::chmod(path.c_str(), 0600);
    CHECK_LBIB_ERROR(db::Database::open(path, {}), ExitCode::data, "not an lbib register");
  }
  SUBCASE("another application's SQLite file, left untouched") {
    const auto path = dir.path / "other.sqlite";
    {
      SQLite::Database other(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
      other.exec("CREATE TABLE t (x)");
    }
    ::chmod(path.c_str(), 0600);
    CHECK_LBIB_ERROR(db::Database::open(path, {}), ExitCode::data, "application_id");
    SQLite::Database other(path.string(), SQLite::OPEN_READONLY);
    CHECK(other.execAndGet("PRAGMA journal_mode").getString() == "delete");
  }
  SUBCASE("written by a newer lbib") {
    const auto path = dir.path / "reg.sqlite";
    {
      auto d = db::Database::create(path, {});
      d.sql().exec("PRAGMA user_version = 999");
    }
    CHECK_LBIB_ERROR(db::Database::open(path, {}), ExitCode::data, "newer lbib");
  }
}

TEST_CASE("an older register is migrated forward on open") {
  TempDir dir;
  const auto path = dir.path / "reg.sqlite";
  {
    auto d = db::Database::create(path, {});
    d.sql().exec("PRAGMA user_version = 0");
    // Drop every table so all migrations run again, as on a register from before them.
    d.sql().exec("PRAGMA foreign_keys = OFF");
    std::vector<std::string> tables;
    SQLite::Statement q(d.sql(),
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT LIKE 'sqlite_%'");
    while (q.executeStep()) {
      tables.push_back(q.getColumn(0).getString());
    }
    for (const auto& t : tables) {
      d.sql().exec("DROP TABLE " + t);
    }
  }
  auto d = db::Database::open(path, {});
  CHECK(d.schema_version() == db::latest_schema_version());
  CHECK(d.sql().tableExists("expert"));
}

TEST_CASE("a write transaction rolls back unless committed") {
  auto d = db::Database::in_memory();
  {
    db::WriteTransaction tx(d);
    tx.sql().exec("INSERT INTO audit (os_user, action, entity) VALUES ('u', 'a', 'e')");
  }
  CHECK(d.sql().execAndGet("SELECT count(*) FROM audit").getInt() == 0);
  {
    db::WriteTransaction tx(d);
    tx.sql().exec("INSERT INTO audit (os_user, action, entity) VALUES ('u', 'a', 'e')");
    tx.commit();
  }
  CHECK(d.sql().execAndGet("SELECT count(*) FROM audit").getInt() == 1);
}

TEST_CASE("check_integrity reports broken foreign keys") {
  auto d = db::Database::in_memory();
  CHECK(db::check_integrity(d).empty());
  d.sql().exec("PRAGMA foreign_keys = OFF");
  d.sql().exec(
      "INSERT INTO experience (expert_id, role, area, magnitude) VALUES (42, 'patient', 'x', "
      "'major')");
  const auto problems = db::check_integrity(d);
  REQUIRE(problems.size() == 1);
  CHECK(problems[0].find("experience") != std::string::npos);
}

TEST_CASE("backup copies the register and never overwrites") {
  const ::mode_t old = ::umask(077);
  TempDir dir;
  auto d = db::Database::create(dir.path / "reg.sqlite", {});
  d.sql().exec("INSERT INTO audit (os_user, action, entity) VALUES ('u', 'a', 'e')");
  db::backup(d, dir.path / "copy.sqlite");
  struct stat st {};
  REQUIRE(::stat((dir.path / "copy.sqlite").c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);
  auto copy = db::Database::open(dir.path / "copy.sqlite", {});
  CHECK(copy.sql().execAndGet("SELECT count(*) FROM audit").getInt() == 1);
  CHECK_LBIB_ERROR(db::backup(d, dir.path / "copy.sqlite"), ExitCode::cant_create,
                   "already exists");
  ::umask(old);
}

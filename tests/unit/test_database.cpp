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
    // Drop every view and table so all migrations run again, as on a register from before them.
    d.sql().exec("PRAGMA foreign_keys = OFF");
    std::vector<std::string> drops;
    SQLite::Statement q(d.sql(),
                        "SELECT 'DROP ' || upper(type) || ' ' || name FROM sqlite_master "
                        "WHERE type IN ('view', 'table') AND name NOT LIKE 'sqlite_%' "
                        "ORDER BY type = 'table'");
    while (q.executeStep()) {
      drops.push_back(q.getColumn(0).getString());
    }
    for (const auto& drop : drops) {
      d.sql().exec(drop);
    }
  }
  auto d = db::Database::open(path, {});
  CHECK(d.schema_version() == db::latest_schema_version());
  CHECK(d.sql().tableExists("expert"));
}

TEST_CASE("rows written under schema 7 survive every later migration") {
  // A register as lbib 0.x with schema 7 wrote it: the migrations run one by one as raw SQL,
  // rows go in with that version's columns, and the current lbib opens it.
  TempDir dir;
  const auto path = dir.path / "old.sqlite";
  {
    SQLite::Database raw(path.string(), SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    raw.exec("PRAGMA journal_mode = WAL");
    raw.exec("PRAGMA application_id = 1279412546");  // 0x4C424942, "LBIB"
    for (const auto& file : db::schema_files().first(7)) {
      raw.exec(std::string(file.content));
    }
    raw.exec("PRAGMA user_version = 7");
    raw.exec(R"sql(
      INSERT INTO audit (id, at, os_user, action, entity, entity_id)
        VALUES (1, '2019-03-01T09:00:00Z', 'kp', 'recruit', 'expert', 1);
      INSERT INTO expert (id, name, email, phone, municipality, birth_year, channel,
                          interviewed_on, notes, status)
        VALUES (1, 'Testa Person', 'testa@example.se', '070-000 00 00', 'Eskilstuna', 1960,
                'website', '2019-03-01', 'Invented for a test', 'paused'),
               (2, 'Annan Person', 'annan@example.se', NULL, NULL, NULL, 'outreach',
                '2020-05-04', NULL, 'active');
      INSERT INTO experience (expert_id, role, area, year, magnitude)
        VALUES (1, 'relative', 'dementia', 2015, 'major');
      INSERT INTO consent (expert_id, purpose, given_on, text_version, recorded_by)
        VALUES (1, 'register', '2019-03-01', '2019-1', 'kp'),
               (2, 'register', '2020-05-04', '2019-1', 'kp');
      INSERT INTO borrower (id, organisation, contact_name, contact_email)
        VALUES (1, 'Vårdcentralen Test', 'Kontakt Test', 'kontakt@example.se'),
               (2, 'Socialtjänsten Test', 'Raderad', 'raderad@invalid');
      INSERT INTO request (id, borrower_id, received_on, purpose)
        VALUES (1, 1, '2019-04-01', 'Ett invented purpose');
      INSERT INTO library_state (key, value) VALUES ('closing_since', '2022-06-30');
    )sql");
  }
  fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
  auto d = db::Database::open(path, {});
  CHECK(d.schema_version() == db::latest_schema_version());
  CHECK(db::check_integrity(d).empty());
  auto& sql = d.sql();
  CHECK(sql.execAndGet("SELECT name || '|' || email || '|' || phone || '|' || notes FROM expert "
                       "WHERE id = 1")
            .getString() == "Testa Person|testa@example.se|070-000 00 00|Invented for a test");
  CHECK(sql.execAndGet("SELECT count(*) FROM experience WHERE expert_id = 1").getInt() == 1);
  CHECK(sql.execAndGet("SELECT count(*) FROM consent").getInt() == 2);
  // Columns added later: the consent's method defaults to oral; a paused expert gets the day
  // of the migration as its pause (migration 10), an active one none.
  CHECK(sql.execAndGet("SELECT group_concat(DISTINCT method) FROM consent").getString() == "oral");
  CHECK(!sql.execAndGet("SELECT paused_on FROM expert WHERE id = 1").isNull());
  CHECK(sql.execAndGet("SELECT paused_on FROM expert WHERE id = 2").isNull());
  // The closing placeholder address became borrower.erased_on; the other borrower is kept.
  CHECK(!sql.execAndGet("SELECT erased_on FROM borrower WHERE id = 2").isNull());
  CHECK(sql.execAndGet("SELECT erased_on FROM borrower WHERE id = 1").isNull());
  CHECK(sql.execAndGet("SELECT purpose FROM request WHERE id = 1").getString() ==
        "Ett invented purpose");
  // library_state was rebuilt (migration 10): the closing state survives, and the identity
  // comes from the first audit entry, so a backup migrated later gets the same one.
  CHECK(db::closing_since(d) == std::optional<std::string>("2022-06-30"));
  CHECK(db::register_id(d) == "legacy-1-2019-03-01T09:00:00Z");
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

TEST_CASE("a read transaction sees one state of the register while another connection writes") {
  TempDir dir;
  const auto path = dir.path / "reg.sqlite";
  auto reader = db::Database::create(path, {});
  auto writer = db::Database::open(path, {});
  const auto count = [&reader] {
    return reader.sql().execAndGet("SELECT count(*) FROM borrower").getInt64();
  };
  const auto add_borrower = [&writer] {
    db::WriteTransaction tx(writer);
    tx.sql().exec(
        "INSERT INTO borrower (organisation, contact_name, contact_email) "
        "VALUES ('Region Exempel', 'Kim', 'kim@example.se')");
    tx.commit();
  };
  {
    const db::ReadTransaction snapshot(reader);
    add_borrower();
    CHECK(count() == 0);  // the snapshot taken when the transaction began
  }
  CHECK(count() == 1);  // a new read sees the write
  add_borrower();
  CHECK(count() == 2);
}

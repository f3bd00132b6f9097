// SPDX-License-Identifier: MIT
#include "lbib/audit/audit.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>
#include <pwd.h>
#include <unistd.h>

#include <algorithm>

namespace lbib::audit {

std::string Actor::display() const {
  return as_name ? fmt::format("{} ({})", os_user, *as_name) : os_user;
}

Actor current_actor(std::optional<std::string> as_name) {
  const uid_t uid = ::getuid();
  std::string name = fmt::format("uid {}", uid);
  // getpwuid_r: the passwd database may lack the user (containers); fall back to the number.
  struct passwd pw {};
  struct passwd* result = nullptr;
  std::vector<char> buffer(16384);
  if (::getpwuid_r(uid, &pw, buffer.data(), buffer.size(), &result) == 0 && result != nullptr) {
    name = result->pw_name;
  }
  return Actor{std::move(name), std::move(as_name)};
}

void record(db::WriteTransaction& tx, const Actor& actor, std::string_view action,
            std::string_view entity, std::optional<std::int64_t> entity_id,
            std::optional<std::string> detail) {
  SQLite::Statement insert(
      tx.sql(),
      "INSERT INTO audit (os_user, as_name, action, entity, entity_id, detail) "
      "VALUES (?, ?, ?, ?, ?, ?)");
  insert.bind(1, actor.os_user);
  if (actor.as_name) {
    insert.bind(2, *actor.as_name);
  }
  insert.bind(3, std::string(action));
  insert.bind(4, std::string(entity));
  if (entity_id) {
    insert.bind(5, *entity_id);
  }
  if (detail) {
    insert.bind(6, *detail);
  }
  insert.exec();
}

std::vector<Entry> list(db::Database& db, const Filter& filter) {
  SQLite::Statement query(db.sql(),
                          "SELECT id, at, os_user, as_name, action, entity, entity_id, detail "
                          "FROM audit "
                          "WHERE (?1 IS NULL OR entity = ?1) AND (?2 IS NULL OR entity_id = ?2) "
                          "ORDER BY id DESC LIMIT ?3");
  if (filter.entity) {
    query.bind(1, *filter.entity);
  }
  if (filter.entity_id) {
    query.bind(2, *filter.entity_id);
  }
  query.bind(3, filter.limit.value_or(-1));
  std::vector<Entry> entries;
  while (query.executeStep()) {
    Entry e;
    e.id = query.getColumn(0).getInt64();
    e.at = query.getColumn(1).getString();
    e.os_user = query.getColumn(2).getString();
    if (!query.getColumn(3).isNull()) {
      e.as_name = query.getColumn(3).getString();
    }
    e.action = query.getColumn(4).getString();
    e.entity = query.getColumn(5).getString();
    if (!query.getColumn(6).isNull()) {
      e.entity_id = query.getColumn(6).getInt64();
    }
    if (!query.getColumn(7).isNull()) {
      e.detail = query.getColumn(7).getString();
    }
    entries.push_back(std::move(e));
  }
  // Newest `limit` entries were selected; show them oldest first.
  std::reverse(entries.begin(), entries.end());
  return entries;
}

}  // namespace lbib::audit

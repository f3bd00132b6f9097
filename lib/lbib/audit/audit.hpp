// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lbib/db/database.hpp"

namespace lbib::audit {

/// Who runs a command: the operating-system user (from getuid) and, when given with --as, the
/// name of the contact person at the keyboard.
struct Actor {
  std::string os_user;
  std::optional<std::string> as_name;

  /// "os_user" or "os_user (as_name)", as recorded beside consents.
  std::string display() const;
};

/// The actor for this process: the OS user from getuid and an optional --as name.
Actor current_actor(std::optional<std::string> as_name);

/// One audit entry. It names the entity by id and never holds personal values.
struct Entry {
  std::int64_t id = 0;
  std::string at;
  std::string os_user;
  std::optional<std::string> as_name;
  std::string action;
  std::string entity;
  std::optional<std::int64_t> entity_id;
  std::optional<std::string> detail;
};

/// Appends an entry inside the caller's write transaction. `detail` may name fields that
/// changed but must not contain their values.
void record(db::WriteTransaction& tx, const Actor& actor, std::string_view action,
            std::string_view entity, std::optional<std::int64_t> entity_id,
            std::optional<std::string> detail = std::nullopt);

/// Which entries to list.
struct Filter {
  std::optional<std::string> entity;
  std::optional<std::int64_t> entity_id;
  std::optional<std::int64_t> limit;
};

/// Entries matching `filter`, oldest first.
std::vector<Entry> list(db::Database& db, const Filter& filter);

}  // namespace lbib::audit

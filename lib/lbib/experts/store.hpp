// SPDX-License-Identifier: MIT
#pragma once

// The SQL of the expert aggregate, all in one place. Callers validate first; these functions
// only read and write rows, with bound parameters.

#include "lbib/experts/experts.hpp"

namespace lbib::experts::store {

/// Inserts an expert with their identity keys (refresh_identity_keys); returns the new id.
std::int64_t insert_expert(db::WriteTransaction& tx, const Profile& profile);
/// Writes an expert's profile and their identity keys (refresh_identity_keys).
void update_profile(db::WriteTransaction& tx, std::int64_t id, const Profile& profile);
/// Sets the identity keys find_duplicate looks up (migration 24: name_folded and email_folded
/// by text::fold_identity, phone_digits by text::phone_digits) from the name, e-mail and phone
/// of expert `id`, or of every expert when `id` is empty; an erased stub gets none. Every write
/// of an expert's name, e-mail or phone calls this (or, for the erased stub, clears them).
/// The same for their mention keys (migration 25, privacy::refresh_mention_keys).
void refresh_identity_keys(db::WriteTransaction& tx, std::optional<std::int64_t> id);
/// Adds an experience, or replaces the year and magnitude of the same role and area.
void put_experience(db::WriteTransaction& tx, std::int64_t id, const Experience& experience);
/// Removes an experience; false when the expert had none with that role and area.
bool delete_experience(db::WriteTransaction& tx, std::int64_t id, std::string_view role,
                       std::string_view area);
void insert_consent(db::WriteTransaction& tx, std::int64_t id, const Consent& consent);
/// Dates the withdrawal of the consent in force for `purpose`; false when none was in force.
bool withdraw_consent(db::WriteTransaction& tx, std::int64_t id, Purpose purpose, text::Date date);
void set_status(db::WriteTransaction& tx, std::int64_t id, Status status,
                std::optional<text::Date> left_on);
std::optional<Expert> find(db::Database& db, std::int64_t id);
/// The identity keys of a person as refresh_identity_keys stores them; empty ones match nobody.
struct IdentityKeys {
  std::string name;   // text::fold_identity
  std::string email;  // text::fold_identity
  std::string phone;  // text::phone_digits
  std::optional<int> birth_year;
};
/// The lowest id of an expert not erased, other than `except`, with the same e-mail, the same
/// phone, or the same name and birth year as `keys` (by index: no expert is read whole).
std::optional<std::int64_t> same_identity(db::Database& db, const IdentityKeys& keys,
                                          std::optional<std::int64_t> except);
std::vector<Expert> select(db::Database& db, const Filter& filter);
/// The rows of `lbib expert list`, one statement, each expert given to `visit` as it is read.
void each_listed(db::Database& db, const Filter& filter,
                 const std::function<void(const Listed&)>& visit);

}  // namespace lbib::experts::store

// SPDX-License-Identifier: MIT
#pragma once

// The SQL of the expert aggregate, all in one place. Callers validate first; these functions
// only read and write rows, with bound parameters.

#include "lbib/experts/experts.hpp"

namespace lbib::experts::store {

std::int64_t insert_expert(db::WriteTransaction& tx, const Profile& profile);
void update_profile(db::WriteTransaction& tx, std::int64_t id, const Profile& profile);
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
/// Profiles (id, name, e-mail, phone, birth year) of every expert not erased, by id.
std::vector<std::pair<std::int64_t, Profile>> identities(db::Database& db);
std::vector<Expert> select(db::Database& db, const Filter& filter);
/// The rows of `lbib expert list`, one statement, each expert given to `visit` as it is read.
void each_listed(db::Database& db, const Filter& filter,
                 const std::function<void(const Listed&)>& visit);

}  // namespace lbib::experts::store

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string_view>

#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"

/// The rules an imported register must follow: the same rules the commands that create each
/// row follow, applied to rows that arrive in a hand-over file instead of on the command line.
namespace lbib::privacy {

/// The highest id counter (sqlite_sequence) an import accepts: 2^53, the largest whole number
/// every JSON reader keeps exactly, and far below SQLite's 2^63 - 1 so later recruitments
/// never run out of ids.
inline constexpr std::int64_t max_id_counter = std::int64_t{1} << 53;

/// Checks one row of `table` as the command that writes it would: the text rules (valid
/// UTF-8, no control characters, line breaks only in the fields that allow them), the
/// configured vocabularies (areas, roles, channels, forms, follow-up questions), each
/// aggregate's own validator (experts::validate, lending::validate, outreach::validate, ...),
/// consent texts against their SHA-256, payment amounts, and erased experts' stubs empty of
/// personal data. Throws Error(data) naming the table, the row's id and the field.
void check_row(std::string_view table, const nlohmann::json& row, const config::Config& config);

/// Checks what spans rows once every row is in `db`: every expert not erased holds a register
/// consent in force, every consent refers to a recorded consent text, erased experts keep no
/// experiences, consents or descriptions, and every id counter is at most max_id_counter.
/// Throws Error(data).
void check_register(db::Database& db);

}  // namespace lbib::privacy

// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <istream>
#include <nlohmann/json.hpp>
#include <ostream>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"

/// Handing the whole register to a new owner (the final report's lesson: the library closed
/// because nobody took it over).
namespace lbib::privacy {

/// The tables a hand-over carries, derived from the register's schema: every table but
/// SQLite's own and those in tables_not_handed_over(), parents before children.
std::vector<std::string> handover_tables(SQLite::Database& db);

/// Tables deliberately left out of a hand-over, each with the reason (empty today). A new
/// table is handed over unless it is listed here.
std::span<const std::pair<std::string_view, std::string_view>> tables_not_handed_over();

/// Writes the whole register to `out` as versioned JSON, one row at a time: every table's
/// rows, the id counters (so ids are never reused after an import) and the schema version.
void write_all(db::Database& db, std::ostream& out);

/// The same document, parsed (tests and fuzzing compare with it).
nlohmann::ordered_json export_all(db::Database& db);

/// Creates a new register at `target` from an export read from `in` (write_all's format).
/// The text is read as a stream, one row at a time, so memory does not grow with the file.
/// Every row is checked by the rules of the command that writes it (import_rules.hpp), then
/// the whole register (constraints, foreign keys, consents, stubs, id counters). The register
/// is built under a hidden temporary name beside `target` and renamed into place only when
/// complete: on any error, or if the process is killed, no file named `target` appears, and a
/// later import removes what a killed one left. Returns the number of rows imported.
std::size_t import_all(const std::filesystem::path& target, std::istream& in,
                       const config::Config& config, const db::OpenOptions& options,
                       const audit::Actor& actor);

/// The same, from a parsed document (tests and fuzzing).
std::size_t import_all(const std::filesystem::path& target, const nlohmann::json& document,
                       const config::Config& config, const db::OpenOptions& options,
                       const audit::Actor& actor);

}  // namespace lbib::privacy

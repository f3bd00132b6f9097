// SPDX-License-Identifier: MIT
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"

/// Handing the whole register to a new owner (the final report's lesson: the library closed
/// because nobody took it over).
namespace lbib::privacy {

/// Writes the whole register to `out` as versioned JSON, one row at a time: every table's
/// rows, the id counters (so ids are never reused after an import) and the schema version.
void write_all(db::Database& db, std::ostream& out);

/// The same document, parsed (tests and fuzzing compare with it).
nlohmann::ordered_json export_all(db::Database& db);

/// Creates a new register at `path` from an export_all() document. Validates everything —
/// format, version, schema, every table and column, every expert's and borrower's fields,
/// the constraints and foreign keys — and is all-or-nothing: on any error no file remains.
/// Returns the number of rows imported.
std::size_t import_all(const std::filesystem::path& path, const nlohmann::json& document,
                       const config::Config& config, const db::OpenOptions& options,
                       const audit::Actor& actor);

}  // namespace lbib::privacy

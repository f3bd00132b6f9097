// SPDX-License-Identifier: MIT
// Fuzzes `lbib import` (the hand-over to a new owner) with arbitrary documents. An import is
// all or nothing: refused with one lbib::Error and no file left behind, or a new register that
// passes `lbib check` and exports the same rows it was given.
#include <unistd.h>

#include <cstdint>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "fuzz_common.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/error.hpp"
#include "lbib/privacy/handover.hpp"

namespace fs = std::filesystem;

namespace {

/// True when some row of `rows` has every column of `row` with the same value (columns the
/// document leaves out take their defaults).
bool contains_row(const nlohmann::json& rows, const nlohmann::json& row) {
  for (const auto& candidate : rows) {
    bool same = true;
    for (const auto& [column, value] : row.items()) {
      same = same && candidate.contains(column) && candidate[column] == value;
    }
    if (same) {
      return true;
    }
  }
  return false;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  static const lbib::config::Config config = lbib::config::defaults();
  static const fs::path dir = [] {
    const fs::path d = fs::temp_directory_path() / ("lbib-fuzz-import." + std::to_string(getpid()));
    fs::create_directories(d);
    return d;
  }();
  const fs::path path = dir / "register.db";
  nlohmann::json document =
      nlohmann::json::parse(bytes, bytes + size, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    return 0;  // `lbib import` refuses text that is not JSON before it gets here
  }
  // Seeds exported before a later migration stay useful: an older schema number (7 and up)
  // is read as the current one. Refusing other schemas is tested in test_handover.py.
  if (document.is_object() && document.contains("schema") &&
      document["schema"].is_number_integer() && document["schema"].get<std::int64_t>() >= 7 &&
      document["schema"].get<std::int64_t>() < lbib::db::latest_schema_version()) {
    document["schema"] = lbib::db::latest_schema_version();
  }
  const lbib::db::OpenOptions options;
  const lbib::audit::Actor actor{"fuzz", std::nullopt};
  try {
    lbib::privacy::import_all(path, document, config, options, actor);
  } catch (const lbib::Error& e) {
    lbib::fuzz::check(fs::is_empty(dir), "a refused import left a file (or a temporary one)");
    lbib::fuzz::check(lbib::fuzz::single_line(e.what()), "an import error of several lines",
                      e.what());
    return 0;
  }
  {
    auto db = lbib::db::Database::open(path, options);
    lbib::fuzz::check(lbib::db::check_integrity(db).empty(), "an imported register fails check");
    const auto again = nlohmann::json::parse(lbib::privacy::export_all(db).dump());
    for (const auto& [table, got] : again["tables"].items()) {
      const auto given = document["tables"].value(table, nlohmann::json::array());
      // The import adds its own audit entry after the rows it was given, and the register's
      // identity when the document does not carry one.
      bool has_identity = false;
      for (const auto& row : given) {
        has_identity = has_identity || (row.is_object() && row.value("key", "") == "register_id");
      }
      const std::size_t extra =
          table == "audit" ? 1 : (table == "library_state" && !has_identity ? 1 : 0);
      lbib::fuzz::check(got.size() == given.size() + extra, "the import changed a row count");
      for (const auto& row : given) {
        lbib::fuzz::check(contains_row(got, row), "the import changed a row");
      }
    }
  }
  for (const char* suffix : {"", "-wal", "-shm"}) {
    fs::remove(path.string() + suffix);
  }
  return 0;
}

// SPDX-License-Identifier: MIT
#include "lbib/privacy/handover.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <array>
#include <set>
#include <sstream>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::privacy {
namespace {

constexpr std::string_view export_format = "lbib-register";
constexpr int export_version = 1;

// Every table, parents before children, so rows can be inserted in this order.
constexpr std::array tables{
    "consent_text",    "expert",          "experience",         "consent",       "audit",
    "borrower",        "request",         "request_experience", "request_event", "pre_meeting",
    "request_pick",    "dispatch",        "invitation",         "loan",          "loan_participant",
    "followup",        "followup_answer", "summary_recipient",  "payment",       "outreach",
    "subject_request", "catalogue_entry", "library_state",      "notice",        "survey_response"};

std::vector<std::string> columns_of(SQLite::Database& db, const std::string& table) {
  std::vector<std::string> columns;
  SQLite::Statement q(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  while (q.executeStep()) {
    columns.push_back(q.getColumn(0).getString());
  }
  return columns;
}

nlohmann::ordered_json value_of(const SQLite::Column& c) {
  if (c.isNull()) {
    return nullptr;
  }
  if (c.isInteger()) {
    return c.getInt64();
  }
  if (c.isFloat()) {
    return c.getDouble();
  }
  return c.getString();
}

void bind_json(SQLite::Statement& s, int index, const nlohmann::json& v, const std::string& where) {
  if (v.is_null()) {
    s.bind(index);
  } else if (v.is_number_integer()) {
    s.bind(index, v.get<std::int64_t>());
  } else if (v.is_number_float()) {
    s.bind(index, v.get<double>());
  } else if (v.is_string()) {
    s.bind(index, v.get<std::string>());
  } else {
    throw make_error(ExitCode::data, "import: {} holds a value that is not text, a number or null",
                     where);
  }
}

// The fields lbib checks on input, checked again on import.
void validate_rows(db::Database& db, const config::Config& config) {
  for (const auto& e : experts::list(db, {})) {
    if (e.erased_on) {
      continue;  // an anonymous stub
    }
    try {
      experts::validate(e.profile, config);
    } catch (const Error& err) {
      throw make_error(ExitCode::data, "import: expert {}: {}", e.id, err.what());
    }
  }
  for (const auto& b : lending::list_borrowers(db)) {
    try {
      lending::validate(b);
    } catch (const Error& err) {
      throw make_error(ExitCode::data, "import: borrower {}: {}", b.id, err.what());
    }
  }
}

/// A top-level text field of an export, or "" when it is missing or not text.
std::string text_field(const nlohmann::json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
}

/// A top-level whole-number field of an export, or 0 when it is missing or not a number.
std::int64_t int_field(const nlohmann::json& doc, const char* key) {
  const auto it = doc.find(key);
  return it != doc.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

}  // namespace

void write_all(db::Database& db, std::ostream& out) {
  // Streamed: one row at a time, so a national register is never held in memory.
  const auto quoted = [](std::string_view s) { return nlohmann::json(s).dump(); };
  out << "{\n \"format\": " << quoted(export_format) << ",\n \"version\": " << export_version
      << ",\n \"schema\": " << db.schema_version() << ",\n \"tables\": {";
  bool first_table = true;
  for (const std::string table : tables) {
    out << (first_table ? "\n  " : ",\n  ") << quoted(table) << ": [";
    first_table = false;
    SQLite::Statement q(db.sql(), fmt::format("SELECT * FROM \"{}\" ORDER BY rowid", table));
    bool first_row = true;
    while (q.executeStep()) {
      nlohmann::ordered_json row = nlohmann::ordered_json::object();
      for (int i = 0; i < q.getColumnCount(); ++i) {
        row[q.getColumnName(i)] = value_of(q.getColumn(i));
      }
      out << (first_row ? "\n   " : ",\n   ") << row.dump();
      first_row = false;
    }
    out << (first_row ? "]" : "\n  ]");
  }
  out << "\n },\n \"id_counters\": {";
  SQLite::Statement seq(db.sql(), "SELECT name, seq FROM sqlite_sequence ORDER BY name");
  bool first = true;
  while (seq.executeStep()) {
    out << (first ? "\n  " : ",\n  ") << quoted(seq.getColumn(0).getString()) << ": "
        << seq.getColumn(1).getInt64();
    first = false;
  }
  out << (first ? "}" : "\n }") << "\n}\n";
}

nlohmann::ordered_json export_all(db::Database& db) {
  std::ostringstream text;
  write_all(db, text);
  return nlohmann::ordered_json::parse(text.str());
}

std::size_t import_all(const std::filesystem::path& path, const nlohmann::json& doc,
                       const config::Config& config, const db::OpenOptions& options,
                       const audit::Actor& actor) {
  if (!doc.is_object() || text_field(doc, "format") != export_format) {
    throw make_error(ExitCode::data, "import: not an lbib register export (format {})",
                     export_format);
  }
  if (int_field(doc, "version") != export_version) {
    throw make_error(ExitCode::data,
                     "import: export version {} is not supported; this lbib reads version {}",
                     int_field(doc, "version"), export_version);
  }
  if (int_field(doc, "schema") != db::latest_schema_version()) {
    throw make_error(
        ExitCode::data,
        "import: the export has schema {}, this lbib schema {}; import it with the lbib "
        "that exported it, then upgrade",
        int_field(doc, "schema"), db::latest_schema_version());
  }
  if (!doc.contains("tables") || !doc["tables"].is_object()) {
    throw make_error(ExitCode::data, "import: the export has no tables");
  }
  for (const auto& [name, rows] : doc["tables"].items()) {
    if (std::find(tables.begin(), tables.end(), name) == tables.end()) {
      throw make_error(ExitCode::data, "import: unknown table '{}'",
                       text::printable(name.substr(0, 40)));
    }
    if (!rows.is_array()) {
      throw make_error(ExitCode::data, "import: table {} is not a list of rows", name);
    }
  }
  auto db = db::Database::create(path, options);
  try {
    std::size_t count = 0;
    {
      db::WriteTransaction tx(db);
      // The export holds a complete register, the new one's own first audit entry included.
      tx.sql().exec("DELETE FROM audit");
      // The register's identity and state travel with it (the erasure ledger names the id).
      if (doc["tables"].contains("library_state")) {
        tx.sql().exec("DELETE FROM library_state");
      }
      for (const std::string table : tables) {
        if (!doc["tables"].contains(table)) {
          continue;
        }
        const auto columns = columns_of(tx.sql(), table);
        const std::set<std::string> known(columns.begin(), columns.end());
        for (const auto& row : doc["tables"][table]) {
          if (!row.is_object()) {
            throw make_error(ExitCode::data, "import: a row of {} is not an object", table);
          }
          std::vector<std::string> names;
          for (const auto& [column, value] : row.items()) {
            if (known.count(column) == 0) {
              throw make_error(ExitCode::data, "import: table {} has no column '{}'", table,
                               text::printable(column.substr(0, 40)));
            }
            names.push_back("\"" + column + "\"");
          }
          std::vector<std::string> marks(names.size(), "?");
          SQLite::Statement ins(tx.sql(),
                                fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", table,
                                            fmt::join(names, ", "), fmt::join(marks, ", ")));
          int i = 1;
          for (const auto& [column, value] : row.items()) {
            bind_json(ins, i++, value, table + "." + column);
          }
          try {
            ins.exec();
          } catch (const SQLite::Exception& e) {
            throw make_error(ExitCode::data, "import: a row of {} is refused: {}", table,
                             e.getErrorStr());
          }
          ++count;
        }
      }
      if (doc.contains("id_counters") && doc["id_counters"].is_object()) {
        for (const auto& [name, value] : doc["id_counters"].items()) {
          if (!value.is_number_integer() ||
              std::find(tables.begin(), tables.end(), name) == tables.end()) {
            throw make_error(ExitCode::data, "import: bad id counter '{}'",
                             text::printable(name.substr(0, 40)));
          }
          SQLite::Statement seq(tx.sql(),
                                "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1");
          seq.bind(1, name);
          seq.bind(2, value.get<std::int64_t>());
          if (seq.exec() == 0) {
            SQLite::Statement ins(tx.sql(),
                                  "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)");
            ins.bind(1, name);
            ins.bind(2, value.get<std::int64_t>());
            ins.exec();
          }
        }
      }
      const auto problems = db::check_integrity(db);
      if (!problems.empty()) {
        throw make_error(ExitCode::data, "import: the data does not hold together: {}",
                         problems.front());
      }
      validate_rows(db, config);
      audit::record(tx, actor, "import", "register", std::nullopt, fmt::format("{} rows", count));
      tx.commit();
    }
    return count;
  } catch (...) {
    const auto file = db.path();
    { auto closing = std::move(db); }
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
      std::filesystem::remove(file.string() + suffix, ec);
    }
    throw;
  }
}

}  // namespace lbib::privacy

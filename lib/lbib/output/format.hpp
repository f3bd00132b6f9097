// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <iosfwd>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

/// The one formatter layer: commands and reports build Tables and Records; only this module
/// turns them into text tables, CSV, JSON or Markdown.
namespace lbib::output {

/// An output format, chosen with --format.
enum class Format { table, json, csv, md };

/// The names accepted by --format.
inline constexpr std::string_view format_names[] = {"table", "json", "csv", "md"};

/// Parses a --format value; throws Error(usage) listing the accepted names.
Format parse_format(std::string_view s);

/// One cell: empty, a number, a boolean or text.
using Value = std::variant<std::monostate, std::int64_t, bool, std::string>;

/// Rows under named columns. Column names are snake_case keys (JSON keys, CSV headers).
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
};

/// One record (for `show`): named fields, then named sub-tables.
struct Record {
  std::vector<std::pair<std::string, Value>> fields;
  std::vector<std::pair<std::string, Table>> sections;
};

/// Writes `table` in `format`.
void write(std::ostream& out, Format format, const Table& table);

/// Writes `record` in `format`. CSV has no nesting, so sections become rows named
/// "section.N.column".
void write(std::ostream& out, Format format, const Record& record);

/// One CSV cell, quoted per RFC 4180 when needed, and with a leading ' when text would
/// otherwise start a spreadsheet formula (= + - @ TAB CR).
std::string csv_cell(const Value& value);

}  // namespace lbib::output

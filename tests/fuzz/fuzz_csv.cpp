// SPDX-License-Identifier: MIT
// Fuzzes the CSV writer (the format Swedish Excel opens). Every table written must:
//   - be valid UTF-8 when its text is, start with the UTF-8 BOM, and end every row in CRLF;
//   - parse back (RFC 4180 with ';') into the same number of rows and cells, each cell the
//     value written (text that would start a formula comes back behind one ');
//   - contain no cell that a spreadsheet would run as a formula (= + - @ TAB CR LF first, or
//     their full-width and small forms: output::starts_formula).
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <sstream>
#include <string>
#include <vector>

#include "fuzz_common.hpp"
#include "lbib/output/format.hpp"

namespace {

using lbib::fuzz::check;

/// Parses RFC 4180 CSV with ';' separators and CRLF row ends.
std::vector<std::vector<std::string>> parse(std::string_view csv) {
  std::vector<std::vector<std::string>> rows(1);
  std::string cell;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < csv.size(); ++i) {
    const char c = csv[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < csv.size() && csv[i + 1] == '"') {
          cell += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        cell += c;
      }
    } else if (c == '"') {
      check(cell.empty() && !was_quoted, "a quote inside an unquoted cell");
      quoted = was_quoted = true;
    } else if (c == ';') {
      rows.back().push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
    } else if (c == '\r') {
      check(i + 1 < csv.size() && csv[i + 1] == '\n', "bare CR outside quotes");
      ++i;
      rows.back().push_back(std::move(cell));
      cell.clear();
      was_quoted = false;
      rows.emplace_back();
    } else {
      check(c != '\n', "bare LF outside quotes");
      cell += c;
    }
  }
  check(!quoted, "a quoted cell is not closed");
  check(rows.back().empty() && cell.empty(), "the last row does not end in CRLF");
  rows.pop_back();
  return rows;
}

lbib::output::Value value(FuzzedDataProvider& data) {
  switch (data.ConsumeIntegralInRange(0, 4)) {
    case 0:
      return {};
    case 1:
      return data.ConsumeIntegral<std::int64_t>();
    case 2:
      return data.ConsumeBool();
    case 3:
      return data.ConsumeFloatingPointInRange<double>(-1e9, 1e9);
    default:
      return data.ConsumeRandomLengthString(200);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  lbib::output::Table table;
  const std::size_t columns = data.ConsumeIntegralInRange<std::size_t>(1, 6);
  for (std::size_t c = 0; c < columns; ++c) {
    table.columns.push_back(data.ConsumeRandomLengthString(40));
  }
  bool utf8 = true;
  for (const auto& name : table.columns) {
    utf8 = utf8 && lbib::text::is_valid_utf8(name);
  }
  while (data.remaining_bytes() > 0 && table.rows.size() < 50) {
    std::vector<lbib::output::Value> row;
    for (std::size_t c = 0; c < columns; ++c) {
      row.push_back(value(data));
      if (const auto* s = std::get_if<std::string>(&row.back())) {
        utf8 = utf8 && lbib::text::is_valid_utf8(*s);
      }
    }
    table.rows.push_back(std::move(row));
  }

  std::ostringstream out;
  lbib::output::write(out, lbib::output::Format::csv, table);
  const std::string csv = out.str();
  check(csv.starts_with("\xEF\xBB\xBF"), "no UTF-8 byte order mark");
  check(!utf8 || lbib::text::is_valid_utf8(csv), "valid UTF-8 in, invalid UTF-8 out");

  const auto rows = parse(std::string_view(csv).substr(3));
  check(rows.size() == table.rows.size() + 1, "row count changed");
  for (std::size_t r = 0; r < rows.size(); ++r) {
    check(rows[r].size() == columns, "cell count changed");
    for (std::size_t c = 0; c < columns; ++c) {
      const std::string& got = rows[r][c];
      check(!lbib::output::starts_formula(got) ||
                (r > 0 && !std::holds_alternative<std::string>(table.rows[r - 1][c])),
            "a text cell starts a formula");
      const lbib::output::Value& sent =
          r == 0 ? lbib::output::Value(table.columns[c]) : table.rows[r - 1][c];
      if (const auto* s = std::get_if<std::string>(&sent)) {
        const bool guarded = lbib::output::starts_formula(*s);
        check(got == (guarded ? "'" + *s : *s), "a text cell did not round-trip");
      } else if (const auto* n = std::get_if<std::int64_t>(&sent)) {
        check(got == std::to_string(*n), "a number did not round-trip");
      } else if (std::holds_alternative<std::monostate>(sent)) {
        check(got.empty(), "an empty cell is not empty");
      }
    }
  }
  return 0;
}

// SPDX-License-Identifier: MIT
#include "lbib/output/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <ostream>

#include "lbib/error.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::output {
namespace {

// Swedish Excel opens UTF-8 CSV correctly only with a byte-order mark, and expects ';' since
// ',' is the decimal separator there.
constexpr std::string_view utf8_bom = "\xEF\xBB\xBF";
constexpr char csv_separator = ';';
constexpr std::string_view csv_newline = "\r\n";

std::string plain(const Value& v) {
  struct Visitor {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(std::int64_t i) const { return std::to_string(i); }
    std::string operator()(bool b) const { return b ? "yes" : "no"; }
    std::string operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

nlohmann::ordered_json to_json(const Value& v) {
  struct Visitor {
    nlohmann::ordered_json operator()(std::monostate) const { return nullptr; }
    nlohmann::ordered_json operator()(std::int64_t i) const { return i; }
    nlohmann::ordered_json operator()(bool b) const { return b; }
    nlohmann::ordered_json operator()(const std::string& s) const { return s; }
  };
  return std::visit(Visitor{}, v);
}

nlohmann::ordered_json to_json(const Table& t) {
  auto rows = nlohmann::ordered_json::array();
  for (const auto& row : t.rows) {
    nlohmann::ordered_json object = nlohmann::ordered_json::object();
    for (std::size_t i = 0; i < t.columns.size() && i < row.size(); ++i) {
      object[t.columns[i]] = to_json(row[i]);
    }
    rows.push_back(std::move(object));
  }
  return rows;
}

// Text for one terminal cell: line breaks shown as spaces so a row stays one line.
std::string one_line(const Value& v) {
  std::string s = plain(v);
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t len = text::code_point_count(s);
  return len >= width ? s : s + std::string(width - len, ' ');
}

void write_text_table(std::ostream& out, const Table& t) {
  std::vector<std::size_t> widths;
  for (const auto& c : t.columns) {
    widths.push_back(text::code_point_count(c));
  }
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : t.rows) {
    auto& line = cells.emplace_back();
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      line.push_back(i < row.size() ? one_line(row[i]) : "");
      widths[i] = std::max(widths[i], text::code_point_count(line.back()));
    }
  }
  const auto write_line = [&](const std::vector<std::string>& line) {
    std::string s;
    for (std::size_t i = 0; i < line.size(); ++i) {
      s += i + 1 < line.size() ? pad(line[i], widths[i]) + "  " : line[i];
    }
    out << s << '\n';
  };
  write_line(t.columns);
  std::vector<std::string> rule;
  for (const auto w : widths) {
    rule.emplace_back(w, '-');
  }
  write_line(rule);
  for (const auto& line : cells) {
    write_line(line);
  }
}

std::string md_cell(const Value& v) {
  std::string out;
  for (const char c : plain(v)) {
    if (c == '|') {
      out += "\\|";
    } else if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

void write_md_table(std::ostream& out, const Table& t) {
  const auto line = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (const auto& c : cells) {
      out << ' ' << c << " |";
    }
    out << '\n';
  };
  std::vector<std::string> header;
  for (const auto& c : t.columns) {
    header.push_back(md_cell(c));
  }
  line(header);
  line(std::vector<std::string>(t.columns.size(), "---"));
  for (const auto& row : t.rows) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      cells.push_back(i < row.size() ? md_cell(row[i]) : "");
    }
    line(cells);
  }
}

void write_csv_row(std::ostream& out, const std::vector<Value>& row) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) {
      out << csv_separator;
    }
    out << csv_cell(row[i]);
  }
  out << csv_newline;
}

}  // namespace

Format parse_format(std::string_view s) {
  for (std::size_t i = 0; i < std::size(format_names); ++i) {
    if (format_names[i] == s) {
      return static_cast<Format>(i);
    }
  }
  throw make_error(ExitCode::usage, "--format: '{}' is not accepted; use one of: {}", s,
                   fmt::join(format_names, ", "));
}

std::string csv_cell(const Value& value) {
  std::string s = plain(value);
  if (std::holds_alternative<std::string>(value) && !s.empty() &&
      std::string_view("=+-@\t\r").find(s.front()) != std::string_view::npos) {
    s.insert(s.begin(), '\'');
  }
  const bool quote = s.find_first_of("\";\r\n") != std::string::npos ||
                     (!s.empty() && (s.front() == ' ' || s.back() == ' '));
  if (!quote) {
    return s;
  }
  std::string out = "\"";
  for (const char c : s) {
    out += c;
    if (c == '"') {
      out += '"';
    }
  }
  out += '"';
  return out;
}

void write(std::ostream& out, Format format, const Table& table) {
  switch (format) {
    case Format::table:
      write_text_table(out, table);
      break;
    case Format::md:
      write_md_table(out, table);
      break;
    case Format::json:
      out << to_json(table).dump(2) << '\n';
      break;
    case Format::csv: {
      out << utf8_bom;
      std::vector<Value> header(table.columns.begin(), table.columns.end());
      write_csv_row(out, header);
      for (const auto& row : table.rows) {
        write_csv_row(out, row);
      }
      break;
    }
  }
}

void write(std::ostream& out, Format format, const Record& record) {
  Table fields{{"field", "value"}, {}};
  for (const auto& [name, value] : record.fields) {
    fields.rows.push_back({name, value});
  }
  switch (format) {
    case Format::json: {
      nlohmann::ordered_json object = nlohmann::ordered_json::object();
      for (const auto& [name, value] : record.fields) {
        object[name] = to_json(value);
      }
      for (const auto& [name, table] : record.sections) {
        object[name] = to_json(table);
      }
      out << object.dump(2) << '\n';
      break;
    }
    case Format::csv:
      for (const auto& [name, table] : record.sections) {
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
          for (std::size_t c = 0; c < table.columns.size() && c < table.rows[r].size(); ++c) {
            fields.rows.push_back(
                {fmt::format("{}.{}.{}", name, r + 1, table.columns[c]), table.rows[r][c]});
          }
        }
      }
      write(out, Format::csv, fields);
      break;
    case Format::table:
    case Format::md: {
      // A vertical list of fields, then each section as its own table under a heading.
      if (format == Format::md) {
        write_md_table(out, fields);
      } else {
        std::size_t width = 0;
        for (const auto& [name, value] : record.fields) {
          width = std::max(width, text::code_point_count(name));
        }
        for (const auto& [name, value] : record.fields) {
          out << pad(name + ":", width + 1) << ' ' << one_line(value) << '\n';
        }
      }
      for (const auto& [name, table] : record.sections) {
        out << '\n' << (format == Format::md ? "## " : "") << name << '\n';
        if (format == Format::md) {
          out << '\n';
        }
        write(out, format, table);
      }
      break;
    }
  }
}

}  // namespace lbib::output

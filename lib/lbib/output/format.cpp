// SPDX-License-Identifier: MIT
#include "lbib/output/format.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <iterator>
#include <limits>
#include <nlohmann/json.hpp>
#include <ostream>
#include <streambuf>

#include "lbib/error.hpp"
#include "lbib/output/headings.hpp"
#include "lbib/output/page.hpp"
#include "lbib/text/date.hpp"
#include "lbib/text/i18n.hpp"
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
    std::string operator()(double d) const { return fmt::format("{:.1f}", d); }
    std::string operator()(const Term& t) const { return t.label; }
  };
  return std::visit(Visitor{}, v);
}

// What JSON and CSV write for a Term: its key as a plain cell.
Value key_of(const Term& t) {
  return std::visit([](const auto& k) { return Value{k}; }, t.key);
}

nlohmann::ordered_json to_json(const Value& v);

nlohmann::ordered_json to_json(const Value& v) {
  struct Visitor {
    nlohmann::ordered_json operator()(std::monostate) const { return nullptr; }
    nlohmann::ordered_json operator()(std::int64_t i) const { return i; }
    nlohmann::ordered_json operator()(bool b) const { return b; }
    nlohmann::ordered_json operator()(const std::string& s) const { return s; }
    nlohmann::ordered_json operator()(double d) const { return d; }
    nlohmann::ordered_json operator()(const Term& t) const { return to_json(key_of(t)); }
  };
  return std::visit(Visitor{}, v);
}

// Appends `v` as nlohmann's dump() writes it: numbers, booleans, null and plain text directly;
// text with something to escape (quotes, backslashes, control characters) or not valid UTF-8
// (which dump() refuses), and decimals, through dump() itself.
void append_json(std::string& out, const Value& v) {
  if (const Term* term = std::get_if<Term>(&v)) {
    append_json(out, key_of(*term));
    return;
  }
  if (std::holds_alternative<std::monostate>(v)) {
    out += "null";
  } else if (const auto* i = std::get_if<std::int64_t>(&v)) {
    fmt::format_to(std::back_inserter(out), "{}", *i);
  } else if (const auto* b = std::get_if<bool>(&v)) {
    out += *b ? "true" : "false";
  } else if (const auto* s = std::get_if<std::string>(&v);
             s != nullptr &&
             std::none_of(s->begin(), s->end(),
                          [](char c) {
                            return static_cast<unsigned char>(c) < 0x20 || c == '"' || c == '\\';
                          }) &&
             text::is_valid_utf8(*s)) {
    out += '"';
    out += *s;
    out += '"';
  } else {
    out += to_json(v).dump();
  }
}

// The columns of `t` that `audience` reads: JSON and CSV leave out the people_only columns,
// the formats for people the data_only ones.
enum class Audience { programs, people };
Table view(const Table& t, Audience audience) {
  const auto& drop = audience == Audience::programs ? t.people_only : t.data_only;
  return drop.empty() ? t : without(t, drop);
}

nlohmann::ordered_json to_json(const Table& table) {
  const Table t = view(table, Audience::programs);
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
// A cell as people read it: yes/no in the language of the messages (CSV keeps yes/no).
std::string for_people(const Value& v) {
  if (const bool* b = std::get_if<bool>(&v); b != nullptr && i18n::language() == "sv") {
    return *b ? "ja" : "nej";
  }
  return plain(v);
}

std::string one_line(const Value& v) {
  std::string s = for_people(v);
  std::replace(s.begin(), s.end(), '\n', ' ');
  std::replace(s.begin(), s.end(), '\t', ' ');
  return s;
}

// The headers people read: the labels when given, else each column's heading in the language
// of the messages. CSV and JSON keep the keys.
std::vector<std::string> people_headers(const Table& t) {
  if (!t.labels.empty()) {
    return t.labels;
  }
  std::vector<std::string> out;
  for (const auto& c : t.columns) {
    out.push_back(heading(c));
  }
  return out;
}

std::string pad(const std::string& s, std::size_t width) {
  const std::size_t len = text::display_width(s);
  return len >= width ? s : s + std::string(width - len, ' ');
}

std::size_t g_table_width = 0;
// Whether a table or record written since the start left out or shortened something to fit.
bool g_table_shortened = false;

// The widths that fit `limit` with two spaces between columns: the widest columns are cut
// down to one common width (`cap`), so short ones (ids, dates, states) stay whole, and no column
// is cut below its heading or a few characters. The cap reached; 0 when nothing was cut.
std::size_t fit_columns(std::vector<std::size_t>& widths, const std::vector<std::size_t>& floors,
                        std::size_t limit) {
  const std::size_t gaps = widths.empty() ? 0 : 2 * (widths.size() - 1);
  const auto total = [&](std::size_t cap) {
    std::size_t sum = gaps;
    for (std::size_t i = 0; i < widths.size(); ++i) {
      sum += std::min(widths[i], std::max(cap, floors[i]));
    }
    return sum;
  };
  if (limit == 0 || widths.empty() || total(std::numeric_limits<std::size_t>::max()) <= limit) {
    return 0;
  }
  std::size_t cap = *std::max_element(widths.begin(), widths.end());
  while (cap > 1 && total(cap) > limit) {
    --cap;
  }
  for (std::size_t i = 0; i < widths.size(); ++i) {
    widths[i] = std::min(widths[i], std::max(cap, floors[i]));
  }
  return cap;
}

// A long column should still show this much when the table is fitted to a terminal; below
// it, the table leaves out its narrow_drop columns first.
constexpr std::size_t readable = 20;
// The fewest characters a column is cut to when nothing else makes a table fit: "Ab…".
constexpr std::size_t shortest = 3;

// The width of a text table whose columns are `widths` wide, two spaces apart.
std::size_t table_text_width(const std::vector<std::size_t>& widths) {
  std::size_t sum = widths.empty() ? 0 : 2 * (widths.size() - 1);
  for (const auto w : widths) {
    sum += w;
  }
  return sum;
}

}  // namespace

// A text table's cells as people read them, one line each, packed: every cell's text in one
// buffer, so a long listing holds its text and not a Value per cell (`RowWriter` keeps a text
// table this way while its rows come, since the widths depend on every row).
struct TextCells {
  std::vector<std::string> columns;  // the keys, for `whole` and `narrow_drop`
  std::vector<std::string> headers;
  std::vector<std::string> whole;
  std::vector<std::string> narrow_drop;
  std::string text;               // every cell's text, row after row
  std::vector<std::size_t> ends;  // where each cell ends in `text`: columns.size() a row
  std::size_t rows = 0;

  // `t` without its rows, as people read it (data_only columns already left out).
  explicit TextCells(const Table& t)
      : columns(t.columns),
        headers(people_headers(t)),
        whole(t.whole),
        narrow_drop(t.narrow_drop) {}

  void add(const std::vector<Value>& row, const std::vector<std::size_t>& keep) {
    for (const auto i : keep) {
      text += i < row.size() ? one_line(row[i]) : std::string();
      ends.push_back(text.size());
    }
    ++rows;
  }

  std::string_view cell(std::size_t row, std::size_t column) const {
    const std::size_t at = row * columns.size() + column;
    const std::size_t begin = at == 0 ? 0 : ends[at - 1];
    return std::string_view(text).substr(begin, ends[at] - begin);
  }
};

namespace {

void write_text_cells(std::ostream& out, const TextCells& t) {
  const std::size_t n = t.columns.size();
  std::vector<bool> shown(n, true);
  const auto is_whole = [&t](std::size_t i) {
    return std::find(t.whole.begin(), t.whole.end(), t.columns[i]) != t.whole.end();
  };
  // The widths and floors of the columns shown, in order.
  const auto measure = [&](std::vector<std::size_t>& widths, std::vector<std::size_t>& floors) {
    widths.clear();
    floors.clear();
    for (std::size_t i = 0; i < n; ++i) {
      if (!shown[i]) {
        continue;
      }
      std::size_t width = text::display_width(t.headers[i]);
      std::size_t floor = std::min<std::size_t>(std::max<std::size_t>(width, 6), 16);
      for (std::size_t r = 0; r < t.rows; ++r) {
        width = std::max(width, text::display_width(t.cell(r, i)));
      }
      widths.push_back(width);
      floors.push_back(is_whole(i) ? width : std::min(floor, width));
    }
  };
  const auto shown_count = [&shown] {
    return static_cast<std::size_t>(std::count(shown.begin(), shown.end(), true));
  };
  std::vector<std::size_t> widths, floors;
  measure(widths, floors);
  if (g_table_width > 0) {
    // Too narrow to read well: leave out the columns empty in every row, then narrow_drop's.
    std::vector<std::string> drop;
    for (std::size_t i = 0; i < n; ++i) {
      bool empty = t.rows > 0;
      for (std::size_t r = 0; empty && r < t.rows; ++r) {
        empty = t.cell(r, i).empty();
      }
      if (empty) {
        drop.push_back(t.columns[i]);
      }
    }
    const auto empty_columns = drop.size();
    drop.insert(drop.end(), t.narrow_drop.begin(), t.narrow_drop.end());
    for (std::size_t d = 0; d < drop.size(); ++d) {
      auto fitted = widths;
      const auto cap = fit_columns(fitted, floors, g_table_width);
      if (cap == 0 || cap >= readable) {
        break;
      }
      bool present = false;
      for (std::size_t i = 0; i < n; ++i) {
        present = present || (shown[i] && t.columns[i] == drop[d]);
      }
      if (present && shown_count() > 1) {
        for (std::size_t i = 0; i < n; ++i) {
          shown[i] = shown[i] && t.columns[i] != drop[d];
        }
        measure(widths, floors);
        g_table_shortened = g_table_shortened || d >= empty_columns;
      }
    }
    // Still too wide with every heading whole (many columns with long headings, as a report
    // has): the headings are shortened too, down to a few characters, rather than the table
    // running past the terminal's edge; --wide shows them whole.
    auto fitted = widths;
    fit_columns(fitted, floors, g_table_width);
    if (table_text_width(fitted) > g_table_width) {
      for (std::size_t i = 0, k = 0; i < n; ++i) {
        if (shown[i]) {
          floors[k] = is_whole(i) ? floors[k] : std::min<std::size_t>(floors[k], shortest);
          ++k;
        }
      }
    }
    fit_columns(widths, floors, g_table_width);
  }
  const auto write_line = [&](const auto& cell_of) {
    std::string s;
    const std::size_t last = widths.size();
    for (std::size_t i = 0, k = 0; i < n; ++i) {
      if (!shown[i]) {
        continue;
      }
      const std::string line(cell_of(i));
      const auto cell = text::fit_width(line, widths[k]);
      g_table_shortened = g_table_shortened || text::display_width(line) > widths[k];
      s += k + 1 < last ? pad(cell, widths[k]) + "  " : cell;
      ++k;
    }
    out << s << '\n';
  };
  write_line([&t](std::size_t i) -> std::string_view { return t.headers[i]; });
  std::vector<std::string> rule(n);
  for (std::size_t i = 0, k = 0; i < n; ++i) {
    if (shown[i]) {
      rule[i] = std::string(widths[k++], '-');
    }
  }
  write_line([&rule](std::size_t i) -> std::string_view { return rule[i]; });
  for (std::size_t r = 0; r < t.rows; ++r) {
    write_line([&t, r](std::size_t i) { return t.cell(r, i); });
  }
}

void write_text_table(std::ostream& out, const Table& table) {
  const Table t = view(table, Audience::people);
  TextCells cells(Table{t.columns, {}, t.labels, {}, {}, {}, t.narrow_drop, t.whole});
  std::vector<std::size_t> all(t.columns.size());
  for (std::size_t i = 0; i < all.size(); ++i) {
    all[i] = i;
  }
  for (const auto& row : t.rows) {
    cells.add(row, all);
  }
  write_text_cells(out, cells);
}

// A Markdown table cell: escaped as all Markdown text is (a | cannot end the cell), a line
// break as <br> so the row stays one line.
std::string md_cell(const Value& v) {
  std::string out;
  for (const char c : escape_markdown(for_people(v))) {
    if (c == '\n') {
      out += "<br>";
    } else {
      out += c;
    }
  }
  return out;
}

// The rows of a Markdown table of `columns` columns.
void write_md_rows(std::ostream& out, const Table& t, std::size_t columns) {
  for (const auto& row : t.rows) {
    out << "|";
    for (std::size_t i = 0; i < columns; ++i) {
      out << ' ' << (i < row.size() ? md_cell(row[i]) : "") << " |";
    }
    out << '\n';
  }
}

void write_md_table(std::ostream& out, const Table& table) {
  const Table t = view(table, Audience::people);
  const auto line = [&](const std::vector<std::string>& cells) {
    out << "|";
    for (const auto& c : cells) {
      out << ' ' << c << " |";
    }
    out << '\n';
  };
  std::vector<std::string> header;
  for (const auto& c : people_headers(t)) {
    header.push_back(md_cell(c));
  }
  line(header);
  line(std::vector<std::string>(t.columns.size(), "---"));
  write_md_rows(out, t, t.columns.size());
}

void write_csv_row(std::ostream& out, const std::vector<Value>& row) {
  std::string line;  // one write per row
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (i > 0) {
      line += csv_separator;
    }
    append_csv_cell(line, row[i]);
  }
  line += csv_newline;
  out << line;
}

// How a table is written as HTML: plainly (a table on its own), or as part of a document in
// its language (ja/nej, decimal comma, units, "–" for an empty cell, a caption).
struct HtmlTableStyle {
  bool document = false;
  bool swedish = false;
  std::string_view caption{};
};

// A number as people read it in the document's language: "77,8" in Swedish.
std::string number_for_people(const Value& v, bool swedish) {
  std::string s = plain(v);
  if (swedish && std::holds_alternative<double>(v)) {
    std::replace(s.begin(), s.end(), '.', ',');
  }
  if (swedish && !s.empty() && s.front() == '-') {
    s.replace(0, 1, "\u2212");  // the minus sign, not a hyphen
  }
  return s;
}

// One row of a document's table as people read it in Markdown: numbers in the document's
// language with their `units`, "–" for an empty cell.
void cells_for_reading(std::vector<Value>& row, const std::vector<std::string>& units,
                       bool swedish) {
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (std::holds_alternative<std::monostate>(row[i])) {
      row[i] = std::string("–");
    } else if (std::holds_alternative<std::int64_t>(row[i]) ||
               std::holds_alternative<double>(row[i])) {
      std::string cell = number_for_people(row[i], swedish);
      if (i < units.size() && !units[i].empty()) {
        cell += "\u00A0" + units[i];
      }
      row[i] = std::move(cell);
    }
  }
}

// A document's table as people read it in Markdown (cells_for_reading in every row).
Table for_reading(Table t, bool swedish) {
  for (auto& row : t.rows) {
    cells_for_reading(row, t.units, swedish);
  }
  return t;
}

// An HTML table in three parts, so `RowWriter` writes each row as it comes: the start with
// the caption and headers of `t` (as people read it), each row, and the end.
void html_table_start(std::ostream& out, const Table& t, const HtmlTableStyle& style) {
  out << "<table>\n";
  if (!style.caption.empty()) {
    out << "<caption>" << escape_xml(style.caption) << "</caption>\n";
  }
  out << "<thead><tr>";
  for (const auto& h : people_headers(t)) {
    out << "<th scope=\"col\">" << escape_xml(h) << "</th>";
  }
  out << "</tr></thead>\n<tbody>\n";
}

void html_table_row(std::ostream& out, const Table& t, const std::vector<Value>& row,
                    const HtmlTableStyle& style) {
  out << "<tr>";
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    const bool number = i < row.size() && (std::holds_alternative<std::int64_t>(row[i]) ||
                                           std::holds_alternative<double>(row[i]));
    const bool empty = i >= row.size() || std::holds_alternative<std::monostate>(row[i]);
    out << (number ? "<td class=\"n\">" : empty && style.document ? "<td class=\"e\">" : "<td>");
    if (empty) {
      out << (style.document ? "–" : "");
      out << "</td>";
      continue;
    }
    std::string cell =
        escape_xml(style.document ? number_for_people(row[i], style.swedish) : plain(row[i]));
    if (style.swedish && std::holds_alternative<bool>(row[i])) {
      cell = std::get<bool>(row[i]) ? "ja" : "nej";
    }
    if (number && style.document && i < t.units.size() && !t.units[i].empty()) {
      cell += "\u00A0" + escape_xml(t.units[i]);  // "77,8 %", never split over two lines
    }
    std::string with_breaks;
    for (const char c : cell) {
      with_breaks += c == '\n' ? std::string("<br>") : std::string(1, c);
    }
    out << with_breaks << "</td>";
  }
  out << "</tr>\n";
}

void html_table_end(std::ostream& out) {
  out << "</tbody>\n</table>\n";
}

void write_html_table(std::ostream& out, const Table& table, const HtmlTableStyle& style = {}) {
  const Table t = view(table, Audience::people);
  html_table_start(out, t, style);
  for (const auto& row : t.rows) {
    html_table_row(out, t, row, style);
  }
  html_table_end(out);
}

// The positions in `full`'s columns of the columns `shown` keeps (a view of `full`).
std::vector<std::size_t> shown_positions(const Table& full, const Table& shown) {
  std::vector<std::size_t> keep;
  for (const auto& c : shown.columns) {
    keep.push_back(static_cast<std::size_t>(std::find(full.columns.begin(), full.columns.end(), c) -
                                            full.columns.begin()));
  }
  return keep;
}

// A streamed document table's rows (Document::Part::rows), each in the columns of `shown`
// (the part's table as people read it) and given to `visit`: what view() would leave of it.
void each_shown_row(const Document::Part& p, const Table& shown,
                    const std::function<void(std::vector<Value>&)>& visit) {
  const auto keep = shown_positions(p.table, shown);
  std::vector<Value> cells;
  p.rows([&](std::vector<Value> row) {
    cells.clear();
    for (const auto i : keep) {
      cells.push_back(i < row.size() ? std::move(row[i]) : Value{});
    }
    visit(cells);
  });
}

// A document's table as write_html_table writes it, its rows as Document::Part::rows gives them.
void write_streamed_html_table(std::ostream& out, const Document::Part& p,
                               const HtmlTableStyle& style) {
  const Table t = view(p.table, Audience::people);
  html_table_start(out, t, style);
  each_shown_row(p, t, [&](std::vector<Value>& cells) { html_table_row(out, t, cells, style); });
  html_table_end(out);
}

// `text` as a CSS string literal.
std::string css_string(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\a ";
    } else {
      out += c;
    }
  }
  return out + '"';
}

// The page: A4 with the title at the head, the date and "Sida N av M" at the foot, from CSS
// (so a browser prints them, not its own file path and date).
std::string page_style(const Document& d) {
  std::string style = fmt::format(
      "@page {{ size: A4; margin: 18mm 15mm 18mm;\n"
      "  @top-left {{ content: {}; font: 8pt \"DejaVu Sans\", sans-serif; color: #333; }}\n"
      "  @bottom-right {{ content: {} \" \" counter(page) \" \" {} \" \" counter(pages); "
      "font: 8pt \"DejaVu Sans\", sans-serif; color: #333; }}\n",
      css_string(d.title), css_string(d.page_words.first), css_string(d.page_words.second));
  if (!d.date.empty()) {
    style += fmt::format(
        "  @bottom-left {{ content: {}; font: 8pt \"DejaVu Sans\", sans-serif; color: #333; }}\n",
        css_string(d.date));
  }
  return style + "}\n@page landscape { size: A4 landscape; }\n";
}

// The contents of a document's <body>: its title, then its parts in order.
void write_document_body(std::ostream& out, const Document& d) {
  out << "<main>\n<h1>" << escape_xml(d.title) << "</h1>\n";
  bool wide = false;
  for (const auto& p : d.parts) {
    if (p.wide != wide) {
      out << (p.wide ? "<div class=\"wide\">\n" : "</div>\n");
      wide = p.wide;
    }
    switch (p.kind) {
      case Document::Part::Kind::heading:
        out << "<h2>" << escape_xml(p.text) << "</h2>\n";
        break;
      case Document::Part::Kind::paragraph:
        out << "<p>" << escape_xml(p.text) << "</p>\n";
        break;
      case Document::Part::Kind::table:
        if (p.rows) {
          write_streamed_html_table(out, p, {true, d.language == "sv", p.caption});
        } else {
          write_html_table(out, p.table, {true, d.language == "sv", p.caption});
        }
        break;
      case Document::Part::Kind::chart:
        out << "<figure>\n";
        if (!p.caption.empty()) {
          out << "<figcaption>" << escape_xml(p.caption) << "</figcaption>\n";
        }
        out << svg(p.chart) << "</figure>\n";
        break;
    }
  }
  out << (wide ? "</div>\n" : "") << "</main>\n";
}

}  // namespace

void write(std::ostream& out, Format format, const Document& d) {
  if (format == Format::md) {
    out << "# " << escape_markdown(d.title) << "\n";
    for (const auto& p : d.parts) {
      switch (p.kind) {
        case Document::Part::Kind::heading:
          out << "\n## " << escape_markdown(p.text) << "\n\n";
          break;
        case Document::Part::Kind::paragraph:
          out << escape_markdown(p.text) << "\n\n";
          break;
        case Document::Part::Kind::table:
          if (!p.caption.empty()) {
            out << "*" << escape_markdown(p.caption) << "*\n\n";
          }
          if (p.rows) {
            // The header, then each row as it comes, as write_md_table writes them.
            const Table t = view(p.table, Audience::people);
            write_md_table(out, t);
            Table one{{}, {{}}};
            each_shown_row(p, t, [&](std::vector<Value>& cells) {
              cells_for_reading(cells, t.units, d.language == "sv");
              one.rows[0] = std::move(cells);
              write_md_rows(out, one, t.columns.size());
            });
          } else {
            write_md_table(out, for_reading(p.table, d.language == "sv"));
          }
          out << '\n';
          break;
        case Document::Part::Kind::chart:
          break;  // Markdown has no inline figures; the tables carry the numbers
      }
    }
    return;
  }
  if (format != Format::html) {
    throw make_error(ExitCode::usage, "--format: this report is written as html or md");
  }
  write_page(out, {d.language, d.title, Stylesheet::document, page_style(d)},
             [&d](std::ostream& body) { write_document_body(body, d); });
}

Format parse_format(std::string_view s) {
  for (std::size_t i = 0; i < std::size(format_names); ++i) {
    if (format_names[i] == s) {
      return static_cast<Format>(i);
    }
  }
  throw make_error(ExitCode::usage, "--format: '{}' is not accepted; use one of: {}", s,
                   fmt::join(format_names, ", "));
}

Table without(Table t, const std::vector<std::string>& drop) {
  for (std::size_t i = t.columns.size(); i-- > 0;) {
    if (std::find(drop.begin(), drop.end(), t.columns[i]) == drop.end()) {
      continue;
    }
    const auto at = static_cast<std::ptrdiff_t>(i);
    t.columns.erase(t.columns.begin() + at);
    if (i < t.labels.size()) {
      t.labels.erase(t.labels.begin() + at);
    }
    if (i < t.units.size()) {
      t.units.erase(t.units.begin() + at);
    }
    for (auto& row : t.rows) {
      if (i < row.size()) {
        row.erase(row.begin() + at);
      }
    }
  }
  return t;
}

Value maybe(const std::optional<std::string>& v) {
  return v ? Value{*v} : Value{};
}

Value maybe(const std::optional<int>& v) {
  return v ? Value{std::int64_t{*v}} : Value{};
}

Value maybe(const std::optional<std::chrono::year_month_day>& d) {
  return d ? Value{text::format_date(*d)} : Value{};
}

bool starts_formula(std::string_view s) {
  // Most cells start with none of the bytes that begin a space or a sign below: a letter or a
  // digit answers at once (a listing asks this of every cell).
  constexpr std::string_view first_bytes = " =+-@\t\r\n\xC2\xE2\xE3\xEF";
  if (s.empty() || first_bytes.find(s.front()) == std::string_view::npos) {
    return false;
  }
  // Spaces before the sign do not stop every spreadsheet (LibreOffice trims on import).
  constexpr std::array<std::string_view, 3> spaces{" ", "\u00A0", "\u3000"};
  for (bool skipped = true; skipped && !s.empty();) {
    skipped = false;
    for (const auto space : spaces) {
      if (s.substr(0, space.size()) == space) {
        s.remove_prefix(space.size());
        skipped = true;
      }
    }
  }
  if (s.empty()) {
    return false;
  }
  if (std::string_view("=+-@\t\r\n").find(s.front()) != std::string_view::npos) {
    return true;
  }
  // The forms Excel and LibreOffice fold to = + - @: full-width, small, the minus sign.
  constexpr std::array<std::string_view, 10> signs{
      "\uFF1D", "\uFF0B", "\uFF0D", "\uFF20",  // ＝ ＋ － ＠
      "\uFE66", "\uFE62", "\uFE63", "\uFE6B",  // ﹦ ﹢ ﹣ ﹫
      "\u2212", "\u207A"};                     // − ⁺
  return std::any_of(signs.begin(), signs.end(),
                     [s](std::string_view sign) { return s.substr(0, sign.size()) == sign; });
}

namespace {

// `text` as a CSV cell at the end of `line`: a ' before what a spreadsheet would read as a
// formula, quoted when it holds a quote, separator or line break or starts or ends with a space.
void append_csv_text(std::string& line, std::string_view text, bool guard) {
  const bool formula = guard && starts_formula(text);
  bool quote = !text.empty() && ((!formula && text.front() == ' ') || text.back() == ' ');
  for (std::size_t i = 0; !quote && i < text.size(); ++i) {
    const char c = text[i];
    quote = c == '"' || c == csv_separator || c == '\r' || c == '\n';
  }
  if (quote) {
    line += '"';
  }
  if (formula) {
    line += '\'';
  }
  if (!quote) {
    line += text;
    return;
  }
  for (const char c : text) {
    line += c;
    if (c == '"') {
      line += '"';
    }
  }
  line += '"';
}

}  // namespace

void append_csv_cell(std::string& line, const Value& value) {
  struct Visitor {
    std::string& line;
    void operator()(std::monostate) const {}
    void operator()(std::int64_t i) const { line += std::to_string(i); }
    void operator()(bool b) const { line += b ? "yes" : "no"; }
    void operator()(const std::string& s) const { append_csv_text(line, s, true); }
    void operator()(double d) const {
      std::string s = fmt::format("{:.1f}", d);
      std::replace(s.begin(), s.end(), '.', ',');
      append_csv_text(line, s, false);
    }
    void operator()(const Term& t) const {
      std::visit([this](const auto& k) { (*this)(k); }, t.key);
    }
  };
  std::visit(Visitor{line}, value);
}

std::string csv_cell(const Value& value) {
  std::string out;
  append_csv_cell(out, value);
  return out;
}

void set_table_width(std::size_t columns) {
  g_table_width = columns;
}

std::size_t table_width() {
  return g_table_width;
}

bool table_shortened() {
  return g_table_shortened;
}

void write(std::ostream& out, Format format, const Table& table) {
  switch (format) {
    case Format::html:
      write_html_table(out, table);
      break;
    case Format::svg:
      throw make_error(ExitCode::usage, "--format svg: only 'lbib report yearly' draws a chart");
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
      // The keys, never the labels: a spreadsheet's formulas keep working in every language.
      const Table data = view(table, Audience::programs);
      out << utf8_bom;
      write_csv_row(out, std::vector<Value>(data.columns.begin(), data.columns.end()));
      for (const auto& row : data.rows) {
        write_csv_row(out, row);
      }
      break;
    }
  }
}

RowWriter::RowWriter(std::ostream& out, Format format, Table header)
    : m_out(out), m_format(format), m_table(std::move(header)) {
  m_table.rows.clear();
  if (m_format == Format::svg) {
    throw make_error(ExitCode::usage, "--format svg: only 'lbib report yearly' draws a chart");
  }
  const bool programs = m_format == Format::json || m_format == Format::csv;
  const auto& drop = programs ? m_table.people_only : m_table.data_only;
  for (std::size_t i = 0; i < m_table.columns.size(); ++i) {
    if (std::find(drop.begin(), drop.end(), m_table.columns[i]) == drop.end()) {
      m_keep.push_back(i);
    }
  }
  if (m_format == Format::json) {
    for (const auto i : m_keep) {
      m_json_keys.push_back(nlohmann::ordered_json(m_table.columns[i]).dump() + ": ");
    }
  }
  if (m_format == Format::csv) {
    out << utf8_bom;
    std::vector<Value> names;
    for (const auto i : m_keep) {
      names.emplace_back(m_table.columns[i]);
    }
    write_csv_row(out, names);
  } else if (m_format == Format::md) {
    // The header alone, as write_md_table writes it.
    Table t = view(m_table, Audience::people);
    write_md_table(out, t);
  } else if (m_format == Format::html) {
    m_table = view(m_table, Audience::people);
    html_table_start(out, m_table, {});
  } else if (m_format == Format::table) {
    const Table t = view(m_table, Audience::people);
    m_text = std::make_unique<TextCells>(
        Table{t.columns, {}, t.labels, {}, {}, {}, t.narrow_drop, t.whole});
  }
}

RowWriter::~RowWriter() = default;

void RowWriter::add(std::vector<Value> row) {
  ++m_rows;
  switch (m_format) {
    case Format::table:
      m_text->add(row, m_keep);
      return;
    case Format::html: {
      std::vector<Value> cells;
      for (const auto i : m_keep) {
        cells.push_back(i < row.size() ? std::move(row[i]) : Value{});
      }
      html_table_row(m_out, m_table, cells, {});
      return;
    }
    case Format::svg:
      return;  // refused by the constructor
    case Format::json: {
      // What dump(2) writes for the whole array: each object indented by two more spaces,
      // written here without building the object (keys were escaped once, in the constructor).
      std::string text = m_rows == 1 ? "[\n  {" : ",\n  {";
      for (std::size_t k = 0; k < m_keep.size(); ++k) {
        text += k == 0 ? "\n    " : ",\n    ";
        text += m_json_keys[k];
        append_json(text, m_keep[k] < row.size() ? row[m_keep[k]] : Value{});
      }
      text += m_keep.empty() ? "}" : "\n  }";
      m_out << text;
      return;
    }
    case Format::csv: {
      // What write_csv_row writes, straight from the row's kept cells.
      m_line.clear();
      for (std::size_t k = 0; k < m_keep.size(); ++k) {
        if (k > 0) {
          m_line += csv_separator;
        }
        if (m_keep[k] < row.size()) {
          append_csv_cell(m_line, row[m_keep[k]]);
        }
      }
      m_line += csv_newline;
      m_out << m_line;
      return;
    }
    case Format::md: {
      std::vector<Value> cells;
      for (const auto i : m_keep) {
        cells.push_back(i < row.size() ? std::move(row[i]) : Value{});
      }
      Table t{{}, {std::move(cells)}};
      write_md_rows(m_out, t, m_keep.size());
      return;
    }
  }
}

void RowWriter::finish() {
  if (m_format == Format::table) {
    write_text_cells(m_out, *m_text);
  } else if (m_format == Format::html) {
    html_table_end(m_out);
  } else if (m_format == Format::json) {
    m_out << (m_rows == 0 ? "[]\n" : "\n]\n");
  }
}

namespace {

// A record's fields for people: a Markdown table of names and values, or (a text table) one
// line each, the names aligned, a long value shortened to fit the terminal.
void write_record_fields(std::ostream& out, Format format,
                         const std::vector<std::pair<std::string, Value>>& record_fields) {
  if (format == Format::md) {
    Table fields{{"field", "value"}, {}};
    for (const auto& [name, value] : record_fields) {
      fields.rows.push_back({heading(name), value});
    }
    write_md_table(out, fields);
    return;
  }
  std::size_t width = 0;
  for (const auto& [name, value] : record_fields) {
    width = std::max(width, text::display_width(heading(name)));
  }
  // At a terminal a long value is shortened with "…" to fit, as a table's cells are.
  const std::size_t room = g_table_width > width + 2 ? g_table_width - width - 2 : 0;
  for (const auto& [name, value] : record_fields) {
    const auto line = one_line(value);
    g_table_shortened =
        g_table_shortened || (g_table_width > 0 && room > 0 && text::display_width(line) > room);
    out << pad(heading(name) + ":", width + 1) << ' '
        << (g_table_width > 0 && room > 0 ? text::fit_width(line, room) : line) << '\n';
  }
}

// A record's section heading for people, on its own line after a blank one.
void write_section_heading(std::ostream& out, Format format, const std::string& name) {
  out << '\n'
      << (format == Format::md ? "## " + escape_markdown(heading(name)) : heading(name)) << '\n';
  if (format == Format::md) {
    out << '\n';
  }
}

void refuse_record_format(Format format) {
  if (format == Format::html || format == Format::svg) {
    throw make_error(ExitCode::usage, "--format: use table, json, csv or md for a record");
  }
}

// An output buffer that writes each line after the first two spaces further in, as dump(2)
// writes a value inside an object; the last line break is held back, and dropped when nothing
// follows, so the object goes on where the value ends.
class IndentBuffer : public std::streambuf {
 public:
  explicit IndentBuffer(std::ostream& out) : m_out(out) {}

 protected:
  int_type overflow(int_type c) override {
    if (!traits_type::eq_int_type(c, traits_type::eof())) {
      const char ch = traits_type::to_char_type(c);
      xsputn(&ch, 1);
    }
    return traits_type::not_eof(c);
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    const char* p = s;
    const char* const end = s + n;
    while (p < end) {
      if (m_line_break) {
        m_out.write("\n  ", 3);
        m_line_break = false;
      }
      const auto* nl =
          static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
      m_out.write(p, (nl == nullptr ? end : nl) - p);
      if (nl == nullptr) {
        break;
      }
      m_line_break = true;
      p = nl + 1;
    }
    return n;
  }

 private:
  std::ostream& m_out;
  bool m_line_break = false;
};

}  // namespace

void write(std::ostream& out, Format format, const Record& record) {
  Table fields{{"field", "value"}, {}};
  if (format == Format::csv) {
    for (const auto& [name, value] : record.fields) {
      fields.rows.push_back({name, value});
    }
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
      for (const auto& [name, section] : record.sections) {
        const Table table = view(section, Audience::programs);
        for (std::size_t r = 0; r < table.rows.size(); ++r) {
          for (std::size_t c = 0; c < table.columns.size() && c < table.rows[r].size(); ++c) {
            fields.rows.push_back(
                {fmt::format("{}.{}.{}", name, r + 1, table.columns[c]), table.rows[r][c]});
          }
        }
      }
      write(out, Format::csv, fields);
      break;
    case Format::html:
    case Format::svg:
      throw make_error(ExitCode::usage, "--format: use table, json, csv or md for a record");
    case Format::table:
    case Format::md: {
      // A vertical list of fields, then each section as its own table under a heading.
      write_record_fields(out, format, record.fields);
      for (const auto& [name, table] : record.sections) {
        write_section_heading(out, format, name);
        write(out, format, table);
      }
      break;
    }
  }
}

RecordWriter::RecordWriter(std::ostream& out, Format format,
                           std::vector<std::pair<std::string, Value>> fields, bool skip_empty)
    : m_out(out), m_format(format), m_fields(std::move(fields)), m_skip_empty(skip_empty) {
  refuse_record_format(m_format);
  if (m_format == Format::json) {
    // What dump(2) writes for the object: each member on its own line, two spaces in.
    m_out << '{';
    for (const auto& [name, value] : m_fields) {
      std::string member = m_members++ == 0 ? "\n  " : ",\n  ";
      member += nlohmann::ordered_json(name).dump() + ": ";
      append_json(member, value);
      m_out << member;
    }
  } else if (m_format == Format::csv) {
    m_writer = std::make_unique<RowWriter>(m_out, m_format, Table{{"field", "value"}, {}});
    for (const auto& [name, value] : m_fields) {
      m_writer->add({name, value});
    }
  } else if (!m_skip_empty) {
    write_record_fields(m_out, m_format, m_fields);
    m_started = true;
  }
}

RecordWriter::~RecordWriter() = default;

// Text table and Markdown: the fields (once), then the heading of the section begun last.
void RecordWriter::begin_for_people() {
  if (!m_started) {
    write_record_fields(m_out, m_format, m_fields);
    m_started = true;
  }
  write_section_heading(m_out, m_format, m_name);
}

void RecordWriter::section(std::string name, Table header) {
  end_section();
  m_name = std::move(name);
  m_header = std::move(header);
  m_header.rows.clear();
  m_rows = 0;
  m_open = true;
  switch (m_format) {
    case Format::json:
      m_out << (m_members++ == 0 ? "\n  " : ",\n  ") << nlohmann::ordered_json(m_name).dump()
            << ": ";
      m_indent = std::make_unique<IndentBuffer>(m_out);
      m_indented = std::make_unique<std::ostream>(m_indent.get());
      m_writer = std::make_unique<RowWriter>(*m_indented, m_format, m_header);
      break;
    case Format::csv: {
      const Table data = view(m_header, Audience::programs);
      m_keep = shown_positions(m_header, data);
      break;
    }
    case Format::table:
      // Nothing is written before the section ends: its text is kept until then.
      m_writer = std::make_unique<RowWriter>(m_out, m_format, m_header);
      break;
    case Format::md:
      if (!m_skip_empty) {
        begin_for_people();
        m_writer = std::make_unique<RowWriter>(m_out, m_format, m_header);
      }
      break;
    case Format::html:
    case Format::svg:
      break;  // refused by the constructor
  }
}

void RecordWriter::add(std::vector<Value> row) {
  ++m_rows;
  if (m_format == Format::csv) {
    for (const auto i : m_keep) {
      if (i < row.size()) {
        m_writer->add(
            {fmt::format("{}.{}.{}", m_name, m_rows, m_header.columns[i]), std::move(row[i])});
      }
    }
    return;
  }
  if (m_format == Format::md && !m_writer) {
    begin_for_people();
    m_writer = std::make_unique<RowWriter>(m_out, m_format, m_header);
  }
  m_writer->add(std::move(row));
}

void RecordWriter::end_section() {
  if (!m_open) {
    return;
  }
  m_open = false;
  switch (m_format) {
    case Format::json:
      m_writer->finish();
      m_indented->flush();
      break;
    case Format::table:
      if (m_rows > 0 || !m_skip_empty) {
        begin_for_people();
        m_writer->finish();
      }
      break;
    case Format::md:
      if (m_writer) {
        m_writer->finish();
      }
      break;
    case Format::csv:
    case Format::html:
    case Format::svg:
      return;  // CSV: the record's writer goes on
  }
  m_writer.reset();
  m_indented.reset();
  m_indent.reset();
}

bool RecordWriter::finish() {
  end_section();
  if (m_format == Format::json) {
    m_out << (m_members == 0 ? "{}\n" : "\n}\n");
    return true;
  }
  if (m_format == Format::csv) {
    m_writer->finish();
    return true;
  }
  return m_started;
}

}  // namespace lbib::output

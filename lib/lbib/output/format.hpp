// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "lbib/output/chart.hpp"

/// The one formatter layer: commands and reports build Tables and Records; only this module
/// turns them into text tables, CSV, JSON or Markdown.
namespace lbib::output {

/// An output format, chosen with --format.
enum class Format { table, json, csv, md, html, svg };

/// The names accepted by --format (html and svg only where a command says so).
inline constexpr std::string_view format_names[] = {"table", "json", "csv", "md", "html", "svg"};

/// Parses a --format value; throws Error(usage) listing the accepted names.
Format parse_format(std::string_view s);

/// A cell that programs and people read differently: JSON and CSV write `key` (an
/// enumeration's stored key, a boolean, a number, or nothing), text tables, Markdown and HTML write
/// `label`, the words in the report's language. A report states such a cell once, and data
/// formats stay the same in every language (docs/output.md).
struct Term {
  std::variant<std::monostate, bool, std::int64_t, std::string> key;
  std::string label;

  bool operator==(const Term&) const = default;
};

/// One cell: empty, a whole number, a boolean, text, a decimal (shown with one decimal;
/// CSV uses a decimal comma, as Swedish Excel expects), or a Term.
using Value = std::variant<std::monostate, std::int64_t, bool, std::string, double, Term>;

/// Cells from optional values: empty when the value is absent.
Value maybe(const std::optional<std::string>& v);
Value maybe(const std::optional<int>& v);
Value maybe(const std::optional<std::chrono::year_month_day>& d);

/// A cell from a name (an enumeration's string_view).
inline Value text_cell(std::string_view s) {
  return std::string(s);
}

/// Rows under named columns. Column names are snake_case keys, the JSON keys and CSV headers
/// in every language. `labels`, when given, are the headers people read (text table,
/// Markdown, HTML); without them each column reads as its heading().
struct Table {
  std::vector<std::string> columns;
  std::vector<std::vector<Value>> rows;
  std::vector<std::string> labels{};
  /// Units shown after a column's numbers where people read them (HTML: "77,8 %"); empty or
  /// shorter than `columns` for none. CSV and JSON keep the plain numbers.
  std::vector<std::string> units{};
  /// Columns written only in JSON and CSV (a key people read through another column).
  std::vector<std::string> data_only{};
  /// Columns written only for people (text table, Markdown, HTML): words in the report's
  /// language beside a key column.
  std::vector<std::string> people_only{};
  /// Columns a text table leaves out, in this order, when the terminal is too narrow to show
  /// the rest well (see table_width); columns empty in every row go first. --wide, pipes and
  /// the other formats show them.
  std::vector<std::string> narrow_drop{};
  /// Columns never shortened (a command to copy): at a terminal too narrow for them, they are
  /// left out as narrow_drop says, not cut.
  std::vector<std::string> whole{};
};

/// A report of several parts, for HTML and Markdown: headings, paragraphs, tables and
/// charts (inline SVG figures in HTML), in order.
struct Document {
  std::string title;
  std::string language = "sv";
  /// The day the report was made, as people read it ("1 december 2026"): printed at the foot
  /// of every page.
  std::string date;
  /// The page numbers printed at the foot of every page: the words before the page number and
  /// between it and the count of pages ("Sida", "av": "Sida 2 av 5").
  std::pair<std::string, std::string> page_words{"Page", "of"};
  struct Part {
    enum class Kind { heading, paragraph, table, chart } kind;
    std::string text;  // heading or paragraph
    Table table;
    std::string caption{};  // a table's caption or a figure's figcaption
    /// Too wide for a portrait page: printed on landscape A4 pages of its own, together with
    /// the wide parts next to it (a heading, the table, a note).
    bool wide = false;
    BarChart chart{};  // a chart's data; the output layer draws it
    /// A table too long to hold (Table 1 of a large register): when set, it gives the table's
    /// rows one by one, in the columns of `table` (whose own rows stay empty), to the function
    /// it is passed, while the document is written.
    std::function<void(const std::function<void(std::vector<Value>)>&)> rows{};
  };
  std::vector<Part> parts;
};

/// Writes `document` as a self-contained HTML page (write_page with the document style sheet;
/// A4 print styles with the page numbers and the date in the page margins) or Markdown (its
/// words escaped with escape_markdown). Numbers in HTML follow the
/// document's language (a decimal comma in Swedish); an empty cell shows as "–".
void write(std::ostream& out, Format format, const Document& document);

/// One record (for `show`): named fields, then named sub-tables.
struct Record {
  std::vector<std::pair<std::string, Value>> fields;
  std::vector<std::pair<std::string, Table>> sections;
};

/// `table` without the named columns (their labels, units and cells).
Table without(Table table, const std::vector<std::string>& drop);

/// The width, in terminal columns, that text tables are fitted to; 0 (the default) fits
/// nothing. A process-wide setting, like the language of the messages: the command line sets
/// it once from the terminal before a command runs (docs/output.md), so every table a command
/// prints fits alike.
void set_table_width(std::size_t columns);

/// The width set by set_table_width().
std::size_t table_width();

/// Whether a text table or record written so far left out a column with content or shortened
/// a value with "…" to fit table_width(): the command line then says that --wide shows all.
bool table_shortened();

/// Writes `table` in `format`: JSON and CSV without its people_only columns, the others
/// without its data_only columns. A text table wider than table_width() has its widest
/// columns shortened with "…" until it fits.
void write(std::ostream& out, Format format, const Table& table);

struct TextCells;

/// Writes a table's rows as they are given, for listings too long to hold (`lbib remind
/// --all`): JSON, CSV, Markdown and HTML write each row at once, byte for byte as write() would
/// write the whole table; a text table needs every row for its widths, so it keeps each row's
/// text as people read it (packed in one buffer, not as Values) and writes them at finish().
/// The header (columns, labels, data_only, people_only, ...) is the Table's; its rows are
/// ignored.
class RowWriter {
 public:
  RowWriter(std::ostream& out, Format format, Table header);
  RowWriter(const RowWriter&) = delete;
  RowWriter& operator=(const RowWriter&) = delete;
  ~RowWriter();

  /// Writes (or, for a text table, keeps the text of) one row, in the header's columns.
  void add(std::vector<Value> row);

  /// Ends the output: the closing bracket of JSON, or the whole text table. Call it once.
  void finish();

 private:
  std::ostream& m_out;
  Format m_format;
  Table m_table;                         // the header (HTML: as people read it)
  std::unique_ptr<TextCells> m_text;     // text table: every row's cells
  std::vector<std::size_t> m_keep;       // the header's columns this format writes
  std::vector<std::string> m_json_keys;  // JSON: each kept column's "key": as dump(2) writes it
  std::string m_line;                    // CSV: the row being written, its buffer kept
  std::size_t m_rows = 0;
};

/// Writes `record` in `format`. CSV has no nesting, so sections become rows named
/// "section.N.column".
void write(std::ostream& out, Format format, const Record& record);

/// Writes a record whose sections are too long to hold (`lbib today`, the closing statistics):
/// the fields first, then each section's header with section() and its rows with add(), as
/// they come; byte for byte what write() writes for the whole Record. JSON, CSV and Markdown
/// write each row at once; a text table keeps one section's text, until the next begins.
/// With `skip_empty` (text table and Markdown: what a person reads), a section without rows is
/// left out, and nothing at all is written, not even the fields, when every section is empty.
class RecordWriter {
 public:
  RecordWriter(std::ostream& out, Format format, std::vector<std::pair<std::string, Value>> fields,
               bool skip_empty = false);
  RecordWriter(const RecordWriter&) = delete;
  RecordWriter& operator=(const RecordWriter&) = delete;
  ~RecordWriter();

  /// Ends the section before, if any, and begins `name` with the columns of `header` (whose
  /// rows are ignored).
  void section(std::string name, Table header);

  /// Writes (or, for a text table, keeps the text of) one row of the section begun last.
  void add(std::vector<Value> row);

  /// Ends the output; call it once. False when nothing was written (skip_empty, every section
  /// empty).
  bool finish();

 private:
  void end_section();
  void begin_for_people();

  std::ostream& m_out;
  Format m_format;
  std::vector<std::pair<std::string, Value>> m_fields;
  bool m_skip_empty;
  bool m_started = false;                    // text table and Markdown: the fields are written
  bool m_open = false;                       // a section has begun and not ended
  std::string m_name;                        // the section begun last
  Table m_header;                            // its header
  std::size_t m_rows = 0;                    // its rows so far
  std::size_t m_members = 0;                 // JSON: the members written
  std::unique_ptr<std::streambuf> m_indent;  // JSON: a section's lines, two spaces further in
  std::unique_ptr<std::ostream> m_indented;  // over m_indent
  std::unique_ptr<RowWriter> m_writer;       // the section's rows (CSV: the record's)
  std::vector<std::size_t> m_keep;           // CSV: the section's columns written
};

/// One CSV cell, quoted per RFC 4180 when needed, and with a leading ' when text would
/// otherwise start a spreadsheet formula (see starts_formula).
std::string csv_cell(const Value& value);

/// csv_cell(value) written at the end of `line`.
void append_csv_cell(std::string& line, const Value& value);

/// True when a spreadsheet could read text starting like `s` as a formula: = + - @ TAB CR LF
/// first (after any spaces, no-break or ideographic spaces), or the full-width and small forms
/// of = + - @ (＝ ＋ － ＠ ﹦ ﹢ ﹣ ﹫), the minus sign − or a superscript plus.
bool starts_formula(std::string_view s);

}  // namespace lbib::output

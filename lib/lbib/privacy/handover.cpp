// SPDX-License-Identifier: MIT
#include "lbib/privacy/handover.hpp"

#include <SQLiteCpp/Statement.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <signal.h>
#include <unicode/utf8.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <iterator>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/privacy/import_rules.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::privacy {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view export_format = "lbib-register";
constexpr int export_version = 1;

// Columns derived from others in the same row (migration 24's identity keys, from the name,
// e-mail and phone): a hand-over leaves them out and the import computes them, so a file
// cannot carry keys that disagree with what they are derived from (nor an erased person's).
constexpr std::array<std::pair<std::string_view, std::string_view>, 3> k_derived_columns{{
    {"expert", "name_folded"},
    {"expert", "email_folded"},
    {"expert", "phone_digits"},
}};

bool is_derived_column(std::string_view table, std::string_view column) {
  return std::any_of(k_derived_columns.begin(), k_derived_columns.end(),
                     [&](const auto& d) { return d.first == table && d.second == column; });
}

// The columns of `table` a hand-over carries, in the schema's order.
std::vector<std::string> columns_of(SQLite::Database& db, const std::string& table) {
  std::vector<std::string> columns;
  SQLite::Statement q(db, "SELECT name FROM pragma_table_info(?) ORDER BY cid");
  q.bind(1, table);
  while (q.executeStep()) {
    auto name = q.getColumn(0).getString();
    if (!is_derived_column(table, name)) {
      columns.push_back(std::move(name));
    }
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

// Appends one value to `out` byte for byte as value_of(c).dump() writes it: an integer, or a
// string of valid UTF-8 that needs no escape (no quote, backslash or control character),
// directly; anything else (a float, a string to escape, invalid UTF-8, which dump() refuses)
// through nlohmann. A hand-over's rows are mostly these: written without a JSON object each.
void append_handover_value(std::string& out, const SQLite::Column& c) {
  if (c.isNull()) {
    out += "null";
    return;
  }
  if (c.isInteger()) {
    fmt::format_to(std::back_inserter(out), "{}", c.getInt64());
    return;
  }
  if (!c.isFloat()) {
    const auto* bytes = reinterpret_cast<const std::uint8_t*>(c.getText());
    const auto n = static_cast<std::int32_t>(c.getBytes());
    bool plain = true;
    for (std::int32_t i = 0; i < n && plain;) {
      if (bytes[i] < 0x80) {
        plain = bytes[i] >= 0x20 && bytes[i] != '"' && bytes[i] != '\\';
        ++i;
      } else {
        UChar32 cp = 0;
        U8_NEXT(bytes, i, n, cp);
        plain = cp >= 0;
      }
    }
    if (plain) {
      out += '"';
      out.append(reinterpret_cast<const char*>(bytes), static_cast<std::size_t>(n));
      out += '"';
      return;
    }
  }
  out += value_of(c).dump();
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

// The whole register's rules, checked once every row is in.
void check_whole_register(db::Database& db) {
  const auto problems = db::check_integrity(db);
  if (!problems.empty()) {
    throw make_error(ExitCode::data, "import: the data does not hold together: {}",
                     problems.front());
  }
  check_register(db);
}

// Rows of the export, checked and inserted one at a time into the register being built.
class RowWriter {
 public:
  RowWriter(db::WriteTransaction& tx, const config::Config& config) : m_tx(tx), m_config(config) {
    // The export lists parents before children, but a file edited by hand need not: the
    // foreign keys are checked once every row is in (check_integrity, then COMMIT).
    m_tx.sql().exec("PRAGMA defer_foreign_keys = ON");
    const auto names = handover_tables(m_tx.sql());
    m_tables.insert(names.begin(), names.end());
  }

  /// True when `name` is a table a hand-over carries, in this lbib's schema.
  bool is_table(const std::string& name) const { return m_tables.count(name) != 0; }

  /// True when `table` has a column `column` in this lbib's schema.
  bool has_column(const std::string& table, const std::string& column) {
    auto it = m_columns.find(table);
    if (it == m_columns.end()) {
      const auto list = columns_of(m_tx.sql(), table);
      it = m_columns.emplace(table, std::set<std::string>(list.begin(), list.end())).first;
    }
    return it->second.count(column) > 0;
  }

  /// Checks one row by the rules of the command that writes it, and inserts it.
  void row(const std::string& table, const nlohmann::json& row) {
    check_row(table, row, m_config);
    if (table == "library_state" && !m_state_replaced) {
      // The register's identity and state travel with it (the erasure ledger names the id):
      // the new file's own give way to the exported ones.
      m_tx.sql().exec("DELETE FROM library_state");
      m_state_replaced = true;
    }
    std::string key = table;
    for (const auto& [column, value] : row.items()) {
      key += '\x1f' + column;
    }
    if (m_inserts.size() >= 256 && m_inserts.count(key) == 0) {
      m_inserts.clear();  // a hand-made file with ever new column sets: memory stays bounded
    }
    auto& statement = m_inserts[key];
    if (!statement) {
      std::vector<std::string> names;
      for (const auto& [column, value] : row.items()) {
        names.push_back("\"" + column + "\"");
      }
      const std::vector<std::string> marks(names.size(), "?");
      statement = std::make_unique<SQLite::Statement>(
          m_tx.sql(), fmt::format("INSERT INTO \"{}\" ({}) VALUES ({})", table,
                                  fmt::join(names, ", "), fmt::join(marks, ", ")));
    }
    int i = 1;
    for (const auto& [column, value] : row.items()) {
      bind_json(*statement, i++, value, table + "." + column);
    }
    try {
      statement->exec();
    } catch (const SQLite::Exception& e) {
      statement->tryReset();
      throw make_error(ExitCode::data, "import: a row of {} is refused: {}", table,
                       e.getErrorStr());
    }
    statement->tryReset();
    statement->clearBindings();
    ++m_count;
  }

  /// Raises the id counter of `table` to `value` (never lowers it below an id in use).
  void counter(const std::string& table, std::int64_t value) {
    if (value < 0 || value > max_id_counter) {
      throw make_error(ExitCode::data, "import: the id counter of {} is out of range (0 to {})",
                       table, max_id_counter);
    }
    SQLite::Statement seq(m_tx.sql(),
                          "UPDATE sqlite_sequence SET seq = max(seq, ?2) WHERE name = ?1");
    seq.bind(1, table);
    seq.bind(2, value);
    if (seq.exec() == 0) {
      SQLite::Statement ins(m_tx.sql(), "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)");
      ins.bind(1, table);
      ins.bind(2, value);
      ins.exec();
    }
  }

  /// The number of rows inserted.
  std::size_t count() const { return m_count; }

  /// True when the export carried the register's state (and so its identity).
  bool carried_state() const { return m_state_replaced; }

 private:
  db::WriteTransaction& m_tx;
  const config::Config& m_config;
  std::map<std::string, std::set<std::string>> m_columns;
  std::set<std::string> m_tables;
  std::map<std::string, std::unique_ptr<SQLite::Statement>> m_inserts;
  std::size_t m_count = 0;
  bool m_state_replaced = false;
};

// Reads an export as a stream of SAX events (nlohmann::json::sax_parse), so only one row is
// ever held in memory: the header (format, version, schema) is checked before the first
// table, each row goes to the RowWriter as soon as it is complete, then the id counters.
class ExportReader {
 public:
  explicit ExportReader(RowWriter& writer) : m_writer(writer) {}

  bool null() { return scalar(nullptr); }
  bool boolean(bool v) { return scalar(v); }
  bool number_integer(std::int64_t v) { return scalar(v); }
  bool number_unsigned(std::uint64_t v) {
    if (v > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
      return scalar(1.0 * static_cast<double>(v));  // refused below as out of range
    }
    return scalar(static_cast<std::int64_t>(v));
  }
  bool number_float(double v, const std::string& /*text*/) { return scalar(v); }
  bool string(std::string& v) { return scalar(std::move(v)); }
  bool binary(nlohmann::json::binary_t& /*v*/) { return scalar(nullptr); }

  bool start_object(std::size_t /*size*/) {
    if (skipping_nested()) {
      return true;
    }
    switch (m_at) {
      case At::start:
        m_at = At::top;
        return true;
      case At::top:
        if (m_key == "tables") {
          check_header();
          m_tables_seen = true;
          m_at = At::in_tables;
        } else if (m_key == "id_counters") {
          m_at = At::counters;
        } else {
          unknown_key();
        }
        return true;
      case At::rows:
        m_row = nlohmann::json::object();
        m_at = At::row;
        return true;
      case At::row:
        throw make_error(ExitCode::data,
                         "import: {}.{} holds a value that is not text, a number or null", m_table,
                         text::printable(m_key.substr(0, 40)));
      case At::in_tables:
        not_rows();
      default:
        not_export();
    }
    return false;
  }

  bool key(std::string& k) {
    if (m_skip > 0) {
      return true;
    }
    if (m_at == At::in_tables && !m_writer.is_table(k)) {
      throw make_error(ExitCode::data, "import: unknown table '{}'",
                       text::printable(k.substr(0, 40)));
    }
    if (m_at == At::row && !m_writer.has_column(m_table, k)) {
      throw make_error(ExitCode::data, "import: table {} has no column '{}'", m_table,
                       text::printable(k.substr(0, 40)));
    }
    if (m_at == At::counters && !m_writer.is_table(k)) {
      throw make_error(ExitCode::data, "import: bad id counter '{}'",
                       text::printable(k.substr(0, 40)));
    }
    m_key = std::move(k);
    if (m_at == At::in_tables) {
      m_table = m_key;
    }
    return true;
  }

  bool end_object() {
    if (m_skip > 0) {
      --m_skip;
      return true;
    }
    switch (m_at) {
      case At::top:
        m_at = At::done;
        break;
      case At::in_tables:
      case At::counters:
        m_at = At::top;
        break;
      case At::row:
        m_writer.row(m_table, m_row);
        m_at = At::rows;
        break;
      default:
        not_export();
    }
    return true;
  }

  bool start_array(std::size_t /*size*/) {
    if (skipping_nested()) {
      return true;
    }
    if (m_at == At::in_tables) {
      m_at = At::rows;
      return true;
    }
    if (m_at == At::row) {
      return start_object(0);  // the same refusal as for an object in a row
    }
    if (m_at == At::rows) {
      not_object();
    }
    if (m_at == At::counters) {
      bad_counter();
    }
    if (m_at == At::top) {
      unknown_key();
    }
    not_export();
    return false;
  }

  bool end_array() {
    if (m_skip > 0) {
      --m_skip;
      return true;
    }
    if (m_at == At::rows) {
      m_at = At::in_tables;
      return true;
    }
    not_export();
    return false;
  }

  bool parse_error(std::size_t position, const std::string& /*token*/,
                   const nlohmann::json::exception& /*e*/) {
    throw make_error(ExitCode::data, "import: the export is not valid JSON (at byte {})", position);
  }

  /// Checks, once the whole text is read, that it held a complete export.
  void finish() const {
    if (m_at != At::done) {
      not_export();
    }
    if (!m_tables_seen) {
      check_header();
      throw make_error(ExitCode::data, "import: the export has no tables");
    }
  }

 private:
  enum class At { start, top, in_tables, rows, row, counters, done };

  // An object or array inside a header field (a wrong type) is skipped, and the field read as
  // missing, so the header's own message says what is wrong.
  bool skipping_nested() {
    if (m_skip > 0) {
      ++m_skip;
      return true;
    }
    if (m_at == At::top && (m_key == "format" || m_key == "version" || m_key == "schema")) {
      m_header[m_key] = nullptr;
      m_skip = 1;
      return true;
    }
    return false;
  }

  bool scalar(nlohmann::json value) {
    if (m_skip > 0) {
      return true;
    }
    switch (m_at) {
      case At::top:
        if (m_key == "format" || m_key == "version" || m_key == "schema") {
          m_header[m_key] = std::move(value);
          return true;
        }
        unknown_key();
        break;
      case At::row:
        m_row[m_key] = std::move(value);
        return true;
      case At::counters:
        if (!value.is_number_integer()) {
          bad_counter();
        }
        m_writer.counter(m_key, value.get<std::int64_t>());
        return true;
      case At::rows:
        not_object();
        break;
      case At::in_tables:
        not_rows();
        break;
      default:
        break;
    }
    not_export();
    return false;
  }

  // A top-level whole-number field of the header, or 0 when it is missing or not a number.
  std::int64_t header_number(const char* key) const {
    const auto it = m_header.find(key);
    return it != m_header.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
  }

  void check_header() const {
    const auto format = m_header.find("format");
    if (format == m_header.end() || !format->is_string() || *format != export_format) {
      not_export();
    }
    if (header_number("version") != export_version) {
      throw make_error(ExitCode::data,
                       "import: export version {} is not supported; this lbib reads version {}",
                       header_number("version"), export_version);
    }
    if (header_number("schema") != db::latest_schema_version()) {
      throw make_error(
          ExitCode::data,
          "import: the export has schema {}, this lbib schema {}; import it with the lbib "
          "that exported it, then upgrade",
          header_number("schema"), db::latest_schema_version());
    }
  }

  [[noreturn]] static void not_export() {
    throw make_error(ExitCode::data, "import: not an lbib register export (format {})",
                     export_format);
  }
  [[noreturn]] void unknown_key() const {
    throw make_error(ExitCode::data,
                     "import: unknown or misplaced key '{}' (an export holds format, version "
                     "and schema, then tables and id_counters)",
                     text::printable(m_key.substr(0, 40)));
  }
  [[noreturn]] void not_rows() const {
    throw make_error(ExitCode::data, "import: table {} is not a list of rows", m_table);
  }
  [[noreturn]] void not_object() const {
    throw make_error(ExitCode::data, "import: a row of {} is not an object", m_table);
  }
  [[noreturn]] void bad_counter() const {
    throw make_error(ExitCode::data, "import: bad id counter '{}'",
                     text::printable(m_key.substr(0, 40)));
  }

  RowWriter& m_writer;
  At m_at = At::start;
  std::string m_key;
  std::string m_table;
  nlohmann::json m_header = nlohmann::json::object();
  nlohmann::json m_row;
  bool m_tables_seen = false;
  int m_skip = 0;  // depth inside a skipped value
};

// Where an import builds the register before it is complete: a hidden name beside the target
// holding the process id, so a killed import's file is recognised (and removed) later, and
// never mistaken for a register.
std::string temp_prefix(const fs::path& target) {
  return "." + target.filename().string() + ".import-";
}

fs::path temp_path(const fs::path& target) {
  return target.parent_path() / (temp_prefix(target) + std::to_string(::getpid()));
}

// Removes what imports into the same target left when they were killed: temporary registers
// (and their -wal, -shm, -journal) whose process no longer runs.
void remove_stale_imports(const fs::path& target) {
  const auto prefix = temp_prefix(target);
  const fs::path dir = target.parent_path().empty() ? fs::path(".") : target.parent_path();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    const auto name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) {
      continue;
    }
    std::string_view rest(name);
    rest.remove_prefix(prefix.size());
    const auto digits = rest.find_first_not_of("0123456789");
    const auto suffix = digits == std::string_view::npos ? std::string_view() : rest.substr(digits);
    if (digits == 0 ||
        (suffix != "" && suffix != "-wal" && suffix != "-shm" && suffix != "-journal")) {
      continue;
    }
    const auto pid = std::stoll(std::string(rest.substr(0, digits)));
    const bool running =
        pid == ::getpid() || (pid <= std::numeric_limits<pid_t>::max() &&
                              (::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM));
    if (!running) {
      fs::remove(entry.path(), ec);
    }
  }
}

void remove_database_files(const fs::path& file) {
  std::error_code ec;
  for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
    fs::remove(file.string() + suffix, ec);
  }
}

void sync_path(const fs::path& path, int flags) {
  const int fd = ::open(path.c_str(), flags | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

// Gives the complete register its name, never replacing a file that appeared meanwhile.
void move_into_place(const fs::path& temp, const fs::path& target) {
  sync_path(temp, O_RDONLY);
  if (::renameat2(AT_FDCWD, temp.c_str(), AT_FDCWD, target.c_str(), RENAME_NOREPLACE) != 0) {
    if (errno == EEXIST) {
      throw make_error(ExitCode::cant_create,
                       "{} already exists; 'lbib init' never overwrites a register",
                       target.string());
    }
    if (errno != EINVAL && errno != ENOSYS) {
      throw make_error(ExitCode::cant_create, "cannot create register {}: {}", target.string(),
                       std::strerror(errno));
    }
    // A file system without RENAME_NOREPLACE: a hard link refuses an existing name too.
    if (::link(temp.c_str(), target.c_str()) != 0) {
      throw make_error(ExitCode::cant_create, "cannot create register {}: {}", target.string(),
                       std::strerror(errno));
    }
    ::unlink(temp.c_str());
  }
  sync_path(target.parent_path().empty() ? fs::path(".") : target.parent_path(),
            O_RDONLY | O_DIRECTORY);
}
}  // namespace

std::span<const std::pair<std::string_view, std::string_view>> tables_not_handed_over() {
  // Every other table of the register goes to the new owner. A table added here is left out
  // of the export and refused by the import, with the reason saying why.
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 1> derived{{
      {"mention_key",
       "derived from the names, e-mails and phones (migration 25): the import computes it"},
  }};
  return derived;
}

std::vector<std::string> handover_tables(SQLite::Database& db) {
  // The schema's tables (not SQLite's own: sqlite_sequence travels as "id_counters").
  std::map<std::string, std::set<std::string>> parents;
  SQLite::Statement q(db, R"sql(
    SELECT t.name, f."table" FROM sqlite_schema t
    LEFT JOIN pragma_foreign_key_list(t.name) f ON f."table" <> t.name
    WHERE t.type = 'table' AND t.name NOT LIKE 'sqlite\_%' ESCAPE '\'
    ORDER BY t.name)sql");
  while (q.executeStep()) {
    auto& p = parents[q.getColumn(0).getString()];
    if (!q.getColumn(1).isNull()) {
      p.insert(q.getColumn(1).getString());
    }
  }
  for (const auto& [name, reason] : tables_not_handed_over()) {
    parents.erase(std::string(name));
  }
  // Parents before children (a topological order, ties by name), so a file can be read
  // straight into a new register; a cycle would be a schema error.
  std::vector<std::string> order;
  while (!parents.empty()) {
    const auto ready = std::find_if(parents.begin(), parents.end(), [&](const auto& entry) {
      return std::none_of(entry.second.begin(), entry.second.end(),
                          [&](const std::string& parent) { return parents.count(parent) != 0; });
    });
    if (ready == parents.end()) {
      throw make_error(ExitCode::software, "the schema's foreign keys form a cycle");
    }
    order.push_back(ready->first);
    parents.erase(ready);
  }
  return order;
}

void write_all(db::Database& db, std::ostream& out) {
  // Streamed: one row at a time, so a national register is never held in memory.
  const auto quoted = [](std::string_view s) { return nlohmann::json(s).dump(); };
  out << "{\n \"format\": " << quoted(export_format) << ",\n \"version\": " << export_version
      << ",\n \"schema\": " << db.schema_version() << ",\n \"tables\": {";
  bool first_table = true;
  for (const auto& table : handover_tables(db.sql())) {
    out << (first_table ? "\n  " : ",\n  ") << quoted(table) << ": [";
    first_table = false;
    const auto columns = columns_of(db.sql(), table);
    std::vector<std::string> quoted_columns;
    std::vector<std::string> keys;  // each row's keys as a JSON object's dump() writes them
    for (const auto& c : columns) {
      quoted_columns.push_back("\"" + c + "\"");
      keys.push_back((keys.empty() ? "{" : ",") + quoted(c) + ":");
    }
    SQLite::Statement q(db.sql(), fmt::format("SELECT {} FROM \"{}\" ORDER BY rowid",
                                              fmt::join(quoted_columns, ", "), table));
    bool first_row = true;
    std::string row;
    while (q.executeStep()) {
      // As an ordered_json object of the columns, dumped (a unit test compares the two).
      row.assign(first_row ? "\n   " : ",\n   ");
      for (std::size_t i = 0; i < columns.size(); ++i) {
        row += keys[i];
        append_handover_value(row, q.getColumn(static_cast<int>(i)));
      }
      row += columns.empty() ? "{}" : "}";
      out << row;
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

std::size_t import_all(const fs::path& target, std::istream& in, const config::Config& config,
                       const db::OpenOptions& options, const audit::Actor& actor) {
  std::error_code ec;
  if (fs::exists(fs::symlink_status(target, ec))) {
    throw make_error(ExitCode::cant_create,
                     "{} already exists; 'lbib init' never overwrites a register", target.string());
  }
  if (target.has_parent_path()) {
    fs::create_directories(target.parent_path(), ec);
  }
  remove_stale_imports(target);
  const fs::path temp = temp_path(target);
  remove_database_files(temp);
  std::size_t count = 0;
  try {
    {
      auto db = db::Database::create(temp, options);
      db::WriteTransaction tx(db);
      // The export holds a complete register, the new one's own first audit entry included.
      tx.sql().exec("DELETE FROM audit");
      RowWriter writer(tx, config);
      ExportReader reader(writer);
      nlohmann::json::sax_parse(in, &reader, nlohmann::json::input_format_t::json, true);
      reader.finish();
      count = writer.count();
      if (!writer.carried_state()) {
        // An export from before the identity travelled: the identity the register had (from
        // its first audit entry, as migration 10 gave it), so the ledger beside it applies.
        tx.sql().exec(
            "UPDATE library_state SET value = coalesce((SELECT 'legacy-' || id || '-' || "
            "replace(at, ' ', '') FROM audit ORDER BY id LIMIT 1), value) "
            "WHERE key = 'register_id'");
      }
      // Whatever the export held, the register has an identity.
      tx.sql().exec(
          "INSERT INTO library_state (key, value) SELECT 'register_id', lower(hex(randomblob(16))) "
          "WHERE NOT EXISTS (SELECT 1 FROM library_state WHERE key = 'register_id')");
      // What the export leaves out as derived (k_derived_columns), computed from what it holds.
      experts::refresh_identity_keys(tx, std::nullopt);  // and the experts' mention keys
      refresh_mention_keys(tx, "borrower", std::nullopt);
      check_whole_register(db);
      // The erasure ledger beside the target is re-applied when lbib next opens it (the
      // command does so at once), so an older hand-over brings nobody back.
      audit::record(tx, actor, "import", "register", std::nullopt, fmt::format("{} rows", count));
      tx.commit();
    }  // closed: the WAL is checkpointed into the file and removed
    move_into_place(temp, target);
  } catch (...) {
    remove_database_files(temp);
    throw;
  }
  return count;
}

std::size_t import_all(const fs::path& target, const nlohmann::json& document,
                       const config::Config& config, const db::OpenOptions& options,
                       const audit::Actor& actor) {
  // As write_all orders it: the header first (a parsed document's keys are sorted).
  std::string text;
  if (document.is_object()) {
    nlohmann::ordered_json ordered = nlohmann::ordered_json::object();
    for (const char* key : {"format", "version", "schema"}) {
      if (document.contains(key)) {
        ordered[key] = document[key];
      }
    }
    for (const auto& [key, value] : document.items()) {
      if (!ordered.contains(key)) {
        ordered[key] = value;
      }
    }
    text = ordered.dump();
  } else {
    text = document.dump();
  }
  std::istringstream in(text);
  return import_all(target, in, config, options, actor);
}

}  // namespace lbib::privacy

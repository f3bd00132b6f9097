// SPDX-License-Identifier: MIT
#include "lbib/governance/governance.hpp"

#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <array>
#include <map>

#include "lbib/error.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::governance {
namespace {

using i18n::N_;

constexpr std::array<std::pair<std::string_view, const char*>, 4> decision_kinds{{
    {"owner", N_("Owner")},
    {"mandate", N_("Mandate")},
    {"report", N_("Report to the steering group")},
    {"decision", N_("Decision")},
}};
constexpr std::array<std::pair<std::string_view, const char*>, 2> inquiry_kinds{{
    {"expert", N_("Would-be expert")},
    {"borrower", N_("Would-be borrower")},
}};
constexpr std::array<std::pair<std::string_view, const char*>, 3> inquiry_reasons{{
    {"closing", N_("The library was closing")},
    {"capacity", N_("No capacity")},
    {"outside-county", N_("Outside the county")},
}};

constexpr int max_count = 100000;

template <std::size_t N>
const char* label_of(const std::array<std::pair<std::string_view, const char*>, N>& names,
                     std::string_view key) {
  for (const auto& [k, label] : names) {
    if (k == key) {
      return label;
    }
  }
  return nullptr;
}

template <std::size_t N>
std::string keys(const std::array<std::pair<std::string_view, const char*>, N>& names) {
  std::vector<std::string> out;
  for (const auto& [k, label] : names) {
    out.emplace_back(k);
  }
  return text::join(out, ", ");
}

template <std::size_t N>
output::Term term(const config::Config& c,
                  const std::array<std::pair<std::string_view, const char*>, N>& names,
                  const std::string& key) {
  const char* label = label_of(names, key);
  return output::Term{key, label == nullptr ? key : reports::say(c, label)};
}

}  // namespace

void validate(const Decision& d) {
  if (label_of(decision_kinds, d.kind) == nullptr) {
    throw make_error(ExitCode::data, "kind: '{}' is not accepted; use one of: {}",
                     text::printable(d.kind), keys(decision_kinds));
  }
  text::check_line("text", d.text, 2000);
  if (d.text.find_first_not_of(' ') == std::string::npos) {
    throw make_error(ExitCode::data, "text: must not be empty");
  }
}

void validate(const Inquiry& i) {
  if (label_of(inquiry_kinds, i.kind) == nullptr) {
    throw make_error(ExitCode::data, "kind: '{}' is not accepted; use one of: {}",
                     text::printable(i.kind), keys(inquiry_kinds));
  }
  if (label_of(inquiry_reasons, i.reason) == nullptr) {
    throw make_error(ExitCode::data, "reason: '{}' is not accepted; use one of: {}",
                     text::printable(i.reason), keys(inquiry_reasons));
  }
  if (i.count < 1 || i.count > max_count) {
    throw make_error(ExitCode::data, "count: {} is out of range; use 1 to {}", i.count, max_count);
  }
}

std::int64_t add(db::WriteTransaction& tx, const Decision& d, const audit::Actor& actor) {
  validate(d);
  if (text::today() < d.on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a decision is recorded once it was taken (today "
                     "{} or earlier)",
                     text::format_date(d.on), text::format_date(text::today()));
  }
  SQLite::Statement s(tx.sql(), "INSERT INTO decision (on_date, kind, text) VALUES (?, ?, ?)");
  s.bind(1, text::format_date(d.on));
  s.bind(2, d.kind);
  s.bind(3, d.text);
  s.exec();
  const auto id = tx.sql().getLastInsertRowid();
  audit::record(tx, actor, "add", "decision", id);
  return id;
}

std::int64_t add(db::WriteTransaction& tx, const Inquiry& i, const audit::Actor& actor) {
  validate(i);
  if (text::today() < i.on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; an inquiry is recorded once it was turned away "
                     "(today {} or earlier)",
                     text::format_date(i.on), text::format_date(text::today()));
  }
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO inquiry (on_date, kind, reason, count) VALUES (?, ?, ?, ?)");
  s.bind(1, text::format_date(i.on));
  s.bind(2, i.kind);
  s.bind(3, i.reason);
  s.bind(4, i.count);
  s.exec();
  const auto id = tx.sql().getLastInsertRowid();
  audit::record(tx, actor, "add", "inquiry", id);
  return id;
}

output::Table decisions(db::Database& db, const config::Config& c, const reports::Period& period) {
  output::Table t{{"id", "on", "kind", "text"}, {}};
  t.labels = {reports::say(c, N_("No.")), reports::say(c, N_("Date")), reports::say(c, N_("Kind")),
              reports::say(c, N_("Text"))};
  SQLite::Statement q(db.sql(),
                      "SELECT id, on_date, kind, text FROM decision WHERE on_date BETWEEN ? AND ? "
                      "ORDER BY on_date, id");
  q.bind(1, reports::first_day(period));
  q.bind(2, reports::last_day(period));
  while (q.executeStep()) {
    t.rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                      term(c, decision_kinds, q.getColumn(2).getString()),
                      q.getColumn(3).getString()});
  }
  return t;
}

output::Table inquiries(db::Database& db, const config::Config& c, const reports::Period& period) {
  output::Table t{{"id", "on", "kind", "reason", "count"}, {}};
  t.labels = {reports::say(c, N_("No.")), reports::say(c, N_("Date")),
              reports::say(c, N_("Inquiry from")), reports::say(c, N_("Why turned away")),
              reports::say(c, N_("Count"))};
  SQLite::Statement q(db.sql(),
                      "SELECT id, on_date, kind, reason, count FROM inquiry WHERE on_date BETWEEN "
                      "? AND ? ORDER BY on_date, id");
  q.bind(1, reports::first_day(period));
  q.bind(2, reports::last_day(period));
  while (q.executeStep()) {
    t.rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                      term(c, inquiry_kinds, q.getColumn(2).getString()),
                      term(c, inquiry_reasons, q.getColumn(3).getString()),
                      q.getColumn(4).getInt64()});
  }
  return t;
}

output::Table inquiries_by_year(db::Database& db, const config::Config& c,
                                const reports::Period& period) {
  output::Table t{{"year", "kind", "reason", "count"}, {}};
  t.labels = {reports::say(c, N_("Year")), reports::say(c, N_("Inquiry from")),
              reports::say(c, N_("Why turned away")), reports::say(c, N_("Count"))};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT CAST(substr(on_date, 1, 4) AS INTEGER) AS y, kind, reason, sum(count) FROM inquiry
    WHERE on_date BETWEEN ?1 AND ?2 GROUP BY y, kind, reason ORDER BY y, kind, reason)sql");
  q.bind(1, reports::first_day(period));
  q.bind(2, reports::last_day(period));
  while (q.executeStep()) {
    t.rows.push_back({q.getColumn(0).getInt64(), term(c, inquiry_kinds, q.getColumn(1).getString()),
                      term(c, inquiry_reasons, q.getColumn(2).getString()),
                      q.getColumn(3).getInt64()});
  }
  return t;
}

}  // namespace lbib::governance

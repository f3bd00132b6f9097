// SPDX-License-Identifier: MIT
#include "lbib/outreach/outreach.hpp"

#include <SQLiteCpp/Statement.h>

#include <array>

#include "lbib/error.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::outreach {

void validate(const Activity& a) {
  constexpr std::array<std::string_view, 6> kinds{"presentation", "event",   "mailing",
                                                  "social-media", "podcast", "other"};
  if (std::find(kinds.begin(), kinds.end(), a.kind) == kinds.end()) {
    throw make_error(ExitCode::data,
                     "kind: '{}' is not accepted; use one of: presentation, event, mailing, "
                     "social-media, podcast, other",
                     a.kind);
  }
  if (a.audience) {
    text::check_line("audience", *a.audience, text::limits::name);
  }
  if (a.note) {
    text::check_text("note", *a.note, 2000);
  }
}

void validate_sector(const Activity& a, const config::Config& config) {
  if (a.sector && config::find_term(config.sectors, *a.sector) == nullptr) {
    throw make_error(ExitCode::data, "sector: unknown sector '{}'; use one of: {}",
                     text::printable(*a.sector), config::keys_of(config.sectors));
  }
}

std::int64_t add(db::WriteTransaction& tx, const Activity& a, const audit::Actor& actor) {
  validate(a);
  SQLite::Statement s(
      tx.sql(),
      "INSERT INTO outreach (on_date, kind, audience, note, sector) VALUES (?, ?, ?, ?, ?)");
  s.bind(1, text::format_date(a.on));
  s.bind(2, a.kind);
  a.audience ? s.bind(3, *a.audience) : s.bind(3);
  a.note ? s.bind(4, *a.note) : s.bind(4);
  a.sector ? s.bind(5, *a.sector) : s.bind(5);
  s.exec();
  const auto id = tx.sql().getLastInsertRowid();
  audit::record(tx, actor, "add", "outreach", id);
  return id;
}

output::Table list(db::Database& db, const reports::Period& period) {
  output::Table t{{"id", "on", "kind", "audience", "note", "sector"}, {}};
  SQLite::Statement q(db.sql(),
                      "SELECT id, on_date, kind, audience, note, sector FROM outreach "
                      "WHERE on_date BETWEEN ? AND ? ORDER BY on_date, id");
  q.bind(1, period.from ? text::format_date(*period.from) : "0000-01-01");
  q.bind(2, period.to ? text::format_date(*period.to) : "9999-12-31");
  while (q.executeStep()) {
    t.rows.push_back(
        {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
         q.getColumn(3).isNull() ? output::Value{} : output::Value{q.getColumn(3).getString()},
         q.getColumn(4).isNull() ? output::Value{} : output::Value{q.getColumn(4).getString()},
         q.getColumn(5).isNull() ? output::Value{} : output::Value{q.getColumn(5).getString()}});
  }
  return t;
}

}  // namespace lbib::outreach

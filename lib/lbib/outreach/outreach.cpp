// SPDX-License-Identifier: MIT
#include "lbib/outreach/outreach.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <array>
#include <map>

#include "lbib/error.hpp"
#include "lbib/text/i18n.hpp"
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
  for (const auto& t : a.targets) {
    validate_target(t);
  }
}

std::string kind_label(const std::string& kind, std::string_view language) {
  static const std::map<std::string, const char*, std::less<>> labels{
      {"presentation", i18n::N_("Presentation")}, {"event", i18n::N_("Event")},
      {"mailing", i18n::N_("Mailing")},           {"social-media", i18n::N_("Social media")},
      {"podcast", i18n::N_("Podcast")},           {"other", i18n::N_("Other")}};
  const auto it = labels.find(kind);
  return it == labels.end() ? kind : i18n::tr_in(language, it->second);
}

void validate_target(const std::string& organisation) {
  if (organisation.empty()) {
    throw make_error(ExitCode::data, "target: the organisation's name is empty");
  }
  text::check_line("target", organisation, text::limits::name);
}

void validate_sector(const Activity& a, const config::Config& config) {
  if (a.sector && config::find_term(config.sectors, *a.sector) == nullptr) {
    throw make_error(ExitCode::data, "sector: unknown sector '{}'; use one of: {}",
                     text::printable(*a.sector), config::keys_of(config.sectors));
  }
}

std::int64_t add(db::WriteTransaction& tx, const Activity& a, const audit::Actor& actor) {
  validate(a);
  if (text::today() < a.on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; an outreach activity is recorded once it was "
                     "done (today {} or earlier)",
                     text::format_date(a.on), text::format_date(text::today()));
  }
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
  SQLite::Statement target(tx.sql(),
                           "INSERT OR IGNORE INTO outreach_target (outreach_id, organisation) "
                           "VALUES (?, ?)");
  for (const auto& t : a.targets) {
    target.reset();
    target.bind(1, id);
    target.bind(2, t);
    target.exec();
  }
  audit::record(tx, actor, "add", "outreach", id);
  return id;
}

output::Table list(db::Database& db, const reports::Period& period) {
  output::Table t{{"id", "on", "kind", "audience", "note", "sector", "targets"}, {}};
  SQLite::Statement q(db.sql(),
                      "SELECT id, on_date, kind, audience, note, sector, "
                      "(SELECT group_concat(organisation, '; ') FROM (SELECT organisation "
                      "FROM outreach_target WHERE outreach_id = o.id ORDER BY organisation)) "
                      "FROM outreach o WHERE on_date BETWEEN ? AND ? ORDER BY on_date, id");
  q.bind(1, period.from ? text::format_date(*period.from) : "0000-01-01");
  q.bind(2, period.to ? text::format_date(*period.to) : "9999-12-31");
  while (q.executeStep()) {
    t.rows.push_back(
        {q.getColumn(0).getInt64(), q.getColumn(1).getString(), q.getColumn(2).getString(),
         q.getColumn(3).isNull() ? output::Value{} : output::Value{q.getColumn(3).getString()},
         q.getColumn(4).isNull() ? output::Value{} : output::Value{q.getColumn(4).getString()},
         q.getColumn(5).isNull() ? output::Value{} : output::Value{q.getColumn(5).getString()},
         q.getColumn(6).isNull() ? output::Value{} : output::Value{q.getColumn(6).getString()}});
  }
  return t;
}

std::vector<FollowThrough> follow_through(db::Database& db, const config::Config& config,
                                          const reports::Period& period) {
  // The window is the day of the activity and the configured months after it. Requests count
  // from borrowers of the activity's sector (all when it named none); target organisations
  // match a borrower's organisation by name, case folded.
  SQLite::Statement q(db.sql(), R"sql(
    WITH w AS (
      SELECT o.id, o.on_date, o.kind, o.sector, date(o.on_date, ?3, '-1 day') AS until
      FROM outreach o WHERE o.on_date BETWEEN ?1 AND ?2),
    asked AS (
      SELECT w.id, r.id AS request_id, r.borrower_id FROM w JOIN request r
        ON r.received_on BETWEEN w.on_date AND w.until
      JOIN borrower b ON b.id = r.borrower_id
      WHERE w.sector IS NULL OR b.sector = w.sector)
    SELECT w.id, w.on_date, w.kind, w.sector, w.until,
      -- An erased expert keeps only the year of the interview: no longer placed in a window.
      (SELECT count(*) FROM living_expert e WHERE e.interviewed_on BETWEEN w.on_date AND w.until),
      (SELECT count(*) FROM asked a WHERE a.id = w.id),
      (SELECT count(*) FROM request r JOIN borrower b ON b.id = r.borrower_id
         WHERE r.received_on BETWEEN w.on_date AND w.until
           AND sv_fold(b.organisation) IN (SELECT sv_fold(t.organisation) FROM outreach_target t
                                           WHERE t.outreach_id = w.id)),
      (SELECT count(DISTINCT a.borrower_id) FROM asked a WHERE a.id = w.id),
      (SELECT count(*) FROM asked a JOIN loan l ON l.request_id = a.request_id WHERE a.id = w.id)
    FROM w ORDER BY w.on_date, w.id)sql");
  q.bind(1, period.from ? text::format_date(*period.from) : "0000-01-01");
  q.bind(2, period.to ? text::format_date(*period.to) : "9999-12-31");
  q.bind(3, fmt::format("+{} months", config.outreach_follow_months));
  std::vector<FollowThrough> out;
  while (q.executeStep()) {
    FollowThrough f;
    f.id = q.getColumn(0).getInt64();
    f.on = text::parse_date("on_date", q.getColumn(1).getString());
    f.kind = q.getColumn(2).getString();
    if (!q.getColumn(3).isNull()) {
      f.sector = q.getColumn(3).getString();
    }
    f.until = text::parse_date("until", q.getColumn(4).getString());
    f.recruits = q.getColumn(5).getInt64();
    f.requests = q.getColumn(6).getInt64();
    f.target_requests = q.getColumn(7).getInt64();
    f.borrowers = q.getColumn(8).getInt64();
    f.loans = q.getColumn(9).getInt64();
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace lbib::outreach

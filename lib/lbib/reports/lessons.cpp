// SPDX-License-Identifier: MIT
// The final report's lessons as reports (issue #16): borrowers by sector and municipality
// against the county, and the library's goals beside what it achieved.
#include <SQLiteCpp/Statement.h>

#include <algorithm>
#include <map>
#include <set>

#include "lbib/outreach/outreach.hpp"
#include "lbib/reports/reports.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::reports {
namespace {

// Per borrower with activity in the period: its sector, municipality, requests and loans.
struct Activity {
  std::optional<std::string> sector;
  std::optional<std::string> municipality;
  std::int64_t requests = 0;
  std::int64_t loans = 0;
};

std::vector<Activity> activity(db::Database& db, const Period& period) {
  SQLite::Statement q(db.sql(), R"sql(
    SELECT b.sector, b.municipality,
           (SELECT count(*) FROM request r WHERE r.borrower_id = b.id
              AND r.received_on BETWEEN ?1 AND ?2),
           (SELECT count(*) FROM request r JOIN loan l ON l.request_id = r.id
              WHERE r.borrower_id = b.id AND l.carried_out_on BETWEEN ?1 AND ?2)
    FROM borrower b ORDER BY b.id)sql");
  q.bind(1, first_day(period));
  q.bind(2, last_day(period));
  std::vector<Activity> out;
  while (q.executeStep()) {
    Activity a;
    if (!q.getColumn(0).isNull()) {
      a.sector = q.getColumn(0).getString();
    }
    if (!q.getColumn(1).isNull()) {
      a.municipality = q.getColumn(1).getString();
    }
    a.requests = q.getColumn(2).getInt64();
    a.loans = q.getColumn(3).getInt64();
    if (a.requests > 0 || a.loans > 0) {
      out.push_back(std::move(a));
    }
  }
  return out;
}

struct Tally {
  std::int64_t borrowers = 0;
  std::int64_t requests = 0;
  std::int64_t loans = 0;
  void add(const Activity& a) {
    ++borrowers;
    requests += a.requests;
    loans += a.loans;
  }
};

double share_percent(std::int64_t part, std::int64_t whole) {
  return whole == 0 ? 0.0 : 100.0 * static_cast<double>(part) / static_cast<double>(whole);
}

// An indicator's value on `day` (shares in percent).
double measure(db::Database& db, const config::Config& c, const std::string& indicator,
               text::Date day) {
  const std::string d = text::format_date(day);
  const auto count = [&](const char* sql) {
    SQLite::Statement q(db.sql(), sql);
    q.bind(1, d);
    q.executeStep();
    return q.getColumn(0).getInt64();
  };
  if (indicator == "experts") {
    return static_cast<double>(count("SELECT count(*) FROM expert WHERE interviewed_on <= ?1"));
  }
  if (indicator == "requests") {
    return static_cast<double>(count("SELECT count(*) FROM request WHERE received_on <= ?1"));
  }
  if (indicator == "loans") {
    return static_cast<double>(count("SELECT count(*) FROM loan WHERE carried_out_on <= ?1"));
  }
  if (indicator == "borrowers") {
    return static_cast<double>(
        count("SELECT count(DISTINCT r.borrower_id) FROM loan l JOIN request r ON r.id = "
              "l.request_id WHERE l.carried_out_on <= ?1"));
  }
  if (indicator == "municipalities_reached") {
    SQLite::Statement q(db.sql(), R"sql(
      SELECT DISTINCT b.municipality FROM loan l JOIN request r ON r.id = l.request_id
      JOIN borrower b ON b.id = r.borrower_id
      WHERE l.carried_out_on <= ?1 AND b.municipality IS NOT NULL)sql");
    q.bind(1, d);
    int reached = 0;
    while (q.executeStep()) {
      const auto name = q.getColumn(0).getString();
      const auto& all = c.county.municipalities;
      reached += std::find(all.begin(), all.end(), name) != all.end() ? 1 : 0;
    }
    return reached;
  }
  if (indicator == "finished_followups_share") {
    const auto loans = count("SELECT count(*) FROM loan WHERE carried_out_on <= ?1");
    const auto held = count(
        "SELECT count(*) FROM loan l JOIN followup f ON f.request_id = l.request_id "
        "WHERE l.carried_out_on <= ?1 AND f.held_on <= ?1");
    return share_percent(held, loans);
  }
  // everyday_experience_share: experts in the register then (not erased) with an everyday
  // experience, as they felt it or in an area the taxonomy marks as everyday.
  SQLite::Statement q(db.sql(), R"sql(
    SELECT e.id, x.area, x.magnitude FROM living_expert e LEFT JOIN experience x ON x.expert_id = e.id
    WHERE e.interviewed_on <= ?1 ORDER BY e.id)sql");
  q.bind(1, d);
  std::set<std::int64_t> all;
  std::set<std::int64_t> everyday;
  while (q.executeStep()) {
    const auto id = q.getColumn(0).getInt64();
    all.insert(id);
    if (q.getColumn(1).isNull()) {
      continue;
    }
    const auto* area = config::find_term(c.areas, q.getColumn(1).getString());
    if (q.getColumn(2).getString() == "everyday" || (area != nullptr && area->everyday)) {
      everyday.insert(id);
    }
  }
  return share_percent(static_cast<std::int64_t>(everyday.size()),
                       static_cast<std::int64_t>(all.size()));
}

const char* indicator_label(const std::string& indicator) {
  static const std::map<std::string, const char*> labels{
      {"experts", N_("Experts recruited")},
      {"borrowers", N_("Organisations that borrowed")},
      {"requests", N_("Requests received")},
      {"loans", N_("Loans carried out")},
      {"municipalities_reached", N_("Municipalities of the county that borrowed")},
      {"finished_followups_share", N_("Loans followed up (%)")},
      {"everyday_experience_share", N_("Experts with an everyday experience (%)")},
  };
  const auto it = labels.find(indicator);
  return it == labels.end() ? "" : it->second;
}

}  // namespace

output::Table borrowers_report(db::Database& db, const config::Config& c, const Period& period) {
  output::Table t{
      {"row", "group", "borrowers", "requests", "loans", "reached", "municipalities", "outreach"},
      {}};
  t.labels = {say(c, N_("Counted by")),
              say(c, N_("Group")),
              say(c, N_("Borrowers")),
              say(c, N_("Requests")),
              say(c, N_("Loans")),
              say(c, N_("Municipalities that borrowed")),
              say(c, N_("Municipalities in the county")),
              say(c, N_("Outreach"))};
  const auto rows = activity(db, period);
  const output::Term by_sector{std::string("sector"), say(c, N_("Sector"))};
  const output::Term by_municipality{std::string("municipality"), say(c, N_("Municipality"))};
  const auto push = [&](const output::Term& row, output::Value group, const Tally& n) {
    t.rows.push_back({row, std::move(group), n.borrowers, n.requests, n.loans, {}, {}, {}});
  };
  // Sectors in the configured order, then any stored key no longer configured, then none.
  std::map<std::string, Tally> sectors;
  Tally no_sector;
  std::map<std::string, Tally> places;
  Tally no_place;
  Tally total;
  for (const auto& a : rows) {
    (a.sector ? sectors[*a.sector] : no_sector).add(a);
    (a.municipality ? places[*a.municipality] : no_place).add(a);
    total.add(a);
  }
  for (const auto& s : c.sectors) {
    push(by_sector, output::Term{s.key, c.label(s)}, sectors[s.key]);
  }
  for (const auto& [key, n] : sectors) {
    if (config::find_term(c.sectors, key) == nullptr) {
      push(by_sector, output::Term{key, key}, n);
    }
  }
  if (no_sector.borrowers > 0) {
    push(by_sector, output::Term{{}, say(c, N_("Not given"))}, no_sector);
  }
  std::int64_t reached = 0;
  for (const auto& name : c.county.municipalities) {
    const Tally& n = places[name];
    reached += n.loans > 0 ? 1 : 0;
    push(by_municipality, name, n);
  }
  for (const auto& [name, n] : places) {
    const auto& all = c.county.municipalities;
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      push(by_municipality, name, n);
    }
  }
  if (no_place.borrowers > 0) {
    push(by_municipality, output::Term{{}, say(c, N_("The whole county, or not given"))}, no_place);
  }
  t.rows.push_back({output::Term{std::string("total"), say(c, N_("Total"))}, output::Term{{}, ""},
                    total.borrowers, total.requests, total.loans, reached,
                    static_cast<std::int64_t>(c.county.municipalities.size()), output::Value{}});
  // What followed each outreach activity: the requests of its sector's borrowers (all, when it
  // named no sector) in the configured months after it, and their loans.
  const output::Term after{std::string("outreach"), say(c, N_("After outreach"))};
  for (const auto& f : outreach::follow_through(db, c, period)) {
    const auto* term = f.sector ? config::find_term(c.sectors, *f.sector) : nullptr;
    const std::string sector = term != nullptr ? c.label(*term)
                               : f.sector      ? *f.sector
                                               : say(c, N_("every sector"));
    t.rows.push_back({after,
                      output::Term{{},
                                   i18n::tr_format_in(c.language, "{} {} ({}), until {}",
                                                      text::format_date(f.on),
                                                      outreach::kind_label(f.kind, c.language),
                                                      sector, text::format_date(f.until))},
                      f.borrowers, f.requests, f.loans, output::Value{}, output::Value{}, f.id});
  }
  return t;
}

output::Table goals_report(db::Database& db, const config::Config& c, text::Date today) {
  output::Table t{{"indicator", "goal", "by", "target", "actual", "gap", "reached"}, {}};
  t.labels = {say(c, N_("Indicator")), say(c, N_("Goal")),   say(c, N_("By")),
              say(c, N_("Target")),    say(c, N_("Actual")), say(c, N_("Gap")),
              say(c, N_("Reached"))};
  t.people_only = {"goal"};
  for (const auto& g : c.goals) {
    const bool share = g.indicator.ends_with("_share");
    const double target = share ? 100.0 * g.target : g.target;
    const double actual = measure(db, c, g.indicator, std::min(g.by, today));
    const double gap = std::max(0.0, target - actual);
    const auto number = [share](double v) {
      return share ? output::Value{v} : output::Value{static_cast<std::int64_t>(v + 0.5)};
    };
    const std::string& words = c.label(g);
    const bool reached = actual >= target;
    t.rows.push_back({output::Term{g.indicator, say(c, indicator_label(g.indicator))},
                      words.empty() ? output::Value{} : output::Value{words},
                      text::format_date(g.by), number(target), number(actual), number(gap),
                      output::Term{reached, reached ? say(c, N_("Yes")) : say(c, N_("No"))}});
  }
  return t;
}

}  // namespace lbib::reports

// SPDX-License-Identifier: MIT
#include "lbib/lending/matching.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {
namespace {

// Eligible experts: active, mailing consent in force, within the request's constraints, and
// either picked or having at least one wanted experience (any experience if none is wanted).
// Parameters: ?1 request id, ?2 year of the request (for age limits), ?3 min age, ?4 max age,
// ?5 municipality, ?6 start of the rotation window.
constexpr const char* candidates_sql = R"sql(
WITH fits AS (
  -- Computed once: every expert with a wanted experience. (Checking each expert in turn
  -- would scan the area's experiences once per expert.)
  SELECT DISTINCT x.expert_id AS id FROM request_experience w
  JOIN experience x ON x.area = w.area AND (w.role IS NULL OR w.role = x.role)
  WHERE w.request_id = ?1
)
SELECT e.id, e.name, e.email,
       EXISTS (SELECT 1 FROM request_pick p WHERE p.request_id = ?1 AND p.expert_id = e.id),
       (SELECT count(*) FROM invitation i JOIN dispatch d ON d.id = i.dispatch_id
          WHERE i.expert_id = e.id AND d.sent_on >= ?6),
       (SELECT count(*) FROM invitation i WHERE i.expert_id = e.id),
       (SELECT count(*) FROM loan_participant lp WHERE lp.expert_id = e.id),
       EXISTS (SELECT 1 FROM invitation i WHERE i.expert_id = e.id AND i.request_id = ?1)
FROM expert e
WHERE e.status = 'active' AND e.erased_on IS NULL
  AND EXISTS (SELECT 1 FROM consent c WHERE c.expert_id = e.id AND c.purpose = 'mailing'
                AND c.withdrawn_on IS NULL)
  AND (
    e.id IN (SELECT expert_id FROM request_pick WHERE request_id = ?1)
    OR (
      (?3 IS NULL OR (e.birth_year IS NOT NULL AND ?2 - e.birth_year >= ?3))
      AND (?4 IS NULL OR (e.birth_year IS NOT NULL AND ?2 - e.birth_year <= ?4))
      AND (?5 IS NULL OR e.municipality = ?5)
      AND (NOT EXISTS (SELECT 1 FROM request_experience w WHERE w.request_id = ?1)
           OR e.id IN fits)))
ORDER BY e.id
)sql";

// The candidates' experiences that match a wanted one, in one query.
constexpr const char* why_sql = R"sql(
SELECT x.expert_id, x.role, x.area
FROM experience x JOIN request_experience w
  ON w.area = x.area AND (w.role IS NULL OR w.role = x.role)
WHERE w.request_id = ?1
ORDER BY x.expert_id, x.role, x.area
)sql";

}  // namespace

MatchResult match(db::Database& db, const Request& r, text::Date today) {
  const RequestDetails& d = r.details;
  MatchResult result;
  result.wanted = d.experts_wanted;

  SQLite::Statement q(db.sql(), candidates_sql);
  q.bind(1, r.id);
  q.bind(2, static_cast<int>(r.received_on.year()));
  d.min_age ? q.bind(3, *d.min_age) : q.bind(3);
  d.max_age ? q.bind(4, *d.max_age) : q.bind(4);
  d.municipality ? q.bind(5, *d.municipality) : q.bind(5);
  q.bind(6, text::format_date(text::add_days(today, -365)));
  std::map<std::int64_t, std::size_t> index;
  while (q.executeStep()) {
    Candidate c;
    c.expert_id = q.getColumn(0).getInt64();
    c.name = q.getColumn(1).getString();
    c.email = q.getColumn(2).getString();
    c.picked = q.getColumn(3).getInt() != 0;
    c.invited_last_year = q.getColumn(4).getInt();
    c.invited_total = q.getColumn(5).getInt();
    c.took_part_total = q.getColumn(6).getInt();
    c.invited_here = q.getColumn(7).getInt() != 0;
    index[c.expert_id] = result.candidates.size();
    result.candidates.push_back(std::move(c));
  }

  // Which wanted experiences each candidate has; count fit per wanted entry.
  std::map<std::string, int> per_wanted;
  for (const auto& w : d.wanted) {
    per_wanted[describe(w)] = 0;
  }
  SQLite::Statement why(db.sql(), why_sql);
  why.bind(1, r.id);
  std::map<std::int64_t, std::vector<std::string>> seen_wanted;
  while (why.executeStep()) {
    const auto it = index.find(why.getColumn(0).getInt64());
    if (it == index.end()) {
      continue;
    }
    Candidate& c = result.candidates[it->second];
    const std::string role = why.getColumn(1).getString();
    const std::string area = why.getColumn(2).getString();
    c.why.push_back(role + ":" + area);
    for (const auto& w : d.wanted) {
      if (w.area == area && (!w.role || *w.role == role)) {
        auto& seen = seen_wanted[c.expert_id];
        const std::string key = describe(w);
        if (std::find(seen.begin(), seen.end(), key) == seen.end()) {
          seen.push_back(key);
          ++c.fit;
          ++per_wanted[key];
        }
      }
    }
  }
  for (auto& c : result.candidates) {
    if (c.picked) {
      // Reasons are few: a rotate keeps the new first one without GCC 12's false
      // -Warray-bounds on vector<string>::insert at the front.
      c.why.emplace_back("picked by the borrower");
      std::rotate(c.why.begin(), c.why.end() - 1, c.why.end());
    }
  }

  std::stable_sort(result.candidates.begin(), result.candidates.end(),
                   [](const Candidate& a, const Candidate& b) {
                     if (a.picked != b.picked) {
                       return a.picked;
                     }
                     if (a.fit != b.fit) {
                       return a.fit > b.fit;
                     }
                     if (a.invited_last_year != b.invited_last_year) {
                       return a.invited_last_year < b.invited_last_year;
                     }
                     if (a.invited_total != b.invited_total) {
                       return a.invited_total < b.invited_total;
                     }
                     return a.expert_id < b.expert_id;
                   });

  const int found = static_cast<int>(result.candidates.size());
  if (found < d.experts_wanted) {
    result.shortfall.push_back(
        i18n::tr_format("{} of the {} experts wanted match this request", found, d.experts_wanted));
    for (const auto& [wanted, count] : per_wanted) {
      if (count == 0) {
        const bool limited = d.min_age || d.max_age || d.municipality;
        result.shortfall.push_back(
            limited ? i18n::tr_format("no active expert with mailing consent fits the "
                                      "experience {} within the request's limits",
                                      wanted)
                    : i18n::tr_format(
                          "no active expert with mailing consent fits the experience {}", wanted));
      }
    }
  }
  return result;
}

output::Table candidates_table(const MatchResult& result) {
  output::Table t{{"expert", "name", "email", "fit", "why", "invited_12m", "invited_total",
                   "took_part", "invited_here"},
                  {}};
  for (const auto& c : result.candidates) {
    t.rows.push_back(
        {c.expert_id, c.name, c.email.empty() ? output::Value{} : output::Value{c.email},
         std::int64_t{c.fit}, text::join(c.why, " "), std::int64_t{c.invited_last_year},
         std::int64_t{c.invited_total}, std::int64_t{c.took_part_total}, c.invited_here});
  }
  return t;
}

}  // namespace lbib::lending

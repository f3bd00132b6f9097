// SPDX-License-Identifier: MIT
#include "lbib/lending/matching.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <map>

#include "lbib/lending/views.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {

using i18n::N_;

namespace {

// Eligible experts: active (or paused, to say so), mailing consent in force, within the request's
// constraints, and either picked or having at least one wanted experience (any experience if none
// is wanted). Parameters: ?1 request id, ?2 year of the request (for age limits), ?3 min age, ?4
// max age, ?5 municipality, ?6 start of the rotation window. {} is which experts are looked at
// (candidates_from_wanted or candidates_from_all): when experiences are wanted, only those who
// have one or were picked, each found by id, instead of every active expert being read and
// checked (for a request about one area, a tenth of the register); the unary + keeps SQLite from
// walking the status index instead. The rest of the WHERE clause decides, as for everyone.
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
       EXISTS (SELECT 1 FROM invitation i WHERE i.expert_id = e.id AND i.request_id = ?1),
       e.status = 'paused'
FROM living_expert e
WHERE {}
  AND EXISTS (SELECT 1 FROM active_consent c WHERE c.expert_id = e.id AND c.purpose = 'mailing')
  -- A person recruited for one assignment consented to that request only, until they join.
  AND NOT EXISTS (SELECT 1 FROM assignment_recruit a WHERE a.expert_id = e.id
                    AND a.joined_on IS NULL AND a.request_id <> ?1)
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
constexpr const char* candidates_from_wanted =
    "e.id IN (SELECT id FROM fits UNION ALL SELECT expert_id FROM request_pick WHERE request_id = "
    "?1) AND +e.status IN ('active', 'paused')";
constexpr const char* candidates_from_all = "e.status IN ('active', 'paused')";

// The candidates' experiences that match a wanted one, in one query.
constexpr const char* why_sql = R"sql(
SELECT x.expert_id, x.role, x.area
FROM experience x JOIN request_experience w
  ON w.area = x.area AND (w.role IS NULL OR w.role = x.role)
WHERE w.request_id = ?1
ORDER BY x.expert_id, x.role, x.area
)sql";

// Requests an expert was sent from a day on, other than this one (for a cap).
constexpr const char* invited_since_sql = R"sql(
SELECT count(*) FROM invitation i JOIN dispatch d ON d.id = i.dispatch_id
WHERE i.expert_id = ?1 AND d.sent_on >= ?2 AND i.request_id <> ?3
)sql";

// Moves the candidates whose pause or wishes leave them out of `r` into result.left_out.
void apply_wishes(db::Database& db, const Request& r, text::Date today,
                  const std::vector<bool>& paused, MatchResult& result) {
  const auto wishes = experts::all_wishes(db);
  experts::Ask ask;
  ask.form = r.details.form;
  ask.digital = r.details.digital;
  for (const auto& w : r.details.wanted) {
    ask.areas.push_back(w.area);
  }
  std::vector<Candidate> kept;
  for (std::size_t i = 0; i < result.candidates.size(); ++i) {
    Candidate& c = result.candidates[i];
    LeftOutExpert out{c.expert_id, c.name, experts::LeftOut::paused, {}, {}};
    std::optional<experts::LeftOut> reason;
    if (paused[i]) {
      reason = experts::LeftOut::paused;
    } else if (const auto it = wishes.find(c.expert_id); it != wishes.end()) {
      const experts::Wishes& w = it->second;
      ask.invited_in_period = 0;
      if (w.max_requests) {
        SQLite::Statement q(db.sql(), invited_since_sql);
        q.bind(1, c.expert_id);
        q.bind(2, text::format_date(experts::period_start(w.per, today)));
        q.bind(3, r.id);
        q.executeStep();
        ask.invited_in_period = q.getColumn(0).getInt();
      }
      reason = experts::left_out(w, ask, today);
      if (reason == experts::LeftOut::paused_until) {
        out.until = w.paused_until;
      } else if (reason == experts::LeftOut::form_unwanted ||
                 reason == experts::LeftOut::form_not_wanted) {
        out.key = ask.form;
      } else if (reason == experts::LeftOut::area_avoided) {
        for (const auto& a : ask.areas) {
          if (std::find(w.areas_avoided.begin(), w.areas_avoided.end(), a) !=
              w.areas_avoided.end()) {
            out.key = a;
            break;
          }
        }
      } else if (reason == experts::LeftOut::cap_reached) {
        out.key = std::string(experts::to_string(w.per));
      }
    }
    if (reason) {
      out.reason = *reason;
      result.left_out.push_back(std::move(out));
    } else {
      kept.push_back(std::move(c));
    }
  }
  result.candidates = std::move(kept);
}

}  // namespace

MatchResult match(db::Database& db, const Request& r, text::Date today) {
  const RequestDetails& d = r.details;
  MatchResult result;
  result.wanted = d.experts_wanted;

  SQLite::Statement q(db.sql(),
                      fmt::format(fmt::runtime(candidates_sql),
                                  d.wanted.empty() ? candidates_from_all : candidates_from_wanted));
  q.bind(1, r.id);
  q.bind(2, static_cast<int>(r.received_on.year()));
  d.min_age ? q.bind(3, *d.min_age) : q.bind(3);
  d.max_age ? q.bind(4, *d.max_age) : q.bind(4);
  d.municipality ? q.bind(5, *d.municipality) : q.bind(5);
  q.bind(6, text::format_date(text::add_days(today, -365)));
  std::map<std::int64_t, std::size_t> index;
  std::vector<bool> paused;
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
    paused.push_back(q.getColumn(8).getInt() != 0);
    index[c.expert_id] = result.candidates.size();
    result.candidates.push_back(std::move(c));
  }

  // Their answers to this request, once invited (issue #15).
  SQLite::Statement answers(db.sql(), "SELECT expert_id, answer FROM answer WHERE request_id = ?");
  answers.bind(1, r.id);
  while (answers.executeStep()) {
    if (const auto it = index.find(answers.getColumn(0).getInt64()); it != index.end()) {
      result.candidates[it->second].answer = answers.getColumn(1).getString();
    }
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

  apply_wishes(db, r, today, paused, result);
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
    if (!result.left_out.empty()) {
      result.shortfall.push_back(i18n::tr_format(
          "{} more fit but are left out by their wishes, a cap or a pause (lbib match {} "
          "--left-out shows why)",
          result.left_out.size(), r.id));
    }
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

output::Table candidates_header() {
  return {{"expert", "name", "email", "fit", "why", "invited_12m", "invited_total", "took_part",
           "invited_here", "answer"},
          {}};
}

std::vector<output::Value> candidate_row(const Candidate& c) {
  return {c.expert_id,
          c.name,
          c.email.empty() ? output::Value{} : output::Value{c.email},
          std::int64_t{c.fit},
          text::join(c.why, " "),
          std::int64_t{c.invited_last_year},
          std::int64_t{c.invited_total},
          std::int64_t{c.took_part_total},
          c.invited_here,
          c.answer ? output::Value{answer_term(*c.answer)} : output::Value{}};
}

output::Table candidates_table(const MatchResult& result) {
  output::Table t = candidates_header();
  for (const auto& c : result.candidates) {
    t.rows.push_back(candidate_row(c));
  }
  return t;
}

output::Table left_out_table(const MatchResult& result, const std::string& language) {
  output::Table t{{"expert", "name", "reason", "paused_until", "key"}, {}};
  for (const auto& x : result.left_out) {
    const char* label = "";
    switch (x.reason) {
      case experts::LeftOut::paused:
        label = N_("paused");
        break;
      case experts::LeftOut::paused_until:
        label = N_("paused until a date");
        break;
      case experts::LeftOut::setting:
        label = N_("wants digital or in person, not as asked");
        break;
      case experts::LeftOut::form_unwanted:
        label = N_("does not want this form");
        break;
      case experts::LeftOut::form_not_wanted:
        label = N_("wants other forms");
        break;
      case experts::LeftOut::area_avoided:
        label = N_("would rather not be asked about this area");
        break;
      case experts::LeftOut::cap_reached:
        label = N_("has had as many requests this period as wanted");
        break;
    }
    t.rows.push_back(
        {x.expert_id, x.name,
         output::Term{std::string(experts::to_string(x.reason)), i18n::tr_in(language, label)},
         output::maybe(x.until), output::maybe(x.key)});
  }
  return t;
}

}  // namespace lbib::lending

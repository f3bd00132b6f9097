// SPDX-License-Identifier: MIT
// Table 1 and the reports the final report's discussion shows were missing.
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <initializer_list>
#include <map>
#include <numeric>

#include "lbib/followup/followups.hpp"
#include "lbib/governance/governance.hpp"
#include "lbib/inbox/mime.hpp"
#include "lbib/outreach/outreach.hpp"
#include "lbib/reports/reports.hpp"

namespace lbib::reports {
namespace {

std::string lo(const Period& p) {
  return first_day(p);
}
std::string hi(const Period& p) {
  return last_day(p);
}

// Why a request ended without a loan, as people read it; the key when lbib knows no words.
std::string reason_label(const config::Config& c, const std::string& reason) {
  static const std::map<std::string, const char*> labels{
      {"no-response", N_("Asked for more detail, no response")},
      {"no-match", N_("No experts with the right experience")},
      {"too-few-participants", N_("Cancelled: too few participants")},
      {"by-borrower", N_("Cancelled by the borrower")},
      {"library-closing", N_("Cancelled: the library is closing")},
  };
  const auto it = labels.find(reason);
  return it == labels.end() ? reason : say(c, it->second);
}

// `english` in a context of po/sv.po, in the report's language.
std::string say_in(const config::Config& c, const char* context, const char* english) {
  return i18n::tr_in_context(c.language, context, english);
}

std::string term_label(const config::Config& c, const std::vector<config::Term>& terms,
                       const std::string& key) {
  const auto* t = config::find_term(terms, key);
  return t != nullptr ? c.label(*t) : key;
}

double percent(int part, int whole) {
  return whole == 0 ? 0.0 : 100.0 * part / whole;
}

// Whether a request of Table 1 in `period` falls in a phase with a name: the phase is that of
// the day it arrived (the last of the configured phases it falls in), so each day once.
bool any_phase_named(db::Database& db, const config::Config& c, const Period& period) {
  if (c.phases.empty()) {
    return false;
  }
  SQLite::Statement q(db.sql(),
                      "SELECT DISTINCT r.received_on FROM request r "
                      "JOIN borrower b ON b.id = r.borrower_id "
                      "WHERE r.received_on BETWEEN ?1 AND ?2");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  while (q.executeStep()) {
    const auto received = text::parse_date("received_on", q.getColumn(0).getString());
    std::string label;
    for (const auto& p : c.phases) {
      if (!(received < p.from) && !(p.to < received)) {
        label = c.label(p);
      }
    }
    if (!label.empty()) {
      return true;
    }
  }
  return false;
}

// Whether a loan of a request of Table 1 in `period` had an expert who signed up and did not
// come: only then do "signed up" and "experts who took part" differ in a row.
bool any_no_show(db::Database& db, const Period& period) {
  // From the no-shows, which are few: not a pass over every request.
  SQLite::Statement q(db.sql(),
                      "SELECT EXISTS (SELECT 1 FROM loan_no_show n "
                      "JOIN request r ON r.id = n.request_id "
                      "JOIN borrower b ON b.id = r.borrower_id "
                      "JOIN loan l ON l.request_id = r.id "
                      "WHERE r.received_on BETWEEN ?1 AND ?2)");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  return q.executeStep() && q.getColumn(0).getInt() != 0;
}

}  // namespace

output::Table requests_header(const config::Config& c) {
  output::Table t{
      {"nr", "request", "phase", "received_on", "borrower", "purpose", "to_experts", "comment",
       "form", "signed_up", "experts", "external", "followup", "state", "reason"},
      {}};
  t.labels = {say(c, N_("No.")),
              say(c, N_("Request")),
              say(c, N_("Phase")),
              say(c, N_("Received")),
              say(c, N_("Request from")),
              say(c, N_("Purpose")),
              say(c, N_("Sent to experts")),
              say(c, N_("Comment")),
              say(c, N_("Form")),
              say(c, N_("Signed up")),
              say(c, N_("Experts who took part")),
              say(c, N_("External participants")),
              say(c, N_("Follow-up")),
              "state",
              "reason"};
  // People read the reason a request ended in the comment column; programs get its key.
  t.data_only = {"state", "reason"};
  // At a narrow terminal the counts and the running number go first, so the request, its day,
  // borrower, purpose and comment stay readable (--wide shows everything).
  t.narrow_drop = {"nr", "phase", "followup", "external", "experts", "form", "to_experts"};
  return t;
}

void each_request_row(db::Database& db, const config::Config& c, const Period& period,
                      FreeText free_text,
                      const std::function<void(std::vector<output::Value>)>& visit) {
  const bool with_text = free_text == FreeText::include;
  // The words every row repeats, looked up in the catalogue once.
  const std::string yes = say(c, N_("Yes"));
  const std::string no = say(c, N_("No"));
  const std::string planned = say(c, N_("Planned"));
  SQLite::Statement q(db.sql(), R"sql(
    SELECT r.id, r.received_on, b.organisation || coalesce(', ' || b.unit, ''), r.purpose,
           EXISTS (SELECT 1 FROM dispatch d WHERE d.request_id = r.id),
           (SELECT e.note FROM request_event e WHERE e.request_id = r.id AND e.note IS NOT NULL
              AND e.correction IS NULL ORDER BY e.id DESC LIMIT 1),
           r.state_reason, r.state, coalesce(l.form, r.form), l.request_id IS NOT NULL,
           (SELECT count(*) FROM loan_participant p WHERE p.request_id = r.id),
           l.external_participants, f.held_on IS NOT NULL,
           (SELECT count(*) FROM loan_no_show n WHERE n.request_id = r.id)
    FROM request r JOIN borrower b ON b.id = r.borrower_id
    LEFT JOIN loan l ON l.request_id = r.id
    LEFT JOIN followup f ON f.request_id = r.id
    WHERE r.received_on BETWEEN ?1 AND ?2
    ORDER BY r.received_on, r.id)sql");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  const std::string withdrawn = say(c, N_("Withdrawn by the borrower"));
  // Rows come in the order they were received: the phase is looked up once a day. A form's
  // and a reason's words are looked up once each.
  std::string day;
  output::Term phase;
  std::map<std::string, output::Term, std::less<>> forms;
  std::map<std::string, std::string, std::less<>> reasons;
  std::int64_t nr = 0;
  while (q.executeStep()) {
    const SQLite::Column received_on = q.getColumn(1);
    const char* received = received_on.getText();
    if (day != received) {
      day = received;
      const auto date = text::parse_date("received_on", day);
      phase = {};
      for (const auto& p : c.phases) {
        if (!(date < p.from) && !(p.to < date)) {
          phase = {p.key, c.label(p)};
        }
      }
    }
    const bool dispatched = q.getColumn(4).getInt() != 0;
    const SQLite::Column note_column = q.getColumn(5);
    const SQLite::Column reason_column = q.getColumn(6);
    std::string state = q.getColumn(7).getString();
    const bool has_note = with_text && !note_column.isNull() && note_column.size() > 0;
    output::Value reason =
        reason_column.isNull() ? output::Value{} : output::Value{reason_column.getString()};
    // The comment is the last note (free text); without one, people read why the request ended.
    output::Value comment;
    if (has_note) {
      comment = note_column.getString();
    } else if (const auto* key = std::get_if<std::string>(&reason)) {
      auto it = reasons.find(*key);
      if (it == reasons.end()) {
        it = reasons.emplace(*key, reason_label(c, *key)).first;
      }
      comment = output::Term{{}, it->second};
    } else if (state == "withdrawn") {
      comment = output::Term{{}, withdrawn};
    }
    const bool loan = q.getColumn(9).getInt() != 0;
    const bool followed_up = q.getColumn(12).getInt() != 0;
    output::Value form;
    if (const SQLite::Column f = q.getColumn(8); !f.isNull()) {
      const std::string_view key = f.getText();
      auto it = forms.find(key);
      if (it == forms.end()) {
        const std::string k(key);
        it = forms.emplace(k, output::Term{k, term_label(c, c.forms, k)}).first;
      }
      form = it->second;
    }
    std::vector<output::Value> row;
    row.reserve(15);
    row.emplace_back(++nr);
    row.emplace_back(q.getColumn(0).getInt64());
    row.emplace_back(phase);
    row.emplace_back(received_on.getString());
    row.emplace_back(q.getColumn(2).getString());
    if (const SQLite::Column purpose = q.getColumn(3); with_text && !purpose.isNull()) {
      row.emplace_back(purpose.getString());
    } else {
      row.emplace_back();
    }
    row.emplace_back(output::Term{dispatched, dispatched ? yes : no});
    row.push_back(std::move(comment));
    row.push_back(std::move(form));
    if (loan) {
      const std::int64_t took_part = q.getColumn(10).getInt64();
      row.emplace_back(took_part + q.getColumn(13).getInt64());
      row.emplace_back(took_part);
      row.emplace_back(q.getColumn(11).getInt64());
      row.emplace_back(followed_up ? output::Term{std::string("held"), yes}
                                   : output::Term{std::string("planned"), planned});
    } else {
      row.resize(row.size() + 4);
    }
    row.emplace_back(std::move(state));
    row.push_back(std::move(reason));
    visit(std::move(row));
  }
}

output::Table requests_report(db::Database& db, const config::Config& c, const Period& period,
                              FreeText free_text) {
  auto t = requests_header(c);
  each_request_row(db, c, period, free_text,
                   [&t](std::vector<output::Value> row) { t.rows.push_back(std::move(row)); });
  return t;
}

output::Table pool_report(db::Database& db, const config::Config& c) {
  output::Table t{{"area", "label", "patient", "user", "client", "relative", "experts", "gap",
                   "declined_no_match"},
                  {}};
  t.labels = {say(c, N_("Area")),
              say_in(c, "pool", "Label"),
              say(c, N_("Patient")),
              say(c, N_("User")),
              say(c, N_("Client")),
              say(c, N_("Relative")),
              say(c, N_("Experts")),
              say(c, N_("Gap (fewer than 2)")),
              say(c, N_("Declined: no match"))};
  t.people_only = {"label"};  // the area's words; programs read its key
  t.narrow_drop = {"area"};   // at a narrow terminal people read the words, not the key
  // Active experts with mailing consent, per area and role; and distinct experts per area.
  std::map<std::pair<std::string, std::string>, std::int64_t> by_role;
  std::map<std::string, std::int64_t> by_area;
  std::map<std::string, std::int64_t> declined;
  SQLite::Statement q(db.sql(), R"sql(
    SELECT x.area, x.role, count(DISTINCT x.expert_id) FROM experience x JOIN living_expert e ON e.id = x.expert_id
    WHERE e.status = 'active' AND EXISTS (SELECT 1 FROM active_consent c WHERE c.expert_id = e.id
      AND c.purpose = 'mailing')
    GROUP BY x.area, x.role)sql");
  while (q.executeStep()) {
    by_role[{q.getColumn(0).getString(), q.getColumn(1).getString()}] = q.getColumn(2).getInt64();
  }
  SQLite::Statement a(db.sql(), R"sql(
    SELECT x.area, count(DISTINCT x.expert_id) FROM experience x JOIN living_expert e ON e.id = x.expert_id
    WHERE e.status = 'active' AND EXISTS (SELECT 1 FROM active_consent c WHERE c.expert_id = e.id
      AND c.purpose = 'mailing')
    GROUP BY x.area)sql");
  while (a.executeStep()) {
    by_area[a.getColumn(0).getString()] = a.getColumn(1).getInt64();
  }
  SQLite::Statement d(db.sql(), R"sql(
    SELECT w.area, count(DISTINCT r.id) FROM request r JOIN request_experience w ON w.request_id = r.id
    WHERE r.state = 'declined' AND r.state_reason = 'no-match' GROUP BY w.area)sql");
  while (d.executeStep()) {
    declined[d.getColumn(0).getString()] = d.getColumn(1).getInt64();
  }
  for (const auto& area : c.areas) {
    const auto n = [&](const char* role) {
      const auto it = by_role.find({area.key, role});
      return it == by_role.end() ? std::int64_t{0} : it->second;
    };
    const std::int64_t total = by_area.count(area.key) != 0 ? by_area[area.key] : 0;
    t.rows.push_back({area.key, c.label(area), n("patient"), n("user"), n("client"), n("relative"),
                      total, total < 2, declined.count(area.key) != 0 ? declined[area.key] : 0});
  }
  return t;
}

output::Table experts_report(db::Database& db, const config::Config& c, text::Date today) {
  output::Table t{
      {"dimension", "category", "experts", "register_percent", "population_percent", "gap_points"},
      {}};
  t.labels = {say(c, N_("Dimension")),    say(c, N_("Category")),
              say(c, N_("Experts")),      say(c, N_("Register %")),
              say(c, N_("Population %")), say(c, N_("Difference (points)"))};
  struct Person {
    std::optional<int> birth_year;
    std::string born_abroad, care, retired;
    std::optional<std::string> municipality;
  };
  std::vector<Person> people;
  SQLite::Statement q(db.sql(),
                      "SELECT birth_year, born_abroad, care_professional, retired, municipality "
                      "FROM living_expert WHERE status <> 'left'");
  while (q.executeStep()) {
    Person p;
    if (!q.getColumn(0).isNull()) {
      p.birth_year = q.getColumn(0).getInt();
    }
    p.born_abroad = q.getColumn(1).getString();
    p.care = q.getColumn(2).getString();
    p.retired = q.getColumn(3).getString();
    if (!q.getColumn(4).isNull()) {
      p.municipality = q.getColumn(4).getString();
    }
    people.push_back(std::move(p));
  }
  const int total = static_cast<int>(people.size());
  const auto row = [&](const output::Term& dimension, const output::Value& category, int count,
                       std::optional<double> population) {
    const double reg = percent(count, total);
    t.rows.push_back({dimension, category, std::int64_t{count}, reg,
                      population ? output::Value{*population * 100} : output::Value{},
                      population ? output::Value{reg - *population * 100} : output::Value{}});
  };
  const output::Term age{std::string("age"), say(c, N_("age"))};
  const output::Term unknown{std::string("unknown"), say(c, N_("unknown"))};
  int unknown_age = 0;
  for (const auto& band : c.population.age_bands) {
    int n = 0;
    for (const auto& p : people) {
      const int a = p.birth_year ? static_cast<int>(today.year()) - *p.birth_year : -1;
      n += (a >= band.from && a <= band.to) ? 1 : 0;
    }
    row(age,
        output::Term{fmt::format("{}-{}", band.from, band.to),
                     fmt::format("{}–{}", band.from, band.to)},
        n, band.share);
  }
  for (const auto& p : people) {
    unknown_age += p.birth_year ? 0 : 1;
  }
  row(age, unknown, unknown_age, std::nullopt);
  const auto yes_no = [&](const char* key, const char* english, std::string Person::*field,
                          std::optional<double> share) {
    int yes = 0;
    int not_known = 0;
    for (const auto& p : people) {
      yes += p.*field == "yes" ? 1 : 0;
      not_known += p.*field == "unknown" ? 1 : 0;
    }
    const output::Term dimension{std::string(key), say(c, english)};
    row(dimension, output::Term{std::string("yes"), say(c, N_("yes"))}, yes, share);
    row(dimension, output::Term{std::string("unknown"), say_in(c, "answer", "unknown")}, not_known,
        std::nullopt);
  };
  yes_no("born_abroad", N_("born abroad"), &Person::born_abroad, c.population.born_abroad);
  yes_no("care_professional", N_("care professional"), &Person::care,
         c.population.care_professional);
  yes_no("retired", N_("retired"), &Person::retired, c.population.retired);
  // Named municipalities in order, then the experts whose municipality is not known.
  std::map<std::string, int> places;
  int unknown_place = 0;
  for (const auto& p : people) {
    if (p.municipality) {
      places[*p.municipality]++;
    } else {
      ++unknown_place;
    }
  }
  for (const auto& m : c.population.municipalities) {
    places.try_emplace(m.name, 0);
  }
  const output::Term municipality{std::string("municipality"), say(c, N_("municipality"))};
  for (const auto& [name, n] : places) {
    std::optional<double> share;
    for (const auto& m : c.population.municipalities) {
      if (m.name == name) {
        share = m.share;
      }
    }
    row(municipality, name, n, share);
  }
  if (unknown_place > 0) {
    row(municipality, unknown, unknown_place, std::nullopt);
  }
  return t;
}

output::Table followups_report(db::Database& db, const config::Config& c, const Period& period) {
  output::Table t{{"measure", "label", "count", "percent"}, {}};
  t.labels = {say(c, N_("Measure")), say_in(c, "followups", "Label"), say(c, N_("Count")),
              say(c, N_("Percent"))};
  t.people_only = {"label"};  // the measure's words; programs read its key
  SQLite::Statement q(db.sql(), R"sql(
    SELECT l.carried_out_on, f.held_on, f.satisfaction, f.new_insights, f.summary_sent_on,
           f.feedback_confirmed_on,
           (SELECT max(e.on_date) FROM request_event e WHERE e.request_id = l.request_id
              AND e.to_state = 'finished' AND e.correction IS NULL AND r.state = 'finished')
    FROM loan l JOIN request r ON r.id = l.request_id
    LEFT JOIN followup f ON f.request_id = l.request_id
    WHERE l.carried_out_on BETWEEN ?1 AND ?2)sql");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  int loans = 0, held = 0, insights = 0, summaries = 0, feedback = 0, finished = 0;
  std::array<int, 5> satisfaction{};
  std::vector<int> days;
  while (q.executeStep()) {
    ++loans;
    if (q.getColumn(1).isNull()) {
      continue;
    }
    ++held;
    satisfaction[static_cast<std::size_t>(q.getColumn(2).getInt() - 1)]++;
    insights += q.getColumn(3).getString() == "yes" ? 1 : 0;
    summaries += q.getColumn(4).isNull() ? 0 : 1;
    feedback += q.getColumn(5).isNull() ? 0 : 1;
    if (!q.getColumn(6).isNull()) {
      ++finished;
      days.push_back(text::days_between(text::parse_date("loan", q.getColumn(0).getString()),
                                        text::parse_date("finished", q.getColumn(6).getString())));
    }
  }
  const auto add = [&](const char* key, const std::string& label, int count, int of) {
    t.rows.push_back({std::string(key), label, std::int64_t{count}, percent(count, of)});
  };
  add("loans", say_in(c, "followups", "Loans carried out"), loans, loans);
  add("followed_up", say(c, N_("Loans followed up")), held, loans);
  for (int s = 5; s >= 1; --s) {
    add(("satisfaction_" + std::to_string(s)).c_str(),
        fmt::format("{}: {}", say(c, N_("Satisfaction")),
                    followup::satisfaction_label(s, c.language)),
        satisfaction[static_cast<std::size_t>(s - 1)], held);
  }
  add("new_insights", say(c, N_("The loan gave new insights")), insights, held);
  add("summary_sent", say(c, N_("Summary sent to the experts")), summaries, held);
  add("feedback_confirmed", say(c, N_("The borrower's feedback to the experts confirmed")),
      feedback, held);
  add("finished", say(c, N_("Loans finished")), finished, loans);
  std::sort(days.begin(), days.end());
  const std::int64_t median = days.empty() ? 0 : days[days.size() / 2];
  t.rows.push_back({std::string("days_to_finished_median"),
                    say(c, N_("Days from loan to finished (median)")),
                    days.empty() ? output::Value{} : output::Value{median}, output::Value{}});
  // The other side of each loan (issue #15): the experts' own view beside the borrower's.
  SQLite::Statement e(db.sql(), R"sql(
    SELECT count(*), count(q.expert_id), count(q.reminded_on),
           sum(q.replied_on IS NOT NULL
               OR EXISTS (SELECT 1 FROM questionnaire_answer a WHERE a.request_id = p.request_id
                            AND a.expert_id = p.expert_id))
    FROM loan_participant p JOIN loan l ON l.request_id = p.request_id
    LEFT JOIN questionnaire q ON q.request_id = p.request_id AND q.expert_id = p.expert_id
    WHERE l.carried_out_on BETWEEN ?1 AND ?2)sql");
  e.bind(1, lo(period));
  e.bind(2, hi(period));
  e.executeStep();
  const int took_part = e.getColumn(0).getInt();
  const int sent = e.getColumn(1).getInt();
  add("questionnaires_sent", say(c, N_("Experts sent the questionnaire")), sent, took_part);
  add("questionnaires_reminded", say(c, N_("Experts reminded of the questionnaire")),
      e.getColumn(2).getInt(), sent);
  add("questionnaires_answered", say(c, N_("Experts who answered the questionnaire")),
      e.getColumn(3).getInt(), took_part);
  SQLite::Statement b(db.sql(), R"sql(
    SELECT count(*) FROM loan l WHERE l.carried_out_on BETWEEN ?1 AND ?2
    AND EXISTS (SELECT 1 FROM borrower_survey_answer a WHERE a.request_id = l.request_id))sql");
  b.bind(1, lo(period));
  b.bind(2, hi(period));
  b.executeStep();
  add("borrower_surveys_answered", say(c, N_("Borrowers who answered the survey")),
      b.getColumn(0).getInt(), loans);
  // What each side answered, question by question: the answers that read as a yes (by the rule
  // that reads replies, inbox::first_words), as a percent of those who answered the question.
  // A free-text question ("how did it go?") shows how many answered; people read the answers
  // themselves in `lbib followup expert REQ`.
  const auto tally = [&](const char* side, const std::vector<config::Question>& questions,
                         const char* sql, const std::string& who) {
    for (const auto& question : questions) {
      SQLite::Statement a(db.sql(), sql);
      a.bind(1, lo(period));
      a.bind(2, hi(period));
      a.bind(3, question.key);
      int answered = 0, yes = 0;
      while (a.executeStep()) {
        ++answered;
        yes += inbox::first_words(a.getColumn(0).getString()) == inbox::Says::yes ? 1 : 0;
      }
      std::string key = question.key;
      std::replace(key.begin(), key.end(), '-', '_');
      t.rows.push_back(
          {fmt::format("{}_yes_{}", side, key),
           fmt::format("{}: {} {}", who, c.label(question), say(c, N_("(answered yes)"))),
           std::int64_t{yes}, percent(yes, answered)});
    }
  };
  tally("expert", c.expert_questions, R"sql(
    SELECT a.answer FROM questionnaire_answer a JOIN loan l ON l.request_id = a.request_id
    WHERE l.carried_out_on BETWEEN ?1 AND ?2 AND a.question = ?3)sql",
        say(c, N_("Experts")));
  tally("borrower", c.borrower_questions, R"sql(
    SELECT a.answer FROM borrower_survey_answer a JOIN loan l ON l.request_id = a.request_id
    WHERE l.carried_out_on BETWEEN ?1 AND ?2 AND a.question = ?3)sql",
        say(c, N_("Borrowers")));
  return t;
}

output::Table recruitment_report(db::Database& db, const config::Config& c, const Period& period) {
  output::Table t{{"year", "kind", "key", "label", "count", "outreach"}, {}};
  t.labels = {say(c, N_("Year")),         say(c, N_("Kind")),  say(c, N_("Key")),
              say_in(c, "pool", "Label"), say(c, N_("Count")), say(c, N_("Outreach"))};
  t.people_only = {"label"};  // the key's words
  SQLite::Statement q(db.sql(), R"sql(
    SELECT CAST(substr(interviewed_on, 1, 4) AS INTEGER) AS y, 'channel', channel, count(*)
    FROM expert WHERE interviewed_on BETWEEN ?1 AND ?2 GROUP BY y, channel
    UNION ALL
    SELECT CAST(substr(on_date, 1, 4) AS INTEGER) AS y, 'outreach', kind, count(*)
    FROM outreach WHERE on_date BETWEEN ?1 AND ?2 GROUP BY y, kind
    ORDER BY 1, 2, 3)sql");
  q.bind(1, lo(period));
  q.bind(2, hi(period));
  while (q.executeStep()) {
    const std::string kind = q.getColumn(1).getString();
    const std::string key = q.getColumn(2).getString();
    std::string label = key;
    if (kind == "channel") {
      label = term_label(c, c.channels, key);
    } else {
      label = outreach::kind_label(key, c.language);
    }
    t.rows.push_back({q.getColumn(0).getInt64(),
                      output::Term{kind, kind == "channel" ? say(c, N_("recruited via"))
                                                           : say(c, N_("outreach"))},
                      key, label, q.getColumn(3).getInt64(), output::Value{}});
  }
  // Recruited to the pool or for one assignment, and how many of the latter joined (issue #16).
  SQLite::Statement scope(db.sql(), R"sql(
    SELECT CAST(substr(e.interviewed_on, 1, 4) AS INTEGER) AS y, sum(a.expert_id IS NULL),
           sum(a.expert_id IS NOT NULL), sum(a.joined_on IS NOT NULL)
    FROM expert e LEFT JOIN assignment_recruit a ON a.expert_id = e.id
    WHERE e.interviewed_on BETWEEN ?1 AND ?2 GROUP BY y ORDER BY y)sql");
  scope.bind(1, lo(period));
  scope.bind(2, hi(period));
  const output::Term recruited{std::string("recruited"), say(c, N_("recruited"))};
  while (scope.executeStep()) {
    const auto year = scope.getColumn(0).getInt64();
    t.rows.push_back({year, recruited, std::string("pool"), say(c, N_("to the library's pool")),
                      scope.getColumn(1).getInt64(), output::Value{}});
    t.rows.push_back({year, recruited, std::string("assignment"), say(c, N_("for one assignment")),
                      scope.getColumn(2).getInt64(), output::Value{}});
    t.rows.push_back({year, recruited, std::string("assignment-joined"),
                      say(c, N_("for one assignment, then joined the library")),
                      scope.getColumn(3).getInt64(), output::Value{}});
  }
  // What followed each outreach activity in the months after it.
  const output::Term after{std::string("after-outreach"), say(c, N_("after outreach"))};
  for (const auto& f : outreach::follow_through(db, c, period)) {
    const std::string what = outreach::kind_label(f.kind, c.language);
    const auto year = static_cast<std::int64_t>(static_cast<int>(f.on.year()));
    const auto row = [&](const char* key, const std::string& label, std::int64_t n) {
      t.rows.push_back({year, after, std::string(key), label, n, f.id});
    };
    row("recruits",
        i18n::tr_format_in(c.language, "{} on {}: experts recruited by {}", what,
                           text::format_date(f.on), text::format_date(f.until)),
        f.recruits);
    row("requests",
        i18n::tr_format_in(c.language, "{} on {}: requests from its sector by {}", what,
                           text::format_date(f.on), text::format_date(f.until)),
        f.requests);
    row("target-requests",
        i18n::tr_format_in(c.language, "{} on {}: requests from its target organisations by {}",
                           what, text::format_date(f.on), text::format_date(f.until)),
        f.target_requests);
  }
  std::stable_sort(t.rows.begin(), t.rows.end(), [](const auto& a, const auto& b) {
    return std::get<std::int64_t>(a[0]) < std::get<std::int64_t>(b[0]);
  });
  return t;
}

namespace {

// "1 december 2026" or "1 December 2026": the day as a Swedish (or English) reader writes it.
std::string long_date(const config::Config& c, text::Date d) {
  static constexpr std::array<const char*, 12> months{
      N_("January"), N_("February"), N_("March"),     N_("April"),   N_("May"),      N_("June"),
      N_("July"),    N_("August"),   N_("September"), N_("October"), N_("November"), N_("December"),
  };
  return fmt::format("{} {} {}", static_cast<unsigned>(d.day()),
                     say(c, months.at(static_cast<unsigned>(d.month()) - 1)),
                     static_cast<int>(d.year()));
}

// The period a report covers, as its title names it: "2026", "2019–2022", or the days
// ("2026-01-01–2026-06-30") when the period is not whole years. An open end is named by the
// years the report shows.
std::string period_name(const Period& p, const Yearly& y) {
  const auto whole_year_start = [](text::Date d) {
    return d.month() == std::chrono::January && d.day() == std::chrono::day{1};
  };
  const auto whole_year_end = [](text::Date d) {
    return d.month() == std::chrono::December && d.day() == std::chrono::day{31};
  };
  if ((p.from && !whole_year_start(*p.from)) || (p.to && !whole_year_end(*p.to))) {
    return fmt::format("{}–{}", p.from ? text::format_date(*p.from) : std::string(),
                       p.to ? text::format_date(*p.to) : std::string());
  }
  if (y.rows.empty()) {
    return {};
  }
  const int first = y.rows.front().year;
  const int last = y.rows.back().year;
  return first == last ? std::to_string(first) : fmt::format("{}–{}", first, last);
}

}  // namespace

output::Document annual_report(db::Database& db, const config::Config& c, const Period& period,
                               text::Date today, FreeText free_text) {
  const auto y = yearly(db, period, false, today);
  output::Document d;
  d.language = c.language;
  d.title = fmt::format("{}: {} {}", c.library_name, say_in(c, "annual", "report"),
                        period_name(period, y));
  d.date = long_date(c, today);
  d.page_words = {say(c, N_("Page")), say(c, N_("of"))};
  using Kind = output::Document::Part::Kind;
  // Each takes English marked with N_, said in the report's language.
  const auto heading = [&](const char* english) {
    d.parts.push_back({Kind::heading, say(c, english), {}});
  };
  const auto paragraph = [&](const char* english) {
    d.parts.push_back({Kind::paragraph, say(c, english), {}});
  };
  const auto table = [&](output::Table t, const char* english) {
    d.parts.push_back({Kind::table, {}, std::move(t), say(c, english)});
  };

  if (!c.goals.empty()) {
    heading(N_("Goals"));
    table(goals_report(db, c, today), N_("The library's goals, what it achieved and the gap left"));
  }

  heading(N_("Experts, requests and loans per year"));
  d.parts.push_back({.kind = Kind::chart,
                     .text = {},
                     .table = {},
                     .caption = say(c, N_("Figure 3. Recruited, requests and loans per year")),
                     .chart = yearly_chart(y, c)});
  table(yearly_table(y, c), N_("The numbers of figure 3"));

  // Table 1 is too wide for portrait A4 at full size: it gets landscape pages of its own.
  const auto first_wide = d.parts.size();
  heading(N_("Requests"));
  // The page leaves out what does not fit A4 (the register's ids and dates), and the phase
  // when the configuration names none; table1.csv has all. Which columns show is asked of the
  // register first, so the rows are written as they are read, never held (a register of ten
  // years has 100,000 requests).
  const auto full = requests_header(c);
  auto requests = output::without(full, {"request", "received_on", "external"});
  if (!any_phase_named(db, c, period)) {
    requests = output::without(std::move(requests), {"phase"});
  }
  // "Signed up" only when someone signed up and did not come: otherwise it repeats the experts.
  if (!any_no_show(db, period)) {
    requests = output::without(std::move(requests), {"signed_up"});
  }
  std::vector<std::size_t> shown;  // the positions in a full row of the columns shown
  for (const auto& key : requests.columns) {
    shown.push_back(static_cast<std::size_t>(
        std::find(full.columns.begin(), full.columns.end(), key) - full.columns.begin()));
  }
  table(std::move(requests), N_("Table 1. Requests and how they went"));
  d.parts.back().rows = [&db, &c, period, free_text,
                         shown](const std::function<void(std::vector<output::Value>)>& visit) {
    each_request_row(db, c, period, free_text, [&](std::vector<output::Value> row) {
      std::vector<output::Value> cells;
      cells.reserve(shown.size());
      for (const auto i : shown) {
        cells.push_back(std::move(row[i]));
      }
      visit(std::move(cells));
    });
  };
  paragraph(
      N_("A dash (–) means there is nothing to give, such as the number of experts when a "
         "request led to no loan. A nought means the number was nought."));
  for (auto i = first_wide; i < d.parts.size(); ++i) {
    d.parts[i].wide = true;
  }

  heading(N_("Gaps in the pool"));
  auto pool = pool_report(db, c);
  std::erase_if(pool.rows, [](const auto& r) { return !std::get<bool>(r[7]); });
  if (pool.rows.empty()) {
    paragraph(N_("Every area has at least two active experts who agreed to be sent requests."));
  } else {
    paragraph(N_("Areas with fewer than two active experts who agreed to be sent requests."));
    table(output::without(pool, {"area", "gap"}), N_("Table 2. Areas with fewer than two experts"));
  }

  heading(N_("Follow-up of loans"));
  auto followups = output::without(followups_report(db, c, period), {"measure"});
  followups.units = {"", "", "%"};
  table(std::move(followups), N_("Table 3. Follow-up of the loans carried out"));

  // The library's governance and the inquiries it turned away (issue #16), when recorded.
  auto decisions = output::without(governance::decisions(db, c, period), {"id"});
  if (!decisions.rows.empty()) {
    heading(N_("Ownership and decisions"));
    if (free_text == FreeText::omit) {
      decisions = output::without(std::move(decisions), {"text"});
    }
    table(std::move(decisions), N_("Owner, mandate, reports to the steering group and decisions"));
  }
  auto inquiries = governance::inquiries_by_year(db, c, period);
  if (!inquiries.rows.empty()) {
    heading(N_("Inquiries turned away"));
    table(std::move(inquiries), N_("Would-be experts and borrowers the library turned away"));
  }
  return d;
}

}  // namespace lbib::reports

// SPDX-License-Identifier: MIT
#include "lbib/followup/followups.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "lbib/error.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::followup {

using i18n::N_;
namespace {

constexpr std::array<std::pair<Compensation, std::string_view>, 4> compensation_names{{
    {Compensation::paid, "paid"},
    {Compensation::arranged, "arranged"},
    {Compensation::not_arranged, "not-arranged"},
    {Compensation::not_applicable, "not-applicable"},
}};

std::optional<text::Date> opt_date(const SQLite::Column& c) {
  return c.isNull() ? std::nullopt
                    : std::optional<text::Date>(text::parse_date("date", c.getString()));
}

// The loan of a request that must have one; the message says what is missing.
lending::Loan loan_of(db::Database& db, std::int64_t request_id, std::string_view what) {
  lending::get_request(db, request_id);  // an unknown id is refused by name
  auto loan = lending::find_loan(db, request_id);
  if (!loan) {
    throw make_error(ExitCode::data,
                     "request {} has no loan recorded; {} comes after 'lbib loan {}'", request_id,
                     what, request_id);
  }
  return std::move(*loan);
}

void check_not_before_loan(const lending::Loan& loan, text::Date date) {
  if (date < loan.carried_out_on) {
    throw make_error(ExitCode::data, "date: {} is before the loan ({})", text::format_date(date),
                     text::format_date(loan.carried_out_on));
  }
}

// Once the summary was sent and the borrower's feedback confirmed, the loan is finished.
void finish_if_complete(db::WriteTransaction& tx, std::int64_t request_id, text::Date on) {
  const auto f = find(tx.database(), request_id);
  const auto r = lending::get_request(tx.database(), request_id);
  if (f && f->summary_sent_on && f->feedback_confirmed_on &&
      r.state == lending::State::followed_up) {
    lending::transition(tx, r, lending::Step::finish, lending::State::finished,
                        lending::StepInput{on, {}, {}, {}});
  }
}

std::string answers_text(const Followup& f, const config::Config& config) {
  std::vector<std::string> parts;
  for (const auto& q : config.followup_questions) {
    if (!q.summary) {
      continue;
    }
    for (const auto& [key, answer] : f.held->answers) {
      if (key == q.key) {
        parts.push_back(config.label(q) + "\n" + answer);
      }
    }
  }
  return text::join(parts, "\n\n");
}

}  // namespace

std::string_view to_string(Compensation c) {
  for (const auto& [v, n] : compensation_names) {
    if (v == c) {
      return n;
    }
  }
  return "?";
}

Compensation parse_compensation(std::string_view field, std::string_view s) {
  for (const auto& [v, n] : compensation_names) {
    if (n == s) {
      return v;
    }
  }
  throw make_error(
      ExitCode::data,
      "{}: '{}' is not accepted; use one of: paid, arranged, not-arranged, not-applicable", field,
      s);
}

std::string satisfaction_label(int value, std::string_view language) {
  static constexpr std::array<const char*, 5> words{
      N_("very dissatisfied"), N_("fairly dissatisfied"), N_("neither satisfied nor dissatisfied"),
      N_("fairly satisfied"), N_("very satisfied")};
  if (value < 1 || value > 5) {
    return "?";
  }
  return i18n::tr_in(language, words[static_cast<std::size_t>(value - 1)]);
}

void book(db::WriteTransaction& tx, std::int64_t request_id, text::Date date,
          const audit::Actor& actor) {
  const auto loan = loan_of(tx.database(), request_id, "the follow-up");
  const auto r = lending::get_request(tx.database(), request_id);
  if (r.state != lending::State::loan_carried_out) {
    throw make_error(ExitCode::data,
                     "request {} is {}; a follow-up meeting is booked while the request is "
                     "loan-carried-out",
                     request_id, lending::to_string(r.state));
  }
  check_not_before_loan(loan, date);
  // A meeting agreed on lies ahead, but not years ahead (a typo, 2062 for 2026).
  const auto latest = text::add_days(text::today(), 365);
  if (latest < date) {
    throw make_error(ExitCode::data,
                     "date: {} is more than a year ahead; a follow-up meeting is booked for a day "
                     "from the loan ({}) to {}",
                     text::format_date(date), text::format_date(loan.carried_out_on),
                     text::format_date(latest));
  }
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO followup (request_id, booked_for) VALUES (?1, ?2) "
                      "ON CONFLICT (request_id) DO UPDATE SET booked_for = excluded.booked_for");
  s.bind(1, request_id);
  s.bind(2, text::format_date(date));
  s.exec();
  audit::record(tx, actor, "followup-book", "request", request_id);
}

void check_answers(const config::Config& config, text::Date loan_on, const Answers& a,
                   text::Date today) {
  if (a.held_on < loan_on) {
    throw make_error(ExitCode::data, "date: {} is before the loan ({})",
                     text::format_date(a.held_on), text::format_date(loan_on));
  }
  if (today < a.held_on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a follow-up is recorded once it was held (today "
                     "{} or earlier); book a coming meeting with 'lbib followup book'",
                     text::format_date(a.held_on), text::format_date(today));
  }
  if (a.satisfaction < 1 || a.satisfaction > 5) {
    throw make_error(
        ExitCode::data,
        "satisfaction: a number from 1 (mycket missnöjd) to 5 (mycket nöjd) is accepted");
  }
  std::vector<std::string> missing;
  for (const auto& q : config.followup_questions) {
    const bool answered = std::any_of(a.answers.begin(), a.answers.end(),
                                      [&](const auto& kv) { return kv.first == q.key; });
    if (!answered) {
      missing.push_back(q.key);
    }
  }
  for (const auto& [key, answer] : a.answers) {
    const bool known =
        std::any_of(config.followup_questions.begin(), config.followup_questions.end(),
                    [&key = key](const auto& q) { return q.key == key; });
    if (!known) {
      std::vector<std::string> keys;
      for (const auto& q : config.followup_questions) {
        keys.push_back(q.key);
      }
      throw make_error(ExitCode::data, "answer: unknown question '{}'; the questions are: {}", key,
                       text::join(keys, ", "));
    }
    text::check_text(fmt::format("answer {}", key), answer, text::limits::notes);
    if (answer.empty()) {
      throw make_error(ExitCode::data, "answer {}: must not be empty", key);
    }
  }
  if (!missing.empty()) {
    throw make_error(ExitCode::data,
                     "answer: every follow-up question needs an answer; missing: {} "
                     "(give --answer KEY=TEXT)",
                     text::join(missing, ", "));
  }
  if (a.quotes) {
    text::check_text("quote", *a.quotes, text::limits::notes);
  }
}

void record(db::WriteTransaction& tx, const config::Config& config, std::int64_t request_id,
            const Answers& a, const audit::Actor& actor) {
  const auto loan = loan_of(tx.database(), request_id, "the follow-up");
  check_answers(config, loan.carried_out_on, a, text::today());
  const auto r = lending::get_request(tx.database(), request_id);
  lending::transition(tx, r, lending::Step::follow_up, lending::State::followed_up,
                      lending::StepInput{a.held_on, {}, {}, {}});
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO followup (request_id, booked_for, held_on, satisfaction, "
                      "new_insights, compensation, quotes) VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6) "
                      "ON CONFLICT (request_id) DO UPDATE SET held_on = excluded.held_on, "
                      "satisfaction = excluded.satisfaction, new_insights = excluded.new_insights, "
                      "compensation = excluded.compensation, quotes = excluded.quotes, "
                      "booked_for = coalesce(followup.booked_for, excluded.booked_for)");
  s.bind(1, request_id);
  s.bind(2, text::format_date(a.held_on));
  s.bind(3, a.satisfaction);
  s.bind(4, std::string(experts::to_string(a.new_insights)));
  s.bind(5, std::string(to_string(a.compensation)));
  a.quotes ? s.bind(6, *a.quotes) : s.bind(6);
  s.exec();
  SQLite::Statement ins(
      tx.sql(), "INSERT INTO followup_answer (request_id, question, answer) VALUES (?, ?, ?)");
  for (const auto& [key, answer] : a.answers) {
    ins.bind(1, request_id);
    ins.bind(2, key);
    ins.bind(3, answer);
    ins.exec();
    ins.reset();
  }
  audit::record(tx, actor, "followup-record", "request", request_id);
}

std::string summary_text(db::Database& db, const config::Config& config, std::int64_t request_id) {
  const auto f = find(db, request_id);
  return f && f->held ? answers_text(*f, config) : std::string();
}

namespace {

// Those who took part in the loan of `request`, may be mailed (mailable_expert) and have not had
// the summary: its Bcc, by id, with their addresses. remind's kinds summary and summary-told ask
// the same in SQL.
mailing::Recipients summary_due(db::Database& db, std::int64_t request) {
  SQLite::Statement q(db.sql(),
                      "SELECT m.id, m.email FROM loan_participant p "
                      "JOIN mailable_expert m ON m.id = p.expert_id WHERE p.request_id = ?1 "
                      "AND NOT EXISTS (SELECT 1 FROM summary_recipient s "
                      "WHERE s.request_id = ?1 AND s.expert_id = m.id) ORDER BY m.id");
  q.bind(1, request);
  mailing::Recipients due;
  while (q.executeStep()) {
    due.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
  }
  return due;
}

}  // namespace

void Summary::check(db::Database& db, text::Date on) const {
  loan_of(db, request_, "the summary");
  const auto f = find(db, request_);
  if (!f || !f->held) {
    throw make_error(ExitCode::data,
                     "request {}: the follow-up meeting is not recorded yet; run 'lbib followup "
                     "record {}' first",
                     request_, request_);
  }
  if (on < f->held->held_on) {
    throw make_error(ExitCode::data,
                     "date: the summary cannot be sent before the follow-up meeting ({})",
                     text::format_date(f->held->held_on));
  }
}

mailing::Draft Summary::draft(db::Database& db, const config::Config& config,
                              text::Date /*today*/) const {
  const auto loan = loan_of(db, request_, "the summary");
  if (loan.participants.empty()) {
    throw make_error(ExitCode::data,
                     "request {}: no expert from the library took part, so there is nobody to "
                     "send the summary to",
                     request_);
  }
  mailing::Draft d;
  d.bcc = summary_due(db, request_);
  // Those who took part without e-mail are told by telephone: named (ids only) to the person
  // composing, never in a Bcc.
  SQLite::Statement phone(
      db.sql(),
      "SELECT e.id FROM loan_participant p JOIN living_expert e ON e.id = p.expert_id "
      "WHERE p.request_id = ? AND e.email IS NULL "
      "ORDER BY e.id");
  phone.bind(1, request_);
  while (phone.executeStep()) {
    d.calls.push_back({phone.getColumn(0).getInt64(), {}, {}, {}});
  }
  if (d.bcc.empty() && !d.calls.empty()) {
    std::string ids;
    for (const auto& c : d.calls) {
      ids += (ids.empty() ? "" : ", ") + std::to_string(c.id);
    }
    throw make_error(ExitCode::data,
                     "request {}: nobody left to mail the summary to; without e-mail, tell them "
                     "by telephone: experts {}",
                     request_, ids);
  }
  if (d.bcc.empty()) {
    throw make_error(ExitCode::data,
                     "request {}: every expert who took part has had the summary already, or "
                     "has no mailing consent in force",
                     request_);
  }
  const auto f = find(db, request_);
  const auto r = lending::get_request(db, request_);
  const auto b = lending::get_borrower(db, r.borrower_id);
  d.values = {
      {"library", config.library_name},
      {"library_email", config.library_email},
      {"request", std::to_string(request_)},
      {"borrower", b.display()},
      {"purpose", r.details.purpose.value_or("")},
      {"loan_date", text::format_date(loan.carried_out_on)},
      {"answers", answers_text(*f, config)},
  };
  d.subject_template = config.templates().followup_subject;
  d.body_template = config.templates().followup_body;
  d.template_name = "followup";
  return d;
}

mailing::Recorded Summary::record(db::WriteTransaction& tx, const mail::Manifest& sent,
                                  text::Date on, const audit::Actor& actor) const {
  mailing::Recorded result;
  // Each recipient is checked again: erased, gone or without mailing consent by now is refused.
  SQLite::Statement ins(
      tx.sql(),
      "INSERT OR IGNORE INTO summary_recipient (request_id, expert_id, message_id, sent_on) "
      "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM mailable_expert WHERE id = ?2)");
  SQLite::Statement had(tx.sql(),
                        "SELECT 1 FROM summary_recipient WHERE request_id = ? AND expert_id = ?");
  for (const auto expert_id : sent.experts) {
    ins.bind(1, request_);
    ins.bind(2, expert_id);
    ins.bind(3, sent.message_id);
    ins.bind(4, text::format_date(on));
    if (ins.exec() == 0) {
      had.bind(1, request_);
      had.bind(2, expert_id);
      if (!had.executeStep()) {
        result.refused.push_back(expert_id);
      }
      had.reset();
    } else {
      ++result.recipients;
    }
    ins.reset();
  }
  SQLite::Statement upd(
      tx.sql(),
      "UPDATE followup SET summary_sent_on = coalesce(summary_sent_on, ?) WHERE request_id = ?");
  upd.bind(1, text::format_date(on));
  upd.bind(2, request_);
  upd.exec();
  finish_if_complete(tx, request_, on);
  audit::record(tx, actor, "followup-summary", "request", request_,
                fmt::format("{} experts", sent.experts.size() - result.refused.size()));
  return result;
}

void record_summary_told(db::WriteTransaction& tx, std::int64_t id, text::Date date,
                         text::Date today, const audit::Actor& actor) {
  auto& db = tx.database();
  lending::get_request(db, id);  // an unknown request is no input (66)
  Summary(id).check(db, date);   // a loan, the meeting held, not dated before it
  if (today < date) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; the summary is recorded once it was given "
                     "(today {} or earlier)",
                     text::format_date(date), text::format_date(today));
  }
  const auto f = find(db, id);
  if (f->summary_sent_on) {
    throw make_error(ExitCode::data, "request {}: the summary is already recorded, on {}", id,
                     text::format_date(*f->summary_sent_on));
  }
  if (const auto due = summary_due(db, id); !due.empty()) {
    throw make_error(ExitCode::data,
                     "request {}: expert {} may be mailed the summary; mail it "
                     "(scripts/send-followup.sh {})",
                     id, due.front().first, id);
  }
  SQLite::Statement upd(tx.sql(), "UPDATE followup SET summary_sent_on = ? WHERE request_id = ?");
  upd.bind(1, text::format_date(date));
  upd.bind(2, id);
  upd.exec();
  finish_if_complete(tx, id, date);
  audit::record(tx, actor, "followup-summary-told", "request", id);
}

std::string Summary::recorded_text(const mailing::Recorded& r, std::string_view language) const {
  return i18n::tr_nformat_in(language, r.recipients, "recorded: the summary sent to {} expert",
                             "recorded: the summary sent to {} experts", r.recipients);
}

void confirm_feedback(db::WriteTransaction& tx, std::int64_t request_id, text::Date date,
                      const audit::Actor& actor) {
  const auto loan = loan_of(tx.database(), request_id, "the borrower's feedback");
  check_not_before_loan(loan, date);
  if (text::today() < date) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; the borrower's feedback is recorded once it was "
                     "given (today {} or earlier)",
                     text::format_date(date), text::format_date(text::today()));
  }
  const auto f = find(tx.database(), request_id);
  if (!f || !f->held) {
    throw make_error(ExitCode::data,
                     "request {}: record the follow-up meeting first ('lbib followup record {}')",
                     request_id, request_id);
  }
  if (f->feedback_confirmed_on) {
    throw make_error(ExitCode::data, "request {}: the borrower's feedback was confirmed on {}",
                     request_id, text::format_date(*f->feedback_confirmed_on));
  }
  SQLite::Statement s(tx.sql(),
                      "UPDATE followup SET feedback_confirmed_on = ? WHERE request_id = ?");
  s.bind(1, text::format_date(date));
  s.bind(2, request_id);
  s.exec();
  finish_if_complete(tx, request_id, date);
  audit::record(tx, actor, "followup-feedback", "request", request_id);
}

std::optional<Followup> find(db::Database& db, std::int64_t request_id) {
  SQLite::Statement q(
      db.sql(),
      "SELECT booked_for, held_on, satisfaction, new_insights, compensation, quotes, "
      "summary_sent_on, feedback_confirmed_on FROM followup WHERE request_id = ?");
  q.bind(1, request_id);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  Followup f;
  f.request_id = request_id;
  f.booked_for = opt_date(q.getColumn(0));
  if (!q.getColumn(1).isNull()) {
    Answers a;
    a.held_on = text::parse_date("held_on", q.getColumn(1).getString());
    a.satisfaction = q.getColumn(2).getInt();
    a.new_insights = experts::parse_answer("new_insights", q.getColumn(3).getString());
    a.compensation = parse_compensation("compensation", q.getColumn(4).getString());
    if (!q.getColumn(5).isNull()) {
      a.quotes = q.getColumn(5).getString();
    }
    SQLite::Statement ans(
        db.sql(),
        "SELECT question, answer FROM followup_answer WHERE request_id = ? ORDER BY rowid");
    ans.bind(1, request_id);
    while (ans.executeStep()) {
      a.answers.emplace_back(ans.getColumn(0).getString(), ans.getColumn(1).getString());
    }
    f.held = std::move(a);
  }
  f.summary_sent_on = opt_date(q.getColumn(6));
  f.feedback_confirmed_on = opt_date(q.getColumn(7));
  return f;
}

output::Table followup_table(const std::optional<Followup>& f, const config::Config& config) {
  output::Table t{{"booked_for", "held_on", "satisfaction", "new_insights", "compensation",
                   "summary_sent_on", "feedback_confirmed_on"},
                  {}};
  if (!f) {
    return t;
  }
  const auto date = [](const std::optional<text::Date>& d) {
    return d ? output::Value{text::format_date(*d)} : output::Value{};
  };
  output::Value satisfaction;
  if (f->held) {
    // Programs read the number (1-5); people read it with its words: "5 (mycket nöjd)".
    satisfaction =
        output::Term{std::int64_t{f->held->satisfaction},
                     fmt::format("{} ({})", f->held->satisfaction,
                                 satisfaction_label(f->held->satisfaction, config.language))};
  }
  t.rows.push_back(
      {date(f->booked_for), f->held ? date(f->held->held_on) : output::Value{}, satisfaction,
       f->held ? output::Value{std::string(experts::to_string(f->held->new_insights))}
               : output::Value{},
       f->held ? output::Value{std::string(to_string(f->held->compensation))} : output::Value{},
       date(f->summary_sent_on), date(f->feedback_confirmed_on)});
  return t;
}

output::Table expert_history(db::Database& db, std::int64_t expert_id) {
  output::Table t{{"request", "borrower", "invited_on", "took_part", "loan_on", "summary_sent_on",
                   "borrower_feedback_on"},
                  {}};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT r.id, b.organisation || coalesce(', ' || b.unit, ''),
           (SELECT d.sent_on FROM invitation i JOIN dispatch d ON d.id = i.dispatch_id
              WHERE i.request_id = r.id AND i.expert_id = ?1),
           EXISTS (SELECT 1 FROM loan_participant p WHERE p.request_id = r.id AND p.expert_id = ?1),
           l.carried_out_on,
           (SELECT s.sent_on FROM summary_recipient s WHERE s.request_id = r.id AND s.expert_id = ?1),
           CASE WHEN EXISTS (SELECT 1 FROM loan_participant p WHERE p.request_id = r.id AND p.expert_id = ?1)
                THEN f.feedback_confirmed_on END
    FROM request r JOIN borrower b ON b.id = r.borrower_id
    LEFT JOIN loan l ON l.request_id = r.id
    LEFT JOIN followup f ON f.request_id = r.id
    -- The expert's requests, found through the expert's indexes (not by testing every request).
    WHERE r.id IN (SELECT i.request_id FROM invitation i WHERE i.expert_id = ?1
                   UNION SELECT p.request_id FROM loan_participant p WHERE p.expert_id = ?1)
    ORDER BY r.id)sql");
  q.bind(1, expert_id);
  const auto text_or_null = [](const SQLite::Column& c) {
    return c.isNull() ? output::Value{} : output::Value{c.getString()};
  };
  while (q.executeStep()) {
    t.rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                      text_or_null(q.getColumn(2)), q.getColumn(3).getInt() != 0,
                      text_or_null(q.getColumn(4)), text_or_null(q.getColumn(5)),
                      text_or_null(q.getColumn(6))});
  }
  return t;
}

}  // namespace lbib::followup

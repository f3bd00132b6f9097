// SPDX-License-Identifier: MIT
#include "lbib/followup/questionnaire.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <set>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/names.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::followup {

using i18n::N_;
namespace {

// The loan of a request that must have one.
lending::Loan carried_out(db::Database& db, std::int64_t request_id) {
  lending::get_request(db, request_id);  // an unknown id is refused by name
  auto loan = lending::find_loan(db, request_id);
  if (!loan) {
    throw make_error(ExitCode::data,
                     "request {} has no loan recorded; this comes after 'lbib loan {}'", request_id,
                     request_id);
  }
  return std::move(*loan);
}

// The questions as numbered lines, in the configured language.
std::string questions_text(const std::vector<config::Question>& questions,
                           const config::Config& config) {
  std::string out;
  int n = 0;
  for (const auto& q : questions) {
    out += fmt::format("{}{}. {}", out.empty() ? "" : "\n\n", ++n, config.label(q));
  }
  return out;
}

std::string date_modifier(int days) {
  return fmt::format("+{} days", days);
}

}  // namespace

// --- The experts' questionnaire -------------------------------------------------------------

void Questionnaire::check(db::Database& db, text::Date on) const {
  const auto loan = carried_out(db, request_);
  const text::Date ended = loan.until.value_or(loan.carried_out_on);
  if (on < ended) {
    throw make_error(ExitCode::data,
                     "date: the questionnaire goes to the experts after the loan ({}), not on {}",
                     text::format_date(ended), text::format_date(on));
  }
}

mailing::Draft Questionnaire::draft(db::Database& db, const config::Config& config,
                                    text::Date today) const {
  const auto loan = carried_out(db, request_);
  if (config.expert_questions.empty()) {
    throw make_error(ExitCode::config,
                     "followup.expert_questions is empty: the questionnaire has no questions");
  }
  mailing::Draft d;
  d.individual = true;
  const char* sql =
      round_ == Round::first
          ? "SELECT m.id, m.email FROM loan_participant p "
            "JOIN mailable_expert m ON m.id = p.expert_id WHERE p.request_id = ?1 "
            "AND NOT EXISTS (SELECT 1 FROM questionnaire q "
            "WHERE q.request_id = ?1 AND q.expert_id = m.id) ORDER BY m.id"
          : "SELECT m.id, m.email FROM questionnaire q JOIN mailable_expert m ON m.id = "
            "q.expert_id WHERE q.request_id = ?1 AND q.reminded_on IS NULL "
            "AND q.replied_on IS NULL AND date(q.sent_on, ?3) <= ?2 AND NOT EXISTS (SELECT 1 FROM "
            "questionnaire_answer a "
            "WHERE a.request_id = ?1 AND a.expert_id = q.expert_id) ORDER BY m.id";
  SQLite::Statement q(db.sql(), sql);
  q.bind(1, request_);
  if (round_ == Round::reminder) {
    q.bind(2, text::format_date(today));
    q.bind(3, date_modifier(config.reminders.questionnaire));
  }
  while (q.executeStep()) {
    d.bcc.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
  }
  if (d.bcc.empty()) {
    if (round_ == Round::first) {
      throw make_error(ExitCode::data,
                       "request {}: every expert who took part has had the questionnaire "
                       "already, or cannot be mailed (no e-mail, or no mailing consent in force)",
                       request_);
    }
    throw make_error(ExitCode::data,
                     "request {}: no questionnaire to remind: each was answered, reminded once "
                     "already, or sent less than {} days ago",
                     request_, config.reminders.questionnaire);
  }
  const auto r = lending::get_request(db, request_);
  const auto b = lending::get_borrower(db, r.borrower_id);
  d.values = {
      {"library", config.library_name},
      {"library_email", config.library_email},
      {"request", std::to_string(request_)},
      {"borrower", b.display()},
      {"loan_date", text::format_date(loan.carried_out_on)},
      {"questions", questions_text(config.expert_questions, config)},
  };
  const auto& t = config.templates();
  if (round_ == Round::first) {
    d.subject_template = t.questionnaire_subject;
    d.body_template = t.questionnaire_body;
    d.template_name = "questionnaire";
  } else {
    d.subject_template = t.questionnaire_reminder_subject;
    d.body_template = t.questionnaire_reminder_body;
    d.template_name = "questionnaire_reminder";
  }
  return d;
}

mailing::Recorded Questionnaire::record(db::WriteTransaction& tx, const mail::Manifest& sent,
                                        text::Date on, const audit::Actor& actor) const {
  mailing::Recorded result;
  // Each recipient is checked again: erased, gone or without mailing consent by now is refused,
  // and so is a questionnaire already recorded (first round) or reminded (reminder).
  const char* sql =
      round_ == Round::first
          ? "INSERT OR IGNORE INTO questionnaire (request_id, expert_id, message_id, sent_on) "
            "SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM mailable_expert WHERE id = ?2) "
            "AND EXISTS (SELECT 1 FROM loan_participant WHERE request_id = ?1 AND expert_id = ?2)"
          : "UPDATE questionnaire SET reminder_message_id = ?3, reminded_on = ?4 "
            "WHERE request_id = ?1 AND expert_id = ?2 AND reminded_on IS NULL AND sent_on <= ?4 "
            "AND EXISTS (SELECT 1 FROM mailable_expert WHERE id = ?2)";
  SQLite::Statement write(tx.sql(), sql);
  for (const auto expert_id : sent.experts) {
    write.bind(1, request_);
    write.bind(2, expert_id);
    write.bind(3, sent.message_id);
    write.bind(4, text::format_date(on));
    if (write.exec() == 0) {
      result.refused.push_back(expert_id);
    } else {
      ++result.recipients;
    }
    write.reset();
  }
  audit::record(tx, actor, std::string(kind()), "request", request_,
                fmt::format("{} experts", result.recipients));
  return result;
}

std::string Questionnaire::recorded_text(const mailing::Recorded& r,
                                         std::string_view language) const {
  return round_ == Round::first
             ? i18n::tr_nformat_in(language, r.recipients,
                                   "recorded: the questionnaire sent to {} expert",
                                   "recorded: the questionnaire sent to {} experts", r.recipients)
             : i18n::tr_nformat_in(
                   language, r.recipients, "recorded: the questionnaire reminded to {} expert",
                   "recorded: the questionnaire reminded to {} experts", r.recipients);
}

void check_question_answers(const std::vector<config::Question>& questions,
                            std::string_view setting, const QuestionAnswers& answers, text::Date on,
                            text::Date not_before, text::Date today) {
  if (answers.empty()) {
    throw make_error(ExitCode::usage, "give at least one --answer KEY=TEXT (the keys of {}: {})",
                     setting, [&] {
                       std::vector<std::string> keys;
                       for (const auto& q : questions) {
                         keys.push_back(q.key);
                       }
                       return text::join(keys, ", ");
                     }());
  }
  if (on < not_before) {
    throw make_error(ExitCode::data, "date: {} is before the loan ({})", text::format_date(on),
                     text::format_date(not_before));
  }
  if (today < on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; answers are recorded once given (today {} or "
                     "earlier)",
                     text::format_date(on), text::format_date(today));
  }
  std::set<std::string> seen;
  for (const auto& [key, answer] : answers) {
    const bool known =
        std::any_of(questions.begin(), questions.end(),
                    [&key = key](const config::Question& q) { return q.key == key; });
    if (!known) {
      std::vector<std::string> keys;
      for (const auto& q : questions) {
        keys.push_back(q.key);
      }
      throw make_error(ExitCode::data, "answer: '{}' is not a question of {}; use one of: {}",
                       text::printable(key), setting, text::join(keys, ", "));
    }
    if (!seen.insert(key).second) {
      throw make_error(ExitCode::data, "answer: '{}' is given twice", key);
    }
    if (answer.empty()) {
      throw make_error(ExitCode::data, "answer: '{}' is empty", key);
    }
    text::check_text("answer " + key, answer, text::limits::notes);
  }
}

void record_expert_answers(db::WriteTransaction& tx, const config::Config& config,
                           std::int64_t request_id, std::int64_t expert_id,
                           const QuestionAnswers& answers, text::Date on, text::Date today,
                           const audit::Actor& actor) {
  const auto loan = carried_out(tx.database(), request_id);
  const auto e = experts::get_living(tx.database(), expert_id);
  const bool took_part =
      std::any_of(loan.participants.begin(), loan.participants.end(),
                  [expert_id](const lending::Participant& p) { return p.expert_id == expert_id; });
  if (!took_part) {
    throw make_error(ExitCode::data,
                     "expert {} did not take part in the loan of request {}; the questionnaire is "
                     "for those who did",
                     expert_id, request_id);
  }
  check_question_answers(config.expert_questions, "followup.expert_questions", answers, on,
                         loan.carried_out_on, today);
  SQLite::Statement had(tx.sql(),
                        "SELECT answered_on FROM questionnaire_answer WHERE request_id = ? AND "
                        "expert_id = ? AND question = ?");
  SQLite::Statement ins(tx.sql(),
                        "INSERT INTO questionnaire_answer (request_id, expert_id, question, "
                        "answer, answered_on) VALUES (?, ?, ?, ?, ?)");
  for (const auto& [key, answer] : answers) {
    had.bind(1, request_id);
    had.bind(2, expert_id);
    had.bind(3, key);
    if (had.executeStep()) {
      throw make_error(ExitCode::data,
                       "answer: expert {} answered '{}' for request {} on {} already", expert_id,
                       key, request_id, had.getColumn(0).getString());
    }
    had.reset();
    ins.bind(1, request_id);
    ins.bind(2, expert_id);
    ins.bind(3, key);
    ins.bind(4, answer);
    ins.bind(5, text::format_date(on));
    ins.exec();
    ins.reset();
  }
  audit::record(tx, actor, "questionnaire-answer", "expert", expert_id,
                fmt::format("request {}: {} answers", request_id, answers.size()));
}

bool questionnaire_answered(db::Database& db, std::int64_t request_id, std::int64_t expert_id) {
  SQLite::Statement q(db.sql(), R"sql(
    SELECT EXISTS (SELECT 1 FROM questionnaire WHERE request_id = ?1 AND expert_id = ?2
                     AND replied_on IS NOT NULL)
        OR EXISTS (SELECT 1 FROM questionnaire_answer WHERE request_id = ?1 AND expert_id = ?2))sql");
  q.bind(1, request_id);
  q.bind(2, expert_id);
  q.executeStep();
  return q.getColumn(0).getInt() != 0;
}

void record_questionnaire_reply(db::WriteTransaction& tx, const config::Config& config,
                                std::int64_t request_id, std::int64_t expert_id,
                                const QuestionAnswers& answers, text::Date on, text::Date today,
                                const audit::Actor& actor) {
  if (questionnaire_answered(tx.database(), request_id, expert_id)) {
    throw make_error(ExitCode::data, "request {}: expert {} answered the questionnaire already",
                     request_id, expert_id);
  }
  SQLite::Statement reply(tx.sql(),
                          "UPDATE questionnaire SET replied_on = ?3 WHERE request_id = ?1 AND "
                          "expert_id = ?2 AND replied_on IS NULL AND sent_on <= ?3");
  reply.bind(1, request_id);
  reply.bind(2, expert_id);
  reply.bind(3, text::format_date(on));
  if (reply.exec() == 0) {
    throw make_error(ExitCode::data, "request {}: expert {} was not sent the questionnaire by {}",
                     request_id, expert_id, text::format_date(on));
  }
  if (!answers.empty()) {
    record_expert_answers(tx, config, request_id, expert_id, answers, on, today, actor);
  }
  audit::record(tx, actor, "questionnaire-reply", "expert", expert_id,
                fmt::format("request {}: {} answers", request_id, answers.size()));
}

output::Table expert_questionnaires(db::Database& db, std::int64_t expert_id) {
  output::Table t{{"request", "loan_on", "sent_on", "reminded_on", "answered_on", "answered_by"},
                  {}};
  // The requests whose questionnaire went to the expert, or whose answers were recorded
  // without it (an expert reached by telephone), found through the expert's indexes.
  SQLite::Statement q(db.sql(), R"sql(
    SELECT r.request_id, l.carried_out_on, s.sent_on, s.reminded_on, s.replied_on,
           (SELECT min(a.answered_on) FROM questionnaire_answer a
              WHERE a.request_id = r.request_id AND a.expert_id = ?1)
    FROM (SELECT request_id FROM questionnaire WHERE expert_id = ?1
          UNION SELECT request_id FROM questionnaire_answer WHERE expert_id = ?1) r
    LEFT JOIN loan l ON l.request_id = r.request_id
    LEFT JOIN questionnaire s ON s.request_id = r.request_id AND s.expert_id = ?1
    ORDER BY r.request_id)sql");
  q.bind(1, expert_id);
  const auto text_or_null = [](const SQLite::Column& c) {
    return c.isNull() ? output::Value{} : output::Value{c.getString()};
  };
  while (q.executeStep()) {
    const auto replied = q.getColumn(4);
    const auto recorded = q.getColumn(5);
    output::Value answered_on;
    output::Value answered_by;
    // The earlier of the two says how it was answered first; on the same day, by mail (the
    // answers were read from the reply, or typed from it).
    if (!replied.isNull() && (recorded.isNull() || replied.getString() <= recorded.getString())) {
      answered_on = replied.getString();
      answered_by = output::Term{"mail", i18n::tr(N_("by mail"))};
    } else if (!recorded.isNull()) {
      answered_on = recorded.getString();
      answered_by = output::Term{"command", i18n::tr(N_("recorded by command"))};
    }
    t.rows.push_back({q.getColumn(0).getInt64(), text_or_null(q.getColumn(1)),
                      text_or_null(q.getColumn(2)), text_or_null(q.getColumn(3)), answered_on,
                      answered_by});
  }
  return t;
}

output::Table questionnaire_table(db::Database& db, const config::Config& config,
                                  std::int64_t request_id) {
  carried_out(db, request_id);
  output::Table t{
      {"expert", "sent_on", "reminded_on", "replied_on", "answered_on", "question", "answer"}, {}};
  SQLite::Statement q(db.sql(), R"sql(
    SELECT p.expert_id, s.sent_on, s.reminded_on, s.replied_on, a.answered_on, a.question,
           a.answer
    FROM loan_participant p
    LEFT JOIN questionnaire s ON s.request_id = p.request_id AND s.expert_id = p.expert_id
    LEFT JOIN questionnaire_answer a ON a.request_id = p.request_id AND a.expert_id = p.expert_id
    WHERE p.request_id = ?1 ORDER BY p.expert_id, a.rowid)sql");
  q.bind(1, request_id);
  const auto text_or_null = [](const SQLite::Column& c) {
    return c.isNull() ? output::Value{} : output::Value{c.getString()};
  };
  while (q.executeStep()) {
    output::Value question;
    if (!q.getColumn(5).isNull()) {
      const auto key = q.getColumn(5).getString();
      const auto it = std::find_if(config.expert_questions.begin(), config.expert_questions.end(),
                                   [&key](const config::Question& x) { return x.key == key; });
      question = output::Term{key, it != config.expert_questions.end() ? config.label(*it) : key};
    }
    t.rows.push_back({q.getColumn(0).getInt64(), text_or_null(q.getColumn(1)),
                      text_or_null(q.getColumn(2)), text_or_null(q.getColumn(3)),
                      text_or_null(q.getColumn(4)), question, text_or_null(q.getColumn(6))});
  }
  return t;
}

// --- Mail to the borrower --------------------------------------------------------------------

namespace {

constexpr text::Names<BorrowerMailKind, 4> borrower_mail_names{{
    {BorrowerMailKind::conditions, "conditions"},
    {BorrowerMailKind::feedback_reminder, "feedback-reminder"},
    {BorrowerMailKind::summary, "summary"},
    {BorrowerMailKind::survey, "survey"},
}};

// The rates of the regional guideline valid on `on`, as one line for the conditions.
std::string rates_text(const config::Config& config, text::Date on) {
  const auto* rate = config.rate_on(on);
  if (rate == nullptr) {
    return {};
  }
  return i18n::tr_format_in(config.language,
                            "The guideline's rates: {} {} an hour, {} {} a half day, {} {} a full "
                            "day.",
                            rate->hour, config.currency, rate->half_day, config.currency,
                            rate->full_day, config.currency);
}

}  // namespace

std::string_view to_string(BorrowerMailKind k) {
  return text::name_of(borrower_mail_names, k);
}

BorrowerMailKind parse_borrower_mail_kind(std::string_view field, std::string_view s) {
  return text::parse_name(borrower_mail_names, field, s);
}

BorrowerMail::BorrowerMail(std::int64_t request, BorrowerMailKind kind)
    : request_(request), kind_(kind), kind_name_("borrower-" + std::string(to_string(kind))) {}

void BorrowerMail::check(db::Database& db, text::Date on) const {
  const auto r = lending::get_request(db, request_);
  const auto b = lending::get_borrower(db, r.borrower_id);
  if (b.erased_on) {
    throw make_error(ExitCode::data,
                     "request {}: the borrower's contact person was erased on {}; nobody to mail",
                     request_, text::format_date(*b.erased_on));
  }
  switch (kind_) {
    case BorrowerMailKind::conditions:
      if (!r.pre_meeting) {
        throw make_error(ExitCode::data,
                         "request {}: the conditions go to the borrower after the pre-meeting; "
                         "record it first ('lbib request premeeting {}')",
                         request_, request_);
      }
      if (on < r.pre_meeting->held_on) {
        throw make_error(ExitCode::data,
                         "date: the conditions cannot be sent before the pre-meeting ({})",
                         text::format_date(r.pre_meeting->held_on));
      }
      break;
    case BorrowerMailKind::feedback_reminder:
    case BorrowerMailKind::summary: {
      const auto f = find(db, request_);
      if (!f || !f->held) {
        throw make_error(ExitCode::data,
                         "request {}: the follow-up meeting is not recorded yet; run 'lbib "
                         "followup record {}' first",
                         request_, request_);
      }
      if (on < f->held->held_on) {
        throw make_error(ExitCode::data,
                         "date: this mail cannot be sent before the follow-up meeting ({})",
                         text::format_date(f->held->held_on));
      }
      if (kind_ == BorrowerMailKind::feedback_reminder && f->feedback_confirmed_on) {
        throw make_error(ExitCode::data,
                         "request {}: the borrower's feedback was confirmed on {}; there is "
                         "nothing to remind of",
                         request_, text::format_date(*f->feedback_confirmed_on));
      }
      break;
    }
    case BorrowerMailKind::survey:
      if (r.state != lending::State::finished) {
        throw make_error(ExitCode::data,
                         "request {}: the survey goes to the borrower once the loan is finished "
                         "(the summary sent and the borrower's feedback confirmed)",
                         request_);
      }
      if (const auto loan = carried_out(db, request_); on < loan.carried_out_on) {
        throw make_error(ExitCode::data, "date: the survey cannot be sent before the loan ({})",
                         text::format_date(loan.carried_out_on));
      }
      break;
  }
}

mailing::Draft BorrowerMail::draft(db::Database& db, const config::Config& config,
                                   text::Date today) const {
  SQLite::Statement had(db.sql(),
                        "SELECT sent_on FROM borrower_mail WHERE request_id = ? AND kind = ?");
  had.bind(1, request_);
  had.bind(2, std::string(to_string(kind_)));
  if (had.executeStep()) {
    throw make_error(ExitCode::data, "request {}: the borrower was sent this mail on {} already",
                     request_, had.getColumn(0).getString());
  }
  if (kind_ == BorrowerMailKind::survey && config.borrower_questions.empty()) {
    throw make_error(ExitCode::config,
                     "followup.borrower_questions is empty: the survey has no questions");
  }
  const auto r = lending::get_request(db, request_);
  const auto b = lending::get_borrower(db, r.borrower_id);
  const auto& d = r.details;
  const auto loan = lending::find_loan(db, request_);
  const auto* form = d.form ? config::find_term(config.forms, *d.form) : nullptr;
  mailing::Draft m;
  m.individual = true;
  m.bcc.emplace_back(b.id, b.contact_email);
  m.values = {
      {"library", config.library_name},
      {"library_email", config.library_email},
      {"request", std::to_string(request_)},
      {"borrower", b.display()},
      {"borrower_contact", b.contact_name},
      {"purpose", d.purpose.value_or("")},
      {"form", form != nullptr ? config.label(*form) : d.form.value_or("")},
      {"time", d.time.value_or("")},
      {"place", d.place && d.digital ? i18n::tr_format_in(config.language, "{} (digital)", *d.place)
                : d.place            ? *d.place
                                     : i18n::tr_in(config.language, N_("Digital"))},
      {"experts_wanted", std::to_string(d.experts_wanted)},
      {"min_experts", std::to_string(config.min_experts)},
      {"compensation", config.templates().compensation},
      {"rates", rates_text(config, loan ? loan.value().carried_out_on : today)},
      {"loan_date", loan ? text::format_date(loan->carried_out_on) : std::string()},
      {"answers", summary_text(db, config, request_)},
      {"questions", questions_text(config.borrower_questions, config)},
  };
  const auto& t = config.templates();
  switch (kind_) {
    case BorrowerMailKind::conditions:
      m.subject_template = t.conditions_subject;
      m.body_template = t.conditions_body;
      m.template_name = "conditions";
      break;
    case BorrowerMailKind::feedback_reminder:
      m.subject_template = t.borrower_feedback_subject;
      m.body_template = t.borrower_feedback_body;
      m.template_name = "borrower_feedback";
      break;
    case BorrowerMailKind::summary:
      m.subject_template = t.borrower_summary_subject;
      m.body_template = t.borrower_summary_body;
      m.template_name = "borrower_summary";
      break;
    case BorrowerMailKind::survey:
      m.subject_template = t.borrower_survey_subject;
      m.body_template = t.borrower_survey_body;
      m.template_name = "borrower_survey";
      break;
  }
  return m;
}

mailing::Recorded BorrowerMail::record(db::WriteTransaction& tx, const mail::Manifest& sent,
                                       text::Date on, const audit::Actor& actor) const {
  mailing::Recorded result;
  SQLite::Statement ins(
      tx.sql(),
      "INSERT OR IGNORE INTO borrower_mail (request_id, kind, message_id, "
      "sent_on) SELECT ?1, ?2, ?3, ?4 WHERE EXISTS (SELECT 1 FROM request r "
      "JOIN living_borrower b ON b.id = r.borrower_id WHERE r.id = ?1 AND b.id = ?5)");
  for (const auto borrower_id : sent.experts) {
    ins.bind(1, request_);
    ins.bind(2, std::string(to_string(kind_)));
    ins.bind(3, sent.message_id);
    ins.bind(4, text::format_date(on));
    ins.bind(5, borrower_id);
    if (ins.exec() == 0) {
      result.refused.push_back(borrower_id);
    } else {
      ++result.recipients;
    }
    ins.reset();
  }
  audit::record(tx, actor, kind_name_, "request", request_);
  return result;
}

std::string BorrowerMail::recorded_text(const mailing::Recorded& r,
                                        std::string_view language) const {
  return r.recipients > 0 ? i18n::tr_in(language, N_("recorded: the mail sent to the borrower"))
                          : i18n::tr_in(language, N_("not recorded: the borrower had it already, "
                                                     "or its contact person was erased"));
}

void record_borrower_survey(db::WriteTransaction& tx, const config::Config& config,
                            std::int64_t request_id, const QuestionAnswers& answers, text::Date on,
                            text::Date today, const audit::Actor& actor) {
  const auto loan = carried_out(tx.database(), request_id);
  check_question_answers(config.borrower_questions, "followup.borrower_questions", answers, on,
                         loan.carried_out_on, today);
  SQLite::Statement had(tx.sql(),
                        "SELECT answered_on FROM borrower_survey_answer WHERE request_id = ? AND "
                        "question = ?");
  SQLite::Statement ins(tx.sql(),
                        "INSERT INTO borrower_survey_answer (request_id, question, answer, "
                        "answered_on) VALUES (?, ?, ?, ?)");
  for (const auto& [key, answer] : answers) {
    had.bind(1, request_id);
    had.bind(2, key);
    if (had.executeStep()) {
      throw make_error(ExitCode::data, "answer: the borrower answered '{}' on {} already", key,
                       had.getColumn(0).getString());
    }
    had.reset();
    ins.bind(1, request_id);
    ins.bind(2, key);
    ins.bind(3, answer);
    ins.bind(4, text::format_date(on));
    ins.exec();
    ins.reset();
  }
  audit::record(tx, actor, "borrower-survey", "request", request_id,
                fmt::format("{} answers", answers.size()));
}

}  // namespace lbib::followup

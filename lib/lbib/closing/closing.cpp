// SPDX-License-Identifier: MIT
#include "lbib/closing/closing.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <nlohmann/json.hpp>
#include <sstream>

#include "lbib/error.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/reports/reports.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::closing {
namespace {

std::string require_closing(db::Database& db) {
  if (auto since = db::closing_since(db)) {
    return *since;
  }
  throw make_error(ExitCode::data, "the library is not closing; begin with 'lbib close start'");
}

}  // namespace

Mailing parse_mailing(std::string_view s) {
  if (s == "notice") {
    return Mailing::notice;
  }
  if (s == "survey-experts") {
    return Mailing::survey_experts;
  }
  if (s == "survey-borrowers") {
    return Mailing::survey_borrowers;
  }
  throw make_error(
      ExitCode::data,
      "mailing: '{}' is not accepted; use one of: notice, survey-experts, survey-borrowers", s);
}

std::string_view kind_of(Mailing m) {
  switch (m) {
    case Mailing::notice:
      return "closing";
    case Mailing::survey_experts:
      return "survey-experts";
    case Mailing::survey_borrowers:
      return "survey-borrowers";
  }
  return "?";
}

void start(db::WriteTransaction& tx, text::Date on, const audit::Actor& actor) {
  if (const auto since = db::closing_since(tx.database())) {
    throw make_error(ExitCode::data, "the library has been closing since {}", *since);
  }
  SQLite::Statement s(tx.sql(),
                      "INSERT INTO library_state (key, value) VALUES ('closing_since', ?)");
  s.bind(1, text::format_date(on));
  s.exec();
  audit::record(tx, actor, "close-start", "register", std::nullopt);
}

void ClosingMailing::check(db::Database& db, text::Date on) const {
  const std::string since = require_closing(db);
  if (on < text::parse_date("closing_since", since)) {
    throw make_error(ExitCode::data, "date: {} is before the library began closing ({})",
                     text::format_date(on), since);
  }
}

mailing::Draft ClosingMailing::draft(db::Database& db, const config::Config& config,
                                     text::Date /*today*/) const {
  const std::string kind(kind_of(mailing_));
  SQLite::Statement q(
      db.sql(),
      mailing_ == closing::Mailing::survey_borrowers
          ? "SELECT b.id, b.contact_email FROM living_borrower b "
            "WHERE NOT EXISTS (SELECT 1 FROM notice n WHERE n.kind = ?1 AND n.recipient_id = b.id) "
            "ORDER BY b.id"
          : "SELECT m.id, m.email FROM mailable_expert m "
            "WHERE NOT EXISTS (SELECT 1 FROM notice n WHERE n.kind = ?1 AND n.recipient_id = m.id) "
            "ORDER BY m.id");
  q.bind(1, kind);
  mailing::Draft d;
  while (q.executeStep()) {
    d.bcc.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getString());
  }
  if (mailing_ != closing::Mailing::survey_borrowers) {
    // Experts without e-mail are told by telephone: named (ids only) to the person composing.
    SQLite::Statement phone(db.sql(),
                            "SELECT e.id FROM living_expert e WHERE e.email IS NULL "
                            "AND e.status <> 'left' AND EXISTS ("
                            "SELECT 1 FROM active_consent c WHERE c.expert_id = e.id "
                            "AND c.purpose = 'mailing') ORDER BY e.id");
    while (phone.executeStep()) {
      d.calls.push_back({phone.getColumn(0).getInt64(), {}, {}, {}});
    }
  }
  if (d.bcc.empty()) {
    throw make_error(ExitCode::data, "{}: everyone it goes to has had it already", kind);
  }
  d.values = {{"library", config.library_name},
              {"library_email", config.library_email},
              {"closing_since", require_closing(db)}};
  const auto& t = config.templates();
  switch (mailing_) {
    case closing::Mailing::notice:
      d.subject_template = t.closing_subject;
      d.body_template = t.closing_body;
      d.template_name = "closing";
      break;
    case closing::Mailing::survey_experts:
      d.subject_template = t.survey_experts_subject;
      d.body_template = t.survey_experts_body;
      d.template_name = "survey_experts";
      break;
    case closing::Mailing::survey_borrowers:
      d.subject_template = t.survey_borrowers_subject;
      d.body_template = t.survey_borrowers_body;
      d.template_name = "survey_borrowers";
      break;
  }
  return d;
}

mailing::Recorded ClosingMailing::record(db::WriteTransaction& tx, const mail::Manifest& sent,
                                         text::Date on, const audit::Actor& actor) const {
  const std::string kind(kind_of(mailing_));
  SQLite::Statement ins(
      tx.sql(),
      "INSERT OR IGNORE INTO notice (kind, recipient_id, message_id, sent_on) VALUES (?, ?, ?, ?)");
  mailing::Recorded result;
  for (const auto id : sent.experts) {
    ins.bind(1, kind);
    ins.bind(2, id);
    ins.bind(3, sent.message_id);
    ins.bind(4, text::format_date(on));
    result.recipients += static_cast<std::size_t>(ins.exec());
    ins.reset();
  }
  audit::record(tx, actor, "close-" + kind, "register", std::nullopt,
                fmt::format("{} recipients", sent.experts.size()));
  return result;
}

void record_answer(db::WriteTransaction& tx, Mailing survey, std::int64_t respondent, text::Date on,
                   std::optional<std::string> answers, const audit::Actor& actor) {
  require_closing(tx.database());
  if (survey == Mailing::notice) {
    throw make_error(ExitCode::data,
                     "answers belong to a survey: survey-experts or survey-borrowers");
  }
  SQLite::Statement sent(tx.sql(), "SELECT 1 FROM notice WHERE kind = ? AND recipient_id = ?");
  sent.bind(1, std::string(kind_of(survey)));
  sent.bind(2, respondent);
  if (!sent.executeStep()) {
    throw make_error(ExitCode::data, "{} {} was not sent the survey",
                     survey == Mailing::survey_experts ? "expert" : "borrower", respondent);
  }
  if (answers) {
    text::check_text("answers", *answers, 20000);
  }
  SQLite::Statement ins(
      tx.sql(),
      "INSERT INTO survey_response (kind, respondent, answered_on, answers) VALUES (?, ?, ?, ?) "
      "ON CONFLICT (kind, respondent) DO UPDATE SET answered_on = excluded.answered_on, "
      "answers = excluded.answers");
  ins.bind(1, survey == Mailing::survey_experts ? "experts" : "borrowers");
  ins.bind(2, respondent);
  ins.bind(3, text::format_date(on));
  answers ? ins.bind(4, *answers) : ins.bind(4);
  ins.exec();
  audit::record(tx, actor, "survey-answer", "register", std::nullopt);
}

output::Table status(db::Database& db) {
  output::Table t{{"measure", "count", "of", "percent"}, {}};
  const auto count = [&db](const char* sql) { return db.sql().execAndGet(sql).getInt64(); };
  const auto since = db::closing_since(db);
  t.rows.push_back({std::string("closing_since"), since ? output::Value{*since} : output::Value{},
                    output::Value{}, output::Value{}});
  const auto rate = [&](const char* name, std::int64_t part, std::int64_t whole) {
    t.rows.push_back({std::string(name), part, whole,
                      whole == 0 ? output::Value{}
                                 : output::Value{100.0 * static_cast<double>(part) /
                                                 static_cast<double>(whole)}});
  };
  // Of the experts the notice can go to: those with their mailing consent in force.
  const auto experts = count("SELECT count(*) FROM mailable_expert");
  rate("closing_notice_sent", count("SELECT count(*) FROM notice WHERE kind = 'closing'"), experts);
  const auto surveyed_e = count("SELECT count(*) FROM notice WHERE kind = 'survey-experts'");
  rate("survey_experts_answered",
       count("SELECT count(*) FROM survey_response WHERE kind = 'experts'"), surveyed_e);
  const auto surveyed_b = count("SELECT count(*) FROM notice WHERE kind = 'survey-borrowers'");
  rate("survey_borrowers_answered",
       count("SELECT count(*) FROM survey_response WHERE kind = 'borrowers'"), surveyed_b);
  return t;
}

void write_statistics(std::ostream& out, db::Database& db, const config::Config& config,
                      text::Date today) {
  const reports::Period all{};
  // The same keys and values as `lbib report --format json`: written by the one formatter.
  output::RecordWriter doc(out, output::Format::json,
                           {{"format", std::string("lbib-statistics")},
                            {"version", std::int64_t{1}},
                            {"library", config.library_name},
                            {"closing_since", db::closing_since(db).value_or("")}});
  const auto whole = [&doc](std::string name, const output::Table& t) {
    doc.section(std::move(name), t);
    for (const auto& row : t.rows) {
      doc.add(row);
    }
  };
  whole("yearly", reports::yearly_table(reports::yearly(db, all, false, today), config));
  // Kept after everyone is erased: no free text at all.
  doc.section("requests", reports::requests_header(config));
  reports::each_request_row(db, config, all, reports::FreeText::omit,
                            [&doc](std::vector<output::Value> row) { doc.add(std::move(row)); });
  whole("followups", reports::followups_report(db, config, all));
  whole("recruitment", reports::recruitment_report(db, config, all));
  whole("pool", reports::pool_report(db, config));
  whole("surveys", status(db));
  doc.finish();
}

nlohmann::ordered_json statistics(db::Database& db, const config::Config& config,
                                  text::Date today) {
  std::ostringstream json;
  write_statistics(json, db, config, today);
  return nlohmann::ordered_json::parse(json.str());
}

Erased erase_everyone(db::WriteTransaction& tx, text::Date on, const audit::Actor& actor) {
  require_closing(tx.database());
  const auto ids = [&tx](const char* sql) {
    std::vector<std::int64_t> out;
    SQLite::Statement q(tx.sql(), sql);
    while (q.executeStep()) {
      out.push_back(q.getColumn(0).getInt64());
    }
    return out;
  };
  const auto experts = ids("SELECT id FROM living_expert ORDER BY id");
  const auto borrowers = ids("SELECT id FROM living_borrower ORDER BY id");
  // Everyone at once, in one pass over the shared free text. Not in parts: one part's names would
  // redact pieces of a later part's e-mail addresses before that part could find them whole, an
  // earlier part's shorter phone number would leave the last digits of a later part's longer
  // one, and a part that failed would leave the parts before it in the erasure ledger. The price
  // is every person's keys held at once, in compact sets (docs/performance.md: 21 MiB in all at
  // 100,000 experts).
  privacy::erase_experts(tx, experts, on, actor);
  privacy::erase_borrowers(tx, borrowers, on, actor);
  tx.sql().exec("UPDATE survey_response SET answers = NULL");
  tx.sql().exec("UPDATE subject_request SET note = NULL");
  audit::record(tx, actor, "close-erase-everyone", "register", std::nullopt,
                fmt::format("{} experts, {} borrowers", experts.size(), borrowers.size()));
  return {experts.size(), borrowers.size()};
}

}  // namespace lbib::closing

// SPDX-License-Identifier: MIT
#include "lbib/followup/reminders.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>

#include "lbib/error.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::followup {

using i18n::N_;
namespace {

// One kind of reminder: the query that finds its items (?1 today, ?2 the '+N days' modifier
// when the kind has a delay) and the sentence it prints ({id}, {date}, {expert}).
struct Kind {
  const char* name;
  int config::ReminderDays::*days;  // nullptr: due on the date itself
  const char* sql;                  // returns request id, since date, expert id or NULL
  const char* sv;
  const char* en;
};

const Kind kinds[] = {
    {"pre-meeting", &config::ReminderDays::pre_meeting,
     // Counted from the day the request last became received: its arrival, or its resumption.
     "SELECT r.id, e.since, NULL FROM request r JOIN (SELECT request_id, max(on_date) AS since "
     "FROM request_event WHERE to_state = 'received' GROUP BY request_id) e "
     "ON e.request_id = r.id WHERE r.state = 'received' AND date(e.since, ?2) <= ?1",
     "Inget förmöte ännu; förfrågan väntar sedan {date}. Håll förmöte (lbib request premeeting "
     "{id}).",
     "No pre-meeting yet; the request has waited since {date}. Hold one (lbib request premeeting "
     "{id})."},
    {"dispatch", &config::ReminderDays::dispatch,
     "SELECT r.id, p.held_on, NULL FROM request r JOIN pre_meeting p ON p.request_id = r.id "
     "WHERE r.state = 'pre-meeting-held' AND date(p.held_on, ?2) <= ?1",
     "Förmötet hölls {date} men förfrågan har inte skickats till de erfarna "
     "(scripts/send-request.sh {id}).",
     "The pre-meeting was held on {date} but the request has not been mailed to the experts "
     "(scripts/send-request.sh {id})."},
    {"detail", &config::ReminderDays::detail,
     "SELECT r.id, e.since, NULL FROM request r JOIN (SELECT request_id, max(on_date) AS since "
     "FROM request_event WHERE to_state = 'awaiting-detail' GROUP BY request_id) e "
     "ON e.request_id = r.id WHERE r.state = 'awaiting-detail' AND date(e.since, ?2) <= ?1",
     "Väntar på mer information från uppdragsgivaren sedan {date}; överväg att avböja "
     "(lbib request decline {id} --reason no-response).",
     "Waiting for detail from the borrower since {date}; consider declining "
     "(lbib request decline {id} --reason no-response)."},
    {"hold", nullptr,
     "SELECT id, hold_until, NULL FROM request WHERE state = 'on-hold' AND hold_until <= ?1",
     "Vilande till {date}: dags att ta upp förfrågan igen (lbib request resume {id}).",
     "On hold until {date}: time to take it up again (lbib request resume {id})."},
    {"reply", &config::ReminderDays::reply,
     "SELECT id, reply_by, NULL FROM request WHERE state = 'dispatched' AND reply_by IS NOT NULL "
     "AND date(reply_by, ?2) <= ?1",
     "Svarsdatum {date} har passerat men inget lån är registrerat (lbib loan {id}, eller "
     "lbib request cancel {id}).",
     "The reply-by date {date} has passed but no loan is recorded (lbib loan {id}, or "
     "lbib request cancel {id})."},
    {"followup-booking", &config::ReminderDays::followup_booking,
     "SELECT r.id, coalesce(l.until_on, l.carried_out_on), NULL FROM request r "
     "JOIN loan l ON l.request_id = r.id LEFT JOIN followup f ON f.request_id = r.id "
     "WHERE r.state = 'loan-carried-out' AND f.booked_for IS NULL "
     "AND date(coalesce(l.until_on, l.carried_out_on), ?2) <= ?1",
     "Lånet genomfördes {date}; boka uppföljningsmöte med uppdragsgivaren "
     "(lbib followup book {id} --date ...).",
     "The loan took place on {date}; book the follow-up meeting with the borrower "
     "(lbib followup book {id} --date ...)."},
    {"followup-overdue", nullptr,
     "SELECT r.id, f.booked_for, NULL FROM request r JOIN followup f ON f.request_id = r.id "
     "WHERE r.state = 'loan-carried-out' AND f.held_on IS NULL AND f.booked_for < ?1",
     "Uppföljningsmötet var bokat {date}; registrera svaren (lbib followup record {id}).",
     "The follow-up meeting was booked for {date}; record its answers (lbib followup record "
     "{id})."},
    {"summary", &config::ReminderDays::summary,
     "SELECT request_id, held_on, NULL FROM followup WHERE held_on IS NOT NULL "
     "AND summary_sent_on IS NULL AND date(held_on, ?2) <= ?1",
     "Uppföljningen hölls {date}; sammanfattningen till de erfarna är inte skickad "
     "(scripts/send-followup.sh {id}).",
     "The follow-up was held on {date}; the summary to the experts has not been sent "
     "(scripts/send-followup.sh {id})."},
    {"feedback", &config::ReminderDays::feedback,
     "SELECT request_id, held_on, NULL FROM followup WHERE held_on IS NOT NULL "
     "AND feedback_confirmed_on IS NULL AND date(held_on, ?2) <= ?1",
     "Uppföljningen hölls {date}; uppdragsgivarens egen återkoppling till de erfarna är inte "
     "bekräftad (lbib followup feedback {id} --date ...).",
     "The follow-up was held on {date}; the borrower's own feedback to the experts is not "
     "confirmed (lbib followup feedback {id} --date ...)."},
    {"payment", &config::ReminderDays::payment,
     "SELECT request_id, due_on, expert_id FROM payment WHERE status = 'due' "
     "AND date(due_on, ?2) <= ?1",
     "Ersättningen till erfaren {expert} har varit obetald sedan {date} "
     "(lbib pay {id} --expert {expert} --status paid).",
     "Compensation to expert {expert} has been due since {date} "
     "(lbib pay {id} --expert {expert} --status paid)."},
};

}  // namespace

std::vector<Reminder> due(db::Database& db, const config::Config& config, text::Date today) {
  std::map<std::int64_t, std::string> borrower_of;
  {
    std::map<std::int64_t, std::string> names;
    for (const auto& b : lending::list_borrowers(db)) {
      names[b.id] = b.display();
    }
    SQLite::Statement q(db.sql(), "SELECT id, borrower_id FROM request");
    while (q.executeStep()) {
      borrower_of[q.getColumn(0).getInt64()] = names[q.getColumn(1).getInt64()];
    }
  }
  std::vector<Reminder> items;
  for (std::size_t k = 0; k < std::size(kinds); ++k) {
    const Kind& kind = kinds[k];
    SQLite::Statement q(db.sql(), kind.sql);
    q.bind(1, text::format_date(today));
    if (kind.days != nullptr) {
      q.bind(2, fmt::format("+{} days", config.reminders.*kind.days));
    }
    while (q.executeStep()) {
      Reminder r;
      r.request = q.getColumn(0).getInt64();
      r.borrower = borrower_of[r.request];
      r.kind = kind.name;
      r.since = text::parse_date("since", q.getColumn(1).getString());
      if (!q.getColumn(2).isNull()) {
        r.expert = q.getColumn(2).getInt64();
      }
      const mail::Values values{{"id", std::to_string(r.request)},
                                {"date", text::format_date(r.since)},
                                {"expert", r.expert ? std::to_string(*r.expert) : ""}};
      r.text = mail::fill(config.label(kind), values, kind.name);
      items.push_back(std::move(r));
    }
  }
  // By request, then in the order of the cycle (the order of `kinds`), which stable_sort keeps.
  std::stable_sort(items.begin(), items.end(),
                   [](const Reminder& a, const Reminder& b) { return a.request < b.request; });
  // Data protection last, under its own heading (request 0).
  for (const auto& d : privacy::due(db, config, today)) {
    Reminder r;
    r.kind = "gdpr-" + d.kind;
    r.since = d.since;
    if (d.kind != "subject-request") {
      r.expert = d.id;
    }
    r.text = d.text;
    items.push_back(std::move(r));
  }
  return items;
}

std::string digest(const std::vector<Reminder>& items, const config::Config& config) {
  std::string out;
  std::optional<std::int64_t> current;
  for (const auto& r : items) {
    if (r.request != current) {
      if (current) {
        out += '\n';
      }
      if (r.request == 0) {
        out += i18n::tr_in(config.language, N_("Data protection")) + '\n';
      } else {
        out += i18n::tr_format_in(config.language, "Request {} · {}", r.request, r.borrower);
        out += '\n';
      }
      current = r.request;
    }
    out += "  - " + r.text + '\n';
  }
  return out;
}

output::Table reminders_table(const std::vector<Reminder>& items) {
  output::Table t{{"request", "borrower", "kind", "since", "expert", "text"}, {}};
  for (const auto& r : items) {
    t.rows.push_back({r.request == 0 ? output::Value{} : output::Value{r.request}, r.borrower,
                      r.kind, text::format_date(r.since),
                      r.expert ? output::Value{*r.expert} : output::Value{}, r.text});
  }
  return t;
}

mail::Message reminder_mail(const std::vector<Reminder>& items, const config::Config& config,
                            text::Date today, std::time_t now) {
  if (config.contact_persons.empty()) {
    throw make_error(ExitCode::config,
                     "library.contact_persons is empty: there is nobody to mail reminders to");
  }
  const mail::Values values{{"library", config.library_name},
                            {"count", std::to_string(items.size())},
                            {"today", text::format_date(today)},
                            {"items", digest(items, config)}};
  const auto& t = config.templates();
  mail::Message m;
  m.from = {config.library_name, config.library_email};
  for (const auto& p : config.contact_persons) {
    m.to.push_back({p.name, p.email});
  }
  m.subject = mail::fill_line(t.remind_subject, values, "mail.remind_subject");
  m.body = mail::fill(t.remind_body, values, "mail.remind_body");
  m.date = now;
  m.message_id = mail::make_message_id("remind", config.library_email);
  return m;
}

}  // namespace lbib::followup

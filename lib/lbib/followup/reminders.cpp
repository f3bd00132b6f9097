// SPDX-License-Identifier: MIT
#include "lbib/followup/reminders.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>
#include <tuple>

#include "lbib/error.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/dispatch.hpp"
#include "lbib/lending/matching.hpp"
#include "lbib/lending/views.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::followup {

using i18n::N_;
namespace {

// One kind of reminder: the query that finds its items (?1 today, ?2 the '+N days' modifier
// when the kind has a delay, ?3 the real today when it uses it), the command it suggests and the
// sentence it prints ({id}, {date}, {expert}, {command}). Every command is complete, so it runs as
// printed: a date the contact person agrees on is suggested a week ahead ({week}), and a loan lists
// the experts who were invited ({invited}), to be cut down to those who took part.
struct Kind {
  const char* name;
  int config::ReminderDays::*days;  // nullptr: due `after` days after the date itself
  int after;                        // with days == nullptr: 0 on the date, 1 the day after
  const char* sql;   // request id, since date, expert id or NULL; due on or before ?1
  const char* step;  // the next step, as `lbib today` names it
  const char* command;
  const char* sv;
  const char* en;
  // What the query cannot say, asked of each item it finds (nullptr: every item): whether
  // anyone matches the request, say. Kinds that split one situation by it use the same query.
  bool (*when)(db::Database&, std::int64_t request, text::Date today) = nullptr;
};

// Whether matching finds anyone to mail request `id` to (lending::match).
bool someone_matches(db::Database& db, std::int64_t id, text::Date today) {
  return !lending::match(db, lending::get_request(db, id), today).candidates.empty();
}

bool nobody_matches(db::Database& db, std::int64_t id, text::Date today) {
  return !someone_matches(db, id, today);
}

// Whether request `id`'s reply-by date has passed: mailing it then needs a new one first.
bool reply_by_passed(db::Database& db, std::int64_t id, text::Date today) {
  const auto reply_by = lending::get_request(db, id).details.reply_by;
  return reply_by && *reply_by < today;
}

bool can_mail_now(db::Database& db, std::int64_t id, text::Date today) {
  return !reply_by_passed(db, id, today) && someone_matches(db, id, today);
}

bool can_mail_with_new_reply_by(db::Database& db, std::int64_t id, text::Date today) {
  return reply_by_passed(db, id, today) && someone_matches(db, id, today);
}

// A request whose pre-meeting was held and that has not been mailed yet.
#define PRE_MEETING_HELD                                                                   \
  "SELECT r.id, p.held_on, NULL FROM request r JOIN pre_meeting p ON p.request_id = r.id " \
  "WHERE r.state = 'pre-meeting-held' AND date(p.held_on, ?2) <= ?1"

// A follow-up held whose summary was not sent, and whether anyone who took part and has not had
// it may be mailed it (the summary's own recipients: mailable_expert).
#define SUMMARY_UNSENT(some)                                                             \
  "SELECT f.request_id, f.held_on, NULL FROM followup f WHERE f.held_on IS NOT NULL "    \
  "AND f.summary_sent_on IS NULL AND date(f.held_on, ?2) <= ?1 AND " some                \
  " EXISTS ("                                                                            \
  "SELECT 1 FROM loan_participant p JOIN mailable_expert m ON m.id = p.expert_id "       \
  "WHERE p.request_id = f.request_id AND NOT EXISTS (SELECT 1 FROM summary_recipient s " \
  "WHERE s.request_id = f.request_id AND s.expert_id = m.id))"

// A request's loan date: its time when that begins with a date (YYYY-MM-DD), as
// `request new --time "2026-03-10 kl. 13-16"` gives it; NULL otherwise.
#define LOAN_DATE                                                                        \
  "(CASE WHEN date(substr(r.time, 1, 10)) IS substr(r.time, 1, 10) THEN substr(r.time, " \
  "1, 10) END)"

const Kind kinds[] = {
    {"pre-meeting", &config::ReminderDays::pre_meeting, 0,
     // Counted from the day the request last became received: its arrival, or its resumption.
     "SELECT id, since, NULL FROM (SELECT r.id, (SELECT max(v.on_date) FROM request_event v "
     "WHERE v.request_id = r.id AND v.to_state = 'received') AS since FROM request r "
     "WHERE r.state = 'received') WHERE date(since, ?2) <= ?1 ORDER BY id",
     N_("hold the pre-meeting"),
     "lbib request premeeting {id} --told-compensation --told-two-experts --told-feedback",
     "Inget förmöte ännu; förfrågan väntar sedan {date}. Håll förmöte och registrera det "
     "({command}).",
     "No pre-meeting yet; the request has waited since {date}. Hold one and record it "
     "({command})."},
    {"dispatch", &config::ReminderDays::dispatch, 0, PRE_MEETING_HELD,
     N_("mail the request to the experts"), "scripts/send-request.sh {id}",
     "Förmötet hölls {date} men förfrågan har inte skickats till de erfarna ({command}).",
     "The pre-meeting was held on {date} but the request has not been mailed to the experts "
     "({command}).",
     can_mail_now},
    // The same, once its reply-by date has passed: a new date first, then the mail.
    {"dispatch-reply-by", &config::ReminderDays::dispatch, 0, PRE_MEETING_HELD,
     N_("give a new reply-by date, then mail the request"),
     "lbib request edit {id} --reply-by {week}",
     "Förmötet hölls {date} men förfrågan har inte skickats till de erfarna, och dess "
     "svarsdatum har passerat; ange ett nytt svarsdatum ({command}) och skicka den sedan med "
     "scripts/send-request.sh {id}.",
     "The pre-meeting was held on {date} but the request has not been mailed to the experts, "
     "and its reply-by date has passed; give a new reply-by date ({command}), then mail it "
     "with scripts/send-request.sh {id}.",
     can_mail_with_new_reply_by},
    // The same request when no expert matches it: mailing it would reach nobody.
    {"no-match", &config::ReminderDays::dispatch, 0, PRE_MEETING_HELD,
     N_("widen the request, or decline it"), "lbib request decline {id} --reason no-match",
     "Förmötet hölls {date} men ingen erfaren matchar förfrågan (se lbib match {id} "
     "--left-out): vidga vad den önskar (se lbib help request edit), plocka någon "
     "(se lbib help request pick), eller avböj den ({command}).",
     "The pre-meeting was held on {date} but no expert matches the request (see lbib match {id} "
     "--left-out): widen what it wants (see lbib help request edit), pick someone (see lbib "
     "help request pick), or decline it ({command}).",
     nobody_matches},
    {"detail", &config::ReminderDays::detail, 0,
     "SELECT id, since, NULL FROM (SELECT r.id, (SELECT max(v.on_date) FROM request_event v "
     "WHERE v.request_id = r.id AND v.to_state = 'awaiting-detail') AS since FROM request r "
     "WHERE r.state = 'awaiting-detail') WHERE date(since, ?2) <= ?1 ORDER BY id",
     N_("wait for the borrower's detail"), "lbib request decline {id} --reason no-response",
     "Väntar på mer information från uppdragsgivaren sedan {date}; överväg att avböja "
     "({command}).",
     "Waiting for detail from the borrower since {date}; consider declining ({command})."},
    {"hold", nullptr, 0,
     "SELECT id, hold_until, NULL FROM request WHERE state = 'on-hold' AND hold_until <= ?1",
     N_("take the request up again"), "lbib request resume {id}",
     "Vilande till {date}: dags att ta upp förfrågan igen ({command}).",
     "On hold until {date}: time to take it up again ({command})."},
    // Short of volunteers (issue #15): the reply-by date within `volunteers_days` and fewer
    // invited experts said yes than wanted; a second dispatch to the next in match order.
    {"volunteers", &config::ReminderDays::volunteers, 0,
     "SELECT r.id, date(r.reply_by, '-' || substr(?2, 2)), NULL FROM request r "
     "WHERE r.state = 'dispatched' AND r.reply_by IS NOT NULL "
     "AND date(r.reply_by, '-' || substr(?2, 2)) <= ?1 AND r.reply_by >= ?3 AND (SELECT count(*) "
     "FROM answer a "
     "WHERE a.request_id = r.id AND a.answer = 'yes') < r.experts_wanted",
     N_("find more experts"), "scripts/send-request.sh {id} --limit {limit}",
     "Svarsdatum {reply_by} närmar sig och för få har tackat ja; skicka förfrågan till fler "
     "erfarna "
     "({command}).",
     "The reply-by date {reply_by} is near and fewer than wanted have said yes; send the request "
     "to "
     "more experts ({command})."},
    // Without a loan date; with one, the "loan" kind below speaks once that date has passed.
    {"reply", &config::ReminderDays::reply, 0,
     "SELECT r.id, r.reply_by, NULL FROM request r WHERE r.state = 'dispatched' "
     "AND r.reply_by IS NOT NULL AND date(r.reply_by, ?2) <= ?1 AND " LOAN_DATE " IS NULL",
     N_("wait for the experts' replies"), "lbib request cancel {id} --reason too-few-participants",
     "Svarsdatum {date} har passerat men inget lån är registrerat; registrera lånet när det "
     "är genomfört, eller avbryt om för få svarade ({command}).",
     "The reply-by date {date} has passed but no loan is recorded; record the loan once it has "
     "taken place, or cancel if too few answered ({command})."},
    {"loan", nullptr, 1,
     "SELECT r.id, " LOAN_DATE ", NULL FROM request r WHERE r.state = 'dispatched' AND " LOAN_DATE
     " < ?1",
     N_("record the loan"), "lbib loan {id} --date {date} --expert {invited}{fewer}",
     "Lånet var planerat till {date} men inget lån är registrerat: registrera vilka som deltog "
     "({command}; de inbjudna, stryk dem som inte deltog), eller avbryt "
     "(lbib request cancel {id} --reason too-few-participants).",
     "The loan was planned for {date} but no loan is recorded: record who took part "
     "({command}; those invited, leave out whoever did not take part), or cancel "
     "(lbib request cancel {id} --reason too-few-participants)."},
    {"followup-booking", &config::ReminderDays::followup_booking, 0,
     "SELECT r.id, coalesce(l.until_on, l.carried_out_on), NULL FROM request r "
     "JOIN loan l ON l.request_id = r.id LEFT JOIN followup f ON f.request_id = r.id "
     "WHERE r.state = 'loan-carried-out' AND f.booked_for IS NULL "
     "AND date(coalesce(l.until_on, l.carried_out_on), ?2) <= ?1",
     N_("book the follow-up meeting"), "lbib followup book {id} --date {week}",
     "Lånet genomfördes {date}; boka uppföljningsmöte med uppdragsgivaren, den dag ni kommer "
     "överens om ({command}).",
     "The loan took place on {date}; book the follow-up meeting with the borrower, on the day "
     "you agree ({command})."},
    {"followup-overdue", nullptr, 1,
     "SELECT r.id, f.booked_for, NULL FROM request r JOIN followup f ON f.request_id = r.id "
     "WHERE r.state = 'loan-carried-out' AND f.held_on IS NULL AND f.booked_for < ?1",
     N_("record the follow-up meeting, or book a new day"), "lbib followup book {id} --date {week}",
     "Uppföljningsmötet var bokat {date}; registrera svaren (se lbib help followup record), "
     "eller boka en ny dag ({command}).",
     "The follow-up meeting was booked for {date}; record its answers (see lbib help followup "
     "record), or book a new day ({command})."},
    {"summary", &config::ReminderDays::summary, 0, SUMMARY_UNSENT(""),
     N_("mail the summary to the experts"), "scripts/send-followup.sh {id}",
     "Uppföljningen hölls {date}; sammanfattningen till de erfarna är inte skickad "
     "({command}).",
     "The follow-up was held on {date}; the summary to the experts has not been sent "
     "({command})."},
    // Nobody who took part may be mailed (no e-mail, or no mailing consent): the summary is told
    // by telephone or letter, or to nobody, and recorded as given.
    {"summary-told", &config::ReminderDays::summary, 0, SUMMARY_UNSENT("NOT"),
     N_("tell the summary by telephone or letter"),
     "lbib followup summary told {id} --date {today}",
     "Uppföljningen hölls {date}; ingen av de erfarna som deltog kan få sammanfattningen med "
     "e-post (ingen e-postadress eller inget samtycke till utskick). Berätta den per telefon "
     "eller brev, om någon ska ha den, och registrera det ({command}; den dag det gjordes).",
     "The follow-up was held on {date}; none of the experts who took part can be mailed the "
     "summary (no e-mail address, or no mailing consent). Tell it by telephone or letter, if "
     "anyone is to have it, and record that ({command}; the day it was done)."},
    {"feedback", &config::ReminderDays::feedback, 0,
     "SELECT request_id, held_on, NULL FROM followup WHERE held_on IS NOT NULL "
     "AND feedback_confirmed_on IS NULL AND date(held_on, ?2) <= ?1",
     N_("confirm the borrower's feedback"), "lbib followup feedback {id} --date {today}",
     "Uppföljningen hölls {date}; uppdragsgivarens egen återkoppling till de erfarna är inte "
     "bekräftad ({command}; den dag den bekräftades).",
     "The follow-up was held on {date}; the borrower's own feedback to the experts is not "
     "confirmed ({command}; the day it was confirmed)."},
    // The borrower's feedback duty, reminded to the borrower itself by mail, once (issue #15).
    {"borrower-feedback", &config::ReminderDays::borrower_feedback, 0,
     "SELECT f.request_id, f.held_on, NULL FROM followup f JOIN request r ON r.id = f.request_id "
     "JOIN living_borrower b ON b.id = r.borrower_id WHERE f.held_on IS NOT NULL "
     "AND f.feedback_confirmed_on IS NULL AND NOT EXISTS (SELECT 1 FROM "
     "borrower_mail m WHERE m.request_id = f.request_id AND m.kind = 'feedback-reminder') "
     "AND date(f.held_on, ?2) <= ?1",
     N_("remind the borrower of its feedback"), "scripts/send-borrower.sh feedback-reminder {id}",
     "Uppföljningen hölls {date} och uppdragsgivarens återkoppling till de erfarna är inte "
     "bekräftad; påminn uppdragsgivaren med e-post, en gång ({command}).",
     "The follow-up was held on {date} and the borrower's feedback to the experts is not "
     "confirmed; remind the borrower by mail, once ({command})."},
    // The experts' questionnaire unanswered: each expert is reminded once, never again.
    {"questionnaire", &config::ReminderDays::questionnaire, 0,
     "SELECT q.request_id, min(q.sent_on), NULL FROM questionnaire q "
     "WHERE q.reminded_on IS NULL AND q.replied_on IS NULL AND date(q.sent_on, ?2) <= ?1 "
     "AND NOT EXISTS (SELECT 1 FROM questionnaire_answer a WHERE a.request_id = q.request_id "
     "AND a.expert_id = q.expert_id) AND EXISTS (SELECT 1 FROM mailable_expert m "
     "WHERE m.id = q.expert_id) GROUP BY q.request_id",
     N_("remind the experts of the questionnaire"), "scripts/send-questionnaire.sh --reminder {id}",
     "Frågorna till de erfarna skickades {date} och är obesvarade; påminn dem, en gång "
     "({command}).",
     "The questionnaire went to the experts on {date} and is unanswered; remind them, once "
     "({command})."},
    {"payment", &config::ReminderDays::payment, 0,
     "SELECT request_id, due_on, expert_id FROM payment WHERE status = 'due' "
     "AND date(due_on, ?2) <= ?1",
     N_("pay the compensation"), "lbib pay {id} --expert {expert} --status paid",
     "Ersättningen till erfaren {expert} har varit obetald sedan {date} ({command}).",
     "Compensation to expert {expert} has been due since {date} ({command})."},
};

#undef LOAN_DATE
#undef PRE_MEETING_HELD
#undef SUMMARY_UNSENT

// The experts invited to a request who can still be recorded as taking part, as "1,2,5".
std::string invited(db::Database& db, std::int64_t request) {
  SQLite::Statement q(db.sql(),
                      "SELECT group_concat(id, ',') FROM (SELECT e.id FROM invitation i "
                      "JOIN living_expert e ON e.id = i.expert_id WHERE i.request_id = ?1 "
                      "AND NOT EXISTS (SELECT 1 FROM answer a "
                      "WHERE a.request_id = ?1 AND a.expert_id = e.id AND a.answer = 'no') "
                      "ORDER BY e.id)");
  q.bind(1, request);
  return q.executeStep() && !q.getColumn(0).isNull() ? q.getColumn(0).getString() : "";
}

}  // namespace

std::vector<Reminder> coming(db::Database& db, const config::Config& config, text::Date today,
                             text::Date through, Sentence sentence) {
  // The borrower of each request an item names, looked up as items come: a register of ten
  // years has tens of thousands of requests, and only the open ones have anything due.
  std::map<std::int64_t, std::string> names;  // by borrower id: a borrower has many requests
  SQLite::Statement borrower_q(db.sql(), "SELECT borrower_id FROM request WHERE id = ?1");
  lending::BorrowerLookup borrowers(db);
  const auto borrower = [&](std::int64_t request) -> std::string {
    borrower_q.bind(1, request);
    std::string name;
    if (borrower_q.executeStep()) {
      const auto id = borrower_q.getColumn(0).getInt64();
      const auto [it, added] = names.try_emplace(id);
      if (added) {
        it->second = borrowers.get(id).display();
      }
      name = it->second;
    }
    borrower_q.reset();
    return name;
  };
  // A day the contact person agrees on, suggested a week ahead so the command runs as printed.
  const text::Date week{std::chrono::sys_days{today} + std::chrono::days{7}};
  std::vector<Reminder> items;
  for (const Kind& kind : kinds) {
    SQLite::Statement q(db.sql(), kind.sql);
    q.bind(1, text::format_date(through));
    const int delay = kind.days != nullptr ? config.reminders.*kind.days : kind.after;
    if (kind.days != nullptr) {
      q.bind(2, fmt::format("+{} days", delay));
    }
    if (std::string_view(kind.sql).find("?3") != std::string_view::npos) {
      q.bind(3, text::format_date(today));  // a kind that ends on a date (the reply-by date)
    }
    while (q.executeStep()) {
      if (kind.when != nullptr && !kind.when(db, q.getColumn(0).getInt64(), today)) {
        continue;
      }
      Reminder r;
      r.request = q.getColumn(0).getInt64();
      r.borrower = borrower(r.request);
      r.kind = kind.name;
      r.since = text::parse_date("since", q.getColumn(1).getString());
      r.due_on = text::Date{std::chrono::sys_days{r.since} + std::chrono::days{delay}};
      // Ahead of a date (the reply-by date): due from the day it is listed.
      const bool ahead = std::string_view(kind.name) == "volunteers";
      const text::Date ahead_of = r.due_on;
      if (ahead) {
        r.due_on = r.since;
      }
      r.step = i18n::tr_in(config.language, kind.step);
      if (!q.getColumn(2).isNull()) {
        r.expert = q.getColumn(2).getInt64();
      }
      mail::Values values{{"id", std::to_string(r.request)},
                          {"date", text::format_date(r.since)},
                          {"expert", r.expert ? std::to_string(*r.expert) : ""},
                          {"today", text::format_date(today)},
                          {"week", text::format_date(week)}};
      if (ahead) {
        values.emplace_back("reply_by", text::format_date(ahead_of));
        const auto a = lending::answer_counts(db, r.request);
        values.emplace_back("limit", std::to_string(std::max(1, a.wanted - a.yes)));
      }
      if (std::string_view(kind.command).find("{invited}") != std::string_view::npos) {
        // Those invited who did not decline; fewer than the library lends needs a reason,
        // which the command carries for the contact person to check (it runs as printed).
        const auto ids = invited(db, r.request);
        values.emplace_back("invited", ids);
        const auto count = ids.empty() ? 0 : std::count(ids.begin(), ids.end(), ',') + 1;
        values.emplace_back("fewer",
                            count < config.min_experts
                                ? fmt::format(" --fewer-reason '{}'",
                                              i18n::tr_in(config.language, N_("fewer signed up")))
                                : std::string());
      }
      r.command = mail::fill_line(kind.command, values, kind.name);
      if (sentence == Sentence::written) {
        values.emplace_back("command", r.command);
        r.text = mail::fill(config.label(kind), values, kind.name);
      }
      items.push_back(std::move(r));
    }
  }
  // By request, then in the order of the cycle (the order of `kinds`), which stable_sort keeps.
  std::stable_sort(items.begin(), items.end(),
                   [](const Reminder& a, const Reminder& b) { return a.request < b.request; });
  return items;
}

namespace {

// A data-protection item as a reminder (request 0), due on its own day.
Reminder from_privacy(const privacy::Due& d) {
  Reminder r;
  r.kind = "gdpr-" + d.kind;
  r.since = d.since;
  r.due_on = d.due_on;
  if (d.kind != "subject-request") {
    r.expert = d.id;
  }
  r.text = d.text;
  r.command = d.command;
  return r;
}

}  // namespace

void each_due(db::Database& db, const config::Config& config, text::Date today,
              const std::function<void(const Reminder&)>& visit) {
  for (const auto& r : coming(db, config, today, today)) {
    visit(r);
  }
  // Data protection last, under its own heading (request 0).
  privacy::each_due(db, config, today, [&](const privacy::Due& d) { visit(from_privacy(d)); });
}

std::vector<Reminder> due(db::Database& db, const config::Config& config, text::Date today) {
  std::vector<Reminder> items;
  each_due(db, config, today, [&](const Reminder& r) { items.push_back(r); });
  return items;
}

namespace {

constexpr int days_ahead = 14;  // how far `lbib today` looks ahead

// What a data-protection item is, in a few words (privacy::Due's kinds), in their order.
constexpr std::pair<std::string_view, const char*> privacy_labels[] = {
    {"erase", N_("erasure due")},
    {"erase-paused", N_("erasure due (paused too long)")},
    {"erase-paused-soon", N_("erasure soon (paused)")},
    {"reconfirm", N_("consent to re-confirm")},
    {"erase-borrower", N_("borrower's contact to erase")},
    {"clear-request-notes", N_("request notes to clear")},
    {"delete-audit", N_("old audit entries to delete")},
    {"delete-subject-requests", N_("old data-subject requests to delete")},
    {"delete-payments", N_("old payments to delete")},
    {"subject-request", N_("data-subject request to answer")},
    {"ask-join", N_("ask whether they join the library")},
    {"erase-assignment", N_("erasure due (recruited for one assignment)")},
};

std::string privacy_label(std::string_view kind, std::string_view lang) {
  for (const auto& [key, label] : privacy_labels) {
    if (key == kind) {
      return i18n::tr_in(lang, label);
    }
  }
  return std::string(kind);
}

text::Date plus_days(text::Date d, int n) {
  return text::Date{std::chrono::sys_days{d} + std::chrono::days{n}};
}

std::size_t kind_rank(std::string_view kind);  // below, beside the summary

// What `lbib remind` and `lbib today` show of many items: the count of each kind by the month
// its items fall due, and the items of each kind that has at most `limit` of them. Memory stays
// within the kinds, their months and `limit` items of each kind, however many items pass.
template <typename Item>
class DueTally {
 public:
  explicit DueTally(std::size_t limit) : m_limit(limit) {}

  // `kind` as kind_rank() knows it (a data-protection kind with its "gdpr-" prefix).
  void add(const std::string& kind, text::Date due_on, const Item& item) {
    ++m_total;
    // The month as a number: formatted once per entry when counted, not once per item.
    const int month = int{due_on.year()} * 12 + static_cast<int>(unsigned{due_on.month()}) - 1;
    ++m_counts[{kind_rank(kind), kind, month}];
    const auto n = ++m_per_kind[kind];
    if (n <= m_limit) {
      m_kept.emplace_back(kind, item);
    } else if (n == m_limit + 1) {
      // Over the limit: from now on only counted; the ones kept go too.
      std::erase_if(m_kept, [&kind](const auto& k) { return k.first == kind; });
    }
  }

  std::int64_t total() const { return m_total; }
  /// The items of the kinds not over the limit, in the order they came, each with its kind.
  const std::vector<std::pair<std::string, Item>>& kept() const { return m_kept; }
  /// The counts by kind (the lending cycle's order, then data protection's) and month; with
  /// `only_over`, only those of the kinds over the limit.
  std::vector<DueCount> counts(bool only_over = false) const {
    std::vector<DueCount> out;
    for (const auto& [key, count] : m_counts) {
      if (!only_over || m_per_kind.at(std::get<1>(key)) > m_limit) {
        const int month = std::get<2>(key);
        out.push_back(
            {std::get<1>(key), fmt::format("{:04}-{:02}", month / 12, month % 12 + 1), count});
      }
    }
    return out;
  }

 private:
  std::size_t m_limit;
  std::int64_t m_total = 0;
  // (rank, kind, month) -> count: as many entries as kinds times months, never one per item.
  std::map<std::tuple<std::size_t, std::string, int>, std::int64_t> m_counts;
  std::map<std::string, std::size_t> m_per_kind;
  std::vector<std::pair<std::string, Item>> m_kept;
};

}  // namespace

bool each_day_row(db::Database& db, const config::Config& config, text::Date today,
                  const std::function<void(std::string, output::Table)>& section,
                  const std::function<void(std::vector<output::Value>)>& row) {
  const std::string_view lang = config.language;
  // Everything the cycle will make due as the register stands: the next step of each open
  // request, what is overdue, and what falls due within the next days. By request.
  const auto pending =
      coming(db, config, today, text::Date{std::chrono::year{9999} / 12 / 31}, Sentence::left_out);
  const auto horizon = plus_days(today, days_ahead);
  const auto in_window = [&](text::Date d) { return today <= d && d <= horizon; };

  // Keys, dates and commands only: the same JSON in every language (docs/output.md).
  output::Table overdue{{"request", "borrower", "kind", "since", "due_on", "command"}, {}};
  // At a narrow terminal the commands go first (`remind` and --wide show them), never cut.
  overdue.whole = {"command"};
  overdue.narrow_drop = {"command", "since", "borrower"};
  section("overdue", std::move(overdue));
  // What falls due in the next days is few: kept, to be sorted by day.
  std::vector<std::vector<output::Value>> soon;
  for (const auto& r : pending) {
    const output::Term what{r.kind, r.step};
    if (r.due_on <= today) {
      row({r.request, r.borrower, what, text::format_date(r.since), text::format_date(r.due_on),
           r.command});
    } else if (r.due_on <= horizon) {
      // A booked meeting or a planned loan is not to be acted on before its day: the day
      // itself is listed below, and the command only once it has passed.
      const bool after_the_day = r.kind == "loan" || r.kind == "followup-overdue";
      soon.push_back({text::format_date(r.due_on), r.request, r.borrower, what,
                      after_the_day ? output::Value{} : output::Value{r.command}});
    }
    // The days themselves: a loan planned, a follow-up meeting booked.
    if ((r.kind == "loan" || r.kind == "followup-overdue") && in_window(r.since)) {
      const bool loan = r.kind == "loan";
      soon.push_back(
          {text::format_date(r.since), r.request, r.borrower,
           output::Term{loan ? "loan-day" : "followup-meeting",
                        i18n::tr_in(lang, loan ? N_("the loan") : N_("the follow-up meeting"))},
           output::Value{}});
    }
  }
  std::stable_sort(soon.begin(), soon.end(), [](const auto& a, const auto& b) {
    return std::get<std::string>(a[0]) < std::get<std::string>(b[0]);
  });
  output::Table coming_days{{"on", "request", "borrower", "kind", "command"}, {}};
  coming_days.whole = {"command"};
  coming_days.narrow_drop = {"command", "borrower"};
  section("coming", std::move(coming_days));
  for (auto& r : soon) {
    row(std::move(r));
  }
  soon = {};

  output::Table requests{{"request", "borrower", "state", "next_step", "due_on", "command"}, {}};
  requests.whole = {"command"};
  requests.narrow_drop = {"command", "borrower"};
  section("requests", std::move(requests));
  std::map<std::int64_t, std::string> names;
  for (const auto& b : lending::list_borrowers(db)) {
    names[b.id] = b.display();
  }
  SQLite::Statement q(db.sql(),
                      "SELECT id, state, borrower_id FROM request WHERE state NOT IN ('finished', "
                      "'declined', 'cancelled', 'withdrawn') ORDER BY id");
  // Each request's first pending step: `pending` is by request too, so one walk finds them.
  auto next = pending.begin();
  while (q.executeStep()) {
    const auto id = q.getColumn(0).getInt64();
    const auto& borrower = names[q.getColumn(2).getInt64()];
    while (next != pending.end() && next->request < id) {
      ++next;
    }
    if (next == pending.end() || next->request != id) {
      row({id, borrower,
           lending::state_term(lending::parse_state("state", q.getColumn(1).getString())),
           output::Value{}, output::Value{}, output::Value{}});
      continue;
    }
    const Reminder& r = *next;
    row({id, borrower,
         lending::state_term(lending::parse_state("state", q.getColumn(1).getString())),
         output::Term{r.kind, r.step}, text::format_date(r.due_on), r.command});
  }

  // Consents to re-confirm, erasures and data-subject requests, from now to the horizon: the
  // items of each kind with at most remind_list_limit of them, and for a kind with more only its
  // counts by month, as `lbib remind` shows them (a register of 100,000 experts can have 70,000
  // consents to re-confirm: too many to hold, or to read on one screen).
  output::Table protection{{"kind", "id", "since", "overdue", "command"}, {}};
  protection.whole = {"command"};
  protection.narrow_drop = {"command", "since"};
  DueTally<privacy::Due> tally(remind_list_limit);
  privacy::each_due(db, config, horizon,
                    [&tally](const privacy::Due& d) { tally.add("gdpr-" + d.kind, d.due_on, d); });
  // Which of the items listed are due already: looked up among the few listed, not among
  // everything due today.
  std::set<std::pair<std::string, std::int64_t>> listed;
  for (const auto& kept : tally.kept()) {
    listed.emplace(kept.second.kind, kept.second.id);
  }
  std::set<std::pair<std::string, std::int64_t>> due_now;
  privacy::each_due(db, config, today, [&](const privacy::Due& n) {
    if (listed.contains({n.kind, n.id})) {
      due_now.emplace(n.kind, n.id);
    }
  });
  section("data_protection", std::move(protection));
  for (const auto& kept : tally.kept()) {
    const privacy::Due& d = kept.second;
    row({output::Term{d.kind, privacy_label(d.kind, lang)},
         d.id == 0 ? output::Value{} : output::Value{d.id}, text::format_date(d.since),
         due_now.contains({d.kind, d.id}), d.command});
  }
  // Only when a kind has too many items to list, so what a small register shows stays as it was.
  const auto counts = tally.counts(true);
  if (counts.empty()) {
    return false;
  }
  section("data_protection_counted", output::Table{{"kind", "month", "count"}, {}});
  for (const auto& c : counts) {
    const std::string kind = c.kind.substr(5);  // without "gdpr-"
    row({output::Term{kind, privacy_label(kind, lang)}, c.month, c.count});
  }
  return true;
}

std::string counted_note(const config::Config& config, text::Date today) {
  const auto horizon = text::format_date(plus_days(today, days_ahead));
  return i18n::tr_format_in(config.language,
                            "A kind with more than {} items is counted by month, not listed; "
                            "every item due by {}, with its command: lbib remind --all --today {}",
                            remind_list_limit, horizon, horizon);
}

void DigestWriter::add(const Reminder& r) {
  if (r.request != m_current) {
    if (m_current) {
      m_out << '\n';
    }
    if (r.request == 0) {
      m_out << i18n::tr_in(m_config.language, N_("Data protection")) << '\n';
    } else {
      m_out << i18n::tr_format_in(m_config.language, "Request {} · {}", r.request, r.borrower)
            << '\n';
    }
    m_current = r.request;
  }
  m_out << "  - " << r.text << '\n';
}

std::string digest(const std::vector<Reminder>& items, const config::Config& config) {
  std::ostringstream out;
  DigestWriter writer(out, config);
  for (const auto& r : items) {
    writer.add(r);
  }
  return std::move(out).str();
}

namespace {

// Where a kind comes in the summary: the lending cycle's order, then data protection's.
std::size_t kind_rank(std::string_view kind) {
  for (std::size_t i = 0; i < std::size(kinds); ++i) {
    if (kind == kinds[i].name) {
      return i;
    }
  }
  if (kind.starts_with("gdpr-")) {
    kind.remove_prefix(5);
    for (std::size_t i = 0; i < std::size(privacy_labels); ++i) {
      if (kind == privacy_labels[i].first) {
        return std::size(kinds) + i;
      }
    }
  }
  return std::size(kinds) + std::size(privacy_labels);  // unknown: last, by name
}

// A kind as people read it: the next step of the lending cycle, or what a data-protection
// item is.
std::string kind_label(std::string_view kind, std::string_view lang) {
  for (const Kind& k : kinds) {
    if (kind == k.name) {
      return i18n::tr_in(lang, k.step);
    }
  }
  if (kind.starts_with("gdpr-")) {
    return privacy_label(kind.substr(5), lang);
  }
  return std::string(kind);
}

}  // namespace

DueSummary summarise(db::Database& db, const config::Config& config, text::Date today,
                     std::size_t list_limit) {
  DueSummary out;
  out.limit = list_limit;
  DueTally<Reminder> tally(list_limit);
  each_due(db, config, today, [&tally](const Reminder& r) { tally.add(r.kind, r.due_on, r); });
  out.total = tally.total();
  for (const auto& kept : tally.kept()) {
    out.listed.push_back(kept.second);
  }
  out.counts = tally.counts();
  out.unlisted = out.total - static_cast<std::int64_t>(out.listed.size());
  return out;
}

output::Table summary_table(const DueSummary& summary, const config::Config& config) {
  output::Table t{{"kind", "month", "count"}, {}};
  for (const auto& c : summary.counts) {
    t.rows.push_back({output::Term{c.kind, kind_label(c.kind, config.language)}, c.month, c.count});
  }
  return t;
}

std::string digest(const DueSummary& summary, const config::Config& config) {
  const std::string_view lang = config.language;
  std::ostringstream out;
  DigestWriter writer(out, config);
  for (const auto& r : summary.listed) {
    writer.add(r);
  }
  if (summary.unlisted == 0) {
    return std::move(out).str();
  }
  if (!summary.listed.empty()) {
    out << '\n';
  }
  // Only the counts of a kind with too many items to read one by one; no ids, no names.
  out << i18n::tr_format_in(lang,
                            "Counted, not listed ({} items; more than {} of each of these kinds), "
                            "by the month each fell due:",
                            summary.unlisted, summary.limit)
      << '\n';
  std::map<std::string, std::int64_t> per_kind;
  for (const auto& c : summary.counts) {
    per_kind[c.kind] += c.count;
  }
  for (const auto& c : summary.counts) {
    if (per_kind[c.kind] <= static_cast<std::int64_t>(summary.limit)) {
      continue;  // listed above
    }
    out << "  - " << kind_label(c.kind, lang) << " (" << c.month << "): " << c.count << '\n';
  }
  out << i18n::tr_in(lang, N_("Every item, with its command: lbib remind --all")) << '\n';
  return std::move(out).str();
}

output::Table reminders_header() {
  output::Table t{{"request", "borrower", "kind", "since", "due_on", "expert", "text", "command"},
                  {}};
  t.data_only = {"command"};  // people read it in the text
  t.people_only = {"text"};   // a sentence in the register's language: not data
  return t;
}

std::vector<output::Value> reminder_row(const Reminder& r) {
  return {r.request == 0 ? output::Value{} : output::Value{r.request},
          r.borrower,
          r.kind,
          text::format_date(r.since),
          text::format_date(r.due_on),
          r.expert ? output::Value{*r.expert} : output::Value{},
          r.text,
          r.command};
}

output::Table reminders_table(const std::vector<Reminder>& items) {
  auto t = reminders_header();
  for (const auto& r : items) {
    t.rows.push_back(reminder_row(r));
  }
  return t;
}

mail::Message reminder_mail(const std::vector<Reminder>& items, const config::Config& config,
                            text::Date today, std::time_t now) {
  return reminder_mail(digest(items, config), static_cast<std::int64_t>(items.size()), config,
                       today, now);
}

mail::Message reminder_mail(const std::string& items, std::int64_t count,
                            const config::Config& config, text::Date today, std::time_t now) {
  if (config.contact_persons.empty()) {
    throw make_error(ExitCode::config,
                     "library.contact_persons is empty: there is nobody to mail reminders to");
  }
  const mail::Values values{{"library", config.library_name},
                            {"count", std::to_string(count)},
                            {"today", text::format_date(today)},
                            {"items", items}};
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

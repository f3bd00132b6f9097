// SPDX-License-Identifier: MIT
#include "lbib/lending/views.hpp"

#include <SQLiteCpp/Statement.h>

#include <map>

#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/dispatch.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {
using i18n::N_;
using output::maybe;
using output::text_cell;

namespace {

// How an invitation reached the expert: 'mail', 'phone' (a call) or 'letter' (issue #14).
output::Term channel_term(const std::string& channel) {
  if (channel == "phone") {
    return {channel, i18n::tr(N_("by telephone"))};
  }
  if (channel == "letter") {
    return {channel, i18n::tr(N_("by letter"))};
  }
  return {channel, i18n::tr(N_("by e-mail"))};
}

// An invited expert's answer, or null for not answered yet (issue #15).
output::Value answer_cell(const SQLite::Column& c) {
  if (c.isNull()) {
    return {};
  }
  return answer_term(c.getString());
}

std::string wanted_text(const RequestDetails& d) {
  std::vector<std::string> parts;
  for (const auto& w : d.wanted) {
    parts.push_back(describe(w));
  }
  return text::join(parts, " ");
}

// Invitation and participant counts for every request, in one query each.
std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> counts(db::Database& db) {
  std::map<std::int64_t, std::pair<std::int64_t, std::int64_t>> out;
  SQLite::Statement inv(db.sql(),
                        "SELECT request_id, count(*) FROM invitation GROUP BY request_id");
  while (inv.executeStep()) {
    out[inv.getColumn(0).getInt64()].first = inv.getColumn(1).getInt64();
  }
  SQLite::Statement part(db.sql(),
                         "SELECT request_id, count(*) FROM loan_participant GROUP BY request_id");
  while (part.executeStep()) {
    out[part.getColumn(0).getInt64()].second = part.getColumn(1).getInt64();
  }
  return out;
}

}  // namespace

output::Term state_term(State s) {
  const auto lang = i18n::language();
  const auto words = [&]() -> std::string {
    switch (s) {
      case State::received:
        return i18n::tr_in_context(lang, "request state", "received");
      case State::awaiting_detail:
        return i18n::tr_in_context(lang, "request state", "awaiting detail");
      case State::pre_meeting_held:
        return i18n::tr_in_context(lang, "request state", "pre-meeting held");
      case State::on_hold:
        return i18n::tr_in_context(lang, "request state", "on hold");
      case State::dispatched:
        return i18n::tr_in_context(lang, "request state", "mailed to experts");
      case State::loan_carried_out:
        return i18n::tr_in_context(lang, "request state", "loan carried out");
      case State::followed_up:
        return i18n::tr_in_context(lang, "request state", "followed up");
      case State::finished:
        return i18n::tr_in_context(lang, "request state", "finished");
      case State::declined:
        return i18n::tr_in_context(lang, "request state", "declined");
      case State::cancelled:
        return i18n::tr_in_context(lang, "request state", "cancelled");
      case State::withdrawn:
        return i18n::tr_in_context(lang, "request state", "withdrawn");
    }
    return std::string(to_string(s));
  };
  return {std::string(to_string(s)), words()};
}

output::Term reason_term(Reason r) {
  const auto lang = i18n::language();
  const auto words = [&]() -> std::string {
    switch (r) {
      case Reason::no_response:
        return i18n::tr_in_context(lang, "request reason", "no response");
      case Reason::no_match:
        return i18n::tr_in_context(lang, "request reason", "no match");
      case Reason::too_few_participants:
        return i18n::tr_in_context(lang, "request reason", "too few participants");
      case Reason::by_borrower:
        return i18n::tr_in_context(lang, "request reason", "by the borrower");
      case Reason::library_closing:
        return i18n::tr_in_context(lang, "request reason", "the library is closing");
    }
    return std::string(to_string(r));
  };
  return {std::string(to_string(r)), words()};
}

output::Table requests_header() {
  output::Table t{{"id", "received_on", "borrower", "purpose", "form", "state", "reason",
                   "reply_by", "wanted", "invited", "took_part"},
                  {}};
  // At an 80-column terminal: when, who, what and where it stands.
  t.narrow_drop = {"wanted", "form", "took_part", "invited", "reply_by"};
  return t;
}

void each_request_row(db::Database& db, const RequestFilter& filter,
                      const std::function<void(std::vector<output::Value>)>& row) {
  std::map<std::int64_t, std::string> borrower_names;
  for (const auto& b : list_borrowers(db)) {
    borrower_names[b.id] = b.display();
  }
  const auto n = counts(db);
  each_request(db, filter, [&](const Request& r) {
    const auto it = n.find(r.id);
    const auto counted = it == n.end() ? std::pair<std::int64_t, std::int64_t>{0, 0} : it->second;
    row({r.id, text::format_date(r.received_on), borrower_names[r.borrower_id],
         maybe(r.details.purpose), maybe(r.details.form), state_term(r.state),
         r.reason ? output::Value{reason_term(*r.reason)} : output::Value{},
         maybe(r.details.reply_by), wanted_text(r.details), counted.first, counted.second});
  });
}

output::Record request_record(db::Database& db, const Request& r) {
  const Borrower b = get_borrower(db, r.borrower_id);
  const RequestDetails& d = r.details;
  output::Record rec;
  rec.fields = {
      {"id", r.id},
      {"borrower_id", b.id},
      {"borrower", b.display()},
      {"borrower_contact", b.contact_name + " <" + b.contact_email + ">"},
      {"received_on", text::format_date(r.received_on)},
      {"state", state_term(r.state)},
      {"reason", r.reason ? output::Value{reason_term(*r.reason)} : output::Value{}},
      {"hold_until", maybe(r.hold_until)},
      {"purpose", maybe(d.purpose)},
      {"form", maybe(d.form)},
      {"time", maybe(d.time)},
      {"place", maybe(d.place)},
      {"digital", d.digital},
      {"experts_wanted", std::int64_t{d.experts_wanted}},
      {"fewer_reason", maybe(d.fewer_reason)},
      {"wanted", wanted_text(d)},
      {"min_age", maybe(d.min_age)},
      {"max_age", maybe(d.max_age)},
      {"municipality", maybe(d.municipality)},
      {"reply_by", maybe(d.reply_by)},
      {"notes", maybe(d.notes)},
      {"pre_meeting_on",
       r.pre_meeting ? output::Value{text::format_date(r.pre_meeting->held_on)} : output::Value{}},
  };
  // How the invited experts answered (issue #15), beside experts_wanted.
  const auto answers = answer_counts(db, r.id);
  rec.fields.emplace_back("said_yes", std::int64_t{answers.yes});
  rec.fields.emplace_back("declined", std::int64_t{answers.no});
  rec.fields.emplace_back("answered_unclear", std::int64_t{answers.unclear});
  rec.fields.emplace_back("not_answered", std::int64_t{answers.not_answered});
  output::Table history{{"on", "from", "to", "reason", "note", "correction"}, {}};
  for (const auto& e : r.events) {
    history.rows.push_back(
        {text::format_date(e.on), e.from ? text_cell(to_string(*e.from)) : output::Value{},
         text_cell(to_string(e.to)), e.reason ? text_cell(to_string(*e.reason)) : output::Value{},
         maybe(e.note), maybe(e.correction)});
  }
  output::Table invitations{{"expert", "name", "sent_on", "picked", "channel", "answer"}, {}};
  SQLite::Statement q(db.sql(),
                      "SELECT i.expert_id, e.name, d.sent_on, "
                      "EXISTS (SELECT 1 FROM request_pick p WHERE p.request_id = i.request_id "
                      "AND p.expert_id = i.expert_id), d.channel, a.answer "
                      "FROM invitation i JOIN expert e ON e.id = i.expert_id "
                      "LEFT JOIN answer a ON a.request_id = i.request_id "
                      "AND a.expert_id = i.expert_id "
                      "JOIN dispatch d ON d.id = i.dispatch_id WHERE i.request_id = ? "
                      "ORDER BY d.sent_on, i.expert_id");
  q.bind(1, r.id);
  while (q.executeStep()) {
    invitations.rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString(),
                                q.getColumn(2).getString(), q.getColumn(3).getInt() != 0,
                                channel_term(q.getColumn(4).getString()),
                                answer_cell(q.getColumn(5))});
  }
  output::Table loan{{"carried_out_on", "until", "form", "experts", "invited_experts",
                      "external_participants", "fewer_reason", "signed_up", "no_shows"},
                     {}};
  output::Table participants{{"expert", "invited"}, {}};
  output::Table no_shows{{"expert"}, {}};
  if (const auto l = find_loan(db, r.id)) {
    std::int64_t invited = 0;
    for (const auto& p : l->participants) {
      participants.rows.push_back({p.expert_id, p.invited});
      invited += p.invited ? 1 : 0;
    }
    for (const auto expert_id : l->no_shows) {
      no_shows.rows.push_back({expert_id});
    }
    loan.rows.push_back({text::format_date(l->carried_out_on), maybe(l->until), maybe(l->form),
                         static_cast<std::int64_t>(l->participants.size()), invited,
                         std::int64_t{l->external_participants}, maybe(l->fewer_reason),
                         static_cast<std::int64_t>(l->participants.size() + l->no_shows.size()),
                         static_cast<std::int64_t>(l->no_shows.size())});
  }
  rec.sections = {{"history", std::move(history)},
                  {"invitations", std::move(invitations)},
                  {"loan", std::move(loan)},
                  {"participants", std::move(participants)},
                  {"no_shows", std::move(no_shows)}};
  return rec;
}

output::Term answer_term(const std::string& key) {
  return output::Term{key, std::string(key == "yes"  ? i18n::tr(N_("said yes"))
                                       : key == "no" ? i18n::tr(N_("declined"))
                                                     : i18n::tr(N_("answered, read it")))};
}

}  // namespace lbib::lending

// SPDX-License-Identifier: MIT
#include "lbib/lending/dispatch.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <optional>
#include <string>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/matching.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {

using i18n::N_;
namespace {

namespace fs = std::filesystem;

std::string place_text(const RequestDetails& d, const config::Config& config) {
  if (d.place && d.digital) {
    return i18n::tr_format_in(config.language, "{} (digital)", *d.place);
  }
  if (d.place) {
    return *d.place;
  }
  return i18n::tr_in(config.language, N_("Digital"));
}

mail::Values dispatch_values(const Request& r, const Borrower& b, const config::Config& config) {
  const RequestDetails& d = r.details;
  const auto* form = config::find_term(config.forms, *d.form);
  return {
      {"library", config.library_name},
      {"library_email", config.library_email},
      {"request", std::to_string(r.id)},
      {"borrower", b.display()},
      {"borrower_contact", fmt::format("{} <{}>", b.contact_name, b.contact_email)},
      {"purpose", *d.purpose},
      {"form", form != nullptr ? config.label(*form) : *d.form},
      {"time", *d.time},
      {"place", place_text(d, config)},
      {"reply_by", text::format_date(*d.reply_by)},
      {"experts_wanted", std::to_string(d.experts_wanted)},
      {"compensation", config.templates().compensation},
  };
}

// Expert `id`, when requests may go to them: active, with the mailing consent in force.
experts::Expert requestable(db::Database& db, std::int64_t id) {
  auto e = experts::get(db, id);
  if (e.status != experts::Status::active) {
    throw make_error(ExitCode::data, "expert {} is {}; requests go to active experts only", id,
                     experts::to_string(e.status));
  }
  if (!e.has_consent(experts::Purpose::mailing)) {
    throw make_error(ExitCode::data,
                     "expert {} has no mailing consent in force; they cannot be sent requests", id);
  }
  return e;
}

// Whom a dispatch reaches, and how: by e-mail, or else by telephone or letter.
struct DispatchRecipient {
  std::int64_t id = 0;
  std::string name;
  std::string email;
  std::optional<std::string> phone;
  std::optional<std::string> postal_address;
};

DispatchRecipient dispatch_recipient_of(experts::Expert e) {
  return {e.id, std::move(e.profile.name), std::move(e.profile.email), std::move(e.profile.phone),
          std::move(e.profile.postal_address)};
}

// The recipients: explicit ids (checked), or the matching experts not yet invited. A matching
// expert's name and address come with the match; only those without e-mail are looked up again,
// for their telephone or postal address (one query each, not a whole expert per recipient).
std::vector<DispatchRecipient> choose(db::Database& db, const Request& r, const Recipients& want,
                                      text::Date today) {
  std::vector<DispatchRecipient> chosen;
  if (!want.experts.empty()) {
    for (const auto id : want.experts) {
      auto e = requestable(db, id);
      SQLite::Statement q(db.sql(),
                          "SELECT 1 FROM invitation WHERE request_id = ? AND expert_id = ?");
      q.bind(1, r.id);
      q.bind(2, id);
      if (q.executeStep()) {
        throw make_error(ExitCode::data, "expert {} already received request {}", id, r.id);
      }
      if (std::none_of(chosen.begin(), chosen.end(), [id](const auto& c) { return c.id == id; })) {
        chosen.push_back(dispatch_recipient_of(std::move(e)));
      }
    }
    return chosen;
  }
  auto result = match(db, r, today);
  SQLite::Statement reach(db.sql(), "SELECT phone, postal_address FROM expert WHERE id = ?");
  for (auto& c : result.candidates) {
    if (c.invited_here) {
      continue;
    }
    if (want.limit && chosen.size() >= *want.limit) {
      break;
    }
    DispatchRecipient to{c.expert_id, std::move(c.name), std::move(c.email), {}, {}};
    if (to.email.empty()) {
      reach.bind(1, to.id);
      if (reach.executeStep()) {
        if (!reach.getColumn(0).isNull()) {
          to.phone = reach.getColumn(0).getString();
        }
        if (!reach.getColumn(1).isNull()) {
          to.postal_address = reach.getColumn(1).getString();
        }
      }
      reach.reset();
    }
    chosen.push_back(std::move(to));
  }
  if (chosen.empty()) {
    std::string why = result.candidates.empty() ? "no active expert with mailing consent matches it"
                                                : "every matching expert has already received it";
    if (!result.shortfall.empty()) {
      why += " (" + text::join(result.shortfall, "; ") + ")";
    }
    throw make_error(ExitCode::data, "request {}: nobody to send to: {}", r.id, why);
  }
  return chosen;
}

}  // namespace

void Dispatch::check(db::Database& db, text::Date on) const {
  const Request r = get_request(db, request_);
  const auto from = allowed_from(Step::dispatch);
  if (std::find(from.begin(), from.end(), r.state) == from.end()) {
    throw make_error(ExitCode::data,
                     "request {} is {}; it is mailed to experts after the pre-meeting "
                     "(state pre-meeting-held or dispatched)",
                     request_, to_string(r.state));
  }
  const auto missing = missing_for_dispatch(r.details);
  if (!missing.empty()) {
    throw make_error(
        ExitCode::data,
        "request {} cannot be mailed yet; missing: {} (add with 'lbib request edit {}')", request_,
        text::join(missing, ", "), request_);
  }
  if (r.pre_meeting && on < r.pre_meeting->held_on) {
    throw make_error(ExitCode::data,
                     "date: {} is before the pre-meeting ({}); a request is mailed after it",
                     text::format_date(on), text::format_date(r.pre_meeting->held_on));
  }
  if (on < r.received_on) {
    throw make_error(ExitCode::data, "date: {} is before the request was received",
                     text::format_date(on));
  }
}

mailing::Draft Dispatch::draft(db::Database& db, const config::Config& config,
                               text::Date today) const {
  const Request r = get_request(db, request_);
  if (r.details.reply_by && *r.details.reply_by < today && !past_reply_by_) {
    throw make_error(ExitCode::data,
                     "request {}: its reply-by date {} has passed; give the experts a new one "
                     "first ('lbib request edit {} --reply-by DATE'), or add --past-reply-by to "
                     "mail it anyway",
                     request_, text::format_date(*r.details.reply_by), request_);
  }
  const Borrower borrower = get_borrower(db, r.borrower_id);
  mailing::Draft d;
  d.subject_template = config.templates().dispatch_subject;
  d.body_template = config.templates().dispatch_body;
  d.template_name = "dispatch";
  d.values = dispatch_values(r, borrower, config);
  d.reply_to = mail::Address{borrower.contact_name, borrower.contact_email};
  d.call_list = true;
  for (auto& e : choose(db, r, recipients_, today)) {
    if (e.email.empty()) {  // telephone or letter: on the call list
      const auto phone = e.phone.value_or("");
      d.calls.push_back(
          {e.id, std::move(e.name), phone, phone.empty() ? e.postal_address.value_or("") : ""});
    } else {
      d.bcc.emplace_back(e.id, std::move(e.email));
    }
  }
  return d;
}

mailing::Recorded Dispatch::record(db::WriteTransaction& tx, const mail::Manifest& sent,
                                   text::Date on, const audit::Actor& actor) const {
  const Request r = get_request(tx.database(), request_);
  if (r.state == State::pre_meeting_held) {
    transition(tx, r, Step::dispatch, State::dispatched, StepInput{on, {}, {}, {}});
  }
  SQLite::Statement ins(tx.sql(),
                        "INSERT INTO dispatch (request_id, message_id, sent_on) VALUES (?, ?, ?)");
  ins.bind(1, request_);
  ins.bind(2, sent.message_id);
  ins.bind(3, text::format_date(on));
  ins.exec();
  const auto dispatch_id = tx.sql().getLastInsertRowid();
  SQLite::Statement inv(tx.sql(),
                        "INSERT OR IGNORE INTO invitation (request_id, expert_id, dispatch_id) "
                        "SELECT ?1, ?2, ?3 WHERE EXISTS (SELECT 1 FROM expert WHERE id = ?2)");
  mailing::Recorded result;
  for (const auto expert_id : sent.experts) {
    inv.bind(1, request_);
    inv.bind(2, expert_id);
    inv.bind(3, dispatch_id);
    result.recipients += static_cast<std::size_t>(inv.exec());
    inv.reset();
  }
  audit::record(tx, actor, "dispatch", "request", request_,
                fmt::format("{} experts", result.recipients));
  return result;
}

std::size_t record_calls(db::WriteTransaction& tx, std::int64_t request,
                         const std::vector<std::int64_t>& experts, text::Date on,
                         const audit::Actor& actor) {
  if (text::today() < on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a call is recorded once it was made (today {} "
                     "or earlier)",
                     text::format_date(on), text::format_date(text::today()));
  }
  db::Database& db = tx.database();
  Dispatch(request).check(db, on);
  const Request r = get_request(db, request);
  const auto matched = match(db, r, on);
  std::vector<std::int64_t> called;
  for (const auto id : experts) {
    if (std::find(called.begin(), called.end(), id) != called.end()) {
      continue;
    }
    requestable(db, id);
    const auto c = std::find_if(matched.candidates.begin(), matched.candidates.end(),
                                [id](const Candidate& m) { return m.expert_id == id; });
    if (c == matched.candidates.end()) {
      throw make_error(ExitCode::data, "expert {} does not match request {} (see 'lbib match {}')",
                       id, request, request);
    }
    if (c->invited_here) {
      throw make_error(ExitCode::data, "expert {} already received request {}", id, request);
    }
    called.push_back(id);
  }
  if (r.state == State::pre_meeting_held) {
    transition(tx, r, Step::dispatch, State::dispatched, StepInput{on, {}, {}, {}});
  }
  // A person without a telephone was written to: the same record, by letter.
  SQLite::Statement ins(tx.sql(),
                        "INSERT INTO dispatch (request_id, message_id, sent_on, channel) "
                        "SELECT ?1, CASE WHEN phone IS NULL THEN 'letter:' ELSE 'call:' END || "
                        "?2, ?3, CASE WHEN phone IS NULL THEN 'letter' ELSE 'phone' END "
                        "FROM expert WHERE id = ?4");
  SQLite::Statement inv(tx.sql(),
                        "INSERT INTO invitation (request_id, expert_id, dispatch_id) "
                        "VALUES (?, ?, ?)");
  for (const auto id : called) {
    ins.bind(1, request);
    ins.bind(2, fmt::format("{}:{}", request, id));
    ins.bind(3, text::format_date(on));
    ins.bind(4, id);
    ins.exec();
    ins.reset();
    inv.bind(1, request);
    inv.bind(2, id);
    inv.bind(3, tx.sql().getLastInsertRowid());
    inv.exec();
    inv.reset();
  }
  audit::record(tx, actor, "dispatch", "request", request,
                fmt::format("{} experts by telephone or letter", called.size()));
  return called.size();
}

AnswerChannel parse_answer_channel(std::string_view field, std::string_view value) {
  if (value == "mail") {
    return AnswerChannel::mail;
  }
  if (value == "phone") {
    return AnswerChannel::phone;
  }
  if (value == "borrower") {
    return AnswerChannel::borrower;
  }
  throw make_error(ExitCode::data, "{}: unknown channel '{}'; use one of: mail, phone, borrower",
                   field, text::printable(value));
}

std::string_view to_string(Answer answer) {
  constexpr std::array<std::string_view, 3> keys{"yes", "no", "unclear"};
  return keys.at(static_cast<std::size_t>(answer));
}

std::optional<text::Date> invited_on(db::Database& db, std::int64_t request, std::int64_t expert) {
  SQLite::Statement q(db.sql(),
                      "SELECT min(d.sent_on) FROM invitation i JOIN dispatch d "
                      "ON d.id = i.dispatch_id WHERE i.request_id = ? AND i.expert_id = ?");
  q.bind(1, request);
  q.bind(2, expert);
  if (!q.executeStep() || q.getColumn(0).isNull()) {
    return std::nullopt;
  }
  return text::parse_date("sent_on", q.getColumn(0).getString());
}

std::optional<RecordedAnswer> find_answer(db::Database& db, std::int64_t request,
                                          std::int64_t expert) {
  SQLite::Statement q(db.sql(),
                      "SELECT answer, answered_on, channel FROM answer "
                      "WHERE request_id = ? AND expert_id = ?");
  q.bind(1, request);
  q.bind(2, expert);
  if (!q.executeStep()) {
    return std::nullopt;
  }
  RecordedAnswer a;
  const std::string key = q.getColumn(0).getString();
  a.answer = key == "yes" ? Answer::yes : key == "no" ? Answer::no : Answer::unclear;
  a.answered_on = text::parse_date("answered_on", q.getColumn(1).getString());
  a.channel = parse_answer_channel("channel", q.getColumn(2).getString());
  return a;
}

void record_answer(db::WriteTransaction& tx, std::int64_t request, std::int64_t expert,
                   Answer answer, text::Date on, AnswerChannel channel, const audit::Actor& actor) {
  db::Database& db = tx.database();
  (void)get_request(db, request);
  (void)experts::get(db, expert);
  const auto invited = invited_on(db, request, expert);
  if (!invited) {
    throw make_error(ExitCode::data,
                     "expert {} was not invited to request {}; only invited experts answer it",
                     expert, request);
  }
  if (text::today() < on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; an answer is recorded once it came (today {} "
                     "or earlier)",
                     text::format_date(on), text::format_date(text::today()));
  }
  if (on < *invited) {
    throw make_error(ExitCode::data, "date: {} is before the expert was invited ({})",
                     text::format_date(on), text::format_date(*invited));
  }
  constexpr std::array<std::string_view, 3> channels{"mail", "phone", "borrower"};
  SQLite::Statement ins(tx.sql(),
                        "INSERT INTO answer (request_id, expert_id, answer, answered_on, channel) "
                        "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (request_id, expert_id) DO "
                        "UPDATE SET answer = ?3, answered_on = ?4, channel = ?5");
  ins.bind(1, request);
  ins.bind(2, expert);
  ins.bind(3, std::string(to_string(answer)));
  ins.bind(4, text::format_date(on));
  ins.bind(5, std::string(channels.at(static_cast<std::size_t>(channel))));
  ins.exec();
  audit::record(tx, actor, "answer", "request", request,
                fmt::format("expert {}: answer, answered_on, channel", expert));
}

AnswerCounts answer_counts(db::Database& db, std::int64_t request) {
  AnswerCounts c;
  c.wanted = get_request(db, request).details.experts_wanted;
  SQLite::Statement q(db.sql(),
                      "SELECT coalesce(sum(a.answer = 'yes'), 0), coalesce(sum(a.answer = 'no'), "
                      "0), coalesce(sum(a.answer IS NULL), 0), coalesce(sum(a.answer = "
                      "'unclear'), 0) FROM invitation i LEFT JOIN answer a "
                      "ON a.request_id = i.request_id AND a.expert_id = i.expert_id "
                      "WHERE i.request_id = ?");
  q.bind(1, request);
  q.executeStep();
  c.yes = q.getColumn(0).getInt();
  c.no = q.getColumn(1).getInt();
  c.not_answered = q.getColumn(2).getInt();
  c.unclear = q.getColumn(3).getInt();
  return c;
}

std::string Dispatch::recorded_text(const mailing::Recorded& r, std::string_view language) const {
  return i18n::tr_nformat_in(language, r.recipients, "recorded: {} expert invited to request {}",
                             "recorded: {} experts invited to request {}", r.recipients, request_);
}

}  // namespace lbib::lending

// SPDX-License-Identifier: MIT
#include "lbib/corrections/corrections.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>

#include "lbib/error.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/dispatch.hpp"
#include "lbib/lending/request_store.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::corrections {
namespace {

using lending::State;

// The correction's event in the request's history (dated `today`, from the request's state to
// `to`) and its audit entry, both naming the fields and never their values.
void record_correction(db::WriteTransaction& tx, const lending::Request& r, State to,
                       const std::vector<std::string>& fields,
                       const std::optional<std::string>& reason, std::string_view action,
                       text::Date today, const audit::Actor& actor,
                       std::optional<text::Date> hold_until = std::nullopt) {
  if (reason) {
    text::check_text("reason", *reason, 2000);
  }
  const std::string what = text::join(fields, ",");
  if (to != r.state) {
    lending::store::set_state(tx, r.id, to, std::nullopt, hold_until);
  }
  lending::store::insert_event(tx, r.id,
                               lending::Event{today, r.state, to, std::nullopt, reason, what});
  audit::record(tx, actor, action, "request", r.id, what);
}

void require_reason(const std::string& reason) {
  if (reason.find_first_not_of(" \t\n") == std::string::npos) {
    throw make_error(ExitCode::usage, "--reason: say why (kept in the request's history)");
  }
}

std::optional<std::string> first_dispatch(db::Database& db, std::int64_t id) {
  SQLite::Statement q(db.sql(), "SELECT min(sent_on) FROM dispatch WHERE request_id = ?");
  q.bind(1, id);
  if (q.executeStep() && !q.getColumn(0).isNull()) {
    return q.getColumn(0).getString();
  }
  return std::nullopt;
}

// What was recorded after the loan and cannot come before its new date.
void check_later_than_loan(db::Database& db, std::int64_t id, text::Date on) {
  const auto date = text::format_date(on);
  if (const auto f = followup::find(db, id)) {
    if (f->held && f->held->held_on < on) {
      throw make_error(ExitCode::data,
                       "date: the follow-up meeting was held on {}; the loan cannot be after it",
                       text::format_date(f->held->held_on));
    }
    if (!f->held && f->booked_for && *f->booked_for < on) {
      throw make_error(ExitCode::data,
                       "date: the follow-up meeting is booked for {}; the loan cannot be after it "
                       "(book it again first)",
                       text::format_date(*f->booked_for));
    }
    if (f->feedback_confirmed_on && *f->feedback_confirmed_on < on) {
      throw make_error(
          ExitCode::data,
          "date: the borrower's feedback was confirmed on {}; the loan cannot be after it",
          text::format_date(*f->feedback_confirmed_on));
    }
  }
  // The experts' questionnaire goes out after the loan.
  SQLite::Statement asked(db.sql(),
                          "SELECT expert_id, sent_on FROM questionnaire WHERE request_id = ? "
                          "AND sent_on < ? ORDER BY sent_on, expert_id LIMIT 1");
  asked.bind(1, id);
  asked.bind(2, date);
  if (asked.executeStep()) {
    throw make_error(ExitCode::data,
                     "date: expert {} was sent the questionnaire about the loan on {}; the loan "
                     "cannot be after it",
                     asked.getColumn(0).getInt64(), asked.getColumn(1).getString());
  }
  // A payment still due moves with the loan (it is due from the loan's day); one settled
  // before the new date contradicts it.
  SQLite::Statement pay(db.sql(),
                        "SELECT expert_id, settled_on FROM payment "
                        "WHERE request_id = ? AND settled_on < ? ORDER BY expert_id LIMIT 1");
  pay.bind(1, id);
  pay.bind(2, date);
  if (pay.executeStep()) {
    throw make_error(ExitCode::data,
                     "date: the payment to expert {} is dated {}; the loan cannot be after it",
                     pay.getColumn(0).getInt64(), pay.getColumn(1).getString());
  }
}

// A participant taken off the loan must not have facts of their own about it.
void check_removable(db::Database& db, std::int64_t id, std::int64_t expert_id) {
  SQLite::Statement pay(db.sql(), "SELECT 1 FROM payment WHERE request_id = ? AND expert_id = ?");
  pay.bind(1, id);
  pay.bind(2, expert_id);
  if (pay.executeStep()) {
    throw make_error(ExitCode::data,
                     "expert {} has a payment recorded for this loan; a participant with a "
                     "payment cannot be removed",
                     expert_id);
  }
  SQLite::Statement sent(
      db.sql(), "SELECT sent_on FROM summary_recipient WHERE request_id = ? AND expert_id = ?");
  sent.bind(1, id);
  sent.bind(2, expert_id);
  if (sent.executeStep()) {
    throw make_error(ExitCode::data,
                     "expert {} was sent the follow-up summary on {}; a participant who got it "
                     "cannot be removed",
                     expert_id, sent.getColumn(0).getString());
  }
  SQLite::Statement asked(
      db.sql(), "SELECT sent_on FROM questionnaire WHERE request_id = ? AND expert_id = ?");
  asked.bind(1, id);
  asked.bind(2, expert_id);
  if (asked.executeStep()) {
    throw make_error(ExitCode::data,
                     "expert {} was sent the questionnaire about the loan on {}; a participant "
                     "who got it cannot be removed",
                     expert_id, asked.getColumn(0).getString());
  }
}

// The loan's event in the request's history (what Table 1's comment shows) describes the loan
// as corrected: the lines of participants without an invitation who were removed go, those
// added come; the correction's own event keeps what changed and why.
void describe_participants(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                           const std::vector<std::int64_t>& removed,
                           const std::vector<std::string>& added_lines) {
  SQLite::Statement q(tx.sql(),
                      "SELECT id, note FROM request_event WHERE request_id = ? AND to_state = "
                      "'loan-carried-out' AND correction IS NULL ORDER BY id DESC LIMIT 1");
  q.bind(1, id);
  if (!q.executeStep()) {
    return;
  }
  const auto event_id = q.getColumn(0).getInt64();
  std::vector<std::string> lines;
  if (!q.getColumn(1).isNull()) {
    lines = text::split(q.getColumn(1).getString(), '\n');
  }
  std::erase_if(lines, [&](const std::string& line) {
    return std::any_of(removed.begin(), removed.end(), [&](std::int64_t expert_id) {
      return line.starts_with(lending::uninvited_note(config.language, expert_id, ""));
    });
  });
  for (const auto& line : added_lines) {
    if (text::join(lines, "\n").size() + line.size() + 1 <= 2000) {
      lines.push_back(line);
    }
  }
  SQLite::Statement upd(tx.sql(), "UPDATE request_event SET note = ? WHERE id = ?");
  lines.empty() ? upd.bind(1) : upd.bind(1, text::join(lines, "\n"));
  upd.bind(2, event_id);
  upd.exec();
}

void nothing_to_change(std::string_view command) {
  throw make_error(ExitCode::usage, "{}: nothing to change; see 'lbib {} --help'", command,
                   command);
}

}  // namespace

void edit_loan(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
               const LoanChanges& c, text::Date today, const audit::Actor& actor) {
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  const auto loan = lending::find_loan(db, id);
  if (!loan) {
    throw make_error(ExitCode::data,
                     "request {} has no loan recorded; record it with 'lbib loan {}'", id, id);
  }
  std::vector<std::int64_t> current;
  for (const auto& p : loan->participants) {
    current.push_back(p.expert_id);
  }
  lending::LoanInput in;
  in.carried_out_on = c.carried_out_on.value_or(loan->carried_out_on);
  in.until = c.until.value_or(loan->until);
  in.form = c.form ? c.form : loan->form;
  in.experts = c.experts.value_or(current);
  in.uninvited = c.uninvited;
  if (c.no_shows) {
    in.no_shows = *c.no_shows;
  } else {
    // A no-show now named as taking part is no longer a no-show.
    for (const auto expert_id : loan->no_shows) {
      const bool took_part =
          std::find(in.experts.begin(), in.experts.end(), expert_id) != in.experts.end() ||
          std::any_of(in.uninvited.begin(), in.uninvited.end(),
                      [expert_id](const auto& u) { return u.expert_id == expert_id; });
      if (!took_part) {
        in.no_shows.push_back(expert_id);
      }
    }
  }
  in.external_participants = c.external_participants.value_or(loan->external_participants);
  in.fewer_reason = c.fewer_reason.value_or(loan->fewer_reason);

  std::vector<std::string> fields;
  const bool moved = in.carried_out_on != loan->carried_out_on;
  if (moved) {
    fields.emplace_back("carried_out_on");
  }
  if (in.until != loan->until) {
    fields.emplace_back("until_on");
  }
  if (in.form != loan->form) {
    fields.emplace_back("form");
  }
  if (in.external_participants != loan->external_participants) {
    fields.emplace_back("external_participants");
  }
  if (in.fewer_reason != loan->fewer_reason) {
    fields.emplace_back("fewer_reason");
  }
  // Those on the loan already, as participants or no-shows, need no invitation or answer
  // looked at again.
  std::vector<std::int64_t> on_loan = current;
  on_loan.insert(on_loan.end(), loan->no_shows.begin(), loan->no_shows.end());
  const auto checked = lending::check_loan(db, config, id, in, today, on_loan);
  std::vector<std::int64_t> removed, added;
  std::set_difference(current.begin(), current.end(), checked.participants.begin(),
                      checked.participants.end(), std::back_inserter(removed));
  std::set_difference(checked.participants.begin(), checked.participants.end(), current.begin(),
                      current.end(), std::back_inserter(added));
  if (!removed.empty() || !added.empty()) {
    fields.emplace_back("participants");
  }
  const bool no_shows_changed = checked.no_shows != loan->no_shows;
  if (no_shows_changed) {
    fields.emplace_back("no_shows");
  }
  if (fields.empty()) {
    nothing_to_change("loan correct");
  }
  if (moved) {
    check_later_than_loan(db, id, in.carried_out_on);
  }
  for (const auto expert_id : removed) {
    check_removable(db, id, expert_id);
  }

  SQLite::Statement upd(tx.sql(),
                        "UPDATE loan SET carried_out_on = ?, until_on = ?, form = ?, "
                        "external_participants = ?, fewer_reason = ? WHERE request_id = ?");
  upd.bind(1, text::format_date(in.carried_out_on));
  in.until ? upd.bind(2, text::format_date(*in.until)) : upd.bind(2);
  in.form ? upd.bind(3, *in.form) : upd.bind(3);
  upd.bind(4, in.external_participants);
  in.fewer_reason ? upd.bind(5, *in.fewer_reason) : upd.bind(5);
  upd.bind(6, id);
  upd.exec();
  SQLite::Statement del(tx.sql(),
                        "DELETE FROM loan_participant WHERE request_id = ? AND expert_id = ?");
  for (const auto expert_id : removed) {
    del.bind(1, id);
    del.bind(2, expert_id);
    del.exec();
    del.reset();
  }
  lending::add_participants(tx, id, added);
  if (no_shows_changed) {
    lending::set_no_shows(tx, id, checked.no_shows);
  }
  if (!removed.empty() || !checked.history.empty()) {
    describe_participants(tx, config, id, removed, checked.history);
  }
  if (moved) {
    SQLite::Statement due(tx.sql(),
                          "UPDATE payment SET due_on = ?1 WHERE request_id = ?2 AND due_on < ?1");
    due.bind(1, text::format_date(in.carried_out_on));
    due.bind(2, id);
    const bool redated = due.exec() > 0;
    if (followup::reprice(tx, config, id, in.carried_out_on) || redated) {
      fields.emplace_back("payment");
    }
  }
  // The reasons for participants without an invitation go into the history, as when recorded.
  std::vector<std::string> notes;
  if (c.reason) {
    notes.push_back(*c.reason);
  }
  notes.insert(notes.end(), checked.history.begin(), checked.history.end());
  std::optional<std::string> note;
  if (!notes.empty()) {
    note = text::join(notes, "\n");
  }
  record_correction(tx, r, r.state, fields, note, "loan-correct", today, actor);
}

void undo_loan(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
               text::Date today, const audit::Actor& actor) {
  require_reason(reason);
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  if (!lending::find_loan(db, id)) {
    throw make_error(ExitCode::data, "request {} has no loan recorded", id);
  }
  if (const auto f = followup::find(db, id)) {
    if (!f->held && f->booked_for) {
      throw make_error(ExitCode::data,
                       "request {}: a follow-up meeting is booked for {}; cancel it first ('lbib "
                       "followup cancel {} --reason ...'), then undo the loan",
                       id, text::format_date(*f->booked_for), id);
    }
    throw make_error(ExitCode::data,
                     "request {}: a follow-up meeting is recorded for the loan; a loan cannot be "
                     "undone once it has a follow-up",
                     id);
  }
  SQLite::Statement pay(db.sql(),
                        "SELECT expert_id FROM payment WHERE request_id = ? ORDER BY expert_id");
  pay.bind(1, id);
  if (pay.executeStep()) {
    throw make_error(ExitCode::data,
                     "expert {} has a payment recorded for this loan; a loan with a payment "
                     "cannot be undone",
                     pay.getColumn(0).getInt64());
  }
  SQLite::Statement asked(db.sql(),
                          "SELECT expert_id, sent_on FROM questionnaire WHERE request_id = ? "
                          "ORDER BY sent_on, expert_id LIMIT 1");
  asked.bind(1, id);
  if (asked.executeStep()) {
    throw make_error(ExitCode::data,
                     "expert {} was sent the questionnaire about this loan on {}; a loan cannot be "
                     "undone once the questionnaire went out",
                     asked.getColumn(0).getInt64(), asked.getColumn(1).getString());
  }
  if (r.state != State::loan_carried_out) {
    throw make_error(ExitCode::data, "request {} is {}; only a loan-carried-out loan can be undone",
                     id, lending::to_string(r.state));
  }
  State to = first_dispatch(db, id) ? State::dispatched : State::pre_meeting_held;
  SQLite::Statement del(tx.sql(), "DELETE FROM loan WHERE request_id = ?");
  del.bind(1, id);
  del.exec();  // its participants are deleted with it (ON DELETE CASCADE)
  record_correction(tx, r, to, {"loan", "loan_participant"}, reason, "loan-undo", today, actor);
}

void cancel_followup(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
                     text::Date today, const audit::Actor& actor) {
  require_reason(reason);
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  const auto f = followup::find(db, id);
  if (f && f->held) {
    throw make_error(ExitCode::data,
                     "request {}: the follow-up meeting was held on {}; a meeting held is "
                     "corrected ('lbib followup correct'), not cancelled",
                     id, text::format_date(f->held->held_on));
  }
  if (!f || !f->booked_for) {
    throw make_error(ExitCode::data, "request {} has no follow-up meeting booked", id);
  }
  // The booking is the follow-up's only fact until the meeting is held; the borrower's
  // feedback, when already confirmed, stays.
  SQLite::Statement clear(tx.sql(), "UPDATE followup SET booked_for = NULL WHERE request_id = ?");
  clear.bind(1, id);
  clear.exec();
  SQLite::Statement drop(tx.sql(),
                         "DELETE FROM followup WHERE request_id = ? AND held_on IS NULL AND "
                         "feedback_confirmed_on IS NULL");
  drop.bind(1, id);
  drop.exec();
  record_correction(tx, r, r.state, {"followup_booking"}, reason, "followup-cancel", today, actor);
}

void reopen(db::WriteTransaction& tx, std::int64_t id, const std::string& reason, text::Date today,
            const audit::Actor& actor) {
  require_reason(reason);
  const auto r = lending::get_request(tx.database(), id);
  if (r.state != State::declined && r.state != State::cancelled && r.state != State::withdrawn) {
    throw make_error(ExitCode::data,
                     "request {} is {}; only a request that is declined, cancelled or withdrawn "
                     "can be reopened",
                     id, lending::to_string(r.state));
  }
  if (r.reason == lending::Reason::library_closing) {
    if (const auto since = db::closing_since(tx.database())) {
      throw make_error(ExitCode::data,
                       "request {} was cancelled because the library is closing (since {}); it "
                       "cannot be reopened while the library closes",
                       id, *since);
    }
  }
  State to = State::received;
  for (auto it = r.events.rbegin(); it != r.events.rend(); ++it) {
    if (it->to == r.state && it->from && *it->from != r.state) {
      to = *it->from;
      break;
    }
  }
  std::optional<text::Date> hold_until;
  if (to == State::on_hold) {
    hold_until = today;  // look at it again today
  }
  record_correction(tx, r, to, {"state"}, reason, "reopen", today, actor, hold_until);
}

void undo_dispatch(db::WriteTransaction& tx, std::int64_t id,
                   const std::optional<std::string>& message_id, const std::string& reason,
                   text::Date today, const audit::Actor& actor) {
  require_reason(reason);
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  SQLite::Statement q(db.sql(),
                      "SELECT id, message_id FROM dispatch WHERE request_id = ?1 AND "
                      "(?2 IS NULL OR message_id = ?2) ORDER BY id DESC LIMIT 1");
  q.bind(1, id);
  message_id ? q.bind(2, *message_id) : q.bind(2);
  if (!q.executeStep()) {
    if (message_id) {
      throw make_error(ExitCode::data, "request {} has no dispatch with Message-ID {}", id,
                       text::printable(*message_id));
    }
    throw make_error(ExitCode::data, "request {} has no dispatch recorded", id);
  }
  const auto dispatch_id = q.getColumn(0).getInt64();
  if (const auto loan = lending::find_loan(db, id)) {
    throw make_error(ExitCode::data,
                     "request {}: the loan of {} is recorded; a dispatch cannot be undone once "
                     "the loan it led to is recorded",
                     id, text::format_date(loan->carried_out_on));
  }
  if (r.state != State::dispatched) {
    throw make_error(ExitCode::data,
                     "request {} is {}; reopen it first ('lbib request reopen {} --reason ...')",
                     id, lending::to_string(r.state), id);
  }
  SQLite::Statement del(tx.sql(), "DELETE FROM dispatch WHERE id = ?");
  del.bind(1, dispatch_id);
  del.exec();  // its invitations are deleted with it (ON DELETE CASCADE)
  const State to = first_dispatch(db, id) ? State::dispatched : State::pre_meeting_held;
  record_correction(tx, r, to, {"dispatch", "invitation"}, reason, "dispatch-undo", today, actor);
}

void undo_summary(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
                  text::Date today, const audit::Actor& actor) {
  require_reason(reason);
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  SQLite::Statement q(db.sql(),
                      "SELECT message_id FROM summary_recipient WHERE request_id = ? "
                      "ORDER BY sent_on DESC, rowid DESC LIMIT 1");
  q.bind(1, id);
  const bool mailed = q.executeStep();
  const auto before = followup::find(db, id);
  if (!mailed && !(before && before->summary_sent_on)) {
    throw make_error(ExitCode::data, "request {} has no follow-up summary recorded", id);
  }
  std::vector<std::string> fields{"summary_sent_on"};
  if (mailed) {
    // The last summary mailed.
    const auto message_id = q.getColumn(0).getString();
    SQLite::Statement del(tx.sql(),
                          "DELETE FROM summary_recipient WHERE request_id = ? AND message_id = ?");
    del.bind(1, id);
    del.bind(2, message_id);
    del.exec();
    SQLite::Statement upd(tx.sql(),
                          "UPDATE followup SET summary_sent_on = (SELECT min(sent_on) FROM "
                          "summary_recipient WHERE request_id = ?1) WHERE request_id = ?1");
    upd.bind(1, id);
    upd.exec();
    fields.insert(fields.begin(), "summary_recipient");
  } else {
    // A summary recorded as told without mail (`followup summary told`).
    SQLite::Statement upd(tx.sql(),
                          "UPDATE followup SET summary_sent_on = NULL WHERE request_id = ?");
    upd.bind(1, id);
    upd.exec();
  }
  const auto f = followup::find(tx.database(), id);
  const State to =
      r.state == State::finished && f && !f->summary_sent_on ? State::followed_up : r.state;
  if (to != r.state) {
    // The borrower's survey goes out once the loan is finished: it depends on the summary.
    SQLite::Statement survey(
        tx.sql(), "SELECT sent_on FROM borrower_mail WHERE request_id = ? AND kind = 'survey'");
    survey.bind(1, id);
    if (survey.executeStep()) {
      throw make_error(ExitCode::data,
                       "request {}: the survey was mailed to the borrower on {}, once the loan "
                       "was finished; the summary it followed cannot be undone",
                       id, survey.getColumn(0).getString());
    }
  }
  record_correction(tx, r, to, fields, reason, mailed ? "summary-undo" : "summary-told-undo", today,
                    actor);
}

void undo_feedback(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
                   text::Date today, const audit::Actor& actor) {
  require_reason(reason);
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  const auto f = followup::find(db, id);
  if (!f || !f->feedback_confirmed_on) {
    throw make_error(ExitCode::data, "request {} has no borrower's feedback recorded", id);
  }
  // The borrower's survey goes out once the loan is finished: it depends on the feedback.
  SQLite::Statement survey(
      db.sql(), "SELECT sent_on FROM borrower_mail WHERE request_id = ? AND kind = 'survey'");
  survey.bind(1, id);
  if (survey.executeStep()) {
    throw make_error(ExitCode::data,
                     "request {}: the survey was mailed to the borrower on {}, once the loan was "
                     "finished; the feedback it followed cannot be undone",
                     id, survey.getColumn(0).getString());
  }
  SQLite::Statement upd(tx.sql(),
                        "UPDATE followup SET feedback_confirmed_on = NULL WHERE request_id = ?");
  upd.bind(1, id);
  upd.exec();
  const State to = r.state == State::finished ? State::followed_up : r.state;
  record_correction(tx, r, to, {"feedback_confirmed_on"}, reason, "feedback-undo", today, actor);
}

void undo_answer(db::WriteTransaction& tx, std::int64_t id, std::int64_t expert,
                 const std::string& reason, text::Date today, const audit::Actor& actor) {
  require_reason(reason);
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  experts::get(db, expert);  // an unknown id is no input (66), named
  const auto known = lending::find_answer(db, id, expert);
  if (!known) {
    throw make_error(ExitCode::data, "expert {} has no answer recorded to request {}", expert, id);
  }
  if (const auto loan = lending::find_loan(db, id); loan && known->answer == lending::Answer::yes) {
    if (std::find(loan->no_shows.begin(), loan->no_shows.end(), expert) != loan->no_shows.end()) {
      throw make_error(ExitCode::data,
                       "expert {} is recorded as a no-show on the loan of request {}, signed up "
                       "with this yes; correct the loan's no-shows first ('lbib loan correct {} "
                       "--no-show ...' or '--no-no-shows')",
                       expert, id, id);
    }
    if (std::any_of(loan->participants.begin(), loan->participants.end(),
                    [expert](const auto& p) { return p.expert_id == expert; })) {
      throw make_error(ExitCode::data,
                       "expert {} took part in the loan of request {}; the yes the loan rests on "
                       "cannot be undone (correct the loan first: 'lbib loan correct {} --expert "
                       "...')",
                       expert, id, id);
    }
  }
  SQLite::Statement del(tx.sql(), "DELETE FROM answer WHERE request_id = ? AND expert_id = ?");
  del.bind(1, id);
  del.bind(2, expert);
  del.exec();
  record_correction(tx, r, r.state, {fmt::format("expert {}: answer", expert)}, reason,
                    "answer-undo", today, actor);
}

void edit_pre_meeting(db::WriteTransaction& tx, std::int64_t id, const PreMeetingChanges& c,
                      text::Date today, const audit::Actor& actor) {
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  if (!r.pre_meeting) {
    throw make_error(ExitCode::data,
                     "request {} has no pre-meeting recorded; record it with 'lbib request "
                     "premeeting {}'",
                     id, id);
  }
  lending::PreMeetingInput in{c.held_on.value_or(r.pre_meeting->held_on), true, true, true,
                              c.notes.value_or(r.pre_meeting->notes)};
  std::vector<std::string> fields;
  if (in.held_on != r.pre_meeting->held_on) {
    fields.emplace_back("held_on");
  }
  if (in.notes != r.pre_meeting->notes) {
    fields.emplace_back("notes");
  }
  if (fields.empty()) {
    nothing_to_change("request premeeting correct");
  }
  lending::check_pre_meeting(r, in, today);
  if (const auto first = first_dispatch(db, id); first && *first < text::format_date(in.held_on)) {
    throw make_error(ExitCode::data,
                     "date: the request was mailed on {}; the pre-meeting cannot be after it",
                     *first);
  }
  if (const auto loan = lending::find_loan(db, id); loan && loan->carried_out_on < in.held_on) {
    throw make_error(ExitCode::data,
                     "date: the loan was carried out on {}; the pre-meeting cannot be after it",
                     text::format_date(loan->carried_out_on));
  }
  SQLite::Statement upd(tx.sql(),
                        "UPDATE pre_meeting SET held_on = ?, notes = ? WHERE request_id = ?");
  upd.bind(1, text::format_date(in.held_on));
  in.notes ? upd.bind(2, *in.notes) : upd.bind(2);
  upd.bind(3, id);
  upd.exec();
  record_correction(tx, r, r.state, fields, c.reason, "premeeting-correct", today, actor);
}

void edit_followup(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                   const FollowupChanges& c, text::Date today, const audit::Actor& actor) {
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  const auto f = followup::find(db, id);
  if (!f || !f->held) {
    throw make_error(ExitCode::data,
                     "request {}: the follow-up meeting is not recorded yet; record it with "
                     "'lbib followup record {}'",
                     id, id);
  }
  const auto loan = lending::find_loan(db, id);
  followup::Answers a = *f->held;
  std::vector<std::string> fields;
  const auto set = [&fields](auto& field, const auto& value, const char* name) {
    if (value && !(field == *value)) {
      field = *value;
      fields.emplace_back(name);
    }
  };
  set(a.held_on, c.held_on, "held_on");
  set(a.satisfaction, c.satisfaction, "satisfaction");
  set(a.new_insights, c.new_insights, "new_insights");
  set(a.compensation, c.compensation, "compensation");
  set(a.quotes, c.quotes, "quotes");
  std::vector<std::string> changed_answers;
  for (const auto& [key, answer] : c.answers) {
    auto it = std::find_if(a.answers.begin(), a.answers.end(),
                           [&key = key](const auto& kv) { return kv.first == key; });
    if (it == a.answers.end()) {
      a.answers.emplace_back(key, answer);
      changed_answers.push_back(key);
    } else if (it->second != answer) {
      it->second = answer;
      changed_answers.push_back(key);
    }
  }
  if (!changed_answers.empty()) {
    fields.emplace_back("answers");
  }
  if (fields.empty()) {
    nothing_to_change("followup correct");
  }
  followup::check_answers(config, loan->carried_out_on, a, today);
  if (f->summary_sent_on) {
    const auto sent = text::format_date(*f->summary_sent_on);
    if (*f->summary_sent_on < a.held_on) {
      throw make_error(ExitCode::data,
                       "date: the summary was sent on {}; the follow-up meeting cannot be after it",
                       sent);
    }
    for (const auto& q : config.followup_questions) {
      if (q.summary && std::find(changed_answers.begin(), changed_answers.end(), q.key) !=
                           changed_answers.end()) {
        throw make_error(ExitCode::data,
                         "answer {}: it was mailed to the experts in the summary on {}; undo the "
                         "summary's record first if it was never sent",
                         q.key, sent);
      }
    }
  }
  SQLite::Statement upd(tx.sql(),
                        "UPDATE followup SET held_on = ?, satisfaction = ?, new_insights = ?, "
                        "compensation = ?, quotes = ? WHERE request_id = ?");
  upd.bind(1, text::format_date(a.held_on));
  upd.bind(2, a.satisfaction);
  upd.bind(3, std::string(experts::to_string(a.new_insights)));
  upd.bind(4, std::string(followup::to_string(a.compensation)));
  a.quotes ? upd.bind(5, *a.quotes) : upd.bind(5);
  upd.bind(6, id);
  upd.exec();
  SQLite::Statement ans(
      tx.sql(),
      "INSERT INTO followup_answer (request_id, question, answer) VALUES (?, ?, ?) "
      "ON CONFLICT (request_id, question) DO UPDATE SET answer = excluded.answer");
  for (const auto& [key, answer] : a.answers) {
    if (std::find(changed_answers.begin(), changed_answers.end(), key) == changed_answers.end()) {
      continue;
    }
    ans.bind(1, id);
    ans.bind(2, key);
    ans.bind(3, answer);
    ans.exec();
    ans.reset();
  }
  for (const auto& key : changed_answers) {
    fields.push_back("answer:" + key);
  }
  std::erase(fields, std::string("answers"));
  record_correction(tx, r, r.state, fields, c.reason, "followup-correct", today, actor);
}

namespace {

// The first fact recorded for request `id` before `on` that a request arriving on `on` would
// contradict; throws naming it.
void check_arrival(db::Database& db, std::int64_t id, text::Date on) {
  SQLite::Statement q(db.sql(), R"sql(
    SELECT what, on_date FROM (
      SELECT 9 AS rank, 'step' AS what, min(on_date) AS on_date FROM request_event
        WHERE request_id = ?1 AND from_state IS NOT NULL AND correction IS NULL
      UNION ALL SELECT 1, 'pre-meeting', held_on FROM pre_meeting WHERE request_id = ?1
      UNION ALL SELECT 2, 'dispatch', min(sent_on) FROM dispatch WHERE request_id = ?1
      UNION ALL SELECT 3, 'pick', min(picked_on) FROM request_pick WHERE request_id = ?1
      UNION ALL SELECT 4, 'reply-by', reply_by FROM request WHERE id = ?1
      UNION ALL SELECT 5, 'hold', hold_until FROM request WHERE id = ?1 AND state = 'on-hold'
      UNION ALL SELECT 6, 'open-call', opened_on FROM open_call WHERE request_id = ?1)
    WHERE on_date IS NOT NULL AND on_date < ?2 ORDER BY on_date, rank LIMIT 1)sql");
  q.bind(1, id);
  q.bind(2, text::format_date(on));
  if (!q.executeStep()) {
    return;
  }
  const std::string what = q.getColumn(0).getString();
  const std::string date = q.getColumn(1).getString();
  if (what == "pre-meeting") {
    throw make_error(ExitCode::data,
                     "received: the pre-meeting was held on {}; the request cannot have arrived "
                     "after it",
                     date);
  }
  if (what == "dispatch") {
    throw make_error(ExitCode::data,
                     "received: the request was mailed to the experts on {}; it cannot have "
                     "arrived after it",
                     date);
  }
  if (what == "pick") {
    throw make_error(ExitCode::data,
                     "received: experts were picked for the request on {}; it cannot have arrived "
                     "after it",
                     date);
  }
  if (what == "reply-by") {
    throw make_error(ExitCode::data,
                     "received: the reply-by date is {}; the request cannot have arrived after it",
                     date);
  }
  if (what == "hold") {
    throw make_error(ExitCode::data,
                     "received: the request is on hold until {}; it cannot have arrived after it",
                     date);
  }
  if (what == "open-call") {
    throw make_error(ExitCode::data,
                     "received: the request's open call was published on {}; it cannot have "
                     "arrived after it",
                     date);
  }
  throw make_error(ExitCode::data,
                   "received: the request's history has a step on {}; it cannot have arrived "
                   "after it",
                   date);
}

// What names the borrower and was recorded: the request mailed with the borrower's contact
// person to reply to, mail to the borrower, a payment naming the borrower as payer.
void check_borrower_unused(db::Database& db, const lending::Request& r) {
  if (const auto first = first_dispatch(db, r.id)) {
    throw make_error(ExitCode::data,
                     "borrower: the request was mailed to the experts on {}, with the borrower's "
                     "contact person to reply to; the borrower cannot change after it (undo the "
                     "dispatch's record first if it was never sent)",
                     *first);
  }
  SQLite::Statement mail(db.sql(), "SELECT min(sent_on) FROM borrower_mail WHERE request_id = ?");
  mail.bind(1, r.id);
  if (mail.executeStep() && !mail.getColumn(0).isNull()) {
    throw make_error(ExitCode::data,
                     "borrower: the borrower's contact person was mailed about the request on {}; "
                     "the borrower cannot change after it",
                     mail.getColumn(0).getString());
  }
  SQLite::Statement pay(db.sql(),
                        "SELECT expert_id FROM payment WHERE request_id = ? AND payer = ? "
                        "ORDER BY expert_id LIMIT 1");
  pay.bind(1, r.id);
  pay.bind(2, lending::get_borrower(db, r.borrower_id).display());
  if (pay.executeStep()) {
    throw make_error(ExitCode::data,
                     "borrower: the payment to expert {} names the borrower as payer; correct its "
                     "payer first ('lbib pay {} --expert {} --payer NAME')",
                     pay.getColumn(0).getInt64(), r.id, pay.getColumn(0).getInt64());
  }
}

}  // namespace

void edit_request_facts(db::WriteTransaction& tx, std::int64_t id, const RequestFactChanges& c,
                        text::Date today, const audit::Actor& actor) {
  auto& db = tx.database();
  const auto r = lending::get_request(db, id);
  std::optional<lending::Borrower> borrower;
  if (c.borrower) {
    borrower = lending::get_borrower(db, *c.borrower);  // an unknown id is no input (66)
  }
  std::vector<std::string> fields;
  if (c.received_on && *c.received_on != r.received_on) {
    fields.emplace_back("received_on");
  }
  if (borrower && borrower->id != r.borrower_id) {
    fields.emplace_back("borrower");
  }
  if (fields.empty()) {
    nothing_to_change("request correct");
  }
  if (c.received_on && *c.received_on != r.received_on) {
    if (today < *c.received_on) {
      throw make_error(ExitCode::data,
                       "received: {} is in the future; a request is recorded once it arrived "
                       "(today {} or earlier)",
                       text::format_date(*c.received_on), text::format_date(today));
    }
    check_arrival(db, id, *c.received_on);
    SQLite::Statement upd(tx.sql(), "UPDATE request SET received_on = ? WHERE id = ?");
    upd.bind(1, text::format_date(*c.received_on));
    upd.bind(2, id);
    upd.exec();
    // The request's first event, its arrival, moves with it.
    SQLite::Statement ev(tx.sql(),
                         "UPDATE request_event SET on_date = ? WHERE request_id = ? "
                         "AND from_state IS NULL AND correction IS NULL");
    ev.bind(1, text::format_date(*c.received_on));
    ev.bind(2, id);
    ev.exec();
  }
  if (borrower && borrower->id != r.borrower_id) {
    if (borrower->erased_on) {
      throw make_error(ExitCode::data,
                       "borrower {}: the contact person was erased on {}; a request is not moved "
                       "to an erased borrower",
                       borrower->id, text::format_date(*borrower->erased_on));
    }
    check_borrower_unused(db, r);
    SQLite::Statement upd(tx.sql(), "UPDATE request SET borrower_id = ? WHERE id = ?");
    upd.bind(1, borrower->id);
    upd.bind(2, id);
    upd.exec();
  }
  record_correction(tx, r, r.state, fields, c.reason, "request-correct", today, actor);
}

void unpick(db::WriteTransaction& tx, std::int64_t id, const std::vector<std::int64_t>& experts,
            const std::optional<std::string>& reason, text::Date today, const audit::Actor& actor) {
  const auto r = lending::get_request(tx.database(), id);
  SQLite::Statement del(tx.sql(),
                        "DELETE FROM request_pick WHERE request_id = ? AND expert_id = ?");
  for (const auto expert_id : experts) {
    experts::get(tx.database(), expert_id);  // an unknown id is no input (66), named
    if (std::find(r.picks.begin(), r.picks.end(), expert_id) == r.picks.end()) {
      throw make_error(ExitCode::data, "expert {} is not picked for request {}", expert_id, id);
    }
    del.bind(1, id);
    del.bind(2, expert_id);
    del.exec();
    del.reset();
  }
  record_correction(tx, r, r.state, {"request_pick"}, reason, "pick-undo", today, actor);
}

}  // namespace lbib::corrections

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/text/date.hpp"

/// Corrections of recorded facts: a loan's date or participants, the pre-meeting, the
/// follow-up's answers, picks, a dispatch or summary recorded by mistake, a request closed by
/// mistake. Each correction checks the same rules as the command that recorded the fact,
/// is refused where it would contradict what was recorded later (the message says what),
/// becomes an event in the request's history (naming the fields, with the reason when given)
/// and an audit entry naming the fields, never their values.
namespace lbib::corrections {

/// Changes to a loan; what is not given stays as recorded.
struct LoanChanges {
  std::optional<text::Date> carried_out_on;
  std::optional<std::optional<text::Date>> until;
  std::optional<std::string> form;
  std::optional<std::vector<std::int64_t>> experts;   // replaces the participants
  std::vector<lending::Uninvited> uninvited;          // participants added without invitation
  std::optional<std::vector<std::int64_t>> no_shows;  // replaces the no-shows
  std::optional<int> external_participants;
  std::optional<std::optional<std::string>> fewer_reason;
  std::optional<std::string> reason;  // why, kept in the history
};

/// Corrects the loan of request `id` (`lbib loan correct`). Refused when the new date is after
/// the follow-up meeting, a payment or the borrower's feedback, or when a removed participant
/// has a payment or was sent the summary. Payments follow the rate of the new date; a paid
/// one whose amount would change is refused.
void edit_loan(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
               const LoanChanges& changes, text::Date today, const audit::Actor& actor);

/// Undoes a loan recorded by mistake (for the wrong request, say): the loan and its
/// participants go, and the request returns to the state it had before. Refused once a
/// follow-up meeting was held or a payment recorded for it; a meeting only booked is cancelled
/// first (cancel_followup), as the message says.
void undo_loan(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
               text::Date today, const audit::Actor& actor);

/// Cancels the follow-up meeting booked for request `id` and not yet held (`lbib followup
/// cancel`): the booking goes, the request stays loan-carried-out, and the loan can again be
/// corrected or undone. Refused once the meeting is recorded as held.
void cancel_followup(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
                     text::Date today, const audit::Actor& actor);

/// Reopens request `id` that was declined, cancelled or withdrawn by mistake: it returns to
/// the state it had before (`lbib request reopen --reason`).
void reopen(db::WriteTransaction& tx, std::int64_t id, const std::string& reason, text::Date today,
            const audit::Actor& actor);

/// Undoes a dispatch recorded by mistake (the last one, or the one with `message_id`): its
/// invitations go with it, and a request left without any goes back to pre-meeting-held.
/// Refused once the loan is recorded.
void undo_dispatch(db::WriteTransaction& tx, std::int64_t id,
                   const std::optional<std::string>& message_id, const std::string& reason,
                   text::Date today, const audit::Actor& actor);

/// Undoes the last follow-up summary recorded by mistake, mailed or told without mail
/// (`followup summary told`); a finished request goes back to followed-up when no summary is
/// left. Refused once the borrower's survey, which needs the loan finished, was mailed.
void undo_summary(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
                  text::Date today, const audit::Actor& actor);

/// Undoes the borrower's feedback confirmed by mistake (`lbib followup feedback undo`): the
/// follow-up shows it unconfirmed again, so `remind` and `today` remind of it, and a finished
/// request goes back to followed-up. Refused once the borrower's survey, which needs the loan
/// finished, was mailed.
void undo_feedback(db::WriteTransaction& tx, std::int64_t id, const std::string& reason,
                   text::Date today, const audit::Actor& actor);

/// Undoes the answer recorded for invited `expert` to request `id` (`lbib answer undo`): the
/// expert has not answered again. A yes that a loan rests on stays: refused while the expert
/// is recorded as taking part in the loan or as a no-show (who signed up with that yes).
void undo_answer(db::WriteTransaction& tx, std::int64_t id, std::int64_t expert,
                 const std::string& reason, text::Date today, const audit::Actor& actor);

/// Changes to the pre-meeting.
struct PreMeetingChanges {
  std::optional<text::Date> held_on;
  std::optional<std::optional<std::string>> notes;
  std::optional<std::string> reason;
};

/// Corrects the pre-meeting of request `id`; the date stays before the first dispatch and
/// the loan.
void edit_pre_meeting(db::WriteTransaction& tx, std::int64_t id, const PreMeetingChanges& changes,
                      text::Date today, const audit::Actor& actor);

/// Changes to the follow-up meeting's record; answers replace the answer to their question.
struct FollowupChanges {
  std::optional<text::Date> held_on;
  std::vector<std::pair<std::string, std::string>> answers;
  std::optional<int> satisfaction;
  std::optional<experts::Answer> new_insights;
  std::optional<followup::Compensation> compensation;
  std::optional<std::optional<std::string>> quotes;
  std::optional<std::string> reason;
};

/// Corrects the follow-up of request `id`. Once the summary was sent, the meeting cannot move
/// after it and the answers it carried cannot change.
void edit_followup(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                   const FollowupChanges& changes, text::Date today, const audit::Actor& actor);

/// Changes to a request's own facts: the day it arrived and the borrower that sent it.
struct RequestFactChanges {
  std::optional<text::Date> received_on;
  std::optional<std::int64_t> borrower;
  std::optional<std::string> reason;
};

/// Corrects when request `id` arrived or which borrower sent it (`lbib request correct`), in
/// any state. The day is not in the future nor after anything recorded for the request (a step
/// in its history, the pre-meeting, a mailing, a pick, the reply-by date, an open call); the
/// borrower is a known one whose contact person was not erased, and changes only until the
/// request was mailed (the experts reply to the borrower's contact person), mail to the
/// borrower recorded, or a payment names the borrower as payer.
void edit_request_facts(db::WriteTransaction& tx, std::int64_t id,
                        const RequestFactChanges& changes, text::Date today,
                        const audit::Actor& actor);

/// Removes experts picked for request `id` by mistake.
void unpick(db::WriteTransaction& tx, std::int64_t id, const std::vector<std::int64_t>& experts,
            const std::optional<std::string>& reason, text::Date today, const audit::Actor& actor);

}  // namespace lbib::corrections

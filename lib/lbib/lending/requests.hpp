// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/text/date.hpp"

namespace lbib::lending {

/// Where a request stands. The main path is received → pre-meeting-held → dispatched →
/// loan-carried-out → followed-up → finished; the rest are waits and side exits.
enum class State {
  received,
  awaiting_detail,
  pre_meeting_held,
  on_hold,
  dispatched,
  loan_carried_out,
  followed_up,
  finished,
  declined,
  cancelled,
  withdrawn,
};

/// Why a request was declined or cancelled (Table 1's comments).
enum class Reason { no_response, no_match, too_few_participants, by_borrower, library_closing };

/// What moves a request from one state to another.
enum class Step {
  ask_detail,
  resume,
  pre_meeting,
  hold,
  dispatch,
  loan,
  follow_up,
  finish,
  decline,
  cancel,
  withdraw,
};

std::string_view to_string(State s);
std::string_view to_string(Reason r);
std::string_view to_string(Step s);
State parse_state(std::string_view field, std::string_view s);
Reason parse_reason(std::string_view field, std::string_view s);

/// The states `step` may start from.
std::vector<State> allowed_from(Step step);

/// The reasons that go with `step` (decline: no-response, no-match; cancel: the other three).
std::vector<Reason> reasons_for(Step step);

/// An experience a request asks for; no role means any role in the area.
struct Wanted {
  std::optional<std::string> role;
  std::string area;
};

/// Parses AREA or ROLE:AREA against the taxonomy.
Wanted parse_wanted(std::string_view spec, const config::Config& config);

/// "ROLE:AREA" or "AREA".
std::string describe(const Wanted& w);

/// What a borrower asks for. Optional fields may be filled in later; dispatch needs
/// purpose, form, time, place (or digital) and reply-by.
struct RequestDetails {
  std::optional<std::string> purpose;
  std::optional<std::string> form;
  std::optional<std::string> time;
  std::optional<std::string> place;
  bool digital = false;
  int experts_wanted = 2;
  std::optional<std::string> fewer_reason;
  std::optional<int> min_age;
  std::optional<int> max_age;
  std::optional<std::string> municipality;
  std::optional<text::Date> reply_by;
  std::optional<std::string> notes;
  std::vector<Wanted> wanted;
};

/// One dated state change.
struct Event {
  text::Date on;
  std::optional<State> from;
  State to = State::received;
  std::optional<Reason> reason;
  std::optional<std::string> note;
  std::optional<std::string> correction;  // a correction: what was corrected (fields only)
};

/// The pre-meeting with the borrower.
struct PreMeeting {
  text::Date held_on;
  std::optional<std::string> notes;
};

/// A request as stored.
struct Request {
  std::int64_t id = 0;
  std::int64_t borrower_id = 0;
  text::Date received_on;
  RequestDetails details;
  State state = State::received;
  std::optional<Reason> reason;
  std::optional<text::Date> hold_until;
  std::optional<PreMeeting> pre_meeting;
  std::vector<std::int64_t> picks;  // experts asked for by name
  std::vector<Event> events;        // oldest first
};

/// Checks a request's details as `request new` and `request edit` do (text rules, form, counts,
/// ages); throws Error(data) naming the field. `lbib import` checks every imported request with it.
void validate(const RequestDetails& d, const config::Config& config);

/// The fields still missing before the request can be mailed to experts (empty when none).
std::vector<std::string> missing_for_dispatch(const RequestDetails& d);

/// Changes to a request's details; an empty string clears an optional text field.
struct RequestChanges {
  std::optional<std::string> purpose, form, time, place, fewer_reason, municipality, notes;
  std::optional<bool> digital;
  std::optional<int> experts_wanted;
  std::optional<std::optional<int>> min_age, max_age;
  std::optional<std::optional<text::Date>> reply_by;
  std::optional<std::vector<Wanted>> wanted;
};

/// Records a new request in state received; returns its id.
std::int64_t new_request(db::WriteTransaction& tx, const config::Config& config,
                         std::int64_t borrower_id, text::Date received_on,
                         const RequestDetails& details, const audit::Actor& actor);

/// Applies `changes`; refused once the loan was carried out or the request closed.
void edit_request(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                  const RequestChanges& changes, const audit::Actor& actor);

/// Records the pre-meeting. All three conditions must have been told: compensation per the
/// regional guideline, at least two experts, and feedback afterwards.
struct PreMeetingInput {
  text::Date held_on;
  bool told_compensation = false;
  bool told_two_experts = false;
  bool told_feedback = false;
  std::optional<std::string> notes;
};
void hold_pre_meeting(db::WriteTransaction& tx, std::int64_t id, const PreMeetingInput& input,
                      const audit::Actor& actor);

/// The rules of a pre-meeting, when recorded and when corrected: the three conditions told,
/// notes within limits, the date neither in the future (`today`) nor before the request
/// arrived. Throws Error(data) naming what is wrong.
void check_pre_meeting(const Request& request, const PreMeetingInput& input, text::Date today);

/// A lifecycle step without further data (ask-detail, resume, hold, decline, cancel, withdraw).
struct StepInput {
  text::Date on;
  std::optional<Reason> reason;
  std::optional<text::Date> hold_until;
  std::optional<std::string> note;
};
void take_step(db::WriteTransaction& tx, std::int64_t id, Step step, const StepInput& input,
               const audit::Actor& actor);

/// Moves request `id` by `step` to `to`, checking the state machine and recording the event.
/// Used by the operations above and by dispatch and loan recording.
void transition(db::WriteTransaction& tx, const Request& request, Step step, State to,
                const StepInput& input);

/// Records experts the borrower asked for by name; each must be active with mailing consent.
void pick_experts(db::WriteTransaction& tx, std::int64_t id,
                  const std::vector<std::int64_t>& experts, text::Date on,
                  const audit::Actor& actor);

/// The request with `id`; throws Error(no_input) when there is none.
Request get_request(db::Database& db, std::int64_t id);

/// Which requests to list.
struct RequestFilter {
  std::optional<State> state;
  std::optional<std::int64_t> borrower_id;
};

/// The ids of every request, in order (shell completion).
std::vector<std::int64_t> request_ids(db::Database& db);

/// Requests matching `filter`, by id, each handed to `visit` as it is read (without events,
/// picks and pre-meeting): a long list is never held.
void each_request(db::Database& db, const RequestFilter& filter,
                  const std::function<void(Request&)>& visit);

}  // namespace lbib::lending

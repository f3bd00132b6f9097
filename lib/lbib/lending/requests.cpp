// SPDX-License-Identifier: MIT
#include "lbib/lending/requests.hpp"

#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/request_store.hpp"
#include "lbib/text/names.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::lending {
namespace {

using text::name_of;
using text::Names;
using text::parse_name;

constexpr Names<State, 11> state_names{{
    {State::received, "received"},
    {State::awaiting_detail, "awaiting-detail"},
    {State::pre_meeting_held, "pre-meeting-held"},
    {State::on_hold, "on-hold"},
    {State::dispatched, "dispatched"},
    {State::loan_carried_out, "loan-carried-out"},
    {State::followed_up, "followed-up"},
    {State::finished, "finished"},
    {State::declined, "declined"},
    {State::cancelled, "cancelled"},
    {State::withdrawn, "withdrawn"},
}};

constexpr Names<Reason, 5> reason_names{{
    {Reason::no_response, "no-response"},
    {Reason::no_match, "no-match"},
    {Reason::too_few_participants, "too-few-participants"},
    {Reason::by_borrower, "by-borrower"},
    {Reason::library_closing, "library-closing"},
}};

constexpr Names<Step, 11> step_names{{
    {Step::ask_detail, "ask-detail"},
    {Step::resume, "resume"},
    {Step::pre_meeting, "premeeting"},
    {Step::hold, "hold"},
    {Step::dispatch, "dispatch"},
    {Step::loan, "loan"},
    {Step::follow_up, "followup record"},
    {Step::finish, "finish"},
    {Step::decline, "decline"},
    {Step::cancel, "cancel"},
    {Step::withdraw, "withdraw"},
}};

// The states before the loan from which a request can still be put on hold or closed.
constexpr std::array open_states{State::received, State::awaiting_detail, State::pre_meeting_held,
                                 State::on_hold};

std::string state_list(const std::vector<State>& states) {
  std::vector<std::string> names;
  for (const auto s : states) {
    names.emplace_back(to_string(s));
  }
  return text::join(names, ", ");
}

}  // namespace

void validate(const RequestDetails& d, const config::Config& config) {
  if (d.purpose) {
    text::check_text("purpose", *d.purpose, 2000);
  }
  if (d.form && config::find_term(config.forms, *d.form) == nullptr) {
    throw make_error(ExitCode::data, "form: unknown form '{}'; use one of: {}", *d.form,
                     config::keys_of(config.forms));
  }
  text::check_optional_line("time", d.time, text::limits::short_text);
  text::check_optional_line("place", d.place, text::limits::short_text);
  text::check_optional_line("municipality", d.municipality, text::limits::municipality);
  text::check_optional_line("fewer-reason", d.fewer_reason, text::limits::short_text);
  if (d.notes) {
    text::check_text("notes", *d.notes, text::limits::notes);
  }
  if (d.experts_wanted < 1 || d.experts_wanted > 1000) {
    throw make_error(ExitCode::data, "experts: a number from 1 to 1000 is accepted");
  }
  if (d.experts_wanted < config.min_experts && !d.fewer_reason) {
    throw make_error(ExitCode::data,
                     "experts: the library lends at least {} experts; for fewer (a particular "
                     "person, say) give --fewer-reason",
                     config.min_experts);
  }
  for (const auto* age : {&d.min_age, &d.max_age}) {
    if (*age && (**age < 0 || **age > 130)) {
      throw make_error(ExitCode::data,
                       "age limits: a whole number of years from 0 to 130 is accepted");
    }
  }
  if (d.min_age && d.max_age && *d.min_age > *d.max_age) {
    throw make_error(ExitCode::data, "age limits: min-age is above max-age");
  }
}

std::string_view to_string(State s) {
  return name_of(state_names, s);
}
std::string_view to_string(Reason r) {
  return name_of(reason_names, r);
}
std::string_view to_string(Step s) {
  return name_of(step_names, s);
}
State parse_state(std::string_view field, std::string_view s) {
  return parse_name(state_names, field, s);
}
Reason parse_reason(std::string_view field, std::string_view s) {
  return parse_name(reason_names, field, s);
}

std::vector<State> allowed_from(Step step) {
  switch (step) {
    case Step::ask_detail:
      return {State::received, State::pre_meeting_held};
    case Step::resume:
      return {State::awaiting_detail, State::on_hold};
    case Step::pre_meeting:
      return {State::received, State::awaiting_detail};
    case Step::hold:
      return {State::received, State::awaiting_detail, State::pre_meeting_held};
    case Step::dispatch:
      return {State::pre_meeting_held, State::dispatched};
    case Step::loan:
      // Usually after the mailing; a loan of the library itself (Table 1 row 8, taking part in
      // an application) can follow the pre-meeting directly.
      return {State::pre_meeting_held, State::dispatched};
    case Step::follow_up:
      return {State::loan_carried_out};
    case Step::finish:
      return {State::followed_up};
    case Step::decline:
      return {open_states.begin(), open_states.end()};
    case Step::cancel:
    case Step::withdraw: {
      std::vector<State> states(open_states.begin(), open_states.end());
      states.push_back(State::dispatched);
      return states;
    }
  }
  return {};
}

std::vector<Reason> reasons_for(Step step) {
  switch (step) {
    case Step::decline:
      return {Reason::no_response, Reason::no_match};
    case Step::cancel:
      return {Reason::too_few_participants, Reason::by_borrower, Reason::library_closing};
    default:
      return {};
  }
}

Wanted parse_wanted(std::string_view spec, const config::Config& config) {
  text::check_line("want", spec, text::limits::short_text);
  const auto parts = text::split(spec, ':');
  if (parts.size() > 2 || parts.back().empty()) {
    throw make_error(ExitCode::data,
                     "want: AREA or ROLE:AREA is accepted (for example "
                     "relative:dementia or dementia)");
  }
  Wanted w;
  w.area = parts.back();
  if (parts.size() == 2) {
    w.role = parts[0];
    if (config::find_term(config.roles, *w.role) == nullptr) {
      throw make_error(ExitCode::data, "want: unknown role '{}'; use one of: {}", *w.role,
                       config::keys_of(config.roles));
    }
  }
  if (config::find_term(config.areas, w.area) == nullptr) {
    throw make_error(ExitCode::data, "want: unknown area '{}'; use one of: {}", w.area,
                     config::keys_of(config.areas));
  }
  return w;
}

std::string describe(const Wanted& w) {
  return w.role ? *w.role + ":" + w.area : w.area;
}

std::vector<std::string> missing_for_dispatch(const RequestDetails& d) {
  std::vector<std::string> missing;
  if (!d.purpose) {
    missing.emplace_back("purpose");
  }
  if (!d.form) {
    missing.emplace_back("form");
  }
  if (!d.time) {
    missing.emplace_back("time");
  }
  if (!d.place && !d.digital) {
    missing.emplace_back("place (or --digital)");
  }
  if (!d.reply_by) {
    missing.emplace_back("reply-by");
  }
  return missing;
}

namespace {

// A request arrives today or earlier, and its reply-by date cannot be before it arrived.
void check_dates(text::Date received_on, const RequestDetails& d) {
  if (text::today() < received_on) {
    throw make_error(ExitCode::data,
                     "received: {} is in the future; a request is recorded once it arrived "
                     "(today {} or earlier)",
                     text::format_date(received_on), text::format_date(text::today()));
  }
  if (d.reply_by && *d.reply_by < received_on) {
    throw make_error(ExitCode::data,
                     "reply-by: {} is before the request was received ({}); a date from then "
                     "on is accepted",
                     text::format_date(*d.reply_by), text::format_date(received_on));
  }
}

}  // namespace

std::int64_t new_request(db::WriteTransaction& tx, const config::Config& config,
                         std::int64_t borrower_id, text::Date received_on,
                         const RequestDetails& details, const audit::Actor& actor) {
  if (const auto since = db::closing_since(tx.database())) {
    throw make_error(ExitCode::data, "the library is closing (since {}); no new requests are taken",
                     *since);
  }
  validate(details, config);
  check_dates(received_on, details);
  if (!store::borrower_exists(tx.database(), borrower_id)) {
    throw make_error(ExitCode::no_input, "no borrower with id {}; add one with 'lbib borrower add'",
                     borrower_id);
  }
  const auto id = store::insert_request(tx, borrower_id, received_on, details);
  store::insert_event(
      tx, id,
      Event{received_on, std::nullopt, State::received, std::nullopt, std::nullopt, std::nullopt});
  audit::record(tx, actor, "new", "request", id);
  return id;
}

void edit_request(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                  const RequestChanges& c, const audit::Actor& actor) {
  Request r = get_request(tx.database(), id);
  const std::vector<State> editable{State::received, State::awaiting_detail,
                                    State::pre_meeting_held, State::on_hold, State::dispatched};
  if (std::find(editable.begin(), editable.end(), r.state) == editable.end()) {
    throw make_error(ExitCode::data, "request {} is {}; only a request that is {} can be edited",
                     id, to_string(r.state), state_list(editable));
  }
  RequestDetails& d = r.details;
  std::vector<std::string> changed;
  const auto text_field = [&](std::optional<std::string>& field,
                              const std::optional<std::string>& v, const char* name) {
    if (v) {
      field = v->empty() ? std::nullopt : v;
      changed.emplace_back(name);
    }
  };
  text_field(d.purpose, c.purpose, "purpose");
  text_field(d.form, c.form, "form");
  text_field(d.time, c.time, "time");
  text_field(d.place, c.place, "place");
  text_field(d.fewer_reason, c.fewer_reason, "fewer_reason");
  text_field(d.municipality, c.municipality, "municipality");
  text_field(d.notes, c.notes, "notes");
  const auto value_field = [&](auto& field, const auto& v, const char* name) {
    if (v) {
      field = *v;
      changed.emplace_back(name);
    }
  };
  value_field(d.digital, c.digital, "digital");
  value_field(d.experts_wanted, c.experts_wanted, "experts_wanted");
  value_field(d.min_age, c.min_age, "min_age");
  value_field(d.max_age, c.max_age, "max_age");
  value_field(d.reply_by, c.reply_by, "reply_by");
  value_field(d.wanted, c.wanted, "wanted");
  if (changed.empty()) {
    throw make_error(ExitCode::usage,
                     "request edit: nothing to change; see 'lbib request edit --help'");
  }
  validate(d, config);
  check_dates(r.received_on, d);
  if (c.reply_by && d.reply_by) {
    // The experts were mailed before the day they were asked to reply by.
    SQLite::Statement first(tx.sql(), "SELECT min(sent_on) FROM dispatch WHERE request_id = ?");
    first.bind(1, id);
    if (first.executeStep() && !first.getColumn(0).isNull() &&
        text::format_date(*d.reply_by) < first.getColumn(0).getString()) {
      throw make_error(ExitCode::data,
                       "reply-by: {} is before the request was mailed to the experts ({}); a date "
                       "from then on is accepted",
                       text::format_date(*d.reply_by), first.getColumn(0).getString());
    }
  }
  store::update_details(tx, id, d);
  audit::record(tx, actor, "edit", "request", id, text::join(changed, ","));
}

void transition(db::WriteTransaction& tx, const Request& r, Step step, State to,
                const StepInput& input) {
  const auto from = allowed_from(step);
  if (std::find(from.begin(), from.end(), r.state) == from.end()) {
    throw make_error(ExitCode::data, "request {} is {}; '{}' needs a request that is {}", r.id,
                     to_string(r.state), to_string(step), state_list(from));
  }
  if (input.on < r.received_on) {
    throw make_error(ExitCode::data, "date: {} is before the request was received ({})",
                     text::format_date(input.on), text::format_date(r.received_on));
  }
  if (text::today() < input.on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a request's step is recorded once it happened "
                     "(today {} or earlier)",
                     text::format_date(input.on), text::format_date(text::today()));
  }
  if (input.note) {
    text::check_text("note", *input.note, 2000);
  }
  store::set_state(tx, r.id, to, input.reason, input.hold_until);
  store::insert_event(tx, r.id,
                      Event{input.on, r.state, to, input.reason, input.note, std::nullopt});
}

void check_pre_meeting(const Request& r, const PreMeetingInput& in, text::Date today) {
  std::vector<std::string> untold;
  if (!in.told_compensation) {
    untold.emplace_back("--told-compensation (compensation per the regional guideline)");
  }
  if (!in.told_two_experts) {
    untold.emplace_back("--told-two-experts (at least two experts)");
  }
  if (!in.told_feedback) {
    untold.emplace_back("--told-feedback (feedback to the library and the experts afterwards)");
  }
  if (!untold.empty()) {
    throw make_error(ExitCode::data,
                     "premeeting: the borrower must be told the library's conditions; missing: {}",
                     text::join(untold, ", "));
  }
  if (in.notes) {
    text::check_text("notes", *in.notes, text::limits::notes);
  }
  if (today < in.held_on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a pre-meeting is recorded once it was held "
                     "(today {} or earlier)",
                     text::format_date(in.held_on), text::format_date(today));
  }
  if (in.held_on < r.received_on) {
    throw make_error(ExitCode::data, "date: {} is before the request was received ({})",
                     text::format_date(in.held_on), text::format_date(r.received_on));
  }
}

void hold_pre_meeting(db::WriteTransaction& tx, std::int64_t id, const PreMeetingInput& in,
                      const audit::Actor& actor) {
  const Request r = get_request(tx.database(), id);
  check_pre_meeting(r, in, text::today());
  transition(tx, r, Step::pre_meeting, State::pre_meeting_held, StepInput{in.held_on, {}, {}, {}});
  store::insert_pre_meeting(tx, id, PreMeeting{in.held_on, in.notes});
  audit::record(tx, actor, "premeeting", "request", id);
}

void take_step(db::WriteTransaction& tx, std::int64_t id, Step step, const StepInput& input,
               const audit::Actor& actor) {
  const Request r = get_request(tx.database(), id);
  const auto reasons = reasons_for(step);
  if (!reasons.empty()) {
    if (!input.reason ||
        std::find(reasons.begin(), reasons.end(), *input.reason) == reasons.end()) {
      std::vector<std::string> names;
      for (const auto reason : reasons) {
        names.emplace_back(to_string(reason));
      }
      throw make_error(ExitCode::data, "{}: --reason is required; use one of: {}", to_string(step),
                       text::join(names, ", "));
    }
  }
  State to = State::received;
  switch (step) {
    case Step::ask_detail:
      to = State::awaiting_detail;
      break;
    case Step::hold:
      if (!input.hold_until) {
        throw make_error(ExitCode::data, "hold: --until DATE is required (when to look again)");
      }
      if (*input.hold_until < r.received_on) {
        throw make_error(ExitCode::data,
                         "until: {} is before the request was received ({}); a date from then "
                         "on is accepted",
                         text::format_date(*input.hold_until), text::format_date(r.received_on));
      }
      to = State::on_hold;
      break;
    case Step::resume: {
      // Back to where the request was before it waited.
      to = State::received;
      for (auto it = r.events.rbegin(); it != r.events.rend(); ++it) {
        if (it->to == r.state && it->from) {
          to = *it->from;
          break;
        }
      }
      break;
    }
    case Step::decline:
      to = State::declined;
      break;
    case Step::cancel:
      to = State::cancelled;
      break;
    case Step::withdraw:
      to = State::withdrawn;
      break;
    case Step::pre_meeting:
    case Step::dispatch:
    case Step::loan:
    case Step::follow_up:
    case Step::finish:
      throw make_error(ExitCode::software, "step {} has its own operation", to_string(step));
  }
  StepInput in = input;
  if (step != Step::hold) {
    in.hold_until.reset();
  }
  transition(tx, r, step, to, in);
  audit::record(tx, actor, std::string(to_string(step)), "request", id);
}

void pick_experts(db::WriteTransaction& tx, std::int64_t id, const std::vector<std::int64_t>& ids,
                  text::Date on, const audit::Actor& actor) {
  const Request r = get_request(tx.database(), id);
  const auto from = allowed_from(Step::dispatch);
  if (r.state != State::received && r.state != State::awaiting_detail &&
      std::find(from.begin(), from.end(), r.state) == from.end()) {
    throw make_error(ExitCode::data, "request {} is {}; experts can be picked before the loan only",
                     id, to_string(r.state));
  }
  if (text::today() < on) {
    throw make_error(ExitCode::data,
                     "date: {} is in the future; a pick is recorded once the borrower asked (today "
                     "{} or earlier)",
                     text::format_date(on), text::format_date(text::today()));
  }
  if (on < r.received_on) {
    throw make_error(ExitCode::data, "date: {} is before the request was received ({})",
                     text::format_date(on), text::format_date(r.received_on));
  }
  for (const auto expert_id : ids) {
    const auto e = experts::get(tx.database(), expert_id);
    if (e.status != experts::Status::active) {
      throw make_error(ExitCode::data, "expert {} is {}; only active experts can be picked",
                       expert_id, experts::to_string(e.status));
    }
    if (!e.has_consent(experts::Purpose::mailing)) {
      throw make_error(ExitCode::data,
                       "expert {} has no mailing consent in force; they cannot be sent requests",
                       expert_id);
    }
    store::insert_pick(tx, id, expert_id, on);
  }
  audit::record(tx, actor, "pick", "request", id, fmt::format("{} experts", ids.size()));
}

Request get_request(db::Database& db, std::int64_t id) {
  if (auto r = store::find(db, id)) {
    return std::move(*r);
  }
  throw make_error(ExitCode::no_input, "no request with id {}", id);
}

std::vector<std::int64_t> request_ids(db::Database& db) {
  SQLite::Statement q(db.sql(), "SELECT id FROM request ORDER BY id");
  std::vector<std::int64_t> ids;
  while (q.executeStep()) {
    ids.push_back(q.getColumn(0).getInt64());
  }
  return ids;
}

void each_request(db::Database& db, const RequestFilter& filter,
                  const std::function<void(Request&)>& visit) {
  store::each(db, filter, visit);
}

}  // namespace lbib::lending

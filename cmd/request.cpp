// SPDX-License-Identifier: MIT
#include <charconv>
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/corrections/corrections.hpp"
#include "lbib/error.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/lending/assignments.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/lending/views.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

// The detail options shared by `request new` and `request edit`.
struct DetailOptions {
  std::optional<std::string> purpose, form, time, place, fewer_reason, municipality, notes,
      reply_by, min_age, max_age;
  std::optional<int> experts;
  bool digital = false;
  bool not_digital = false;
  std::vector<std::string> wanted;
  // A list is asked "was it given?" through CLI11: `--want ""` (clear the list) gives [""] to a
  // std::vector but leaves a std::optional<std::vector> empty in CLI11 2.1.
  CLI::Option* wanted_opt = nullptr;
};

void add_details(CLI::App& sub, DetailOptions& o, bool edit, Context& ctx) {
  TextOptions text(sub, ctx);
  text.add("--purpose", o.purpose, "What the borrower wants to develop (may span lines)");
  sub.add_option("--form", o.form,
                 "Form of the loan (see taxonomy.forms: workshop, focus-group, ...)");
  sub.add_option("--time", o.time, "When: date(s) and times, as the mail should say it");
  text.add("--place", o.place, "Where");
  sub.add_flag("--digital", o.digital, "The loan takes place digitally");
  if (edit) {
    sub.add_flag("--not-digital", o.not_digital, "The loan does not take place digitally");
  }
  sub.add_option("--experts", o.experts,
                 "Number of experts wanted (the library's rule: at least 2)")
      ->check(number_check());
  text.add("--fewer-reason", o.fewer_reason, "Why fewer experts than the library's minimum");
  o.wanted_opt =
      sub.add_option("--want", o.wanted,
                     edit ? i18n::N_("Experiences wanted, AREA or ROLE:AREA, repeatable (replaces "
                                     "the list; \"\" clears it)")
                          : i18n::N_("Experiences wanted, AREA or ROLE:AREA, repeatable"));
  sub.add_option("--min-age", o.min_age, "Only experts at least this old (e.g. 65)");
  sub.add_option("--max-age", o.max_age, "Only experts at most this old");
  sub.add_option("--municipality", o.municipality, "Only experts living in this municipality");
  sub.add_option("--reply-by", o.reply_by, "Last day for experts to reply (YYYY-MM-DD)");
  text.add("--notes", o.notes, "The library's own notes");
}

std::optional<int> parse_age(std::string_view field, const std::string& s) {
  int value = 0;
  const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
  if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size()) {
    throw make_error(ExitCode::data, "{}: a whole number of years is accepted", field);
  }
  return value;
}

std::vector<lending::Wanted> parse_wanted_list(const std::vector<std::string>& specs,
                                               const config::Config& config) {
  std::vector<lending::Wanted> wanted;
  for (const auto& spec : specs) {
    if (!spec.empty()) {
      wanted.push_back(lending::parse_wanted(spec, config));
    }
  }
  return wanted;
}

struct NewOptions {
  DetailOptions details;
  std::int64_t borrower = 0;
  std::optional<std::string> received;
};

void run_request_new(const NewOptions& o, Context& ctx) {
  const auto& config = ctx.config();
  const DetailOptions& f = o.details;
  lending::RequestDetails d;
  d.purpose = f.purpose;
  d.form = f.form;
  d.time = f.time;
  d.place = f.place;
  d.digital = f.digital;
  d.experts_wanted = f.experts.value_or(config.min_experts);
  d.fewer_reason = f.fewer_reason;
  d.municipality = f.municipality;
  d.notes = f.notes;
  if (f.reply_by) {
    d.reply_by = text::parse_date("reply-by", *f.reply_by);
  }
  if (f.min_age) {
    d.min_age = parse_age("min-age", *f.min_age);
  }
  if (f.max_age) {
    d.max_age = parse_age("max-age", *f.max_age);
  }
  d.wanted = parse_wanted_list(f.wanted, config);
  const auto received = date_or(o.received, "received", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = lending::new_request(tx, config, o.borrower, received, d, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

struct RequestEditOptions {
  DetailOptions details;
  std::int64_t id = 0;
};

void run_request_edit(const RequestEditOptions& o, Context& ctx) {
  const auto& config = ctx.config();
  const DetailOptions& f = o.details;
  lending::RequestChanges c;
  c.purpose = f.purpose;
  c.form = f.form;
  c.time = f.time;
  c.place = f.place;
  c.fewer_reason = f.fewer_reason;
  c.municipality = f.municipality;
  c.notes = f.notes;
  if (f.digital && f.not_digital) {
    throw make_error(ExitCode::usage, "--digital and --not-digital exclude each other");
  }
  if (f.digital || f.not_digital) {
    c.digital = f.digital;
  }
  c.experts_wanted = f.experts;
  if (const auto& v = f.reply_by) {
    c.reply_by = v->empty() ? std::optional<text::Date>{} : text::parse_date("reply-by", *v);
  }
  if (const auto& v = f.min_age) {
    c.min_age = v->empty() ? std::optional<int>{} : parse_age("min-age", *v);
  }
  if (const auto& v = f.max_age) {
    c.max_age = v->empty() ? std::optional<int>{} : parse_age("max-age", *v);
  }
  if (f.wanted_opt->count() > 0) {
    c.wanted = parse_wanted_list(f.wanted, config);
  }
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::edit_request(tx, config, o.id, c, ctx.actor());
  tx.commit();
}

struct RequestCorrectOptions {
  std::int64_t id = 0;
  std::optional<std::int64_t> borrower;
  std::optional<std::string> received, reason;
};

void run_request_correct(const RequestCorrectOptions& o, Context& ctx) {
  corrections::RequestFactChanges c;
  if (o.received) {
    c.received_on = text::parse_date("received", *o.received);
  }
  c.borrower = o.borrower;
  c.reason = o.reason;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::edit_request_facts(tx, o.id, c, text::today(), ctx.actor());
  tx.commit();
}

struct RequestListOptions {
  std::string format;
  std::optional<std::string> state;
  std::optional<std::int64_t> borrower;
};

void run_request_list(const RequestListOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  lending::RequestFilter filter;
  if (o.state) {
    filter.state = lending::parse_state("state", *o.state);
  }
  filter.borrower_id = o.borrower;
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  // Each request is written as it is read (a text table keeps their text for its widths).
  output::RowWriter rows(ctx.out(), format, lending::requests_header());
  lending::each_request_row(db, filter,
                            [&rows](std::vector<output::Value> row) { rows.add(std::move(row)); });
  rows.finish();
}

struct RequestShowOptions {
  std::int64_t id = 0;
  std::string format;
};

void run_request_show(const RequestShowOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  auto record = lending::request_record(db, lending::get_request(db, o.id));
  const auto call = lending::find_open_call(db, o.id);
  record.fields.emplace_back("open_call", call ? output::Value{call->text} : output::Value{});
  record.sections.emplace_back("followup",
                               followup::followup_table(followup::find(db, o.id), ctx.config()));
  output::write(ctx.out(), format, record);
}

// Options of the lifecycle verbs: the request, the date of the step and a note.
struct StepOptions {
  std::int64_t id = 0;
  std::optional<std::string> date, note, reason, until;
};

CLI::App* add_step(CLI::App& parent, const char* name, const char* help, StepOptions& o,
                   Context& ctx) {
  auto* sub = parent.add_subcommand(name, help);
  sub->add_option("ID", o.id, "The request's id")->check(id_check(Names::request))->required();
  sub->add_option("--date", o.date, "When it happened (default today)");
  TextOptions(*sub, ctx).add("--note", o.note, "A short comment (shown in Table 1)");
  return sub;
}

void run_step(lending::Step step, const StepOptions& o, Context& ctx) {
  lending::StepInput in;
  in.on = date_or(o.date, "date", text::today());
  in.note = o.note;
  if (o.reason) {
    in.reason = lending::parse_reason("reason", *o.reason);
  }
  if (o.until) {
    in.hold_until = text::parse_date("until", *o.until);
  }
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::take_step(tx, o.id, step, in, ctx.actor());
  tx.commit();
}

struct PreMeetingOptions {
  StepOptions step;
  bool told_compensation = false, told_two_experts = false, told_feedback = false;
};

void run_premeeting(const PreMeetingOptions& o, Context& ctx) {
  lending::PreMeetingInput in;
  in.held_on = date_or(o.step.date, "date", text::today());
  in.told_compensation = o.told_compensation;
  in.told_two_experts = o.told_two_experts;
  in.told_feedback = o.told_feedback;
  in.notes = o.step.note;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::hold_pre_meeting(tx, o.step.id, in, ctx.actor());
  tx.commit();
}

void run_premeeting_correct(const StepOptions& o, Context& ctx) {
  corrections::PreMeetingChanges c;
  if (o.date) {
    c.held_on = text::parse_date("date", *o.date);
  }
  if (const auto& note = o.note) {
    c.notes = note->empty() ? std::optional<std::string>{} : note;
  }
  c.reason = o.reason;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::edit_pre_meeting(tx, o.id, c, text::today(), ctx.actor());
  tx.commit();
}

struct ReopenOptions {
  std::int64_t id = 0;
  std::optional<std::string> reason;  // required
};

void run_reopen(const ReopenOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::reopen(tx, o.id, o.reason.value_or(std::string()), text::today(), ctx.actor());
  tx.commit();
}

struct PickOptions {
  std::int64_t id = 0;
  std::vector<std::int64_t> experts;
  std::optional<std::string> date, reason;
};

void run_pick(const PickOptions& o, Context& ctx) {
  const auto on = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::pick_experts(tx, o.id, o.experts, on, ctx.actor());
  tx.commit();
}

void run_unpick(const PickOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::unpick(tx, o.id, o.experts, o.reason, text::today(), ctx.actor());
  tx.commit();
}

// Recruiting for one assignment (issue #16): the open call the public catalogue shows.
struct CallOptions {
  std::int64_t id = 0;
  std::optional<std::string> text;
  bool clear = false;
};

void run_call(const CallOptions& o, Context& ctx) {
  if (!o.clear && !o.text) {
    throw make_error(ExitCode::usage, "--text or --clear is required");
  }
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::set_open_call(tx, o.id, o.clear ? std::nullopt : o.text, text::today(), ctx.actor());
  tx.commit();
}

void setup_lifecycle(CLI::App& request, Context& ctx) {
  auto pre = std::make_shared<PreMeetingOptions>();
  auto* pre_cmd = add_step(request, "premeeting",
                           "Record the digital pre-meeting and that the borrower was told the "
                           "library's three conditions",
                           pre->step, ctx);
  pre_cmd->add_flag("--told-compensation", pre->told_compensation,
                    "The borrower was told: experts are compensated per the regional guideline");
  pre_cmd->add_flag("--told-two-experts", pre->told_two_experts,
                    "The borrower was told: the library lends at least two experts");
  pre_cmd->add_flag(
      "--told-feedback", pre->told_feedback,
      "The borrower was told: feedback to the library and the experts afterwards is required");
  // Kept as CLI11's option: runs_itself checks it (required unless `correct` is given).
  auto* pre_id = pre_cmd->get_option("ID")->required(false);
  auto pre_edit = std::make_shared<StepOptions>();
  auto* pre_edit_cmd =
      pre_cmd->add_subcommand("correct", "Correct the recorded pre-meeting: its date or notes");
  pre_edit_cmd->add_option("ID", pre_edit->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  pre_edit_cmd->add_option("--date", pre_edit->date, "The day the pre-meeting was really held");
  TextOptions pre_edit_text(*pre_edit_cmd, ctx);
  pre_edit_text.add("--note", pre_edit->note, "The pre-meeting's notes (\"\" clears them)");
  pre_edit_text.add("--reason", pre_edit->reason,
                    "Why it is corrected (kept in the request's history)");
  pre_edit_cmd->callback([pre_edit, &ctx] { run_premeeting_correct(*pre_edit, ctx); });
  pre_cmd->callback([pre, pre_edit_cmd, pre_id, &ctx] {
    if (runs_itself({pre_edit_cmd}, {pre_id})) {
      run_premeeting(*pre, ctx);
    }
  });

  struct Simple {
    lending::Step step;
    const char* name;
    const char* help;
    bool reason;
    bool until;
  };
  const Simple simple[] = {
      {lending::Step::ask_detail, "ask-detail", i18n::N_("Wait for more detail from the borrower"),
       false, false},
      {lending::Step::resume, "resume",
       i18n::N_("Continue a request that waited for detail or was on hold"), false, false},
      {lending::Step::hold, "hold",
       i18n::N_("Put a request on hold until a date (a funding decision, say)"), false, true},
      {lending::Step::decline, "decline",
       i18n::N_("Decline a request: --reason no-response or no-match"), true, false},
      {lending::Step::cancel, "cancel",
       i18n::N_("Cancel a request: --reason too-few-participants, by-borrower or library-closing"),
       true, false},
      {lending::Step::withdraw, "withdraw",
       i18n::N_("Record that the borrower withdrew the request"), false, false},
  };
  for (const auto& s : simple) {
    auto o = std::make_shared<StepOptions>();
    auto* sub = add_step(request, s.name, s.help, *o, ctx);
    if (s.reason) {
      sub->add_option("--reason", o->reason, "Why");
    }
    if (s.until) {
      sub->add_option("--until", o->until, "When to look at the request again");
    }
    const auto step = s.step;
    sub->callback([o, step, &ctx] { run_step(step, *o, ctx); });
  }

  auto reopen = std::make_shared<ReopenOptions>();
  auto* reopen_cmd = request.add_subcommand(
      "reopen",
      "Reopen a request declined, cancelled or withdrawn by mistake: it returns to the state it "
      "had before");
  reopen_cmd->add_option("ID", reopen->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  TextOptions(*reopen_cmd, ctx)
      .add("--reason", reopen->reason, "Why it is reopened (kept in the request's history)")
      ->required();
  reopen_cmd->callback([reopen, &ctx] { run_reopen(*reopen, ctx); });

  auto pick = std::make_shared<PickOptions>();
  auto* pick_cmd = request.add_subcommand(
      "pick", "Record experts the borrower asked for by name (still subject to their consent)");
  // Kept as CLI11's options: runs_itself checks them (required unless `undo` is given).
  auto* pick_id =
      pick_cmd->add_option("ID", pick->id, "The request's id")->check(id_check(Names::request));
  auto* pick_experts =
      pick_cmd->add_option("EXPERT", pick->experts, "Expert ids")->check(id_check(Names::expert));
  auto unpick = std::make_shared<PickOptions>();
  auto* unpick_cmd =
      pick_cmd->add_subcommand("undo", "Remove experts picked by mistake from a request");
  unpick_cmd->add_option("ID", unpick->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  unpick_cmd->add_option("EXPERT", unpick->experts, "Expert ids")
      ->check(id_check(Names::expert))
      ->required();
  TextOptions(*unpick_cmd, ctx)
      .add("--reason", unpick->reason, "Why they are removed (kept in the request's history)");
  unpick_cmd->callback([unpick, &ctx] { run_unpick(*unpick, ctx); });
  pick_cmd->add_option("--date", pick->date, "When the borrower asked (default today)");
  pick_cmd->callback([pick, unpick_cmd, pick_id, pick_experts, &ctx] {
    if (runs_itself({unpick_cmd}, {pick_id, pick_experts})) {
      run_pick(*pick, ctx);
    }
  });
}

}  // namespace

void setup_request(CLI::App& app, Context& ctx) {
  auto* request = app.add_subcommand("request", top_help("request"));
  request->require_subcommand(1);

  auto created = std::make_shared<NewOptions>();
  auto* new_cmd =
      request->add_subcommand("new", "Record a new request from a borrower; prints its id");
  new_cmd->add_option("--borrower", created->borrower, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  new_cmd->add_option("--received", created->received, "When it arrived (default today)");
  add_details(*new_cmd, created->details, false, ctx);
  new_cmd->callback([created, &ctx] { run_request_new(*created, ctx); });

  auto edit = std::make_shared<RequestEditOptions>();
  auto* edit_cmd = request->add_subcommand(
      "edit", "Change a request's details (an empty value clears an optional field)");
  edit_cmd->add_option("ID", edit->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  add_details(*edit_cmd, edit->details, true, ctx);
  edit_cmd->callback([edit, &ctx] { run_request_edit(*edit, ctx); });

  auto correct = std::make_shared<RequestCorrectOptions>();
  auto* correct_cmd = request->add_subcommand(
      "correct",
      "Correct when a request arrived or which borrower sent it (kept in the request's history)");
  correct_cmd->add_option("ID", correct->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  correct_cmd->add_option("--received", correct->received, "The day it really arrived");
  correct_cmd->add_option("--borrower", correct->borrower, "The borrower that really sent it")
      ->check(id_check(Names::borrower));
  TextOptions(*correct_cmd, ctx)
      .add("--reason", correct->reason, "Why it is corrected (kept in the request's history)");
  correct_cmd->callback([correct, &ctx] { run_request_correct(*correct, ctx); });

  auto list = std::make_shared<RequestListOptions>();
  auto* list_cmd = request->add_subcommand("list", "List requests");
  list_cmd->add_option("--state", list->state, "Only requests in this state");
  list_cmd->add_option("--borrower", list->borrower, "Only this borrower's requests")
      ->check(id_check(Names::borrower));
  add_format_option(*list_cmd, list->format);
  list_cmd->callback([list, &ctx] { run_request_list(*list, ctx); });

  auto show = std::make_shared<RequestShowOptions>();
  auto* show_cmd =
      request->add_subcommand("show", "Show one request: details, history, invitations, loan");
  show_cmd->add_option("ID", show->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  add_format_option(*show_cmd, show->format);
  show_cmd->callback([show, &ctx] { run_request_show(*show, ctx); });

  setup_lifecycle(*request, ctx);

  auto call = std::make_shared<CallOptions>();
  auto* call_cmd = request->add_subcommand(
      "call",
      "Give a request an open call: an anonymous text that `lbib catalogue` shows as an open "
      "assignment until the reply-by date, for recruiting someone for this assignment only");
  call_cmd->add_option("ID", call->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  auto* text_opt = TextOptions(*call_cmd, ctx)
                       .add("--text", call->text,
                            "What, when, where and what experience is sought; no names or "
                            "contact details (may span lines)");
  call_cmd->add_flag("--clear", call->clear, "Remove the open call")->excludes(text_opt);
  call_cmd->callback([call, &ctx] { run_call(*call, ctx); });
}

}  // namespace lbib::cmd

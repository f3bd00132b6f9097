// SPDX-License-Identifier: MIT
// match, dispatch and loan: the steps of the lending cycle that act on a request.
#include <charconv>
#include <ctime>
#include <iostream>
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/error.hpp"
#include "lbib/lending/dispatch.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/matching.hpp"
#include "lbib/text/i18n.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct MatchOptions {
  std::int64_t id = 0;
  std::string format, today;
  bool left_out = false;
  CLI::Option* today_opt = nullptr;
};

void run_match(const MatchOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto today = date_or(o.today_opt, o.today, "today", text::today());
  auto db = ctx.open_db();
  const auto result = lending::match(db, lending::get_request(db, o.id), today);
  if (o.left_out) {
    output::write(ctx.out(), format, lending::left_out_table(result, ctx.config().language));
    return;
  }
  output::write(ctx.out(), format, lending::candidates_table(result));
  // The shortfall is advice, not output: it goes to stderr so JSON and CSV stay clean.
  for (const auto& line : result.shortfall) {
    std::cerr << "lbib: note: " << line << '\n';
  }
}

struct DispatchOptions {
  std::int64_t id = 0;
  std::string out, record, date;
  std::vector<std::int64_t> experts;
  std::int64_t limit = 0;
  bool preview = false;
  CLI::Option* out_opt = nullptr;
  CLI::Option* record_opt = nullptr;
  CLI::Option* limit_opt = nullptr;
  CLI::Option* date_opt = nullptr;
};

void run_dispatch(const DispatchOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  if (o.record_opt->count() > 0) {
    const auto sent_on = date_or(o.date_opt, o.date, "date", text::today());
    db::WriteTransaction tx(db);
    const auto result = lending::record_dispatch(tx, o.id, o.record, sent_on, ctx.actor());
    tx.commit();
    if (result.already_recorded) {
      ctx.out() << i18n::tr("already recorded; nothing changed") << '\n';
    } else {
      ctx.out() << i18n::tr_format("recorded: {} experts invited to request {}", result.invited,
                                   o.id)
                << '\n';
    }
    return;
  }
  if (o.out_opt->count() == 0) {
    throw make_error(
        ExitCode::usage,
        "dispatch: give --out DIR to compose, or --record FILE to record a sent message");
  }
  lending::Recipients recipients;
  recipients.experts = o.experts;
  if (o.limit_opt->count() > 0) {
    if (o.limit < 1) {
      throw make_error(ExitCode::usage,
                       "--limit: {} is too small; a whole number, at least 1, "
                       "is accepted",
                       o.limit);
    }
    recipients.limit = static_cast<std::size_t>(o.limit);
  }
  const auto composition = lending::compose_dispatch(db, ctx.config(), o.id, recipients,
                                                     text::today(), std::time(nullptr));
  write_outgoing(ctx, composition.messages, lending::dispatch_kind, o.id, o.out, o.preview);
}

struct LoanOptions {
  std::int64_t id = 0;
  std::string date, until, form, fewer_reason, note;
  std::vector<std::int64_t> experts;
  std::vector<std::string> uninvited;
  int external = 0;
  CLI::Option* note_opt = nullptr;
  CLI::Option* date_opt = nullptr;
  CLI::Option* until_opt = nullptr;
  CLI::Option* form_opt = nullptr;
  CLI::Option* fewer_opt = nullptr;
};

// "ID:REASON" of --uninvited.
lending::Uninvited parse_uninvited(const std::string& value) {
  const auto colon = value.find(':');
  std::int64_t id = 0;
  if (colon != std::string::npos) {
    const auto [ptr, ec] = std::from_chars(value.data(), value.data() + colon, id);
    if (ec != std::errc{} || ptr != value.data() + colon) {
      id = 0;
    }
  }
  if (id < 1) {
    throw make_error(ExitCode::usage,
                     "--uninvited: give the expert's id and a reason, as ID:REASON");
  }
  return lending::Uninvited{id, value.substr(colon + 1)};
}

void run_loan(const LoanOptions& o, Context& ctx) {
  lending::LoanInput in;
  in.carried_out_on = date_or(o.date_opt, o.date, "date", text::today());
  if (o.until_opt->count() > 0) {
    in.until = text::parse_date("until", o.until);
  }
  in.form = given(o.form_opt, o.form);
  in.experts = o.experts;
  for (const auto& u : o.uninvited) {
    in.uninvited.push_back(parse_uninvited(u));
  }
  in.external_participants = o.external;
  in.fewer_reason = given(o.fewer_opt, o.fewer_reason);
  in.note = given(o.note_opt, o.note);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::record_loan(tx, ctx.config(), o.id, in, text::today(), ctx.actor());
  tx.commit();
}

}  // namespace

void setup_lending(CLI::App& app, Context& ctx) {
  auto m = std::make_shared<MatchOptions>();
  auto* match = app.add_subcommand(
      "match",
      "List the experts a request can go to: best fit first, then those invited least lately");
  match->add_option("REQ", m->id, "The request's id")->check(id_check(Names::request))->required();
  match->add_flag("--left-out", m->left_out,
                  "List instead the experts who fit but are left out by their wishes, a cap on "
                  "requests or a pause, and why");
  m->today_opt = match->add_option("--today", m->today,
                                   "Match as on this day: pauses and caps (default today)");
  add_format_option(*match, m->format);
  match->callback([m, &ctx] { run_match(*m, ctx); });

  auto d = std::make_shared<DispatchOptions>();
  auto* dispatch = app.add_subcommand(
      "dispatch",
      "Compose the request's BCC mailing to matching experts (--out DIR), or record a message "
      "sendmail accepted (--record FILE). scripts/send-request.sh does both.");
  dispatch->add_option("REQ", d->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  d->out_opt = dispatch->add_option(
      "--out", d->out,
      "Directory to write the messages to (one .eml per batch, with a .json manifest)");
  d->record_opt =
      dispatch->add_option("--record", d->record, "A composed .eml that sendmail accepted");
  d->out_opt->excludes(d->record_opt);
  dispatch->add_option("--experts", d->experts, "Send to these expert ids instead of every match")
      ->check(id_check(Names::expert))
      ->delimiter(',');
  d->limit_opt =
      dispatch
          ->add_option("--limit", d->limit, "Send to at most N matching experts (in match order)")
          ->check(number_check());
  dispatch->add_flag("--preview", d->preview,
                     "With --out: also show each message as plain text on stderr");
  d->date_opt =
      dispatch->add_option("--date", d->date, "With --record: the day it was sent (default today)");
  dispatch->callback([d, &ctx] { run_dispatch(*d, ctx); });

  auto l = std::make_shared<LoanOptions>();
  auto* loan =
      app.add_subcommand("loan", "Record that a request's loan was carried out, and who took part");
  loan->add_option("REQ", l->id, "The request's id")->check(id_check(Names::request))->required();
  l->date_opt = loan->add_option("--date", l->date, "When the loan took place (default today)");
  l->until_opt = loan->add_option("--until", l->until, "Last day, for a loan over several days");
  loan->add_option("--expert", l->experts,
                   "Id of an expert who took part; repeatable or comma-separated")
      ->check(id_check(Names::expert))
      ->delimiter(',');
  loan->add_option("--uninvited", l->uninvited,
                   "ID:REASON: an expert who took part without being invited to the request, "
                   "and why (kept in the request's history); repeatable");
  loan->add_option("--external", l->external,
                   "Participants the borrower recruited outside the library (a count)")
      ->check(number_check());
  l->form_opt =
      loan->add_option("--form", l->form, "The form actually used (default the request's)");
  TextOptions text(*loan, ctx);
  l->fewer_opt = text.add("--fewer-reason", l->fewer_reason,
                          "Why fewer than the library's minimum of experts took part");
  l->note_opt = text.add("--note", l->note, "A short comment (shown in Table 1)");
  loan->callback([l, &ctx] { run_loan(*l, ctx); });
}

}  // namespace lbib::cmd

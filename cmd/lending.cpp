// SPDX-License-Identifier: MIT
// match, dispatch and loan: the steps of the lending cycle that act on a request.
#include <charconv>
#include <ctime>
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/corrections/corrections.hpp"
#include "lbib/error.hpp"
#include "lbib/lending/dispatch.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/matching.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

// How the request's experts answered, as one line (issue #15).
std::string answers_line(std::int64_t id, const lending::AnswerCounts& a) {
  std::string line =
      i18n::tr_format("request {}: wanted {}, said yes {}, declined {}, not answered {}", id,
                      a.wanted, a.yes, a.no, a.not_answered);
  if (a.unclear > 0) {
    line += i18n::tr_format(", answered and to be read {}", a.unclear);
  }
  return line;
}

struct MatchOptions {
  std::int64_t id = 0;
  std::string format;
  std::optional<std::string> today;
  bool left_out = false;
};

void run_match(const MatchOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto today = date_or(o.today, "today", text::today());
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  const auto result = lending::match(db, lending::get_request(db, o.id), today);
  if (o.left_out) {
    output::write(ctx.out(), format, lending::left_out_table(result, ctx.config().language));
    return;
  }
  // Row by row: the rows are not held a second time, as a table and then as JSON.
  output::RowWriter rows(ctx.out(), format, lending::candidates_header());
  for (const auto& c : result.candidates) {
    rows.add(lending::candidate_row(c));
  }
  rows.finish();
  // The shortfall is advice, not output: it goes to stderr so JSON and CSV stay clean.
  for (const auto& line : result.shortfall) {
    ctx.err() << "lbib: note: " << line << '\n';
  }
  // Once answers are recorded: how the request's experts answered (issue #15).
  const auto a = lending::answer_counts(db, o.id);
  if (a.yes + a.no + a.unclear > 0) {
    ctx.err() << "lbib: note: " << answers_line(o.id, a) << '\n';
  }
}

struct AnswerOptions {
  std::int64_t id = 0;
  std::int64_t expert = 0;
  std::string answer, channel = "mail";
  std::optional<std::string> date;
};

void run_answer(const AnswerOptions& o, Context& ctx) {
  if (o.answer != "yes" && o.answer != "no") {
    throw make_error(ExitCode::usage, "answer: '{}' is not an answer; use yes or no",
                     text::printable(o.answer));
  }
  const auto channel = lending::parse_answer_channel("channel", o.channel);
  const auto on = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::record_answer(tx, o.id, o.expert,
                         o.answer == "yes" ? lending::Answer::yes : lending::Answer::no, on,
                         channel, ctx.actor());
  tx.commit();
  const auto a = lending::answer_counts(db, o.id);
  ctx.out() << answers_line(o.id, a) << '\n';
}

struct DispatchOptions {
  std::int64_t id = 0;
  std::vector<std::int64_t> experts;
  std::optional<std::vector<std::int64_t>> called;  // ids: never an empty value
  std::optional<std::int64_t> limit;
  bool past_reply_by = false;
  MailOptions mail;
};

void run_dispatch(const DispatchOptions& o, Context& ctx) {
  if (o.called) {
    const auto on = date_or(o.mail.date, "date", text::today());
    auto db = ctx.open_db();
    db::WriteTransaction tx(db);
    const auto n = lending::record_calls(tx, o.id, *o.called, on, ctx.actor());
    tx.commit();
    ctx.out() << i18n::tr_nformat(n, "recorded: {} expert called about request {}",
                                  "recorded: {} experts called about request {}", n, o.id)
              << '\n';
    return;
  }
  lending::Recipients recipients;
  recipients.experts = o.experts;
  if (o.limit) {
    if (*o.limit < 1) {
      throw make_error(ExitCode::usage,
                       "--limit: {} is too small; a whole number, at least 1, "
                       "is accepted",
                       *o.limit);
    }
    recipients.limit = static_cast<std::size_t>(*o.limit);
  }
  run_mailing(o.mail, lending::Dispatch(o.id, std::move(recipients), o.past_reply_by), ctx);
}

struct LoanOptions {
  std::int64_t id = 0;
  std::optional<std::string> date, until, form, fewer_reason, note;
  std::vector<std::int64_t> experts, no_shows;
  std::vector<std::string> uninvited;
  int external = 0;
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
  in.carried_out_on = date_or(o.date, "date", text::today());
  if (o.until) {
    in.until = text::parse_date("until", *o.until);
  }
  in.form = o.form;
  in.experts = o.experts;
  in.no_shows = o.no_shows;
  for (const auto& u : o.uninvited) {
    in.uninvited.push_back(parse_uninvited(u));
  }
  in.external_participants = o.external;
  in.fewer_reason = o.fewer_reason;
  in.note = o.note;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::record_loan(tx, ctx.config(), o.id, in, text::today(), ctx.actor());
  tx.commit();
}

struct LoanEditOptions {
  std::int64_t id = 0;
  std::optional<std::string> date, until, form, fewer_reason, reason;
  // Lists of ids: never an empty value, so absent and given are told apart by the optional.
  std::optional<std::vector<std::int64_t>> experts, no_shows;
  std::vector<std::string> uninvited;
  std::optional<int> external;
  bool no_no_shows = false;
};

void run_loan_edit(const LoanEditOptions& o, Context& ctx) {
  corrections::LoanChanges c;
  if (o.date) {
    c.carried_out_on = text::parse_date("date", *o.date);
  }
  if (const auto& until = o.until) {
    c.until = until->empty() ? std::optional<text::Date>{} : text::parse_date("until", *until);
  }
  c.form = o.form;
  c.experts = o.experts;
  if (o.no_shows) {
    c.no_shows = o.no_shows;
  } else if (o.no_no_shows) {
    c.no_shows = std::vector<std::int64_t>{};
  }
  for (const auto& u : o.uninvited) {
    c.uninvited.push_back(parse_uninvited(u));
  }
  c.external_participants = o.external;
  if (const auto& fewer = o.fewer_reason) {
    c.fewer_reason = fewer->empty() ? std::optional<std::string>{} : fewer;
  }
  c.reason = o.reason;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::edit_loan(tx, ctx.config(), o.id, c, text::today(), ctx.actor());
  tx.commit();
}

void setup_loan_edit(CLI::App& loan, Context& ctx) {
  auto o = std::make_shared<LoanEditOptions>();
  auto* edit = loan.add_subcommand(
      "correct",
      "Correct a recorded loan: its date, participants, external count or form (what is not "
      "given stays as recorded)");
  edit->add_option("REQ", o->id, "The request's id")->check(id_check(Names::request))->required();
  edit->add_option("--date", o->date, "The day the loan really took place");
  edit->add_option("--until", o->until, "Last day, for a loan over several days (\"\" clears it)");
  edit->add_option("--expert", o->experts,
                   "The experts who took part (replaces the list); repeatable "
                   "or comma-separated")
      ->check(id_check(Names::expert))
      ->delimiter(',');
  edit->add_option("--uninvited", o->uninvited,
                   "ID:REASON: add an expert who took part without being invited, and why");
  auto* no_shows = edit->add_option("--no-show", o->no_shows,
                                    "The invited experts who signed up but did not take part "
                                    "(replaces the list); repeatable or comma-separated")
                       ->check(id_check(Names::expert))
                       ->delimiter(',');
  edit->add_flag("--no-no-shows", o->no_no_shows, "Everyone who signed up took part: no no-shows")
      ->excludes(no_shows);
  edit->add_option("--external", o->external, "Participants the borrower recruited itself")
      ->check(number_check());
  edit->add_option("--form", o->form, "The form actually used");
  TextOptions text(*edit, ctx);
  text.add("--fewer-reason", o->fewer_reason,
           "Why fewer than the library's minimum of experts took part");
  text.add("--reason", o->reason, "Why it is corrected (kept in the history)");
  edit->callback([o, &ctx] { run_loan_edit(*o, ctx); });
}

struct AnswerUndoOptions {
  std::int64_t id = 0;
  std::int64_t expert = 0;
  std::optional<std::string> reason;  // required
};

void run_answer_undo(const AnswerUndoOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::undo_answer(tx, o.id, o.expert, o.reason.value_or(std::string()), text::today(),
                           ctx.actor());
  tx.commit();
  const auto counts = lending::answer_counts(db, o.id);
  ctx.out() << answers_line(o.id, counts) << '\n';
}

struct UndoOptions {
  std::int64_t id = 0;
  std::optional<std::string> reason;  // required
  std::optional<std::string> message;
};

void run_dispatch_undo(const UndoOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::undo_dispatch(tx, o.id, o.message, o.reason.value_or(std::string()), text::today(),
                             ctx.actor());
  tx.commit();
}

void run_loan_undo(const UndoOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::undo_loan(tx, o.id, o.reason.value_or(std::string()), text::today(), ctx.actor());
  tx.commit();
}

}  // namespace

void setup_lending(CLI::App& app, Context& ctx) {
  auto m = std::make_shared<MatchOptions>();
  auto* match = app.add_subcommand("match", top_help("match"));
  match->add_option("REQ", m->id, "The request's id")->check(id_check(Names::request))->required();
  match->add_flag("--left-out", m->left_out,
                  "List instead the experts who fit but are left out by their wishes, a cap on "
                  "requests or a pause, and why");
  match->add_option("--today", m->today, "Match as on this day: pauses and caps (default today)");
  add_format_option(*match, m->format);
  match->callback([m, &ctx] { run_match(*m, ctx); });

  auto a = std::make_shared<AnswerOptions>();
  auto* answer = app.add_subcommand("answer", top_help("answer"));
  // Kept as CLI11's options: runs_itself checks them (required unless `undo` is given).
  auto* answer_req =
      answer->add_option("REQ", a->id, "The request's id")->check(id_check(Names::request));
  auto* answer_word = answer->add_option("ANSWER", a->answer, "yes or no");
  auto* answer_expert = answer->add_option("--expert", a->expert, "The invited expert's id")
                            ->check(id_check(Names::expert));
  answer->add_option("--date", a->date, "When the answer came (default today)");
  answer->add_option("--channel", a->channel,
                     "How it came: mail, phone or borrower (default mail)");
  auto answer_undo = std::make_shared<AnswerUndoOptions>();
  auto* answer_undo_cmd = answer->add_subcommand(
      "undo",
      "Undo an answer recorded by mistake: the expert has not answered again (a yes a loan rests "
      "on stays)");
  answer_undo_cmd->add_option("REQ", answer_undo->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  answer_undo_cmd->add_option("--expert", answer_undo->expert, "The invited expert's id")
      ->check(id_check(Names::expert))
      ->required();
  TextOptions(*answer_undo_cmd, ctx)
      .add("--reason", answer_undo->reason, "Why it is undone (kept in the request's history)")
      ->required();
  answer_undo_cmd->callback([answer_undo, &ctx] { run_answer_undo(*answer_undo, ctx); });
  answer->callback([a, answer_undo_cmd, answer_req, answer_word, answer_expert, &ctx] {
    if (runs_itself({answer_undo_cmd}, {answer_req, answer_word, answer_expert})) {
      run_answer(*a, ctx);
    }
  });

  auto d = std::make_shared<DispatchOptions>();
  auto* dispatch = app.add_subcommand("dispatch", top_help("dispatch"));
  // Kept as CLI11's option: runs_itself checks it (required unless `undo` is given).
  auto* dispatch_req =
      dispatch->add_option("REQ", d->id, "The request's id")->check(id_check(Names::request));
  add_mail_options(*dispatch, d->mail);
  dispatch->add_option("--experts", d->experts, "Send to these expert ids instead of every match")
      ->check(id_check(Names::expert))
      ->delimiter(',');
  dispatch
      ->add_option("--called", d->called,
                   "Record that these experts (without e-mail, on the call list) were "
                   "telephoned (or, without a telephone, written to) about the request, on "
                   "--date or today")
      ->check(id_check(Names::expert))
      ->delimiter(',')
      ->excludes(dispatch->get_option("--out"))
      ->excludes(dispatch->get_option("--record"));
  dispatch->add_option("--limit", d->limit, "Send to at most N matching experts (in match order)")
      ->check(number_check());
  dispatch->add_flag("--past-reply-by", d->past_reply_by,
                     "With --out: compose although the request's reply-by date has passed (better: "
                     "give a new one with 'lbib request edit REQ --reply-by DATE')");
  auto undo = std::make_shared<UndoOptions>();
  auto* undo_cmd = dispatch->add_subcommand(
      "undo",
      "Undo a dispatch recorded by mistake (the last one, or --message): its invitations go "
      "with it");
  undo_cmd->add_option("REQ", undo->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  TextOptions(*undo_cmd, ctx)
      .add("--reason", undo->reason, "Why it is undone (kept in the request's history)")
      ->required();
  undo_cmd->add_option("--message", undo->message,
                       "The Message-ID of the dispatch (default the last)");
  undo_cmd->callback([undo, &ctx] { run_dispatch_undo(*undo, ctx); });
  dispatch->callback([d, undo_cmd, dispatch_req, &ctx] {
    if (runs_itself({undo_cmd}, {dispatch_req})) {
      run_dispatch(*d, ctx);
    }
  });

  auto l = std::make_shared<LoanOptions>();
  auto* loan = app.add_subcommand("loan", top_help("loan"));
  // Kept as CLI11's option: runs_itself checks it (required unless a correction is given).
  auto* loan_req =
      loan->add_option("REQ", l->id, "The request's id")->check(id_check(Names::request));
  loan->add_option("--date", l->date, "When the loan took place (default today)");
  loan->add_option("--until", l->until, "Last day, for a loan over several days");
  loan->add_option("--expert", l->experts,
                   "Id of an expert who took part; repeatable or comma-separated")
      ->check(id_check(Names::expert))
      ->delimiter(',');
  loan->add_option("--no-show", l->no_shows,
                   "Id of an invited expert who signed up but did not take part (recorded "
                   "without judgement); repeatable or comma-separated")
      ->check(id_check(Names::expert))
      ->delimiter(',');
  loan->add_option("--uninvited", l->uninvited,
                   "ID:REASON: an expert who took part without being invited to the request, "
                   "and why (kept in the request's history); repeatable");
  loan->add_option("--external", l->external,
                   "Participants the borrower recruited outside the library (a count)")
      ->check(number_check());
  loan->add_option("--form", l->form, "The form actually used (default the request's)");
  TextOptions text(*loan, ctx);
  text.add("--fewer-reason", l->fewer_reason,
           "Why fewer than the library's minimum of experts took part");
  text.add("--note", l->note, "A short comment (shown in Table 1)");
  setup_loan_edit(*loan, ctx);
  auto* loan_edit = loan->get_subcommand("correct");
  auto loan_undo = std::make_shared<UndoOptions>();
  auto* loan_undo_cmd = loan->add_subcommand(
      "undo", "Undo a loan recorded by mistake (for the wrong request, say), before its follow-up");
  loan_undo_cmd->add_option("REQ", loan_undo->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  TextOptions(*loan_undo_cmd, ctx)
      .add("--reason", loan_undo->reason, "Why it is undone (kept in the request's history)")
      ->required();
  loan_undo_cmd->callback([loan_undo, &ctx] { run_loan_undo(*loan_undo, ctx); });
  loan->callback([l, loan_edit, loan_undo_cmd, loan_req, &ctx] {
    if (runs_itself({loan_edit, loan_undo_cmd}, {loan_req})) {
      run_loan(*l, ctx);
    }
  });
}

}  // namespace lbib::cmd

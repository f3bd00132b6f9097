// SPDX-License-Identifier: MIT
// followup (book, record, summary, feedback, the experts' questionnaire, mail to the borrower),
// pay, remind, and the payments report.
#include <ctime>
#include <memory>
#include <ostream>
#include <sstream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/corrections/corrections.hpp"
#include "lbib/deploy/doctor.hpp"
#include "lbib/error.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/followup/questionnaire.hpp"
#include "lbib/followup/reminders.hpp"
#include "lbib/io/files.hpp"
#include "lbib/output/page.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct FollowupOptions {
  std::int64_t id = 0;
  std::optional<std::string> date, new_insights, compensation, quote, reason;
  std::optional<int> satisfaction;
  std::vector<std::string> answers;
};

CLI::App* add_followup_command(CLI::App& parent, const char* name, const char* help,
                               FollowupOptions& o, const char* date_help) {
  auto* sub = parent.add_subcommand(name, help);
  sub->add_option("REQ", o.id, "The request's id")->check(id_check(Names::request))->required();
  if (date_help != nullptr) {
    sub->add_option("--date", o.date, date_help);
  }
  return sub;
}

// KEY=TEXT of --answer.
std::vector<std::pair<std::string, std::string>> parse_answers(
    const std::vector<std::string>& specs) {
  std::vector<std::pair<std::string, std::string>> answers;
  for (const auto& spec : specs) {
    const auto eq = spec.find('=');
    if (eq == std::string::npos || eq == 0) {
      throw make_error(ExitCode::usage,
                       "--answer: KEY=TEXT is accepted (for example how-it-went=\"Bra\")");
    }
    answers.emplace_back(spec.substr(0, eq), spec.substr(eq + 1));
  }
  return answers;
}

void run_book(const FollowupOptions& o, Context& ctx) {
  const auto date = text::parse_date("date", o.date.value_or(std::string()));  // required
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::book(tx, o.id, date, ctx.actor());
  tx.commit();
}

void run_cancel(const FollowupOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::cancel_followup(tx, o.id, o.reason.value_or(std::string()), text::today(),
                               ctx.actor());
  tx.commit();
}

void run_record(const FollowupOptions& o, Context& ctx) {
  // --satisfaction, --new-insights and --compensation are required.
  followup::Answers a;
  a.held_on = date_or(o.date, "date", text::today());
  a.answers = parse_answers(o.answers);
  a.satisfaction = o.satisfaction.value_or(0);
  a.new_insights = experts::parse_answer("new-insights", o.new_insights.value_or(std::string()));
  a.compensation =
      followup::parse_compensation("compensation", o.compensation.value_or(std::string()));
  a.quotes = o.quote;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::record(tx, ctx.config(), o.id, a, ctx.actor());
  tx.commit();
}

void run_followup_edit(const FollowupOptions& o, Context& ctx) {
  corrections::FollowupChanges c;
  if (o.date) {
    c.held_on = text::parse_date("date", *o.date);
  }
  c.answers = parse_answers(o.answers);
  c.satisfaction = o.satisfaction;
  if (o.new_insights) {
    c.new_insights = experts::parse_answer("new-insights", *o.new_insights);
  }
  if (o.compensation) {
    c.compensation = followup::parse_compensation("compensation", *o.compensation);
  }
  if (const auto& quote = o.quote) {
    c.quotes = quote->empty() ? std::optional<std::string>{} : quote;
  }
  c.reason = o.reason;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::edit_followup(tx, ctx.config(), o.id, c, text::today(), ctx.actor());
  tx.commit();
}

struct SummaryOptions {
  std::int64_t id = 0;
  MailOptions mail;
};

void run_summary(const SummaryOptions& o, Context& ctx) {
  if (o.mail.preview && o.mail.out) {
    // Before it goes out: whom among the registered the summary names.
    auto db = ctx.open_db();
    const auto named = [&] {
      const db::ReadTransaction snapshot(db);
      return privacy::mentions(db, followup::summary_text(db, ctx.config(), o.id));
    }();
    if (!named.empty()) {
      std::vector<std::string> who;
      for (const auto& m : named) {
        who.push_back(fmt::format("{} {} ({})",
                                  m.kind == "expert" ? i18n::tr("expert") : i18n::tr("borrower"),
                                  m.id, m.name));
      }
      ctx.err() << i18n::tr_format("The summary mentions registered people: {}",
                                   text::join(who, ", "))
                << "\n\n";
    }
  }
  run_mailing(o.mail, followup::Summary(o.id), ctx);
}

void run_summary_undo(const FollowupOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::undo_summary(tx, o.id, o.reason.value_or(std::string()), text::today(), ctx.actor());
  tx.commit();
}

void run_summary_told(const FollowupOptions& o, Context& ctx) {
  const auto date = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::record_summary_told(tx, o.id, date, text::today(), ctx.actor());
  tx.commit();
}

void run_feedback(const FollowupOptions& o, Context& ctx) {
  const auto date = text::parse_date("date", o.date.value_or(std::string()));  // required
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::confirm_feedback(tx, o.id, date, ctx.actor());
  tx.commit();
}

void run_feedback_undo(const FollowupOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::undo_feedback(tx, o.id, o.reason.value_or(std::string()), text::today(),
                             ctx.actor());
  tx.commit();
}

struct QuestionnaireOptions {
  std::int64_t id = 0;
  MailOptions mail;
};

void run_questionnaire(followup::Round round, const QuestionnaireOptions& o, Context& ctx) {
  run_mailing(o.mail, followup::Questionnaire(o.id, round), ctx);
}

struct QuestionAnswerOptions {
  std::int64_t id = 0;
  std::optional<std::int64_t> expert;
  std::optional<std::string> date;
  std::string format;
  std::vector<std::string> answers;
};

struct BorrowerMailOptions {
  std::string kind;
  std::int64_t id = 0;
  MailOptions mail;
};

void run_borrower_mail(const BorrowerMailOptions& o, Context& ctx) {
  run_mailing(o.mail,
              followup::BorrowerMail(o.id, followup::parse_borrower_mail_kind("kind", o.kind)),
              ctx);
}

// The configured questions as (key, label), for --answer's keys and completion.
std::function<std::vector<std::pair<std::string, std::string>>()> question_keys(
    Context& ctx, std::vector<config::Question> config::Config::*list) {
  return [&ctx, list] {
    std::vector<std::pair<std::string, std::string>> keys;
    for (const auto& q : ctx.config().*list) {
      keys.emplace_back(q.key, ctx.config().label(q));
    }
    return keys;
  };
}

void run_expert_answers(const QuestionAnswerOptions& o, Context& ctx) {
  if (o.answers.empty() && !o.expert) {
    // Without answers: what the experts' questionnaires of the request stand at.
    auto db = ctx.open_db();
    const db::ReadTransaction snapshot(db);
    output::write(ctx.out(), output::parse_format(o.format),
                  followup::questionnaire_table(db, ctx.config(), o.id));
    return;
  }
  if (!o.expert) {
    throw make_error(ExitCode::usage, "--answer needs --expert ID: whose answers they are");
  }
  const auto today = text::today();
  const auto on = date_or(o.date, "date", today);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::record_expert_answers(tx, ctx.config(), o.id, *o.expert, parse_answers(o.answers), on,
                                  today, ctx.actor());
  tx.commit();
}

void run_borrower_survey(const QuestionAnswerOptions& o, Context& ctx) {
  const auto today = text::today();
  const auto on = date_or(o.date, "date", today);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::record_borrower_survey(tx, ctx.config(), o.id, parse_answers(o.answers), on, today,
                                   ctx.actor());
  tx.commit();
}

void setup_questionnaire_commands(CLI::App& group, Context& ctx) {
  const auto add_round = [&group, &ctx](followup::Round round, const char* name, const char* help) {
    auto q = std::make_shared<QuestionnaireOptions>();
    auto* cmd = group.add_subcommand(name, help);
    cmd->add_option("REQ", q->id, "The request's id")->check(id_check(Names::request))->required();
    add_mail_options(*cmd, q->mail);
    cmd->callback([q, round, &ctx] { run_questionnaire(round, *q, ctx); });
  };
  add_round(
      followup::Round::first, "questionnaire",
      i18n::N_("Compose the experts' questionnaire after a loan, one message to each expert who "
               "took part (--out DIR), or record one sendmail accepted (--record FILE). "
               "scripts/send-questionnaire.sh does both."));
  add_round(
      followup::Round::reminder, "questionnaire-reminder",
      i18n::N_("Compose the one reminder of an unanswered questionnaire (--out DIR), or record "
               "one sendmail accepted (--record FILE). scripts/send-questionnaire.sh --reminder "
               "does both."));

  auto ans = std::make_shared<QuestionAnswerOptions>();
  auto* ans_cmd = group.add_subcommand(
      "expert",
      "Record an expert's answers to the questionnaire (--expert ID --answer KEY=TEXT ...), or "
      "show the request's questionnaires and answers");
  ans_cmd->add_option("REQ", ans->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  ans_cmd->add_option("--expert", ans->expert, "The expert who answered")
      ->check(id_check(Names::expert));
  ans_cmd->add_option("--date", ans->date, "The day they answered (default today)");
  TextOptions ans_text(*ans_cmd, ctx);
  ans_text.add_keyed("--answer", ans->answers,
                     "KEY=TEXT for a question in followup.expert_questions (how-it-went, "
                     "listened-to, feedback, compensation by default); repeatable; KEY=- reads "
                     "the text from standard input",
                     question_keys(ctx, &config::Config::expert_questions));
  add_format_option(*ans_cmd, ans->format);
  ans_cmd->callback([ans, &ctx] { run_expert_answers(*ans, ctx); });

  auto bm = std::make_shared<BorrowerMailOptions>();
  auto* bm_cmd = group.add_subcommand(
      "borrower",
      "Compose a mail to the borrower, To its contact person alone (--out DIR), or record one "
      "sendmail accepted (--record FILE): conditions (after the pre-meeting), feedback-reminder, "
      "summary (of the follow-up meeting) or survey (after the loan finished). "
      "scripts/send-borrower.sh KIND REQ does both.");
  bm_cmd->add_option("KIND", bm->kind, "conditions, feedback-reminder, summary or survey")
      ->required();
  bm_cmd->add_option("REQ", bm->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  add_mail_options(*bm_cmd, bm->mail);
  bm_cmd->callback([bm, &ctx] { run_borrower_mail(*bm, ctx); });

  auto sv = std::make_shared<QuestionAnswerOptions>();
  auto* sv_cmd = group.add_subcommand("borrower-survey",
                                      "Record the borrower's answers to its survey after the loan");
  sv_cmd->add_option("REQ", sv->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  sv_cmd->add_option("--date", sv->date, "The day it answered (default today)");
  TextOptions sv_text(*sv_cmd, ctx);
  sv_text.add_keyed("--answer", sv->answers,
                    "KEY=TEXT for a question in followup.borrower_questions (satisfied, again, "
                    "improvement by default); repeatable; KEY=- reads the text from standard input",
                    question_keys(ctx, &config::Config::borrower_questions));
  sv_cmd->callback([sv, &ctx] { run_borrower_survey(*sv, ctx); });
}

void setup_followup_group(CLI::App& app, Context& ctx) {
  auto* group = app.add_subcommand("followup", top_help("followup"));
  group->require_subcommand(1);

  auto book = std::make_shared<FollowupOptions>();
  auto* book_cmd =
      add_followup_command(*group, "book", "Book the digital follow-up meeting with the borrower",
                           *book, i18n::N_("The day of the meeting"));
  book_cmd->get_option("--date")->required();
  book_cmd->callback([book, &ctx] { run_book(*book, ctx); });

  auto cancel = std::make_shared<FollowupOptions>();
  auto* cancel_cmd = add_followup_command(
      *group, "cancel",
      "Cancel the follow-up meeting booked and not yet held (the loan can then be corrected or "
      "undone)",
      *cancel, nullptr);
  TextOptions(*cancel_cmd, ctx)
      .add("--reason", cancel->reason, "Why it is cancelled (kept in the request's history)")
      ->required();
  cancel_cmd->callback([cancel, &ctx] { run_cancel(*cancel, ctx); });

  auto rec = std::make_shared<FollowupOptions>();
  auto* rec_cmd =
      add_followup_command(*group, "record", "Record the answers of the follow-up meeting", *rec,
                           i18n::N_("The day of the meeting (default today)"));
  TextOptions rec_text(*rec_cmd, ctx);
  // Not required here: --edit may give the answers; every question needs one, as
  // followup::record says by name when one is missing.
  rec_text.add_keyed("--answer", rec->answers,
                     "KEY=TEXT for each question in followup.questions (how-it-went, "
                     "contribution, insights, use-of-results, feedback-plan by default); "
                     "repeatable; KEY=- reads the text from standard input",
                     [&ctx] {
                       std::vector<std::pair<std::string, std::string>> keys;
                       for (const auto& q : ctx.config().followup_questions) {
                         keys.emplace_back(q.key, ctx.config().label(q));
                       }
                       return keys;
                     });
  rec_cmd
      ->add_option(
          "--satisfaction", rec->satisfaction,
          "1 mycket missnöjd, 2 ganska missnöjd, 3 varken eller, 4 ganska nöjd, 5 mycket nöjd")
      ->check(number_check())
      ->required();
  rec_cmd
      ->add_option("--new-insights", rec->new_insights,
                   "Did the loan give new insights: yes, no or unknown")
      ->required();
  rec_cmd
      ->add_option("--compensation", rec->compensation,
                   "Compensation: paid, arranged, not-arranged or not-applicable")
      ->required();
  rec_text.add("--quote", rec->quote, "Quotes worth keeping (free text)");
  rec_cmd->callback([rec, &ctx] { run_record(*rec, ctx); });

  auto sum = std::make_shared<SummaryOptions>();
  auto* sum_cmd = group->add_subcommand(
      "summary",
      "Compose the summary mailed by BCC to the experts who took part (--out DIR), or record one "
      "sendmail accepted (--record FILE). scripts/send-followup.sh does both.");
  // Kept as CLI11's option: runs_itself checks it (required unless `undo` or `told` is given).
  auto* sum_req =
      sum_cmd->add_option("REQ", sum->id, "The request's id")->check(id_check(Names::request));
  add_mail_options(*sum_cmd, sum->mail);
  auto undo = std::make_shared<FollowupOptions>();
  auto* undo_cmd = add_followup_command(
      *sum_cmd, "undo",
      "Undo the last summary recorded by mistake, mailed or told (a finished request goes back "
      "to followed-up)",
      *undo, nullptr);
  TextOptions(*undo_cmd, ctx)
      .add("--reason", undo->reason, "Why it is undone (kept in the request's history)")
      ->required();
  undo_cmd->callback([undo, &ctx] { run_summary_undo(*undo, ctx); });
  auto told = std::make_shared<FollowupOptions>();
  auto* told_cmd = add_followup_command(
      *sum_cmd, "told",
      "Record the summary as given without mail (by telephone or letter, or to nobody) when "
      "nobody who took part may be mailed it",
      *told, i18n::N_("The day it was given (default today)"));
  told_cmd->callback([told, &ctx] { run_summary_told(*told, ctx); });
  sum_cmd->callback([sum, undo_cmd, told_cmd, sum_req, &ctx] {
    if (runs_itself({undo_cmd, told_cmd}, {sum_req})) {
      run_summary(*sum, ctx);
    }
  });

  auto edit = std::make_shared<FollowupOptions>();
  auto* edit_cmd = add_followup_command(
      *group, "correct",
      "Correct the recorded follow-up meeting: its date, answers, satisfaction, insights, "
      "compensation or quotes (what is not given stays as recorded)",
      *edit, i18n::N_("The day the meeting was really held"));
  TextOptions edit_text(*edit_cmd, ctx);
  edit_text.add_keyed("--answer", edit->answers,
                      "KEY=TEXT: the corrected answer to one question; repeatable", [&ctx] {
                        std::vector<std::pair<std::string, std::string>> keys;
                        for (const auto& q : ctx.config().followup_questions) {
                          keys.emplace_back(q.key, ctx.config().label(q));
                        }
                        return keys;
                      });
  edit_cmd->add_option("--satisfaction", edit->satisfaction, "1 to 5")->check(number_check());
  edit_cmd->add_option("--new-insights", edit->new_insights, "yes, no or unknown");
  edit_cmd->add_option("--compensation", edit->compensation,
                       "paid, arranged, not-arranged or not-applicable");
  edit_text.add("--quote", edit->quote, "Quotes worth keeping (\"\" clears them)");
  edit_text.add("--reason", edit->reason, "Why it is corrected (kept in the history)");
  edit_cmd->callback([edit, &ctx] { run_followup_edit(*edit, ctx); });

  auto fb = std::make_shared<FollowupOptions>();
  auto* fb_cmd = group->add_subcommand(
      "feedback", "Record that the borrower confirmed it gave its own feedback to the experts");
  // Kept as CLI11's options: runs_itself checks them (required unless `undo` is given).
  auto* fb_req =
      fb_cmd->add_option("REQ", fb->id, "The request's id")->check(id_check(Names::request));
  auto* fb_date = fb_cmd->add_option("--date", fb->date, "The day the borrower confirmed it");
  auto fb_undo = std::make_shared<FollowupOptions>();
  auto* fb_undo_cmd = add_followup_command(
      *fb_cmd, "undo",
      "Undo the borrower's feedback recorded by mistake (a finished request goes back to "
      "followed-up)",
      *fb_undo, nullptr);
  TextOptions(*fb_undo_cmd, ctx)
      .add("--reason", fb_undo->reason, "Why it is undone (kept in the request's history)")
      ->required();
  fb_undo_cmd->callback([fb_undo, &ctx] { run_feedback_undo(*fb_undo, ctx); });
  fb_cmd->callback([fb, fb_undo_cmd, fb_req, fb_date, &ctx] {
    if (runs_itself({fb_undo_cmd}, {fb_req, fb_date})) {
      run_feedback(*fb, ctx);
    }
  });

  setup_questionnaire_commands(*group, ctx);
}

struct ClaimOptions {
  std::int64_t id = 0;
  std::int64_t expert = 0;
  std::string out, format;
};

void run_claim(const ClaimOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  if (format != output::Format::html && format != output::Format::md) {
    throw make_error(ExitCode::usage, "--format: the claim is written as html or md");
  }
  auto db = ctx.open_db();
  const auto doc = [&] {
    const db::ReadTransaction snapshot(db);
    return followup::claim_document(db, ctx.config(), o.id, o.expert, text::today());
  }();
  if (o.out.empty()) {
    output::write(ctx.out(), format, doc);
    return;
  }
  io::write_private_file(
      o.out, [&](std::ostream& out) { output::write(out, format, doc); },
      ctx.config().shared_group);
}

struct PayOptions {
  std::int64_t id = 0;
  std::int64_t expert = 0;
  std::string status;
  std::optional<std::string> unit, payer, date, reason;
  std::optional<int> quantity, travel;
};

void run_pay(const PayOptions& o, Context& ctx) {
  followup::PaymentInput in;
  in.expert_id = o.expert;
  if (o.unit) {
    in.unit = followup::parse_unit("unit", *o.unit);
  }
  in.quantity = o.quantity;
  in.travel = o.travel;
  in.payer = o.payer;
  in.status = followup::parse_payment_status("status", o.status);
  if (o.date) {
    in.on = text::parse_date("date", *o.date);
  }
  in.correction_reason = o.reason;
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  followup::record_payment(tx, ctx.config(), o.id, in, ctx.actor());
  tx.commit();
}

struct RemindOptions {
  std::optional<std::string> today, format;
  bool mail = false;
  bool all = false;
};

// `lbib remind --all`: every item, written as it is read (a text table keeps their text for its
// widths).
void run_remind_all(const RemindOptions& o, Context& ctx, db::Database& db, text::Date today,
                    std::optional<output::Format> format) {
  const db::ReadTransaction snapshot(db);
  if (format) {
    output::RowWriter rows(ctx.out(), *format, followup::reminders_header());
    followup::each_due(db, ctx.config(), today,
                       [&](const followup::Reminder& r) { rows.add(followup::reminder_row(r)); });
    rows.finish();
    return;
  }
  if (o.mail) {
    // A mail is one message: its body is held whole.
    std::ostringstream items;
    std::int64_t count = 0;
    followup::DigestWriter writer(items, ctx.config());
    followup::each_due(db, ctx.config(), today, [&](const followup::Reminder& r) {
      writer.add(r);
      ++count;
    });
    if (count > 0) {
      ctx.out() << mail::render(followup::reminder_mail(std::move(items).str(), count, ctx.config(),
                                                        today, std::time(nullptr)));
    }
    return;
  }
  followup::DigestWriter writer(ctx.out(), ctx.config());
  followup::each_due(db, ctx.config(), today, [&](const followup::Reminder& r) { writer.add(r); });
}

void run_remind(const RemindOptions& o, Context& ctx) {
  const auto today = date_or(o.today, "today", text::today());
  std::optional<output::Format> format;
  if (o.format) {
    format = output::parse_format(*o.format);
  }
  auto db = ctx.open_db();
  if (o.mail) {
    deploy::record_remind_run(db.path());  // `lbib doctor` asks when the job last ran
  }
  if (o.all) {
    run_remind_all(o, ctx, db, today, format);
    return;
  }
  // The counts by kind and month, and the kinds with few items in full: never every item.
  const auto summary = [&] {
    const db::ReadTransaction snapshot(db);
    return followup::summarise(db, ctx.config(), today);
  }();
  if (format) {
    output::write(ctx.out(), *format, followup::summary_table(summary, ctx.config()));
    return;
  }
  // Nothing due prints nothing at all, so cron sends no mail.
  if (summary.total == 0) {
    return;
  }
  const auto items = followup::digest(summary, ctx.config());
  if (o.mail) {
    ctx.out() << mail::render(
        followup::reminder_mail(items, summary.total, ctx.config(), today, std::time(nullptr)));
  } else {
    ctx.out() << items;
  }
}

struct TodayOptions {
  std::optional<std::string> today;
  std::string format = "table";
};

void run_today(const TodayOptions& o, Context& ctx) {
  const auto today = date_or(o.today, "today", text::today());
  const auto format = output::parse_format(o.format);
  if (format == output::Format::html || format == output::Format::svg) {
    throw make_error(ExitCode::usage, "--format: use table, json, csv or md for today");
  }
  auto db = ctx.open_db();
  // Each section written as it is read. For a person (text table, Markdown) only the sections
  // with something in them, on one screen; a text table keeps one section's text at a time.
  const bool people = format == output::Format::table || format == output::Format::md;
  output::RecordWriter day(ctx.out(), format, {{"today", text::format_date(today)}}, people);
  const bool counted = [&] {
    const db::ReadTransaction snapshot(db);
    return followup::each_day_row(
        db, ctx.config(), today,
        [&day](std::string name, output::Table header) {
          day.section(std::move(name), std::move(header));
        },
        [&day](std::vector<output::Value> row) { day.add(std::move(row)); });
  }();
  if (!day.finish()) {
    // In the language of the register's words, like remind's digest.
    ctx.out() << i18n::tr_in(ctx.config().language,
                             i18n::N_("Nothing to do today: no request is waiting, nothing is "
                                      "overdue and nothing falls due in the next 14 days."))
              << '\n';
    return;
  }
  if (people && counted) {
    // Under the counts of a kind with too many items to list: how to list them all.
    const auto note = followup::counted_note(ctx.config(), today);
    ctx.out() << '\n'
              << (format == output::Format::md ? output::escape_markdown(note) : note) << '\n';
  }
}

}  // namespace

void setup_followup(CLI::App& app, Context& ctx) {
  setup_followup_group(app, ctx);

  auto pay = std::make_shared<PayOptions>();
  auto* pay_cmd = app.add_subcommand("pay", top_help("pay"));
  // Not required here but checked by runs_itself, so `lbib pay claim` needs none of them.
  auto* pay_req =
      pay_cmd->add_option("REQ", pay->id, "The request's id")->check(id_check(Names::request));
  auto* pay_expert = pay_cmd->add_option("--expert", pay->expert, "The expert's id")
                         ->check(id_check(Names::expert));
  pay_cmd->add_option(
      "--unit", pay->unit,
      "What the rate is counted in: hour, half-day or full-day (required for a new payment)");
  pay_cmd->add_option("--quantity", pay->quantity, "How many units (default 1, or as recorded)")
      ->check(number_check());
  pay_cmd
      ->add_option("--travel", pay->travel,
                   "Travel costs in whole kronor (default 0, or as recorded)")
      ->check(number_check());
  pay_cmd->add_option("--payer", pay->payer, "Who pays (default the borrower)");
  auto* pay_status =
      pay_cmd->add_option("--status", pay->status, "due, paid, or declined (by the expert)");
  pay_cmd->add_option("--date", pay->date, "Due from, or paid/declined on (default today)");
  pay_cmd->add_option(
      "--reason", pay->reason,
      "Why a payment already paid or declined is changed (a correction, kept in the history)");
  auto claim = std::make_shared<ClaimOptions>();
  auto* claim_cmd = pay_cmd->add_subcommand(
      "claim",
      "A printable A4 page confirming an expert's part in a loan and the compensation claimed: "
      "the regional rate, units, travel costs, payer, and a note on tax and benefits");
  claim_cmd->add_option("REQ", claim->id, "The request's id")
      ->check(id_check(Names::request))
      ->required();
  claim_cmd->add_option("--expert", claim->expert, "The expert's id")
      ->check(id_check(Names::expert))
      ->required();
  claim_cmd->add_option("--out", claim->out,
                        "Write it to this new file (default: standard output)");
  claim_cmd->add_option("--format", claim->format, "Output format: html or md")
      ->default_val("html");
  claim_cmd->callback([claim, &ctx] { run_claim(*claim, ctx); });
  pay_cmd->callback([pay, pay_req, pay_expert, pay_status, claim_cmd, &ctx] {
    if (runs_itself({claim_cmd}, {pay_req, pay_expert, pay_status})) {
      run_pay(*pay, ctx);
    }
  });

  auto remind = std::make_shared<RemindOptions>();
  // "25" is followup::remind_list_limit.
  auto* remind_cmd = app.add_subcommand("remind", top_help("remind"));
  remind_cmd->add_option("--today", remind->today, "Pretend today is this date");
  // A pointer only for CLI11's excludes().
  auto* remind_format = remind_cmd->add_option(
      "--format", remind->format,
      "table, json, csv or md: the counts by kind and month (with --all: every item)");
  remind_cmd->add_flag("--mail", remind->mail,
                       "Print the digest as a mail to the contact persons, for sendmail -t");
  remind_cmd->add_flag("--all", remind->all,
                       "Every item due, each with its command, however many there are");
  remind_format->excludes(remind_cmd->get_option("--mail"));
  remind_cmd->callback([remind, &ctx] { run_remind(*remind, ctx); });

  auto today = std::make_shared<TodayOptions>();
  auto* today_cmd = app.add_subcommand("today", top_help("today"));
  today_cmd->alias("idag");
  today_cmd->add_option("--today", today->today, "Pretend today is this date");
  add_format_option(*today_cmd, today->format);
  today_cmd->callback([today, &ctx] { run_today(*today, ctx); });
}

}  // namespace lbib::cmd

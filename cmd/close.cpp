// SPDX-License-Identifier: MIT
// lbib close: winding the library down.
#include <ctime>
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/closing/closing.hpp"
#include "lbib/error.hpp"
#include "lbib/io/files.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct CloseStartOptions {
  std::optional<std::string> date;
};

void run_close_start(const CloseStartOptions& o, Context& ctx) {
  const auto on = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  closing::start(tx, on, ctx.actor());
  tx.commit();
}

struct CloseMailOptions {
  std::string mailing;
  MailOptions mail;
};

void run_close_mail(const CloseMailOptions& o, Context& ctx) {
  run_mailing(o.mail, closing::ClosingMailing(closing::parse_mailing(o.mailing)), ctx);
}

struct CloseAnswerOptions {
  std::string survey;
  std::int64_t id = 0;
  std::optional<std::string> date, answers;
};

void run_close_answer(const CloseAnswerOptions& o, Context& ctx) {
  const auto survey = closing::parse_mailing(o.survey);
  const auto on = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  closing::record_answer(tx, survey, o.id, on, o.answers, ctx.actor());
  tx.commit();
}

struct CloseStatusOptions {
  std::string format;
};

void run_close_status(const CloseStatusOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::write(ctx.out(), format, closing::status(db));
}

struct CloseStatisticsOptions {
  std::optional<std::string> out;
};

void run_close_statistics(const CloseStatisticsOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  const auto today = text::today();
  // Written as it is read; a file is new and private, and removed again on any failure.
  if (o.out) {
    io::write_private_file(
        *o.out, [&](std::ostream& out) { closing::write_statistics(out, db, ctx.config(), today); },
        ctx.config().shared_group);
    ctx.out() << *o.out << '\n';
  } else {
    closing::write_statistics(ctx.out(), db, ctx.config(), today);
  }
}

struct CloseEraseOptions {
  std::optional<std::string> date;
  bool erase_everyone = false;
};

void run_close_erase(const CloseEraseOptions& o, Context& ctx) {
  const auto on = date_or(o.date, "date", text::today());
  privacy::check_erasure_date(on, text::today());
  if (!o.erase_everyone) {
    throw make_error(ExitCode::usage,
                     "erasing everyone cannot be undone; add --yes-erase-everyone");
  }
  auto db = ctx.open_db();
  closing::Erased done;
  {
    db::WriteTransaction tx(db);
    done = closing::erase_everyone(tx, on, ctx.actor());
    tx.commit();
  }
  if (!privacy::compact(db)) {
    ctx.err() << "lbib: note: "
              << i18n::tr("another lbib kept the WAL open; run 'lbib gdpr compact'") << '\n';
  }
  ctx.out() << i18n::tr_nformat(done.experts, "erased {} expert", "erased {} experts", done.experts)
            << i18n::tr_nformat(done.borrowers, " and {} borrower's contact person",
                                " and {} borrowers' contact persons", done.borrowers)
            << '\n';
}

}  // namespace

void setup_close(CLI::App& app, Context& ctx) {
  auto* close = app.add_subcommand("close", top_help("close"));
  close->require_subcommand(1);

  auto start = std::make_shared<CloseStartOptions>();
  auto* start_cmd = close->add_subcommand(
      "start", "Begin closing: from now on recruitment and new requests are refused");
  start_cmd->add_option("--date", start->date, "The day closing begins (default today)");
  start_cmd->callback([start, &ctx] { run_close_start(*start, ctx); });

  auto mail = std::make_shared<CloseMailOptions>();
  auto* mail_cmd = close->add_subcommand(
      "mail",
      "Compose (--out DIR) or record (--record FILE) a closing mailing by BCC: notice, "
      "survey-experts or survey-borrowers. scripts/send-closing.sh does both.");
  mail_cmd->add_option("MAILING", mail->mailing, "notice, survey-experts or survey-borrowers")
      ->required();
  add_mail_options(*mail_cmd, mail->mail);
  mail_cmd->callback([mail, &ctx] { run_close_mail(*mail, ctx); });

  auto answer = std::make_shared<CloseAnswerOptions>();
  auto* answer_cmd = close->add_subcommand(
      "answer", "Record that an expert or a borrower answered a final survey");
  answer_cmd->add_option("SURVEY", answer->survey, "survey-experts or survey-borrowers")
      ->required();
  answer_cmd->add_option("ID", answer->id, "The expert's or the borrower's id")
      ->check(id_check(Names::expert_or_borrower))
      ->required();
  answer_cmd->add_option("--date", answer->date, "When (default today)");
  TextOptions(*answer_cmd, ctx).add("--answers", answer->answers, "The answers, as free text");
  answer_cmd->callback([answer, &ctx] { run_close_answer(*answer, ctx); });

  auto status = std::make_shared<CloseStatusOptions>();
  auto* status_cmd =
      close->add_subcommand("status", "Where closing stands: notices sent, survey response rates");
  add_format_option(*status_cmd, status->format);
  status_cmd->callback([status, &ctx] { run_close_status(*status, ctx); });

  auto stats = std::make_shared<CloseStatisticsOptions>();
  auto* stats_cmd =
      close->add_subcommand("statistics", "The anonymous statistics to keep, as JSON");
  stats_cmd->add_option("--out", stats->out, "Write to this new file instead of stdout");
  stats_cmd->callback([stats, &ctx] { run_close_statistics(*stats, ctx); });

  auto erase = std::make_shared<CloseEraseOptions>();
  auto* erase_cmd = close->add_subcommand(
      "erase",
      "The last step: erase every expert and the borrowers' contact persons; reports stay intact");
  erase_cmd->add_flag("--yes-erase-everyone", erase->erase_everyone,
                      "Confirm: this cannot be undone");
  erase_cmd->add_option("--date", erase->date, "The day of erasure (default today)");
  erase_cmd->callback([erase, &ctx] { run_close_erase(*erase, ctx); });
}

}  // namespace lbib::cmd

// SPDX-License-Identifier: MIT
// lbib close: winding the library down.
#include <ctime>
#include <iostream>
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

void setup_close(CLI::App& app, Context& ctx) {
  auto* close = app.add_subcommand(
      "close",
      "Wind the library down: stop recruitment and requests, tell everyone, survey, erase");
  close->require_subcommand(1);

  struct Options {
    std::string date, mailing, out, record, answers, format;
    std::int64_t id = 0;
    bool preview = false;
    bool erase_everyone = false;
    CLI::Option* date_opt = nullptr;
    CLI::Option* out_opt = nullptr;
    CLI::Option* record_opt = nullptr;
    CLI::Option* answers_opt = nullptr;
  };

  auto start = std::make_shared<Options>();
  auto* start_cmd = close->add_subcommand(
      "start", "Begin closing: from now on recruitment and new requests are refused");
  start->date_opt =
      start_cmd->add_option("--date", start->date, "The day closing begins (default today)");
  start_cmd->callback([start, &ctx] {
    const auto on = date_or(start->date_opt, start->date, "date", text::today());
    auto db = ctx.open_db();
    db::WriteTransaction tx(db);
    closing::start(tx, on, ctx.actor());
    tx.commit();
  });

  auto mail_opts = std::make_shared<Options>();
  auto* mail_cmd = close->add_subcommand(
      "mail",
      "Compose (--out DIR) or record (--record FILE) a closing mailing by BCC: notice, "
      "survey-experts or survey-borrowers. scripts/send-closing.sh does both.");
  mail_cmd->add_option("MAILING", mail_opts->mailing, "notice, survey-experts or survey-borrowers")
      ->required();
  mail_opts->out_opt =
      mail_cmd->add_option("--out", mail_opts->out, "Directory to write the messages to");
  mail_opts->record_opt =
      mail_cmd->add_option("--record", mail_opts->record, "A composed .eml that sendmail accepted");
  mail_opts->out_opt->excludes(mail_opts->record_opt);
  mail_cmd->add_flag("--preview", mail_opts->preview,
                     "With --out: also show each message on stderr");
  mail_opts->date_opt =
      mail_cmd->add_option("--date", mail_opts->date, "With --record: the day it was sent");
  mail_cmd->callback([mail_opts, &ctx] {
    const auto mailing = closing::parse_mailing(mail_opts->mailing);
    auto db = ctx.open_db();
    if (mail_opts->record_opt->count() > 0) {
      const auto on = date_or(mail_opts->date_opt, mail_opts->date, "date", text::today());
      db::WriteTransaction tx(db);
      const bool recorded = closing::record(tx, mailing, mail_opts->record, on, ctx.actor());
      tx.commit();
      ctx.out() << (recorded ? "recorded\n" : "already recorded; nothing changed\n");
      return;
    }
    if (mail_opts->out_opt->count() == 0) {
      throw make_error(ExitCode::usage,
                       "close mail: give --out DIR to compose, or --record FILE to record");
    }
    const auto messages = closing::compose(db, ctx.config(), mailing, std::time(nullptr));
    write_outgoing(ctx, messages, closing::kind_of(mailing), 0, mail_opts->out, mail_opts->preview);
  });

  auto answer = std::make_shared<Options>();
  auto* answer_cmd = close->add_subcommand(
      "answer", "Record that an expert or a borrower answered a final survey");
  answer_cmd->add_option("SURVEY", answer->mailing, "survey-experts or survey-borrowers")
      ->required();
  answer_cmd->add_option("ID", answer->id, "The expert's or the borrower's id")
      ->check(id_check(Names::expert_or_borrower))
      ->required();
  answer->date_opt = answer_cmd->add_option("--date", answer->date, "When (default today)");
  answer->answers_opt =
      TextOptions(*answer_cmd, ctx).add("--answers", answer->answers, "The answers, as free text");
  answer_cmd->callback([answer, &ctx] {
    const auto survey = closing::parse_mailing(answer->mailing);
    const auto on = date_or(answer->date_opt, answer->date, "date", text::today());
    auto db = ctx.open_db();
    db::WriteTransaction tx(db);
    closing::record_answer(tx, survey, answer->id, on, given(answer->answers_opt, answer->answers),
                           ctx.actor());
    tx.commit();
  });

  auto status = std::make_shared<Options>();
  auto* status_cmd =
      close->add_subcommand("status", "Where closing stands: notices sent, survey response rates");
  add_format_option(*status_cmd, status->format);
  status_cmd->callback([status, &ctx] {
    const auto format = output::parse_format(status->format);
    auto db = ctx.open_db();
    output::write(ctx.out(), format, closing::status(db));
  });

  auto stats = std::make_shared<Options>();
  auto* stats_cmd =
      close->add_subcommand("statistics", "The anonymous statistics to keep, as JSON");
  stats->out_opt =
      stats_cmd->add_option("--out", stats->out, "Write to this new file instead of stdout");
  stats_cmd->callback([stats, &ctx] {
    auto db = ctx.open_db();
    const std::string text = closing::statistics(db, ctx.config(), text::today()).dump(2) + "\n";
    if (stats->out_opt->count() > 0) {
      io::write_private_file(stats->out, text, ctx.config().shared_group);
      ctx.out() << stats->out << '\n';
    } else {
      ctx.out() << text;
    }
  });

  auto erase = std::make_shared<Options>();
  auto* erase_cmd = close->add_subcommand(
      "erase",
      "The last step: erase every expert and the borrowers' contact persons; reports stay intact");
  erase_cmd->add_flag("--yes-erase-everyone", erase->erase_everyone,
                      "Confirm: this cannot be undone");
  erase->date_opt =
      erase_cmd->add_option("--date", erase->date, "The day of erasure (default today)");
  erase_cmd->callback([erase, &ctx] {
    const auto on = date_or(erase->date_opt, erase->date, "date", text::today());
    if (!erase->erase_everyone) {
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
      std::cerr << "lbib: note: "
                << i18n::tr("another lbib kept the WAL open; run 'lbib gdpr compact'") << '\n';
    }
    ctx.out() << i18n::tr_format("erased {} experts and {} borrowers' contact persons",
                                 done.experts, done.borrowers)
              << '\n';
  });
}

}  // namespace lbib::cmd

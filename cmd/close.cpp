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
    std::string date, mailing, out, answers, format;
    std::int64_t id = 0;
    bool erase_everyone = false;
    MailOptions mail;
    CLI::Option* date_opt = nullptr;
    CLI::Option* out_opt = nullptr;
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
  add_mail_options(*mail_cmd, mail_opts->mail);
  mail_cmd->callback([mail_opts, &ctx] {
    run_mailing(mail_opts->mail,
                closing::ClosingMailing(closing::parse_mailing(mail_opts->mailing)), ctx);
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
    privacy::check_erasure_date(on, text::today());
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
    ctx.out() << i18n::tr_nformat(done.experts, "erased {} expert", "erased {} experts",
                                  done.experts)
              << i18n::tr_nformat(done.borrowers, " and {} borrower's contact person",
                                  " and {} borrowers' contact persons", done.borrowers)
              << '\n';
  });
}

}  // namespace lbib::cmd

// SPDX-License-Identifier: MIT
// lbib gdpr: retention (purge), the record of processing, data-subject requests, compaction.
#include <fstream>
#include <memory>
#include <optional>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/error.hpp"
#include "lbib/io/files.hpp"
#include "lbib/privacy/handover.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct PurgeOptions {
  std::optional<std::string> today;
  std::string format;
  bool dry_run = false;
};

void run_purge(const PurgeOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto today = date_or(o.today, "today", text::today());
  auto db = ctx.open_db();
  // One row per thing done: what, to which kind of subject, its id, or how many; each written as
  // it comes (a register of 100,000 can have 80,000 consents to pause). The real run writes
  // after its commit, so nothing is printed for a purge that did not happen.
  const output::Table header{{"action", "subject", "id", "count"}, {}};
  std::optional<output::RowWriter> writer;
  const auto row = [&](std::string action, std::string subject, output::Value id,
                       output::Value count) {
    if (!writer) {
      writer.emplace(ctx.out(), format, header);
    }
    writer->add({std::move(action), std::move(subject), std::move(id), std::move(count)});
  };
  if (o.dry_run) {
    const db::ReadTransaction read(db);
    privacy::each_due(db, ctx.config(), today, [&](const privacy::Due& d) {
      if (d.kind == "erase-paused-soon" || d.kind == "subject-request" || d.kind == "ask-join") {
        return;  // warnings and requests to answer: not purge's to do
      }
      // The same words as the real run's rows, with "would" before them.
      const std::string action = d.kind == "reconfirm"             ? "pause"
                                 : d.kind == "clear-request-notes" ? "clear-notes"
                                 : d.kind.starts_with("delete")    ? "delete"
                                                                   : "erase";
      row("would " + action, d.subject, d.id == 0 ? output::Value{} : output::Value{d.id},
          output::Value{});
    });
  } else {
    privacy::PurgeResult result;
    {
      db::WriteTransaction tx(db);
      result = privacy::purge(tx, ctx.config(), today, ctx.actor());
      tx.commit();
    }
    privacy::compact(db);
    for (const auto id : result.erased) {
      row("erased", "expert", id, {});
    }
    for (const auto id : result.paused) {
      row("paused", "expert", id, {});
    }
    for (const auto id : result.borrowers_erased) {
      row("erased", "borrower", id, {});
    }
    for (const auto id : result.requests_cleared) {
      row("cleared-notes", "request", id, {});
    }
    for (const auto& [subject, n] :
         {std::pair<const char*, std::int64_t>{"audit", result.audit_deleted},
          {"subject_request", result.subject_requests_deleted},
          {"payment", result.payments_deleted}}) {
      if (n > 0) {
        row("deleted", subject, {}, n);
      }
    }
  }
  if (!writer) {
    writer.emplace(ctx.out(), format, header);
  }
  writer->finish();
}

struct ProcessingRecordOptions {
  std::string format;
};

void run_processing_record(const ProcessingRecordOptions& o, Context& ctx) {
  output::write(ctx.out(), output::parse_format(o.format),
                privacy::processing_record(ctx.config()));
}

void run_compact(Context& ctx) {
  auto db = ctx.open_db();
  if (!privacy::compact(db)) {
    throw make_error(ExitCode::temp_fail, "another lbib is using the register; try again later");
  }
}

struct RequestAddOptions {
  std::string kind;
  std::optional<std::int64_t> expert;
  std::optional<std::string> received, note;
};

void run_request_add(const RequestAddOptions& o, Context& ctx) {
  const auto received = date_or(o.received, "received", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = privacy::add_subject_request(tx, o.expert, o.kind, received, o.note, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

struct RequestDoneOptions {
  std::int64_t id = 0;
  std::optional<std::string> date;
};

void run_request_done(const RequestDoneOptions& o, Context& ctx) {
  const auto date = date_or(o.date, "date", text::today());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  privacy::close_subject_request(tx, o.id, date, ctx.actor());
  tx.commit();
}

struct RequestListOptions {
  std::string format;
};

void run_request_list(const RequestListOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::write(ctx.out(), format, privacy::subject_requests(db));
}

struct HandoverExportOptions {
  bool all = false;
  std::optional<std::string> out;
};

void run_handover_export(const HandoverExportOptions& o, Context& ctx) {
  auto db = ctx.open_db_for_reading();
  if (db.read_only()) {
    ctx.note(
        i18n::tr("not audited: the register is read-only, so the audit log does not "
                 "record this export"));
  } else {
    db::WriteTransaction tx(db);
    audit::record(tx, ctx.actor(), "export-all", "register", std::nullopt);
    tx.commit();
  }
  // One read transaction for the whole export, so every table is from the same moment.
  const db::ReadTransaction snapshot(db);
  if (o.out) {
    io::write_private_file(
        *o.out, [&db](std::ostream& out) { privacy::write_all(db, out); },
        ctx.config().shared_group);
    ctx.out() << *o.out << '\n';
  } else {
    privacy::write_all(db, ctx.out());
  }
}

struct HandoverImportOptions {
  std::string file;
};

void run_handover_import(const HandoverImportOptions& o, Context& ctx) {
  std::ifstream in(o.file, std::ios::binary);
  if (!in) {
    throw make_error(ExitCode::no_input, "cannot read {} {}", "export", o.file);
  }
  const auto rows =
      privacy::import_all(ctx.db_path(), in, ctx.config(), ctx.open_options(), ctx.actor());
  ctx.open_db();  // an older hand-over gets the erasures the ledger beside it lists again
  ctx.out() << i18n::tr_nformat(rows, "imported {} row into {}", "imported {} rows into {}", rows,
                                ctx.db_path().string())
            << '\n';
}

}  // namespace

void setup_gdpr(CLI::App& app, Context& ctx) {
  auto* gdpr = app.add_subcommand("gdpr", top_help("gdpr"));
  gdpr->require_subcommand(1);

  auto purge = std::make_shared<PurgeOptions>();
  auto* purge_cmd = gdpr->add_subcommand(
      "purge",
      "Carry out retention: erase experts who left long enough ago, pause unconfirmed consents");
  purge_cmd->add_option("--today", purge->today, "Pretend today is this date");
  purge_cmd->add_flag("--dry-run", purge->dry_run, "Only list what would be done");
  add_format_option(*purge_cmd, purge->format);
  purge_cmd->callback([purge, &ctx] { run_purge(*purge, ctx); });

  auto record = std::make_shared<ProcessingRecordOptions>();
  auto* record_cmd =
      gdpr->add_subcommand("record", "Print the record of processing activities (article 30)");
  record_cmd->add_option("--format", record->format, "md or html")->default_val("md");
  record_cmd->callback([record, &ctx] { run_processing_record(*record, ctx); });

  auto* compact_cmd = gdpr->add_subcommand(
      "compact", "Checkpoint and vacuum the register so no erased byte remains in it or its WAL");
  compact_cmd->callback([&ctx] { run_compact(ctx); });

  auto* request =
      gdpr->add_subcommand("request", "Requests from data subjects, answered within a month");
  request->require_subcommand(1);
  auto add = std::make_shared<RequestAddOptions>();
  auto* add_cmd = request->add_subcommand(
      "add", "Log a request (access, rectification, erasure, withdrawal); prints its id");
  add_cmd->add_option("--kind", add->kind, "access, rectification, erasure or withdrawal")
      ->required();
  add_cmd->add_option("--expert", add->expert, "The expert it concerns, if known")
      ->check(id_check(Names::expert));
  add_cmd->add_option("--received", add->received, "When it came in (default today)");
  TextOptions(*add_cmd, ctx)
      .add("--note", add->note, "A note (no personal data beyond what is needed)");
  add_cmd->callback([add, &ctx] { run_request_add(*add, ctx); });
  auto done = std::make_shared<RequestDoneOptions>();
  auto* done_cmd = request->add_subcommand("done", "Record that a request was answered");
  done_cmd->add_option("ID", done->id, "The request's id")
      ->check(id_check(Names::subject_request))
      ->required();
  done_cmd->add_option("--date", done->date, "When (default today)");
  done_cmd->callback([done, &ctx] { run_request_done(*done, ctx); });
  auto list = std::make_shared<RequestListOptions>();
  auto* list_cmd = request->add_subcommand("list", "List data-subject requests, open ones first");
  add_format_option(*list_cmd, list->format);
  list_cmd->callback([list, &ctx] { run_request_list(*list, ctx); });
}

void setup_handover(CLI::App& app, Context& ctx) {
  auto ex = std::make_shared<HandoverExportOptions>();
  auto* export_cmd = app.add_subcommand("export", top_help("export"));
  export_cmd->add_flag("--all", ex->all, "Everything: every table and the id counters")->required();
  export_cmd->add_option("--out", ex->out, "Write to this new file (mode 0600) instead of stdout");
  export_cmd->callback([ex, &ctx] { run_handover_export(*ex, ctx); });

  auto im = std::make_shared<HandoverImportOptions>();
  auto* import_cmd = app.add_subcommand("import", top_help("import"));
  import_cmd->add_option("FILE", im->file, "The export")->required();
  import_cmd->callback([im, &ctx] { run_handover_import(*im, ctx); });
}

}  // namespace lbib::cmd

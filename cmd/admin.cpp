// SPDX-License-Identifier: MIT
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "lbib/audit/audit.hpp"
#include "lbib/error.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/i18n.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct LogOptions {
  std::string format;
  std::optional<std::string> entity;
  std::optional<std::int64_t> id, limit;
};

void run_log(const LogOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  audit::Filter filter;
  filter.entity = o.entity;
  filter.entity_id = o.id;
  if (o.limit) {
    if (*o.limit < 1) {
      throw make_error(ExitCode::usage, "--limit: a whole number from 1 is accepted");
    }
    filter.limit = *o.limit;
  }
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::Table t{{"id", "at", "os_user", "as_name", "action", "entity", "entity_id", "detail"},
                  {}};
  for (const auto& e : audit::list(db, filter)) {
    const auto opt_text = [](const std::optional<std::string>& s) {
      return s ? output::Value{*s} : output::Value{};
    };
    t.rows.push_back({e.id, e.at, e.os_user, opt_text(e.as_name), e.action, e.entity,
                      e.entity_id ? output::Value{*e.entity_id} : output::Value{},
                      opt_text(e.detail)});
  }
  output::write(ctx.out(), format, t);
}

struct CheckOptions {
  bool rebuild_keys = false;
};

void run_check(const CheckOptions& o, Context& ctx) {
  auto db = o.rebuild_keys ? ctx.open_db() : ctx.open_db_for_reading();
  if (o.rebuild_keys) {
    db::WriteTransaction tx(db);
    privacy::rebuild_derived_keys(tx, ctx.actor());
    tx.commit();
  }
  auto problems = db::check_integrity(db);
  for (auto& p : privacy::check_derived_keys(db)) {
    problems.push_back(std::move(p));
  }
  if (problems.empty()) {
    ctx.out() << "ok\n";
    return;
  }
  for (const auto& p : problems) {
    ctx.out() << p << '\n';
  }
  throw make_error(ExitCode::data, "the register failed its integrity check ({} problems)",
                   problems.size());
}

struct BackupOptions {
  std::string destination;
};

void run_backup(const BackupOptions& o, Context& ctx) {
  const std::string& destination = o.destination;
  auto db = ctx.open_db_for_reading();
  const bool to_output = destination == "-";
  if (to_output) {
    db::backup(db, ctx.out());
  } else {
    db::backup(db, destination, ctx.config().shared_group);
  }
  if (db.read_only()) {
    ctx.note(
        i18n::tr("not audited: the register is read-only, so the audit log does not "
                 "record this backup"));
  } else {
    db::WriteTransaction tx(db);
    audit::record(tx, ctx.actor(), "backup", "register", std::nullopt);
    tx.commit();
  }
  if (!to_output) {
    ctx.out() << destination << '\n';
  }
}

}  // namespace

void setup_admin(CLI::App& app, Context& ctx) {
  auto log = std::make_shared<LogOptions>();
  auto* log_cmd = app.add_subcommand("log", top_help("log"));
  log_cmd->add_option("--entity", log->entity,
                      "Only entries about this kind of entity (expert, register, ...)");
  log_cmd->add_option("--id", log->id, "Only entries about the entity with this id")
      ->check(id_check(Names::any));
  log_cmd->add_option("--limit", log->limit, "Only the newest N entries")->check(number_check());
  add_format_option(*log_cmd, log->format);
  log_cmd->callback([log, &ctx] { run_log(*log, ctx); });

  auto check_options = std::make_shared<CheckOptions>();
  auto* check = app.add_subcommand("check", top_help("check"));
  check->add_flag("--rebuild-keys", check_options->rebuild_keys,
                  "First write anew the keys derived from names, e-mails and phones (to find "
                  "duplicates and mentions), as lbib writes them with every name");
  check->callback([check_options, &ctx] { run_check(*check_options, ctx); });

  auto destination = std::make_shared<BackupOptions>();
  auto* backup = app.add_subcommand("backup", top_help("backup"));
  backup
      ->add_option("DEST", destination->destination,
                   "The backup file to create, or - for standard output (to encrypt it on the "
                   "fly: lbib backup - | age ...)")
      ->required();
  backup->callback([destination, &ctx] { run_backup(*destination, ctx); });
}

}  // namespace lbib::cmd

// SPDX-License-Identifier: MIT
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "lbib/corrections/merge.hpp"
#include "lbib/error.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct BorrowerOptions {
  std::int64_t id = 0;
  // --organisation, --contact-name and --contact-email are required by `borrower add`.
  std::optional<std::string> organisation, unit, contact_name, contact_email, contact_phone, sector,
      municipality;
  bool allow_duplicate = false;
};

void add_fields(CLI::App& sub, BorrowerOptions& o, bool required) {
  auto* organisation =
      sub.add_option("--organisation", o.organisation, "The borrowing organisation");
  sub.add_option("--unit", o.unit, "Unit or department within it");
  auto* contact_name =
      sub.add_option("--contact-name", o.contact_name, "The borrower's contact person");
  auto* contact_email = sub.add_option("--contact-email", o.contact_email,
                                       "The contact person's e-mail: experts reply here");
  sub.add_option("--contact-phone", o.contact_phone, "The contact person's telephone");
  sub.add_option("--sector", o.sector,
                 "The organisation's sector (taxonomy.sectors): region, municipality, "
                 "social-services, civil-society, academia or other");
  sub.add_option("--municipality", o.municipality,
                 "The county municipality it belongs to (county.municipalities); leave out "
                 "for an organisation of the whole county");
  if (required) {
    organisation->required();
    contact_name->required();
    contact_email->required();
  }
}

void run_borrower_add(const BorrowerOptions& o, Context& ctx) {
  lending::Borrower b;
  b.organisation = o.organisation.value_or(std::string());
  b.unit = o.unit;
  b.contact_name = o.contact_name.value_or(std::string());
  b.contact_email = text::trim_email(o.contact_email.value_or(std::string()));
  b.contact_phone = o.contact_phone;
  b.sector = o.sector;
  b.municipality = o.municipality;
  if (b.sector && b.sector->empty()) {
    b.sector.reset();
  }
  if (b.municipality && b.municipality->empty()) {
    b.municipality.reset();
  }
  lending::validate_place(b, ctx.config());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = lending::add_borrower(
      tx, b, ctx.actor(),
      o.allow_duplicate ? lending::Duplicates::allow : lending::Duplicates::refuse);
  tx.commit();
  ctx.out() << id << '\n';
}

void run_borrower_edit(const BorrowerOptions& o, Context& ctx) {
  lending::BorrowerChanges c;
  c.organisation = o.organisation;
  c.unit = o.unit;
  c.contact_name = o.contact_name;
  c.contact_email = text::trim_optional_email(o.contact_email);
  c.contact_phone = o.contact_phone;
  c.sector = o.sector;
  c.municipality = o.municipality;
  lending::Borrower place;  // what is set, checked before the register is opened
  place.sector = c.sector && !c.sector->empty() ? c.sector : std::nullopt;
  place.municipality = c.municipality && !c.municipality->empty() ? c.municipality : std::nullopt;
  lending::validate_place(place, ctx.config());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::edit_borrower(tx, o.id, c, ctx.actor());
  tx.commit();
}

struct BorrowerListOptions {
  std::string format;
};

void run_borrower_list(const BorrowerListOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::write(ctx.out(), format, lending::borrowers_table(lending::list_borrowers(db)));
}

struct BorrowerShowOptions {
  std::int64_t id = 0;
  std::string format;
};

void run_borrower_show(const BorrowerShowOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::write(ctx.out(), format, lending::borrower_record(lending::get_borrower(db, o.id)));
}

struct BorrowerExportOptions {
  std::int64_t id = 0;
  std::optional<std::string> out;
};

void run_borrower_export(const BorrowerExportOptions& o, Context& ctx) {
  auto db = ctx.open_db();
  const auto data = privacy::export_borrower(db, ctx.config(), o.id);
  write_subject_export(ctx, db, data, "borrower", o.id, o.out);
}

struct BorrowerEraseOptions {
  std::int64_t id = 0;
  std::optional<std::string> date;
  std::string format;
  bool yes = false;
  bool dry_run = false;
};

void run_borrower_erase(const BorrowerEraseOptions& o, Context& ctx) {
  const auto date = date_or(o.date, "date", text::today());
  privacy::check_erasure_date(date, text::today());
  const auto format = output::parse_format(o.format);
  if (!o.yes && !o.dry_run) {
    throw make_error(ExitCode::usage,
                     "erasure cannot be undone; add --yes to erase borrower {}'s contact person "
                     "(or --dry-run to see what it would do)",
                     o.id);
  }
  run_erasure(ctx, format, o.dry_run, [&](db::WriteTransaction& tx, privacy::EraseMode mode) {
    return privacy::erase_borrowers(tx, {o.id}, date, ctx.actor(), mode);
  });
}

struct BorrowerMergeOptions {
  std::int64_t keep = 0, drop = 0;
  bool yes = false;
};

void run_borrower_merge(const BorrowerMergeOptions& o, Context& ctx) {
  if (!o.yes) {
    throw make_error(ExitCode::usage,
                     "a merge cannot be undone; add --yes to merge borrower {} into borrower {}",
                     o.drop, o.keep);
  }
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  corrections::merge_borrowers(tx, o.keep, o.drop, text::today(), ctx.actor());
  tx.commit();
}

}  // namespace

void setup_borrower(CLI::App& app, Context& ctx) {
  auto* borrower = app.add_subcommand("borrower", top_help("borrower"));
  borrower->require_subcommand(1);

  auto add = std::make_shared<BorrowerOptions>();
  auto* add_cmd = borrower->add_subcommand("add", "Add a borrowing organisation; prints its id");
  add_fields(*add_cmd, *add, true);
  add_cmd->add_flag("--allow-duplicate", add->allow_duplicate,
                    "Add the borrower even if they look already registered (the same contact "
                    "e-mail, phone, or organisation, unit and contact name)");
  add_cmd->callback([add, &ctx] { run_borrower_add(*add, ctx); });

  auto list = std::make_shared<BorrowerListOptions>();
  auto* list_cmd = borrower->add_subcommand("list", "List borrowers");
  add_format_option(*list_cmd, list->format);
  list_cmd->callback([list, &ctx] { run_borrower_list(*list, ctx); });

  auto show = std::make_shared<BorrowerShowOptions>();
  auto* show_cmd = borrower->add_subcommand("show", "Show one borrower");
  show_cmd->add_option("ID", show->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  add_format_option(*show_cmd, show->format);
  show_cmd->callback([show, &ctx] { run_borrower_show(*show, ctx); });

  auto edit = std::make_shared<BorrowerOptions>();
  auto* edit_cmd = borrower->add_subcommand(
      "edit", "Change a borrower (an empty value clears an optional field)");
  edit_cmd->add_option("ID", edit->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  add_fields(*edit_cmd, *edit, false);
  edit_cmd->callback([edit, &ctx] { run_borrower_edit(*edit, ctx); });

  auto exp = std::make_shared<BorrowerExportOptions>();
  auto* export_cmd = borrower->add_subcommand(
      "export",
      "Everything the register holds about a borrower's contact person, as JSON (GDPR articles "
      "15 and 20)");
  export_cmd->add_option("ID", exp->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  export_cmd->add_option("--out", exp->out,
                         "Write it to this new private file (mode 0600, never overwritten)");
  export_cmd->callback([exp, &ctx] { run_borrower_export(*exp, ctx); });

  auto erase = std::make_shared<BorrowerEraseOptions>();
  auto* erase_cmd = borrower->add_subcommand(
      "erase",
      "Erase a borrower's contact person (GDPR article 17); the organisation and its requests "
      "stay");
  erase_cmd->add_option("ID", erase->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  erase_cmd->add_option("--date", erase->date, "The day of erasure (default today)");
  erase_cmd->add_flag("--yes", erase->yes, "Confirm: erasure cannot be undone");
  erase_cmd->add_flag("--dry-run", erase->dry_run,
                      "Only show what would be removed and redacted (tables, fields, counts)");
  add_format_option(*erase_cmd, erase->format);
  erase_cmd->callback([erase, &ctx] { run_borrower_erase(*erase, ctx); });

  auto merge = std::make_shared<BorrowerMergeOptions>();
  auto* merge_cmd = borrower->add_subcommand(
      "merge",
      "Make two records of the same organisation one: DROP's requests move to KEEP, and DROP is "
      "deleted");
  merge_cmd->add_option("KEEP", merge->keep, "The id to keep")
      ->check(id_check(Names::borrower))
      ->required();
  merge_cmd->add_option("DROP", merge->drop, "The id merged into KEEP and deleted")
      ->check(id_check(Names::borrower))
      ->required();
  merge_cmd->add_flag("--yes", merge->yes, "Confirm: a merge cannot be undone");
  merge_cmd->callback([merge, &ctx] { run_borrower_merge(*merge, ctx); });
}

}  // namespace lbib::cmd

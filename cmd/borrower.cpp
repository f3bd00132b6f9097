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
  std::string organisation, unit, contact_name, contact_email, contact_phone, sector, municipality,
      format;
  std::string out, date;
  bool yes = false;
  bool dry_run = false;
  bool allow_duplicate = false;
  std::vector<CLI::Option*> opts;  // in the order of the fields above
};

void add_fields(CLI::App& sub, BorrowerOptions& o, bool required) {
  o.opts = {
      sub.add_option("--organisation", o.organisation, "The borrowing organisation"),
      sub.add_option("--unit", o.unit, "Unit or department within it"),
      sub.add_option("--contact-name", o.contact_name, "The borrower's contact person"),
      sub.add_option("--contact-email", o.contact_email,
                     "The contact person's e-mail: experts reply here"),
      sub.add_option("--contact-phone", o.contact_phone, "The contact person's telephone"),
      sub.add_option("--sector", o.sector,
                     "The organisation's sector (taxonomy.sectors): region, municipality, "
                     "social-services, civil-society, academia or other"),
      sub.add_option("--municipality", o.municipality,
                     "The county municipality it belongs to (county.municipalities); leave out "
                     "for an organisation of the whole county"),
  };
  if (required) {
    o.opts[0]->required();
    o.opts[2]->required();
    o.opts[3]->required();
  }
}

void run_add(const BorrowerOptions& o, Context& ctx) {
  lending::Borrower b;
  b.organisation = o.organisation;
  b.unit = given(o.opts[1], o.unit);
  b.contact_name = o.contact_name;
  b.contact_email = text::trim_email(o.contact_email);
  b.contact_phone = given(o.opts[4], o.contact_phone);
  b.sector = given(o.opts[5], o.sector);
  b.municipality = given(o.opts[6], o.municipality);
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

void run_edit(const BorrowerOptions& o, Context& ctx) {
  lending::BorrowerChanges c;
  c.organisation = given(o.opts[0], o.organisation);
  c.unit = given(o.opts[1], o.unit);
  c.contact_name = given(o.opts[2], o.contact_name);
  c.contact_email = text::trim_optional_email(given(o.opts[3], o.contact_email));
  c.contact_phone = given(o.opts[4], o.contact_phone);
  c.sector = given(o.opts[5], o.sector);
  c.municipality = given(o.opts[6], o.municipality);
  lending::Borrower place;  // what is set, checked before the register is opened
  place.sector = c.sector && !c.sector->empty() ? c.sector : std::nullopt;
  place.municipality = c.municipality && !c.municipality->empty() ? c.municipality : std::nullopt;
  lending::validate_place(place, ctx.config());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::edit_borrower(tx, o.id, c, ctx.actor());
  tx.commit();
}

}  // namespace

void setup_borrower(CLI::App& app, Context& ctx) {
  auto* borrower = app.add_subcommand(
      "borrower", "Add, list, show, edit, export or erase borrowers (låntagare)");
  borrower->require_subcommand(1);

  auto add = std::make_shared<BorrowerOptions>();
  auto* add_cmd = borrower->add_subcommand("add", "Add a borrowing organisation; prints its id");
  add_fields(*add_cmd, *add, true);
  add_cmd->add_flag("--allow-duplicate", add->allow_duplicate,
                    "Add the borrower even if they look already registered (the same contact "
                    "e-mail, phone, or organisation, unit and contact name)");
  add_cmd->callback([add, &ctx] { run_add(*add, ctx); });

  auto list = std::make_shared<BorrowerOptions>();
  auto* list_cmd = borrower->add_subcommand("list", "List borrowers");
  add_format_option(*list_cmd, list->format);
  list_cmd->callback([list, &ctx] {
    const auto format = output::parse_format(list->format);
    auto db = ctx.open_db();
    output::write(ctx.out(), format, lending::borrowers_table(lending::list_borrowers(db)));
  });

  auto show = std::make_shared<BorrowerOptions>();
  auto* show_cmd = borrower->add_subcommand("show", "Show one borrower");
  show_cmd->add_option("ID", show->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  add_format_option(*show_cmd, show->format);
  show_cmd->callback([show, &ctx] {
    const auto format = output::parse_format(show->format);
    auto db = ctx.open_db();
    output::write(ctx.out(), format, lending::borrower_record(lending::get_borrower(db, show->id)));
  });

  auto edit = std::make_shared<BorrowerOptions>();
  auto* edit_cmd = borrower->add_subcommand(
      "edit", "Change a borrower (an empty value clears an optional field)");
  edit_cmd->add_option("ID", edit->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  add_fields(*edit_cmd, *edit, false);
  edit_cmd->callback([edit, &ctx] { run_edit(*edit, ctx); });

  auto exp = std::make_shared<BorrowerOptions>();
  auto* export_cmd = borrower->add_subcommand(
      "export",
      "Everything the register holds about a borrower's contact person, as JSON (GDPR articles "
      "15 and 20)");
  export_cmd->add_option("ID", exp->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  auto* out_opt = export_cmd->add_option(
      "--out", exp->out, "Write it to this new private file (mode 0600, never overwritten)");
  export_cmd->callback([exp, out_opt, &ctx] {
    auto db = ctx.open_db();
    const auto data = privacy::export_borrower(db, ctx.config(), exp->id);
    write_subject_export(ctx, db, data, "borrower", exp->id, given(out_opt, exp->out));
  });

  auto erase = std::make_shared<BorrowerOptions>();
  auto* erase_cmd = borrower->add_subcommand(
      "erase",
      "Erase a borrower's contact person (GDPR article 17); the organisation and its requests "
      "stay");
  erase_cmd->add_option("ID", erase->id, "The borrower's id")
      ->check(id_check(Names::borrower))
      ->required();
  auto* date_opt =
      erase_cmd->add_option("--date", erase->date, "The day of erasure (default today)");
  erase_cmd->add_flag("--yes", erase->yes, "Confirm: erasure cannot be undone");
  erase_cmd->add_flag("--dry-run", erase->dry_run,
                      "Only show what would be removed and redacted (tables, fields, counts)");
  add_format_option(*erase_cmd, erase->format);
  erase_cmd->callback([erase, date_opt, &ctx] {
    const auto date = date_or(date_opt, erase->date, "date", text::today());
    privacy::check_erasure_date(date, text::today());
    const auto format = output::parse_format(erase->format);
    if (!erase->yes && !erase->dry_run) {
      throw make_error(ExitCode::usage,
                       "erasure cannot be undone; add --yes to erase borrower {}'s contact person "
                       "(or --dry-run to see what it would do)",
                       erase->id);
    }
    run_erasure(ctx, format, erase->dry_run,
                [&](db::WriteTransaction& tx, privacy::EraseMode mode) {
                  return privacy::erase_borrowers(tx, {erase->id}, date, ctx.actor(), mode);
                });
  });

  struct MergeOptions {
    std::int64_t keep = 0, drop = 0;
    bool yes = false;
  };
  auto merge = std::make_shared<MergeOptions>();
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
  merge_cmd->callback([merge, &ctx] {
    if (!merge->yes) {
      throw make_error(ExitCode::usage,
                       "a merge cannot be undone; add --yes to merge borrower {} into borrower {}",
                       merge->drop, merge->keep);
    }
    auto db = ctx.open_db();
    db::WriteTransaction tx(db);
    corrections::merge_borrowers(tx, merge->keep, merge->drop, text::today(), ctx.actor());
    tx.commit();
  });
}

}  // namespace lbib::cmd

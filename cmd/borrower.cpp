// SPDX-License-Identifier: MIT
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "lbib/lending/borrowers.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct BorrowerOptions {
  std::int64_t id = 0;
  std::string organisation, unit, contact_name, contact_email, contact_phone, format;
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
  b.contact_email = o.contact_email;
  b.contact_phone = given(o.opts[4], o.contact_phone);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = lending::add_borrower(tx, b, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

void run_edit(const BorrowerOptions& o, Context& ctx) {
  lending::BorrowerChanges c;
  c.organisation = given(o.opts[0], o.organisation);
  c.unit = given(o.opts[1], o.unit);
  c.contact_name = given(o.opts[2], o.contact_name);
  c.contact_email = given(o.opts[3], o.contact_email);
  c.contact_phone = given(o.opts[4], o.contact_phone);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  lending::edit_borrower(tx, o.id, c, ctx.actor());
  tx.commit();
}

}  // namespace

void setup_borrower(CLI::App& app, Context& ctx) {
  auto* borrower = app.add_subcommand("borrower", "Add, list, show or edit borrowers (låntagare)");
  borrower->require_subcommand(1);

  auto add = std::make_shared<BorrowerOptions>();
  auto* add_cmd = borrower->add_subcommand("add", "Add a borrowing organisation; prints its id");
  add_fields(*add_cmd, *add, true);
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
  show_cmd->add_option("ID", show->id, "The borrower's id")->check(id_check())->required();
  add_format_option(*show_cmd, show->format);
  show_cmd->callback([show, &ctx] {
    const auto format = output::parse_format(show->format);
    auto db = ctx.open_db();
    output::write(ctx.out(), format, lending::borrower_record(lending::get_borrower(db, show->id)));
  });

  auto edit = std::make_shared<BorrowerOptions>();
  auto* edit_cmd = borrower->add_subcommand(
      "edit", "Change a borrower (an empty value clears an optional field)");
  edit_cmd->add_option("ID", edit->id, "The borrower's id")->check(id_check())->required();
  add_fields(*edit_cmd, *edit, false);
  edit_cmd->callback([edit, &ctx] { run_edit(*edit, ctx); });
}

}  // namespace lbib::cmd

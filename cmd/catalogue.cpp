// SPDX-License-Identifier: MIT
// lbib catalogue (the public website page) and lbib expert describe (the approved description).
#include "lbib/catalogue/catalogue.hpp"

#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/error.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct DescribeOptions {
  std::int64_t id = 0;
  std::optional<std::string> text, approved;
  bool clear = false;
};

void run_describe(const DescribeOptions& o, Context& ctx) {
  std::optional<catalogue::Description> d;
  if (!o.clear) {
    if (!o.text) {
      throw make_error(ExitCode::usage, "expert describe: give --text TEXT, or --clear");
    }
    d = catalogue::Description{*o.text, date_or(o.approved, "approved", text::today())};
  } else if (o.approved) {
    throw make_error(ExitCode::usage, "--approved goes with --text, not with --clear");
  }
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  catalogue::describe(tx, o.id, d, ctx.actor());
  tx.commit();
}

struct CatalogueOptions {
  std::string format = "html";
  std::optional<std::string> today;
};

void run_catalogue(const CatalogueOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  if (format != output::Format::html && format != output::Format::md) {
    throw make_error(ExitCode::usage, "--format: the catalogue is written as html or md");
  }
  const auto today = date_or(o.today, "today", text::today());
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  catalogue::write(ctx.out(), format, catalogue::cards(db, ctx.config(), today), ctx.config(),
                   today, lending::open_calls(db, today));
}

}  // namespace

void setup_catalogue(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DescribeOptions>();
  auto* expert = app.get_subcommand("expert");
  auto* describe = expert->add_subcommand(
      "describe",
      "Record the short description an expert approved for the public catalogue (website "
      "consent needed for it to show), or remove it with --clear");
  describe->add_option("ID", o->id, "The expert's id")->check(id_check(Names::expert))->required();
  auto* text_opt = TextOptions(*describe, ctx)
                       .add("--text", o->text,
                            "The description as the expert approved it (at most 600 "
                            "characters; no name or contact details)");
  describe->add_option("--approved", o->approved, "The day the expert approved it (default today)");
  describe->add_flag("--clear", o->clear, "Remove the description")->excludes(text_opt);
  describe->callback([o, &ctx] { run_describe(*o, ctx); });

  auto c = std::make_shared<CatalogueOptions>();
  auto* page = app.add_subcommand("catalogue", top_help("catalogue"));
  page->add_option("--format", c->format, "html (a self-contained page) or md")
      ->capture_default_str();
  page->add_option("--today", c->today, "The date the page shows (default today)");
  page->callback([c, &ctx] { run_catalogue(*c, ctx); });
}

}  // namespace lbib::cmd

// SPDX-License-Identifier: MIT
// lbib decision and lbib inquiry: the library's governance and the inquiries it turned away.
#include "lbib/governance/governance.hpp"

#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/error.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct PeriodListOptions {
  std::string format;
  std::optional<std::string> from, to;
};

template <typename Build>
void run_period_list(const PeriodListOptions& o, Context& ctx, const Build& build) {
  const auto format = output::parse_format(o.format);
  const auto period = reports::parse_period(o.from, o.to);
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);  // every read from the same moment
  output::write(ctx.out(), format, build(db, ctx.config(), period));
}

template <typename Build>
void add_list(CLI::App& parent, const char* help, Context& ctx, Build build) {
  auto o = std::make_shared<PeriodListOptions>();
  auto* sub = parent.add_subcommand("list", help);
  sub->add_option("--from", o->from, "First year (YYYY) or day (YYYY-MM-DD) covered");
  sub->add_option("--to", o->to, "Last year (YYYY) or day (YYYY-MM-DD) covered");
  add_format_option(*sub, o->format);
  sub->callback([o, &ctx, build] { run_period_list(*o, ctx, build); });
}

struct DecisionOptions {
  std::string kind;
  std::optional<std::string> date, text;  // --text is required
};

void run_decision_add(const DecisionOptions& o, Context& ctx) {
  governance::Decision d;
  d.on = date_or(o.date, "date", text::today());
  d.kind = o.kind;
  d.text = o.text.value_or(std::string());
  governance::validate(d);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = governance::add(tx, d, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

struct InquiryOptions {
  std::string kind, reason, count = "1";
  std::optional<std::string> date;
};

void run_inquiry_add(const InquiryOptions& o, Context& ctx) {
  governance::Inquiry i;
  i.on = date_or(o.date, "date", text::today());
  i.kind = o.kind;
  i.reason = o.reason;
  i.count = std::stoi(o.count);
  governance::validate(i);
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = governance::add(tx, i, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

void setup_decision(CLI::App& app, Context& ctx) {
  auto* decision = app.add_subcommand("decision", top_help("decision"));
  decision->require_subcommand(1);
  auto o = std::make_shared<DecisionOptions>();
  auto* add = decision->add_subcommand("add", "Record a decision; prints its id");
  add->add_option("--date", o->date, "When (default today)");
  add->add_option("--kind", o->kind, "owner, mandate, report (to the steering group) or decision")
      ->required();
  TextOptions(*add, ctx)
      .add("--text", o->text,
           "What was decided, in a sentence about the library (never about an expert)")
      ->required();
  add->callback([o, &ctx] { run_decision_add(*o, ctx); });
  add_list(*decision, "List the decisions, oldest first", ctx,
           [](auto& db, const auto& config, const auto& period) {
             return governance::decisions(db, config, period);
           });
}

void setup_inquiry(CLI::App& app, Context& ctx) {
  auto* inquiry = app.add_subcommand("inquiry", top_help("inquiry"));
  inquiry->require_subcommand(1);
  auto o = std::make_shared<InquiryOptions>();
  auto* add = inquiry->add_subcommand(
      "add", "Record inquiries turned away (nobody is named); prints the record's id");
  add->add_option("--date", o->date, "When (default today)");
  add->add_option("--kind", o->kind, "Who asked: expert (to join) or borrower (to borrow)")
      ->required();
  add->add_option("--reason", o->reason,
                  "Why they were turned away: closing, capacity or "
                  "outside-county")
      ->required();
  add->add_option("--count", o->count, "How many (default 1)")->check(number_check());
  add->callback([o, &ctx] { run_inquiry_add(*o, ctx); });
  add_list(*inquiry, "List the inquiries turned away, oldest first", ctx,
           [](auto& db, const auto& config, const auto& period) {
             return governance::inquiries(db, config, period);
           });
}

}  // namespace

void setup_governance(CLI::App& app, Context& ctx) {
  setup_decision(app, ctx);
  setup_inquiry(app, ctx);
}

}  // namespace lbib::cmd

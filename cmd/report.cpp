// SPDX-License-Identifier: MIT
// lbib report NAME (the reports built by lbib_core, in every output format) and lbib outreach.
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "freetext.hpp"
#include "lbib/error.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/outreach/outreach.hpp"
#include "lbib/reports/reports.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct ReportOptions {
  std::string format;
  std::optional<std::string> from, to;
  bool all = false;
  std::string by;  // report payments --by payer
  bool include_left = false;
  bool no_free_text = false;

  reports::Period period() const { return reports::parse_period(from, to); }
};

CLI::App* add_report(CLI::App& parent, const char* name, const char* help, ReportOptions& o,
                     bool period, const char* formats = "table, json, csv or md") {
  auto* sub = parent.add_subcommand(name, help);
  if (period) {
    sub->add_option("--from", o.from, "First year (YYYY) or day (YYYY-MM-DD) covered");
    sub->add_option("--to", o.to, "Last year (YYYY) or day (YYYY-MM-DD) covered");
  }
  sub->add_option("--format", o.format, std::string("Output format: ") + formats)
      ->default_val("table");
  return sub;
}

// For reports that outlive the register (the stats folder, the closing statistics): no free
// text at all, so nothing an erasure would redact is kept outside the register.
void add_no_free_text(CLI::App& sub, ReportOptions& o) {
  sub.add_flag("--no-free-text", o.no_free_text,
               "Leave out every free text (purposes, comments): for reports kept outside the "
               "register");
}

// The reports that are one table: parse the options first, then open the register.
template <typename Build>
void run_table_report(const ReportOptions& o, Context& ctx, const Build& build) {
  const auto format = output::parse_format(o.format);
  const auto period = o.period();
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  output::write(ctx.out(), format, build(db, ctx.config(), period, o));
}

template <typename Build>
void table_report(CLI::App* sub, std::shared_ptr<ReportOptions> o, Context& ctx, Build build) {
  sub->callback([o, &ctx, build] { run_table_report(*o, ctx, build); });
}

// Table 1, each request written as it is read (a text table keeps their text for its widths).
void run_requests(const ReportOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto period = o.period();
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  output::RowWriter rows(ctx.out(), format, reports::requests_header(ctx.config()));
  reports::each_request_row(db, ctx.config(), period,
                            o.no_free_text ? reports::FreeText::omit : reports::FreeText::include,
                            [&rows](std::vector<output::Value> row) { rows.add(std::move(row)); });
  rows.finish();
}

void run_yearly(const ReportOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format);
  const auto period = o.period();
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  const auto y = reports::yearly(db, period, o.include_left, text::today());
  if (format == output::Format::svg) {
    ctx.out() << output::svg(reports::yearly_chart(y, ctx.config()));
  } else {
    output::write(ctx.out(), format, reports::yearly_table(y, ctx.config()));
  }
}

void run_annual(const ReportOptions& o, Context& ctx) {
  const auto format = output::parse_format(o.format == "table" ? "html" : o.format);
  const auto period = o.period();
  auto db = ctx.open_db();
  const db::ReadTransaction snapshot(db);
  output::write(ctx.out(), format,
                reports::annual_report(
                    db, ctx.config(), period, text::today(),
                    o.no_free_text ? reports::FreeText::omit : reports::FreeText::include));
}

struct OutreachAddOptions {
  std::string kind;
  std::optional<std::string> date, audience, note, sector;
  std::vector<std::string> targets;
};

void run_outreach_add(const OutreachAddOptions& o, Context& ctx) {
  outreach::Activity a;
  a.on = date_or(o.date, "date", text::today());
  a.kind = o.kind;
  a.audience = o.audience;
  a.note = o.note;
  a.sector = o.sector;
  a.targets = o.targets;
  outreach::validate_sector(a, ctx.config());
  auto db = ctx.open_db();
  db::WriteTransaction tx(db);
  const auto id = outreach::add(tx, a, ctx.actor());
  tx.commit();
  ctx.out() << id << '\n';
}

}  // namespace

void setup_report(CLI::App& app, Context& ctx) {
  auto* report = app.add_subcommand("report", top_help("report"));
  report->require_subcommand(1);

  auto yearly = std::make_shared<ReportOptions>();
  auto* yearly_cmd =
      add_report(*report, "yearly",
                 "Figure 3: experts recruited, requests received and loans carried out per year",
                 *yearly, true, "table, json, csv, md or svg (the chart)");
  yearly_cmd->add_flag("--include-left", yearly->include_left,
                       "Count experts who had left by the end of the period too");
  yearly_cmd->callback([yearly, &ctx] { run_yearly(*yearly, ctx); });

  auto requests = std::make_shared<ReportOptions>();
  auto* requests_cmd = add_report(
      *report, "requests",
      "Table 1: every request, whether it went out to the experts, the loan and its follow-up",
      *requests, true);
  add_no_free_text(*requests_cmd, *requests);
  requests_cmd->callback([requests, &ctx] { run_requests(*requests, ctx); });

  auto pool = std::make_shared<ReportOptions>();
  table_report(
      add_report(*report, "pool",
                 "Gaps in the register: active experts with mailing consent per area and role",
                 *pool, false),
      pool, ctx, [](auto& db, const auto& config, const auto&, const auto&) {
        return reports::pool_report(db, config);
      });

  auto experts = std::make_shared<ReportOptions>();
  table_report(add_report(*report, "experts",
                          "The register's composition beside the population (config: population)",
                          *experts, false),
               experts, ctx, [](auto& db, const auto& config, const auto&, const auto&) {
                 return reports::experts_report(db, config, text::today());
               });

  auto followups = std::make_shared<ReportOptions>();
  table_report(
      add_report(
          *report, "followups",
          "Follow-up outcomes: satisfaction, new insights, feedback completion, days to finished",
          *followups, true),
      followups, ctx, [](auto& db, const auto& config, const auto& period, const auto&) {
        return reports::followups_report(db, config, period);
      });

  auto recruitment = std::make_shared<ReportOptions>();
  table_report(add_report(*report, "recruitment",
                          "Experts by recruitment channel and year, beside the outreach activities",
                          *recruitment, true),
               recruitment, ctx, [](auto& db, const auto& config, const auto& period, const auto&) {
                 return reports::recruitment_report(db, config, period);
               });

  auto borrowers = std::make_shared<ReportOptions>();
  table_report(add_report(*report, "borrowers",
                          "Borrowers, requests and loans by sector and by municipality, and how "
                          "many of the county's municipalities have borrowed",
                          *borrowers, true),
               borrowers, ctx, [](auto& db, const auto& config, const auto& period, const auto&) {
                 return reports::borrowers_report(db, config, period);
               });

  auto goals = std::make_shared<ReportOptions>();
  table_report(add_report(*report, "goals",
                          "The library's goals (config: goals.targets): target, actual and the "
                          "gap left",
                          *goals, false),
               goals, ctx, [](auto& db, const auto& config, const auto&, const auto&) {
                 return reports::goals_report(db, config, text::today());
               });

  auto payments = std::make_shared<ReportOptions>();
  auto* payments_cmd = add_report(
      *report, "payments", "Compensation still due (--all: every payment)", *payments, false);
  payments_cmd->add_flag("--all", payments->all, "List paid and declined payments too");
  payments_cmd->add_option("--by", payments->by,
                           "payer: the payments summed per payer, for invoicing");
  table_report(payments_cmd, payments, ctx, [](auto& db, const auto&, const auto&, const auto& o) {
    if (o.by == "payer") {
      return followup::payments_by_payer(db, !o.all);
    }
    if (!o.by.empty()) {
      throw make_error(ExitCode::usage, "--by: '{}' is not accepted; use payer",
                       text::printable(o.by));
    }
    return followup::payments_table(db, !o.all);
  });

  auto annual = std::make_shared<ReportOptions>();
  auto* annual_cmd = add_report(
      *report, "annual", "The yearly report as one page: Figure 3, Table 1, pool gaps, follow-up",
      *annual, true, "html or md");
  add_no_free_text(*annual_cmd, *annual);
  annual_cmd->callback([annual, &ctx] { run_annual(*annual, ctx); });
}

void setup_outreach(CLI::App& app, Context& ctx) {
  auto* outreach = app.add_subcommand("outreach", top_help("outreach"));
  outreach->require_subcommand(1);

  auto add = std::make_shared<OutreachAddOptions>();
  auto* add_cmd = outreach->add_subcommand("add", "Record an outreach activity; prints its id");
  add_cmd->add_option("--date", add->date, "When (default today)");
  add_cmd
      ->add_option("--kind", add->kind,
                   "presentation, event, mailing, social-media, podcast or other")
      ->required();
  TextOptions text(*add_cmd, ctx);
  text.add("--audience", add->audience, "Who it reached (an organisation or forum, not a person)");
  text.add("--note", add->note, "A short note");
  add_cmd->add_option("--sector", add->sector,
                      "The sector it addressed (taxonomy.sectors), beside the audience");
  add_cmd->add_option("--target", add->targets,
                      "An organisation it addressed (e.g. a municipality's social services), "
                      "repeatable; report recruitment and report borrowers show what followed");
  add_cmd->callback([add, &ctx] { run_outreach_add(*add, ctx); });

  auto list = std::make_shared<ReportOptions>();
  table_report(add_report(*outreach, "list", "List outreach activities", *list, true), list, ctx,
               [](auto& db, const auto&, const auto& period, const auto&) {
                 return outreach::list(db, period);
               });
}

}  // namespace lbib::cmd

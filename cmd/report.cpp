// SPDX-License-Identifier: MIT
// lbib report NAME: the reports built by lbib_core, in every output format.
#include <memory>
#include <ostream>

#include "commands.hpp"
#include "lbib/followup/payments.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

struct ReportOptions {
  std::string format;
  bool all = false;
};

}  // namespace

void setup_report(CLI::App& app, Context& ctx) {
  auto* report = app.add_subcommand("report", "Reports for the steering group and the contact persons");
  report->require_subcommand(1);

  auto payments = std::make_shared<ReportOptions>();
  auto* payments_cmd = report->add_subcommand("payments", "Compensation still due (--all: every payment)");
  payments_cmd->add_flag("--all", payments->all, "List paid and declined payments too");
  add_format_option(*payments_cmd, payments->format);
  payments_cmd->callback([payments, &ctx] {
    const auto format = output::parse_format(payments->format);
    auto db = ctx.open_db();
    output::write(ctx.out(), format, followup::payments_table(db, !payments->all));
  });
}

}  // namespace lbib::cmd

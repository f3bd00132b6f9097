// SPDX-License-Identifier: MIT
// lbib doctor: whether this deployment is safe and complete (lbib::deploy::examine).
#include "lbib/deploy/doctor.hpp"

#include <memory>
#include <ostream>

#include "commands.hpp"
#include "lbib/output/format.hpp"

namespace lbib::cmd {
namespace {

struct DoctorOptions {
  std::optional<std::string> format;
};

void run_doctor(const DoctorOptions& o, Context& ctx) {
  std::optional<output::Format> format;
  if (o.format) {
    format = output::parse_format(*o.format);
  }
  const auto config_error = ctx.try_config();
  const auto findings = deploy::examine(
      ctx.config(), config_error, deploy::system(ctx.db_path(), config::process_environment()));
  if (format) {
    output::write(ctx.out(), *format, deploy::findings_table(findings));
  } else {
    ctx.out() << deploy::render(findings);
  }
  ctx.set_exit_status(deploy::exit_status(findings));
}

}  // namespace

void setup_doctor(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<DoctorOptions>();
  auto* cmd = app.add_subcommand("doctor", top_help("doctor"));
  cmd->add_option("--format", o->format, "Output format: json or csv for monitoring");
  cmd->callback([o, &ctx] { run_doctor(*o, ctx); });
}

}  // namespace lbib::cmd

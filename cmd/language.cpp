// SPDX-License-Identifier: MIT
// The help texts in the language of the messages (i18n): CLI11 prints what it was given, so
// once every subcommand is set up, lbib gives it the translated texts and headings.
#include "commands.hpp"
#include "lbib/text/i18n.hpp"

namespace lbib::cmd {
namespace {

void translate(CLI::App& app) {
  using i18n::tr;
  app.description(tr(app.get_description().c_str()));
  if (!app.get_footer().empty()) {
    app.footer(tr(app.get_footer().c_str()));
  }
  for (CLI::Option* opt : app.get_options({})) {
    opt->description(tr(opt->get_description().c_str()));
    if (opt->get_group() == "Options") {
      opt->group(tr("Options"));
    }
  }
  for (CLI::App* sub : app.get_subcommands({})) {
    if (sub->get_group() == "Subcommands") {
      sub->group(tr("Subcommands"));
    }
    translate(*sub);
  }
}

}  // namespace

void translate_help(CLI::App& app) {
  if (i18n::language() == "en") {
    return;
  }
  const auto formatter = app.get_formatter();
  using i18n::N_;
  for (const char* label : {N_("Usage"), N_("OPTIONS"), N_("SUBCOMMAND"), N_("SUBCOMMANDS"),
                            N_("REQUIRED"), N_("Positionals"), N_("Excludes"), N_("Needs")}) {
    formatter->label(label, i18n::tr(label));
  }
  // CLI11's own descriptions of --help and --version, which translate() looks up like lbib's.
  [[maybe_unused]] static constexpr const char* cli11_texts[] = {
      N_("Print this help message and exit"), N_("Display program version information and exit")};
  translate(app);
}

}  // namespace lbib::cmd

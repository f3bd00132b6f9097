// SPDX-License-Identifier: MIT
// The help texts in the language of the messages (i18n): CLI11 prints what it was given, so
// once every subcommand is set up, lbib gives it the translated texts and headings. The send
// scripts' question is asked here too, so it speaks the language lbib speaks.
#include <charconv>
#include <iostream>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "lbib/error.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

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

std::optional<int> answer_confirm_send(Context& ctx, int argc, const char* const* argv) {
  if (argc != 3 || std::string_view(argv[1]) != "__confirm-send") {
    return std::nullopt;
  }
  const std::string_view given = argv[2];
  unsigned long count = 0;
  const auto [end, ec] = std::from_chars(given.data(), given.data() + given.size(), count);
  if (ec != std::errc{} || end != given.data() + given.size()) {
    ctx.err() << "lbib: error: "
              << i18n::tr_format("'{}' is not a whole number (decimal digits, like 12)",
                                 text::printable(given.substr(0, 40)))
              << '\n';
    return static_cast<int>(ExitCode::usage);
  }
  ctx.err() << i18n::tr_nformat(count, "Send ({} message)? [y/N] ", "Send ({} messages)? [y/N] ",
                                count)
            << std::flush;
  std::string answer;
  std::getline(std::cin, answer);
  // Both languages' words are taken, whichever the question was asked in.
  const auto word = text::fold_case(text::trim_email(answer));
  for (const char* yes : {"y", "yes", "j", "ja"}) {
    if (word == yes) {
      return 0;
    }
  }
  ctx.err() << i18n::tr("Nothing was sent.") << '\n';
  return 1;
}

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

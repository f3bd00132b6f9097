// SPDX-License-Identifier: MIT
#include "suggest.hpp"

#include <algorithm>
#include <string_view>
#include <vector>

#include "lbib/text/validate.hpp"

namespace lbib::cmd {
namespace {

// Levenshtein distance, for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) {
    row[j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

// Options of the top-level app that take a value in the next argument.
bool takes_value(std::string_view arg) {
  return arg == "--db" || arg == "--config" || arg == "--as";
}

}  // namespace

std::optional<std::string> unknown_subcommand(const CLI::App& app, int argc,
                                              const char* const* argv) {
  const CLI::App* current = &app;
  std::string path = "lbib";
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg.empty() || arg.front() == '-') {
      i += takes_value(arg) ? 1 : 0;
      continue;
    }
    const auto subs = current->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) {
      return std::nullopt;  // arguments of a leaf command, not subcommand names
    }
    const auto found = std::find_if(subs.begin(), subs.end(),
                                    [&](const CLI::App* s) { return s->get_name() == arg; });
    if (found != subs.end()) {
      current = *found;
      path += " " + std::string(arg);
      continue;
    }
    std::string best;
    std::size_t best_distance = 3;  // suggest only close names
    for (const auto* s : subs) {
      const auto d = distance(arg, s->get_name());
      const bool prefix = s->get_name().rfind(arg, 0) == 0;
      if (prefix || d < best_distance) {
        best = s->get_name();
        best_distance = prefix ? 0 : d;
      }
    }
    std::string message =
        "'" + text::printable(arg.substr(0, 40)) + "' is not a command of " + path;
    if (!best.empty()) {
      message += "; did you mean '" + path + " " + best + "'?";
    } else {
      message += "; see '" + path + " --help'";
    }
    return message;
  }
  return std::nullopt;
}

}  // namespace lbib::cmd

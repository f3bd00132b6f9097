// SPDX-License-Identifier: MIT
#include "suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <string_view>
#include <vector>

#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

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

// The long option `name` of `app` or of a command above it (global options may follow the
// subcommand), or null.
const CLI::Option* find_option(const CLI::App* app, std::string_view name) {
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* opt : app->get_options()) {
      const auto& names = opt->get_lnames();
      if (std::find(names.begin(), names.end(), name) != names.end()) {
        return opt;
      }
    }
  }
  return nullptr;
}

// The closest of `names` to `word` when it is close (a prefix, or at most two edits away).
std::string closest(std::string_view word, const std::vector<std::string>& names) {
  std::string best;
  std::size_t best_distance = 3;
  for (const auto& name : names) {
    const auto d = distance(word, name);
    const bool prefix = name.rfind(word, 0) == 0;
    if (prefix || d < best_distance) {
      best = name;
      best_distance = prefix ? 0 : d;
    }
  }
  return best;
}

// Whether `word` is a plain decimal number (as an id is).
bool is_number(std::string_view word) {
  return !word.empty() &&
         std::all_of(word.begin(), word.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// Whether the first argument of `app` is an id (its positional is checked by id_check).
bool takes_ids_first(const CLI::App& app) {
  const auto positionals =
      app.get_options([](const CLI::Option* o) { return o->get_positional(); });
  return !positionals.empty() &&
         id_names(*const_cast<CLI::Option*>(positionals.front())).has_value();
}

// The message for a long option that neither `app` nor a command above it has.
std::string unknown_option(const CLI::App* app, std::string_view name, const std::string& path) {
  std::vector<std::string> names;
  for (const CLI::App* a = app; a != nullptr; a = a->get_parent()) {
    for (const CLI::Option* opt : a->get_options()) {
      for (const auto& n : opt->get_lnames()) {
        names.push_back("--" + n);
      }
    }
  }
  const auto best = closest(fmt::format("--{}", name), names);
  const auto word = "--" + text::printable(name.substr(0, 40));
  if (!best.empty()) {
    return i18n::tr_format("'{}' is not an option of {}; did you mean '{}'?", word, path, best);
  }
  return i18n::tr_format("'{}' is not an option of {}; see '{} --help'", word, path, path);
}

}  // namespace

std::optional<std::string> unknown_word(const CLI::App& app, int argc, const char* const* argv) {
  const CLI::App* current = &app;
  std::string path = "lbib";
  bool leaf = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "--") {
      return std::nullopt;  // only arguments follow
    }
    if (arg.starts_with("--")) {
      const auto with_value = arg.substr(2);
      const auto name = with_value.substr(0, with_value.find('='));
      const CLI::Option* opt = find_option(current, name);
      if (opt == nullptr) {
        return unknown_option(current, name, path);
      }
      // A value in the next argument (not for a flag, nor for --name=value).
      i += opt->get_expected_min() > 0 && name.size() == with_value.size() ? 1 : 0;
      continue;
    }
    if (arg.empty() || arg.front() == '-' || leaf) {
      continue;  // a short option, a negative number or an argument of a leaf command
    }
    const auto subs = current->get_subcommands([](const CLI::App*) { return true; });
    if (subs.empty()) {
      leaf = true;  // arguments of a leaf command, not subcommand names
      continue;
    }
    const auto found = std::find_if(subs.begin(), subs.end(), [&](const CLI::App* s) {
      return s->check_name(std::string(arg));
    });
    if (found != subs.end()) {
      current = *found;
      path += " " + std::string(arg);
      continue;
    }
    std::vector<std::string> names;
    for (const auto* sub : subs) {
      names.push_back(sub->get_name());
    }
    const auto best = closest(arg, names);
    // A command with both arguments and a correction below it (`lbib loan REQ`, `lbib loan
    // correct REQ`): a word that is not the correction is its argument, unless its argument is
    // an id (a number) and the word is not a number but close to a command's name (`lbib loan
    // corect 3`).
    if (!current->get_options([](const CLI::Option* o) { return o->get_positional(); }).empty()) {
      if (best.empty() || is_number(arg) || !takes_ids_first(*current)) {
        leaf = true;
        continue;
      }
    }
    const auto word = text::printable(arg.substr(0, 40));
    if (!best.empty()) {
      return i18n::tr_format("'{}' is not a command of {}; did you mean '{} {}'?", word, path, path,
                             best);
    }
    return i18n::tr_format("'{}' is not a command of {}; see '{} --help'", word, path, path);
  }
  return std::nullopt;
}

}  // namespace lbib::cmd

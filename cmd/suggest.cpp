// SPDX-License-Identifier: MIT
#include "suggest.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

// The optimal string alignment distance (Levenshtein with a swap of two neighbouring letters
// as one edit, as "idga" for "idag"), for "did you mean".
std::size_t distance(std::string_view a, std::string_view b) {
  std::vector<std::vector<std::size_t>> d(a.size() + 1, std::vector<std::size_t>(b.size() + 1));
  for (std::size_t i = 0; i <= a.size(); ++i) {
    d[i][0] = i;
  }
  for (std::size_t j = 0; j <= b.size(); ++j) {
    d[0][j] = j;
  }
  for (std::size_t i = 1; i <= a.size(); ++i) {
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] = std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
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
      // A value in the next argument: not for a flag, nor for --name=value; for an empty
      // --name= CLI11 takes the next argument too.
      const bool value_next = name.size() == with_value.size() || with_value.ends_with('=');
      i += opt->get_expected_min() > 0 && value_next ? 1 : 0;
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
      for (const auto& alias : sub->get_aliases()) {
        names.push_back(alias);  // `lbib idga`: did you mean `lbib idag`, today's Swedish name
      }
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

namespace {

// The deepest command CLI11 parsed, with its path ("lbib request pick").
std::pair<const CLI::App*, std::string> parsed_command(const CLI::App& app) {
  const CLI::App* current = &app;
  std::string path = "lbib";
  for (auto subs = current->get_subcommands(); !subs.empty(); subs = current->get_subcommands()) {
    current = subs.back();
    path += " " + current->get_name();
  }
  return {current, path};
}

// The option of `app` (or a command above it) that CLI11 names `name` ("--unit", "REQ").
const CLI::Option* named_option(const CLI::App* app, std::string_view name) {
  for (; app != nullptr; app = app->get_parent()) {
    for (const CLI::Option* opt : app->get_options()) {
      if (opt->get_name() == name) {
        return opt;
      }
    }
  }
  return nullptr;
}

// What `name` accepts: its help text.
std::string accepted(const CLI::App* app, std::string_view name) {
  const CLI::Option* opt = named_option(app, name);
  if (opt == nullptr) {
    return {};
  }
  // The help text says what is accepted ("The request's id", "hour, half-day or full-day");
  // CLI11's type names ("INT:ID") mean little to a person.
  return opt->get_description();
}

// The arguments `app` takes, as its help names them ("REQ EXPERT").
std::string positional_names(const CLI::App* app) {
  std::string names;
  for (const CLI::Option* opt : app->get_options()) {
    if (opt->get_positional()) {
      names += (names.empty() ? "" : " ") + opt->get_name();
    }
  }
  return names;
}

// `text` after `prefix` when it starts so.
std::optional<std::string> after(const std::string& text, std::string_view prefix) {
  if (text.rfind(prefix, 0) == 0) {
    return text.substr(prefix.size());
  }
  return std::nullopt;
}

// The problem of `e`, in the language of messages.
std::string problem(const CLI::App* app, const std::string& path, const CLI::ParseError& e) {
  const std::string m = e.what();
  // By type: CLI11 names some errors after the command instead of their kind.
  const auto is = [&e]<typename Kind>(Kind*) { return dynamic_cast<const Kind*>(&e) != nullptr; };
  if (is(static_cast<CLI::RequiredError*>(nullptr))) {
    constexpr std::string_view suffix = " is required";
    const auto subs =
        app->get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
    if (!subs.empty() && (m.starts_with("A subcommand") || m.starts_with("Requires at least"))) {
      std::string names;
      for (const auto* sub : subs) {
        names += (names.empty() ? "" : ", ") + sub->get_name();
      }
      return i18n::tr_format("{} needs a command: one of {}", path, names);
    }
    if (m.size() > suffix.size() && m.ends_with(suffix)) {
      const auto name = m.substr(0, m.size() - suffix.size());
      const auto what = accepted(app, name);
      return what.empty() ? i18n::tr_format("{} is required", name)
                          : i18n::tr_format("{} is required ({})", name, what);
    }
  } else if (is(static_cast<CLI::ExtrasError*>(nullptr))) {
    const auto colon = m.find(": ");
    // CLI11 lists the arguments last first.
    std::vector<std::string> extras;
    std::istringstream listed(colon == std::string::npos ? m : m.substr(colon + 2));
    for (std::string word; listed >> word;) {
      extras.insert(extras.begin(), word);
    }
    std::string words;
    for (const auto& word : extras) {
      words += (words.empty() ? "" : " ") + word;
    }
    const auto quoted = "'" + text::printable(std::string_view(words).substr(0, 60)) + "'";
    const auto takes = positional_names(app);
    return takes.empty()
               ? i18n::tr_format("unexpected argument {}; {} takes no arguments", quoted, path)
               : i18n::tr_format("unexpected argument {}; {} takes {}", quoted, path, takes);
  } else if (is(static_cast<CLI::ConversionError*>(nullptr))) {
    if (const auto rest = after(m, "Could not convert: ")) {
      const auto eq = rest->find(" = ");
      if (eq != std::string::npos) {
        const auto name = rest->substr(0, eq);
        const auto value = text::printable(std::string_view(*rest).substr(eq + 3, 40));
        const auto what = accepted(app, name);
        return i18n::tr_format("{}: '{}' is not accepted; {} takes {}", name, value, name,
                               what.empty() ? std::string("?") : what);
      }
    }
    const auto colon = m.find(": ");
    if (colon != std::string::npos && m.find("flag") != std::string::npos) {
      return i18n::tr_format("{} is a flag and takes no value", m.substr(0, colon));
    }
  } else if (is(static_cast<CLI::ArgumentMismatch*>(nullptr))) {
    // "--date: 1 required TEXT missing"
    const auto colon = m.find(": ");
    if (colon != std::string::npos && m.ends_with(" missing")) {
      const auto name = m.substr(0, colon);
      const auto what = accepted(app, name);
      return what.empty() ? i18n::tr_format("{} needs a value", name)
                          : i18n::tr_format("{} needs a value ({})", name, what);
    }
    if (const auto most = m.find(": At Most "); most != std::string::npos) {
      const auto count = m.substr(most + 10, m.find(' ', most + 10) - most - 10);
      return i18n::tr_format("{}: at most {} accepted", m.substr(0, most), count);
    }
  } else if (is(static_cast<CLI::ExcludesError*>(nullptr))) {
    const auto at = m.find(" excludes ");
    if (at != std::string::npos) {
      return i18n::tr_format("{} cannot be given together with {}", m.substr(0, at),
                             m.substr(at + 10));
    }
  } else if (is(static_cast<CLI::RequiresError*>(nullptr))) {
    const auto at = m.find(" requires ");
    if (at != std::string::npos) {
      return i18n::tr_format("{} needs {} too", m.substr(0, at), m.substr(at + 10));
    }
  }
  // A validator's own message (lbib's, already translated: "REQ: 'x' is not an id ..."), or
  // a kind of error lbib does not use.
  return m;
}

}  // namespace

std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e) {
  const auto [command, path] = parsed_command(app);
  return i18n::tr_format("{}; see '{} --help'", problem(command, path, e), path);
}

}  // namespace lbib::cmd

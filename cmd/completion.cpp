// SPDX-License-Identifier: MIT
// Shell completion. CLI11 has none, so, as taskwarrior does with `task _commands`, lbib
// answers its own completion questions: the undocumented `lbib __complete WORD...` prints the
// candidates for the last word (subcommands, options, or ids from the register: never names),
// and `lbib completion bash|zsh` prints the small script that asks it.
#include <algorithm>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>

#include "commands.hpp"
#include "lbib/error.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/privacy/privacy.hpp"
#include "options.hpp"

namespace lbib::cmd {
namespace {

constexpr std::string_view bash_script =
    R"sh(# bash completion for lbib: eval "$(lbib completion bash)"
_lbib() {
  local IFS=$'\n'
  COMPREPLY=($(lbib __complete "${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null))
}
complete -o default -F _lbib lbib
)sh";

constexpr std::string_view zsh_script = R"sh(#compdef lbib
# zsh completion for lbib: eval "$(lbib completion zsh)", or save as _lbib in $fpath
_lbib() {
  local -a candidates
  candidates=("${(@f)$(lbib __complete "${(@)words[2,CURRENT]}" 2>/dev/null)}")
  compadd -a candidates
}
if [[ $zsh_eval_context[-1] == loadautofunc ]]; then _lbib "$@"; else compdef _lbib lbib; fi
)sh";

/// The ids an argument of this kind can take, oldest first; none for ids of mixed kinds.
std::optional<std::vector<std::int64_t>> ids_of(Names names, db::Database& db) {
  switch (names) {
    case Names::expert:
      return experts::ids(db);
    case Names::borrower:
      return lending::borrower_ids(db);
    case Names::request:
      return lending::request_ids(db);
    case Names::subject_request:
      return privacy::subject_request_ids(db);
    case Names::expert_or_borrower:
    case Names::any:
      break;
  }
  return std::nullopt;
}

std::vector<std::string> term_keys(const std::vector<config::Term>& terms) {
  std::vector<std::string> out;
  for (const auto& t : terms) {
    out.push_back(t.key);
  }
  return out;
}

// The configured vocabularies, by the name of the option that takes them: an option of that
// name completes alike in every command, so a command that gains one (`--municipality`,
// say) completes its values without a change here.
using Vocabulary = std::vector<std::string> (*)(const config::Config&);
const std::pair<std::string_view, Vocabulary> vocabularies[] = {
    {"form", [](const config::Config& c) { return term_keys(c.forms); }},
    {"area", [](const config::Config& c) { return term_keys(c.areas); }},
    {"role", [](const config::Config& c) { return term_keys(c.roles); }},
    {"channel", [](const config::Config& c) { return term_keys(c.channels); }},
    {"municipality",
     [](const config::Config& c) {
       std::vector<std::string> out;
       for (const auto& m : c.population.municipalities) {
         out.push_back(m.name);
       }
       return out;
     }},
    // AREA or ROLE:AREA.
    {"want",
     [](const config::Config& c) {
       auto out = term_keys(c.areas);
       for (const auto& role : c.roles) {
         for (const auto& area : c.areas) {
           out.push_back(role.key + ":" + area.key);
         }
       }
       return out;
     }},
};

/// The values of the vocabulary option `name` (without its dashes); nullopt when it takes none.
std::optional<std::vector<std::string>> vocabulary(std::string_view name, Context& ctx) {
  for (const auto& [option, values] : vocabularies) {
    if (option == name) {
      try {
        return values(ctx.config());
      } catch (const std::exception&) {
        return std::vector<std::string>{};  // a configuration that does not load: nothing
      }
    }
  }
  return std::nullopt;
}

bool has_option(const CLI::App& app, const std::string& name) {
  for (const CLI::Option* opt : app.get_options()) {
    const auto& lnames = opt->get_lnames();
    if (std::find(lnames.begin(), lnames.end(), name) != lnames.end()) {
      return true;
    }
  }
  return false;
}

void complete(CLI::App& app, Context& ctx, const std::vector<std::string>& words) {
  // Walk down the subcommands named so far; the last word is the one being completed.
  CLI::App* current = &app;
  std::vector<std::string> path;
  // After an argument or an option (`lbib loan 1 ...`), a correction below the command
  // (`lbib loan correct`) is no longer what can come.
  bool subcommand_next = true;
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const bool top = current == &app;
    // `lbib help request new` names the commands as they are typed without it.
    if (top && words[i] == "help") {
      continue;
    }
    // At the top a command still comes after a global option (`lbib --db x request`).
    subcommand_next = top;
    if (words[i].starts_with("-")) {
      continue;
    }
    for (CLI::App* sub : current->get_subcommands({})) {
      if (sub->check_name(words[i])) {  // its name or an alias (`idag`)
        current = sub;
        path.push_back(words[i]);
        subcommand_next = true;
        break;
      }
    }
  }
  const std::string prefix = words.empty() ? "" : words.back();
  auto& out = ctx.out();
  if (prefix.starts_with("-")) {
    for (const CLI::Option* opt : current->get_options()) {
      for (const auto& name : opt->get_lnames()) {
        if (("--" + name).starts_with(prefix)) {
          out << "--" << name << '\n';
        }
      }
    }
    return;
  }
  // The value of a vocabulary option this command has (`--form w`).
  if (words.size() >= 2 && words[words.size() - 2].starts_with("--")) {
    const auto wanted = words[words.size() - 2].substr(2);
    const auto values = vocabulary(wanted, ctx);
    if (values && has_option(*current, wanted)) {
      for (const auto& v : *values) {
        if (v.starts_with(prefix)) {
          out << v << '\n';
        }
      }
      return;
    }
  }
  for (const CLI::App* sub : current->get_subcommands({})) {
    if (subcommand_next && sub->get_name().starts_with(prefix)) {
      out << sub->get_name() << '\n';
    }
  }
  // The ids of what the argument being completed names: the value of the option before it
  // (`--expert 1`), else the command's first positional id.
  std::optional<Names> names;
  if (words.size() >= 2 && words[words.size() - 2].starts_with("--")) {
    const auto wanted = words[words.size() - 2].substr(2);
    for (CLI::Option* opt : current->get_options()) {
      const auto& lnames = opt->get_lnames();
      if (std::find(lnames.begin(), lnames.end(), wanted) != lnames.end()) {
        names = id_names(*opt);
      }
    }
  } else {
    for (CLI::Option* opt : current->get_options()) {
      if (!names && opt->get_positional()) {
        names = id_names(*opt);
      }
    }
  }
  if (!names) {
    return;
  }
  try {
    auto db = ctx.open_db();
    for (const auto id : ids_of(*names, db).value_or(std::vector<std::int64_t>{})) {
      const auto text = std::to_string(id);
      if (text.starts_with(prefix)) {
        out << text << '\n';
      }
    }
  } catch (const std::exception&) {
    // No register, or not readable: complete what is known, quietly.
  }
}

struct CompletionOptions {
  std::string shell;
};

void run_completion(const CompletionOptions& o, Context& ctx) {
  if (o.shell == "bash") {
    ctx.out() << bash_script;
  } else if (o.shell == "zsh") {
    ctx.out() << zsh_script;
  } else {
    throw make_error(ExitCode::usage, "completion: use bash or zsh");
  }
}

}  // namespace

void setup_completion(CLI::App& app, Context& ctx) {
  auto o = std::make_shared<CompletionOptions>();
  auto* completion = app.add_subcommand("completion", top_help("completion"));
  completion->add_option("SHELL", o->shell, "bash or zsh")->required();
  completion->callback([o, &ctx] { run_completion(*o, ctx); });
}

bool answer_completion(CLI::App& app, Context& ctx, int argc, const char* const* argv) {
  // Handled before CLI11 parses anything: the words are data here, "--x" and "--" included.
  if (argc < 2 || std::string_view(argv[1]) != "__complete") {
    return false;
  }
  complete(app, ctx, std::vector<std::string>(argv + 2, argv + argc));
  return true;
}

}  // namespace lbib::cmd

// SPDX-License-Identifier: MIT
#pragma once

// Free-text options (notes, answers, descriptions) that need not be typed as arguments, where
// health details would stand in `ps` and in the shell's history.

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "context.hpp"

namespace lbib::cmd {

/// The free-text options of one subcommand. Each also accepts "-": the text is read from
/// standard input. The subcommand gets --edit, which opens $VISUAL or $EDITOR on a private
/// temporary file holding all of them (removed afterwards).
class TextOptions {
 public:
  TextOptions(CLI::App& sub, Context& ctx);

  /// Adds a free-text option bound to `value` (empty when the option is not given). Returns
  /// the option for CLI11's own settings (`->required()`, `->excludes()`).
  CLI::Option* add(const std::string& name, std::optional<std::string>& value,
                   const std::string& help);

  /// The keys of a keyed option and what each asks (a follow-up question's key and text).
  using Keys = std::function<std::vector<std::pair<std::string, std::string>>()>;

  /// Adds a repeatable KEY=TEXT option (the follow-up answers): "KEY=-" reads that text from
  /// standard input, and --edit gives each key that `keys` names a heading of its own.
  CLI::Option* add_keyed(const std::string& name, std::vector<std::string>& values,
                         const std::string& help, Keys keys);

 private:
  struct State;
  std::shared_ptr<State> m_state;
};

}  // namespace lbib::cmd

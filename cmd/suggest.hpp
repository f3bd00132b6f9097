// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace lbib::cmd {

/// When the command line names a subcommand that does not exist (at the top level or inside
/// a group such as `expert`), the message to print: what was not understood and, when a
/// subcommand is close, "did you mean ...?". Nullopt when every subcommand name is known.
std::optional<std::string> unknown_subcommand(const CLI::App& app, int argc,
                                              const char* const* argv);

}  // namespace lbib::cmd

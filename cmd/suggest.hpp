// SPDX-License-Identifier: MIT
#pragma once

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

namespace lbib::cmd {

/// When the command line names a subcommand that does not exist (at the top level or inside
/// a group such as `expert`), or a long option that the command and those above it do not
/// have, the message to print: what was not understood and, when a name is close, "did you
/// mean ...?". Nullopt when every name is known. The names come from the CLI11 tree itself.
std::optional<std::string> unknown_word(const CLI::App& app, int argc, const char* const* argv);

}  // namespace lbib::cmd

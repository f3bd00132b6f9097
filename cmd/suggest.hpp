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

/// CLI11's own parse error `e` (a required option missing, a value of the wrong kind, an
/// argument too many, ...) as one message in the language of messages: the problem, what is
/// accepted, and the help of the command that was being parsed (`see 'lbib request pick
/// --help'`), not only of lbib.
std::string parse_error_message(const CLI::App& app, const CLI::ParseError& e);

}  // namespace lbib::cmd

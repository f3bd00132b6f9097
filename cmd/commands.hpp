// SPDX-License-Identifier: MIT
#pragma once

// Each subcommand group lives in its own file and registers itself with a setup_ function.

#include <CLI/CLI.hpp>

#include "context.hpp"

namespace lbib::cmd {

void setup_init(CLI::App& app, Context& ctx);     // init.cpp
void setup_recruit(CLI::App& app, Context& ctx);  // recruit.cpp
void setup_expert(CLI::App& app, Context& ctx);   // expert.cpp
void setup_admin(CLI::App& app, Context& ctx);    // admin.cpp: log, check, backup

}  // namespace lbib::cmd

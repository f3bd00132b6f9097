// SPDX-License-Identifier: MIT
#pragma once

// Each subcommand group lives in its own file and registers itself with a setup_ function.

#include <CLI/CLI.hpp>
#include <optional>
#include <string_view>

#include "context.hpp"

namespace lbib::cmd {

void setup_init(CLI::App& app, Context& ctx);        // init.cpp
void setup_recruit(CLI::App& app, Context& ctx);     // recruit.cpp
void setup_expert(CLI::App& app, Context& ctx);      // expert.cpp
void setup_admin(CLI::App& app, Context& ctx);       // admin.cpp: log, check, backup
void setup_borrower(CLI::App& app, Context& ctx);    // borrower.cpp
void setup_request(CLI::App& app, Context& ctx);     // request.cpp
void setup_lending(CLI::App& app, Context& ctx);     // lending.cpp: match, dispatch, loan
void setup_inbox(CLI::App& app, Context& ctx);       // inbox.cpp: replies from a Maildir
void setup_followup(CLI::App& app, Context& ctx);    // followup.cpp: followup, pay, remind
void setup_report(CLI::App& app, Context& ctx);      // report.cpp
void setup_outreach(CLI::App& app, Context& ctx);    // report.cpp
void setup_governance(CLI::App& app, Context& ctx);  // governance.cpp: decision, inquiry
void setup_gdpr(CLI::App& app, Context& ctx);        // gdpr.cpp
void setup_handover(CLI::App& app, Context& ctx);    // gdpr.cpp: export --all, import
void setup_close(CLI::App& app, Context& ctx);       // close.cpp
void setup_catalogue(CLI::App& app, Context& ctx);   // catalogue.cpp: catalogue, expert describe
void setup_completion(CLI::App& app, Context& ctx);  // completion.cpp: lbib completion SHELL
void setup_doctor(CLI::App& app, Context& ctx);      // doctor.cpp

/// The help of top-level command `name` (main.cpp's top_commands, the one place it is written):
/// the group that defines the command and the top-level help, built without the groups, both
/// read it. A name not in the list is a bug (std::logic_error).
const char* top_help(std::string_view name);

/// Gives CLI11 the help texts and headings in the language of the messages (language.cpp).
void translate_help(CLI::App& app);

/// `lbib __confirm-send COUNT` (language.cpp), for scripts/lib/mail-and-record.sh: asks on
/// stderr (ctx.err()), in the language of the messages, whether to send COUNT messages and reads
/// the answer from standard input; exit 0 for yes, 1 (after "nothing was sent") for anything else.
/// Returns nullopt when the command line is anything else.
std::optional<int> answer_confirm_send(Context& ctx, int argc, const char* const* argv);

/// `lbib __complete WORD...` (completion.cpp): prints the candidates for the last word and
/// returns true; false when the command line is anything else.
bool answer_completion(CLI::App& app, Context& ctx, int argc, const char* const* argv);

}  // namespace lbib::cmd

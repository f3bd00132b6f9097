// SPDX-License-Identifier: MIT
#pragma once

// Small helpers shared by the subcommand files: the --format option and optional values.

#include <CLI/CLI.hpp>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "context.hpp"
#include "lbib/experts/wishes.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mailing/mailing.hpp"
#include "lbib/output/format.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/date.hpp"

namespace lbib::cmd {

/// What an id argument names. Completion offers the ids of that kind (cmd/completion.cpp), so
/// each id argument says it once, where it is declared.
enum class Names { expert, borrower, request, subject_request, expert_or_borrower, any };

/// Checks that an id given on the command line is a whole number from 1 to 2^63-1 before
/// CLI11 converts it (CLI11 would otherwise clamp an out-of-range number silently). The
/// validator carries what the id names (id_names).
const CLI::Validator& id_check(Names names);

/// Checks that a count given on the command line is a plain decimal whole number (an optional
/// minus sign and at most nine digits: no 0x, +, exponent or spaces) before CLI11 converts it;
/// the range is checked where the count is used, with a message saying what is accepted.
const CLI::Validator& number_check();

/// What the ids `option` takes name, when it takes ids (its id_check).
std::optional<Names> id_names(CLI::Option& option);

/// The options of every command that mails through the outbox (dispatch, followup summary,
/// close mail, ...): one shape, so scripts/lib/mail-and-record.sh drives them all.
struct MailOptions {
  std::optional<std::string> out, record, date;
  bool preview = false;
  bool check = false;
};

/// Adds --out DIR, --record FILE, --preview and --date to a mail command.
void add_mail_options(CLI::App& command, MailOptions& o);

/// Composes `m` (--out: with --preview, each message as readable text on stderr; the messages
/// written to the folder with their manifests and their paths printed on stdout, one a line),
/// or records a message sendmail accepted (--record, on --date or today).
void run_mailing(const MailOptions& o, const mailing::Mailing& m, Context& ctx);

/// Adds --format table|json|csv|md to a listing or show command.
void add_format_option(CLI::App& sub, std::string& format);

/// Whether a command that has corrections below it (`lbib loan` above `lbib loan correct`)
/// runs itself: false when one of `corrections` was given instead. CLI11 would ask for the
/// command's required options also for the correction, so they are not marked required and are
/// checked here, with CLI11's own message (which is why the options are passed as CLI11's
/// `Option*`: their count and name).
bool runs_itself(std::initializer_list<const CLI::App*> corrections,
                 std::initializer_list<const CLI::Option*> required);

/// Parses a date option; `fallback` when it was not given.
text::Date date_or(const std::optional<std::string>& value, std::string_view field,
                   text::Date fallback);

/// A data subject's export (articles 15 and 20): printed, or with `out` written to a new
/// private file (0600, never overwriting). The export is audited under `entity` and `id`.
void write_subject_export(Context& ctx, db::Database& db, const nlohmann::ordered_json& data,
                          std::string_view entity, std::int64_t id,
                          const std::optional<std::string>& out);

/// Runs an erasure in one transaction, for real (committed, then the file compacted so no
/// erased byte remains) or as a dry run (rolled back), and prints what it did or would do:
/// table, field, action and count, never a value.
void run_erasure(
    Context& ctx, output::Format format, bool dry_run,
    const std::function<privacy::ErasureReport(db::WriteTransaction&, privacy::EraseMode)>& erase);

/// The options that set an expert's wishes (`expert prefer`, `recruit`): forms wanted and not
/// wanted, areas avoided, digital or in person, a cap per period, a pause until a date.
struct WishOptions {
  std::optional<std::string> forms_wanted, forms_unwanted, areas_avoided, setting, max_requests,
      per, paused_until;

  /// Adds the options to `sub` (`with_pause`: --paused-until too).
  void add(CLI::App& sub, bool with_pause);
  /// What was given, parsed; lists are comma-separated and an empty value clears.
  experts::WishChanges changes() const;
};

}  // namespace lbib::cmd

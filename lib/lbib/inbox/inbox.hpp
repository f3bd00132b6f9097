// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/inbox/mime.hpp"
#include "lbib/text/date.hpp"

/// `lbib inbox MAILDIR`: replies to lbib's own messages, read from a Maildir and recorded.
namespace lbib::inbox {

/// Why a message was not recorded. The order is the order of the checks.
enum class Skip {
  too_large,         // larger than mail.inbox_max_message_bytes: not read at all
  malformed,         // no message in it (no sender's address) or no text lbib can read
  auto_reply,        // an automatic reply ("Frånvaro", Auto-Submitted, X-Autoreply)
  forwarded,         // forwarded mail, not a reply
  not_a_reply,       // not in reply to a message lbib sent and recorded
  not_an_answer,     // in reply to a kind of message that asks for no answer
  unknown_sender,    // the sender is not the registered e-mail of a person the message went to
  answered_already,  // a questionnaire answered already (by mail or by command): a person reads it
  refused,           // the register refused the answer (lbib's own rules)
};

/// The stored key of `skip` ("too-large", "not-a-reply", ...), the same in every language.
std::string_view to_string(Skip skip);

/// One message as `lbib inbox` sees it: its parsed content and what it replies to.
struct Reply {
  const Mail& mail;
  std::string kind;          // of the lbib message replied to: "dispatch", "questionnaire", ...
  std::int64_t request = 0;  // from its Message-ID, 0 when none
  std::string message_id;    // replied to, without angle brackets
};

/// What a handler recorded from one reply (ids and keys, never personal values).
struct Handled {
  std::int64_t request = 0;
  std::int64_t expert = 0;
  std::string answer;  // a key: "yes", "no", "unclear"
  text::Date on;
  bool already = false;  // the register already had this answer or a later one: nothing changed
  std::string kind = "answer";  // what was recorded: "answer" (to a request), "questionnaire"
  std::optional<std::int64_t> questions;  // a questionnaire's yes/no answers read from the reply
};

/// Records one reply inside `tx` (a savepoint of its own: a refusal leaves nothing behind), or
/// tells why it is skipped.
using Handler = std::function<std::variant<Handled, Skip>(
    db::WriteTransaction& tx, const config::Config& config, const Reply& reply, text::Date today,
    const audit::Actor& actor)>;

/// A kind of message lbib sends (the word after "lbib." in its Message-IDs) and the handler of
/// replies to it. A new kind of reply (a questionnaire's) is one more entry.
struct Kind {
  std::string_view kind;
  Handler handle;
};

/// The handlers: "dispatch" (an invited expert's answer to a request), "questionnaire" and
/// "questionnaire-reminder" (an expert's reply to their questionnaire after a loan).
const std::vector<Kind>& kinds();

/// The kind and request of an lbib Message-ID ("lbib.dispatch-3.<time>.<nonce>@domain" gives
/// {"dispatch", 3}; "lbib.closing-notice.<time>.<nonce>@domain" gives {"closing-notice", 0}).
std::optional<std::pair<std::string, std::int64_t>> parse_message_id(std::string_view id);

/// The handler of dispatch replies: the sender must be the registered e-mail of an expert the
/// replied-to dispatch invited; the answer (yes, no, or unclear from the first words) is
/// recorded with lending::record_answer, channel mail, dated by the message (within the
/// invitation's day and today). A later answer already recorded stands, and so does a yes or
/// no against an unclear reply.
std::variant<Handled, Skip> handle_dispatch_reply(db::WriteTransaction& tx,
                                                  const config::Config& config, const Reply& reply,
                                                  text::Date today, const audit::Actor& actor);

/// The handler of replies to the experts' questionnaire (or its reminder): the message replied
/// to must be the one recorded for one expert, and the sender that expert's registered e-mail.
/// Recorded with followup::record_questionnaire_reply, dated by the message (within the day
/// the questionnaire was sent and today): the expert answered by mail (a person reads the
/// reply), and each numbered line that is only a yes or a no ("2. ja") is recorded as that
/// question's answer. A questionnaire already answered, by mail or by command, is skipped.
std::variant<Handled, Skip> handle_questionnaire_reply(db::WriteTransaction& tx,
                                                       const config::Config& config,
                                                       const Reply& reply, text::Date today,
                                                       const audit::Actor& actor);

/// The result of reading a Maildir.
struct Result {
  std::size_t messages = 0;       // read (new/ and cur/ without the seen flag)
  std::vector<Handled> recorded;  // handled: recorded, or already in the register
  std::map<Skip, std::size_t> skipped;
  std::vector<std::string> unmarked;  // handled but could not be marked seen (file names)
};

/// Reads the Maildir `maildir`: every message in new/ and every one in cur/ not flagged seen
/// (S) or trashed (T). Each recognised reply is recorded in one write transaction for the run
/// (a savepoint per message), and after the commit marked handled the Maildir way: moved from
/// new/ to cur/ with the S flag added. Nothing else is changed, nothing deleted, no body kept.
/// Throws Error(no_input) when `maildir` has no cur/ and new/.
Result read_maildir(db::Database& db, const config::Config& config,
                    const std::filesystem::path& maildir, text::Date today,
                    const audit::Actor& actor);

/// The name a message file gets in cur/ once handled: the Maildir info ":2," with S among its
/// flags (kept in ASCII order, as the Maildir specification asks).
std::string seen_name(std::string_view name);

}  // namespace lbib::inbox

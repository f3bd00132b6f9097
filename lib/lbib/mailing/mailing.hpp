// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/text/date.hpp"

/// The one way the library mails people: compose (Bcc in batches, written to a private outbox
/// with a manifest) → a person previews → sendmail → record, only after sendmail accepted the
/// message. The request's dispatch, the follow-up summary and the closing mailings are each a
/// `Mailing`; a new kind of mail is one more.
namespace lbib::mailing {

/// Whom a message goes to by Bcc: (id, address), ids of experts or of borrowers.
using Recipients = std::vector<std::pair<std::int64_t, std::string>>;

/// Someone the mail is for who has no e-mail: they are telephoned instead, or, without a
/// telephone either, written a letter to their postal address (issue #14).
struct Call {
  std::int64_t id = 0;
  std::string name;
  std::string phone;
  std::string postal_address;  // for a letter: empty when `phone` is not
};

/// A message before it is split into batches.
struct Draft {
  std::string subject_template;  // a configured template ({name} placeholders)
  std::string body_template;
  std::string template_name;  // "dispatch": errors name mail.dispatch_subject/_body
  mail::Values values;
  std::optional<mail::Address> reply_to;
  Recipients bcc;  // empty only when `calls` is not: nobody left to reach refuses to compose
  /// Those reached by telephone instead, in no Bcc. With `call_list`, the composed mailing
  /// writes them a call list beside the messages (the mail's text is what to tell them) and a
  /// call is recorded like a mail; without it, the person composing is told whom to call.
  std::vector<Call> calls;
  bool call_list = false;
  /// One message per recipient, To them alone and in no Bcc (mail about the recipient's own
  /// part, such as a questionnaire or a borrower's conditions); `bcc` then lists the recipients
  /// and the batch size does not apply.
  bool individual = false;
};

/// A composed mailing: its messages, and those to telephone instead with what to tell them.
struct Composed {
  std::vector<mail::Outgoing> messages;
  std::vector<Call> calls;
  bool call_list = false;
  std::string subject;  // the filled subject and body, for the call list
  std::string body;
};

/// What recording a sent message did.
struct Recorded {
  bool already = false;               // that message had been recorded: nothing changed
  std::size_t recipients = 0;         // recorded as sent to now
  std::vector<std::int64_t> refused;  // in the message, but no longer to be recorded
};

/// One kind of mail the library sends.
class Mailing {
 public:
  virtual ~Mailing() = default;
  /// The outbox kind, in file names and manifests ("dispatch", "followup-summary", ...).
  [[nodiscard]] virtual std::string_view kind() const = 0;
  /// The request the mail belongs to, or 0 for the register as a whole.
  [[nodiscard]] virtual std::int64_t request() const = 0;
  /// Refuses (throws Error) when a message sent on `on` could not be recorded. Both compose
  /// (with today) and record (with the day it was sent) ask it first, so no mail goes out that
  /// lbib will then refuse to record.
  virtual void check(db::Database& db, text::Date on) const = 0;
  /// What to send, to whom of those not yet sent it.
  [[nodiscard]] virtual Draft draft(db::Database& db, const config::Config& config,
                                    text::Date today) const = 0;
  /// Records a message sendmail accepted, whose Message-ID is not recorded yet.
  virtual Recorded record(db::WriteTransaction& tx, const mail::Manifest& sent, text::Date on,
                          const audit::Actor& actor) const = 0;
  /// What recording did, as one line for the person who recorded it, in `language` (the
  /// language of messages, i18n::language()).
  [[nodiscard]] virtual std::string recorded_text(const Recorded& r,
                                                  std::string_view language) const;
};

/// Composes `mailing` on `today`: check, draft, one message From and To the library with the
/// draft's Reply-To, dated `now`, split into messages of at most `bcc_batch_size` Bcc
/// recipients (each address once), or, for an individual draft, one message To each recipient;
/// and the draft's calls. Changes nothing in the register.
Composed compose(db::Database& db, const config::Config& config, const Mailing& mailing,
                 text::Date today, std::time_t now);

/// Records the composed message `eml` that sendmail accepted on `sent_on`: its manifest must
/// belong to the mailing; a message already recorded changes nothing; `sent_on` may not be in
/// the future, and the mailing's check and record follow.
Recorded record(db::WriteTransaction& tx, const Mailing& mailing, const std::filesystem::path& eml,
                text::Date sent_on, const audit::Actor& actor);

}  // namespace lbib::mailing

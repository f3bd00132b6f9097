// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/message.hpp"
#include "lbib/text/date.hpp"

namespace lbib::lending {

/// One message of a dispatch and the experts in its Bcc.
struct DispatchBatch {
  mail::Message message;
  std::vector<std::int64_t> experts;
};

/// A composed dispatch: the request mailed by BCC, split into batches of at most
/// mail.bcc_batch_size recipients. Composing changes nothing in the register.
struct Composition {
  std::int64_t request_id = 0;
  std::vector<DispatchBatch> batches;
};

/// Who to send to: the experts named by id, or else every matching expert not yet sent this
/// request (the first `limit` of them in match order, when given).
struct Recipients {
  std::vector<std::int64_t> experts;
  std::optional<std::size_t> limit;
};

/// Composes the dispatch of request `id`. Refuses a request in the wrong state, one missing
/// what the mail needs (listing it), experts without mailing consent, and experts who already
/// received the request: a re-run after a partial failure never sends twice to anyone.
Composition compose_dispatch(db::Database& db, const config::Config& config, std::int64_t id,
                             const Recipients& recipients, text::Date today, std::time_t now);

/// A batch as a person reads it before sending: headers, the number of Bcc recipients (not
/// their addresses) and the body, as plain UTF-8 text.
std::string preview(const DispatchBatch& batch);

/// Writes each batch as DIR/request-ID-STAMP-N.eml with a manifest beside it (.json), both
/// mode 0600 and never overwriting. Returns the .eml paths in order.
std::vector<std::filesystem::path> write_batches(const Composition& composition,
                                                 const std::filesystem::path& dir);

/// What recording a sent message did.
struct RecordResult {
  bool already_recorded = false;
  std::size_t invited = 0;
};

/// Records that the message in `eml` (with its manifest) was handed to sendmail on
/// `sent_on`: the experts in it are now invited to the request, which becomes dispatched.
/// Recording the same message again changes nothing.
RecordResult record_dispatch(db::WriteTransaction& tx, std::int64_t request_id,
                             const std::filesystem::path& eml, text::Date sent_on,
                             const audit::Actor& actor);

}  // namespace lbib::lending

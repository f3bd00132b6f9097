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
#include "lbib/mail/outbox.hpp"
#include "lbib/text/date.hpp"

namespace lbib::lending {

/// A composed dispatch: the request mailed by BCC, split into messages of at most
/// mail.bcc_batch_size recipients. Composing changes nothing in the register.
struct Composition {
  std::int64_t request_id = 0;
  std::vector<mail::Outgoing> messages;
};

/// The outbox kind of dispatch messages.
inline constexpr std::string_view dispatch_kind = "dispatch";

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

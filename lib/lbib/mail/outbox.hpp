// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/mail/message.hpp"

namespace lbib::mail {

/// One composed message waiting to be handed to sendmail, and whom lbib will record as its
/// recipients once it was: the experts (or borrowers) in its Bcc, or in its To when it is an
/// individual message.
struct Outgoing {
  Message message;
  std::vector<std::int64_t> experts;
};

/// What a manifest beside a written message says.
struct Manifest {
  std::string kind;  // "dispatch", "followup-summary"
  std::int64_t request = 0;
  std::string message_id;
  std::vector<std::int64_t> experts;
};

/// Writes each message as DIR/KIND-REQUEST-STAMP-N.eml with a JSON manifest beside it
/// (.json), both mode 0600 and never overwriting, synced to disk once for the whole outbox
/// (io::FileBatch): an .eml in DIR is always whole and has its manifest. Returns the .eml
/// paths in order.
std::vector<std::filesystem::path> write_outbox(const std::filesystem::path& dir,
                                                std::string_view kind, std::int64_t request,
                                                const std::vector<Outgoing>& messages);

/// Reads the manifest of `eml` and checks that it belongs to `kind` and `request` and that
/// the message's Message-ID matches it. Throws Error(data) or Error(no_input).
Manifest read_manifest(const std::filesystem::path& eml, std::string_view kind,
                       std::int64_t request);

/// A message as a person reads it before sending: headers, the number of Bcc recipients (not
/// their addresses) and the body, as plain UTF-8 text.
std::string preview(const Outgoing& outgoing);

/// Splits `bcc` into messages of at most `batch_size` Bcc recipients, each a copy of
/// `message` with its own Message-ID tagged `tag`. An address given twice (in any case) is
/// sent once, with all its ids in that message's manifest.
std::vector<Outgoing> batches(const Message& message,
                              const std::vector<std::pair<std::int64_t, std::string>>& bcc,
                              std::size_t batch_size, std::string_view tag);

/// One message per distinct address in `to` (an address given twice, in any case, once, with
/// all its ids), each a copy of `message` To that address alone, with no Bcc and its own
/// Message-ID tagged `tag`: for mail that must not be sent together with anyone else's.
std::vector<Outgoing> individual(const Message& message,
                                 const std::vector<std::pair<std::int64_t, std::string>>& to,
                                 std::string_view tag);

}  // namespace lbib::mail

// SPDX-License-Identifier: MIT
#pragma once

// The seam between lbib and GMime. GMime brings GLib, GObject, GIO and GPGME with it, and
// loading them costs every start of lbib several milliseconds; so GMime lives in its own
// module, lbib-mime.so (gmime_reader.cpp), which mime.cpp loads with dlopen the first time a
// message is read. The module only reads: what the message's headers and parts say, as they
// are. The rules (auto-replies, forwards, which text counts) stay in mime.cpp.

#include <cstddef>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

namespace lbib::inbox {

/// The facts of one message as GMime reads them.
struct Parsed {
  std::vector<std::string> senders;     // the From mailboxes' addresses that contain '@'
  std::vector<std::string> references;  // In-Reply-To first, then References last to first
  std::string subject;                  // decoded, valid UTF-8
  std::optional<std::time_t> date;
  std::string auto_submitted;     // the Auto-Submitted header, as written
  std::string precedence;         // the Precedence header, as written
  bool autoreply_header = false;  // an X-Autoreply or X-Autorespond header
  bool attached_message = false;  // a message/rfc822 part
  bool found_plain = false;       // a text/plain part that is not an attachment
  bool found_html = false;        // a text/html part that is not an attachment
  std::string plain;              // the first such part's text, valid UTF-8
  std::string html;
};

/// The module's one entry point: fills `out` and returns 1 when `data` holds a message with a
/// header block, else 0. Never throws.
using ReadMessage = int (*)(const char* data, std::size_t size, Parsed* out);

/// The symbol the module exports; its version changes whenever Parsed does.
inline constexpr const char* read_message_symbol = "lbib_mime_read_v1";

/// Uses `reader` instead of loading the module: for the unit tests and the fuzz target, which
/// link gmime_reader.cpp into themselves.
void use_reader(ReadMessage reader);

}  // namespace lbib::inbox

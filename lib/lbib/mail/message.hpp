// SPDX-License-Identifier: MIT
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Composing Internet messages (RFC 5322) with MIME (RFC 2045, 2047) for sendmail -t.
namespace lbib::mail {

/// A mailbox: an optional display name (any UTF-8) and an ASCII address.
struct Address {
  std::string name;
  std::string email;
};

/// A plain-text message. Recipients in `bcc` are read by `sendmail -t`, which removes the
/// Bcc header before delivery, so no recipient sees another's address.
struct Message {
  Address from;
  std::vector<Address> to;
  std::vector<Address> bcc;
  std::optional<Address> reply_to;
  /// A second Reply-To address beside `reply_to` (the library's, so that it receives a copy of
  /// each reply: mail.reply_copy_to_library). Ignored without `reply_to`.
  std::optional<Address> reply_copy;
  std::string subject;     // one line of UTF-8
  std::string body;        // UTF-8 with LF line breaks
  std::string message_id;  // without angle brackets
  std::time_t date = 0;
};

/// Renders `message` as RFC 5322 text with CRLF line endings: UTF-8 headers as RFC 2047
/// encoded-words, the body quoted-printable, every line within 78 characters. Throws
/// Error(software) if a header would contain a line break: data can never add a header.
std::string render(const Message& message);

/// RFC 2047 "B" encoded-words for `text` when it needs them (non-ASCII, control characters,
/// "=?", or too long), folded onto continuation lines; otherwise `text` unchanged. `used` is
/// how many characters of the first line are already taken ("Subject: ").
std::string encode_header_text(std::string_view text, std::size_t used);

/// RFC 2047 "B" encoded-words for `text`, always, each filling the room left on its line.
std::string encode_words(std::string_view text, std::size_t used);

/// A mailbox for an address header: `name <email>`, with the name quoted or encoded as needed
/// and folded so no line passes 78 characters. `used`: characters already on the line.
std::string format_address(const Address& address, std::size_t used);

/// Quoted-printable (RFC 2045) with CRLF line breaks and soft breaks keeping lines within 76.
std::string quoted_printable(std::string_view text);

/// An RFC 5322 date in UTC, e.g. "Sun, 22 Nov 2026 17:25:13 +0000".
std::string format_date(std::time_t t);

/// A new unique Message-ID (without angle brackets) at the domain of `from_email`.
std::string make_message_id(std::string_view tag, std::string_view from_email);

}  // namespace lbib::mail

// SPDX-License-Identifier: MIT
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// Reading replies that arrive in the library's mailbox (`lbib inbox`): what lbib needs of a
/// message, parsed by GMime (the only file that includes GMime is mime.cpp), and the rules that
/// read it.
namespace lbib::inbox {

/// What lbib reads of one Internet message. Nothing here is stored: the text is read for its
/// first words and dropped.
struct Mail {
  /// The addresses (addr-spec, as written) of the From header's mailboxes.
  std::vector<std::string> senders;
  /// The Message-IDs the message replies to, without angle brackets: In-Reply-To first, then
  /// References from the last (the message replied to) to the first.
  std::vector<std::string> references;
  std::string subject;  // decoded to UTF-8
  /// An automatic reply (Auto-Submitted other than "no", X-Autoreply, X-Autorespond, a
  /// Precedence of auto_reply, bulk, junk or list, or a subject such as "Frånvaro" or "Out of
  /// office").
  bool auto_reply = false;
  /// Forwarded mail (a subject beginning Fwd:, Fw:, VB: or WG:, or a message attached whole).
  bool forwarded = false;
  std::optional<std::time_t> date;
  /// The start of the message's own text as UTF-8 (text/plain, else text/html without its
  /// tags), at most `text_limit` bytes; empty when the message has no readable text part.
  std::string text;
};

/// The most text of a message that is kept for its first words.
inline constexpr std::size_t text_limit = 4096;

/// Parses `raw` (an RFC 5322 message with MIME, in any transfer encoding and charset). Returns
/// nothing when GMime finds no message in it (no header block, no sender).
std::optional<Mail> parse(std::string_view raw);

/// The text of an HTML document without its tags, comments, scripts and styles, with the
/// common character references decoded; block elements become line breaks.
std::string strip_html(std::string_view html);

/// What the first words of a reply say.
enum class Says { yes, no, unclear };

/// Reads the first words of `text`, skipping empty and quoted ("> ") lines and a greeting
/// ("Hej", "Hi"): yes for "ja", "kan", "yes" or "I can"; no for "nej", "kan inte", "tyvärr",
/// "no", "cannot"; otherwise (or a yes followed by a "but" or a "not") unclear.
Says first_words(std::string_view text);

/// A yes or a no on a numbered line of a reply: "1. ja", "2 nej", "3) Yes!".
struct NumberedAnswer {
  std::size_t number = 0;  // 1 for the first question
  std::string word;        // as written, in lower case: "ja", "nej", "yes" or "no"
};

/// The lines of `text` that are only a question's number (1 to `questions`) and "ja", "nej",
/// "yes" or "no" (a separating ".", ")" or ":" and a closing "." or "!" allowed), in the
/// order of the numbers. Quoted ("> ") lines are passed over, and so is every other line. A
/// number given twice, or one out of range, makes the whole reply unclear: nothing is returned.
std::vector<NumberedAnswer> numbered_yes_no(std::string_view text, std::size_t questions);

}  // namespace lbib::inbox

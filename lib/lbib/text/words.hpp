// SPDX-License-Identifier: MIT
#pragma once

#include <unicode/uchar.h>
#include <unicode/utf8.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/// The words of a text as the redaction of people's mentions reads them: one way to split
/// words, for redacting (privacy::Redactor), for noting what a text may mention
/// (privacy::MentionIndex) and for the mention keys a register keeps (migration 25).
namespace lbib::text {

/// A character of a word: a letter, a digit or a combining mark.
inline bool is_word_char(UChar32 c) {
  return u_isalnum(c) != 0 || (U_GET_GC_MASK(c) & U_GC_M_MASK) != 0;
}

/// Calls `f` with each whole word of `text` (a run of the characters is_word_char admits, as a
/// view into `text`) until `f` returns true; returns whether it did.
template <typename F>
bool any_word_of(std::string_view text, F&& f) {
  const auto n = static_cast<std::int32_t>(text.size());
  const auto* bytes = reinterpret_cast<const std::uint8_t*>(text.data());
  std::int32_t i = 0;
  while (i < n) {
    std::int32_t pos = i;
    UChar32 c = 0;
    U8_NEXT(bytes, pos, n, c);
    if (c < 0 || !is_word_char(c)) {
      i = pos;
      continue;
    }
    std::int32_t end = pos;
    while (end < n) {
      std::int32_t next = end;
      U8_NEXT(bytes, next, n, c);
      if (c < 0 || !is_word_char(c)) {
        break;
      }
      end = next;
    }
    if (f(text.substr(static_cast<std::size_t>(i), static_cast<std::size_t>(end - i)))) {
      return true;
    }
    i = end;
  }
  return false;
}

/// Whether a folded word of a name is matched on its own in free text: two bytes or more, and
/// not a number (one letter, "K.", says too little and would redact every "i").
inline bool is_matched_name_part(std::string_view folded) {
  if (folded.size() < 2) {
    return false;
  }
  for (const char c : folded) {
    if (!(c >= '0' && c <= '9')) {
      return true;
    }
  }
  return false;
}

/// The keys by which a person's mention can be found in free text (migration 25's
/// mention_key): each name part matched on its own (folded by fold_for_match), the e-mail
/// address folded the same way, and the phone number's digits when there are five or more;
/// without repeats. privacy::Redactor matches exactly these.
std::vector<std::string> mention_keys(std::string_view name, std::optional<std::string_view> email,
                                      std::optional<std::string_view> phone);

}  // namespace lbib::text

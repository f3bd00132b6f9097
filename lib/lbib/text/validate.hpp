// SPDX-License-Identifier: MIT
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lbib::text {

/// True when `s` is well-formed UTF-8 (no overlong forms, surrogates or code points past U+10FFFF).
bool is_valid_utf8(std::string_view s);

/// Number of Unicode code points in valid UTF-8 text.
std::size_t code_point_count(std::string_view s);

/// The columns UTF-8 text takes on a terminal: one per character (å ä ö too), none for
/// combining marks and format characters, two for East Asian wide and full-width ones.
std::size_t display_width(std::string_view s);

/// `s` shortened to at most `width` columns, ending in "…" when anything was cut (whole
/// characters only, combining marks kept with their letter); `s` itself when it fits.
std::string fit_width(std::string_view s, std::size_t width);

/// Checks a single-line field: valid UTF-8, no control characters (so no CR or LF), at most
/// `max_chars` code points. Throws Error(data) naming `field`; the value itself is never quoted.
void check_line(std::string_view field, std::string_view value, std::size_t max_chars);

/// check_line for an optional field: nothing to check when it is absent.
void check_optional_line(std::string_view field, const std::optional<std::string>& value,
                         std::size_t max_chars);

/// Checks a multi-line free-text field: like check_line but LF and TAB are allowed.
void check_text(std::string_view field, std::string_view value, std::size_t max_chars);

/// True when `s` is an ASCII e-mail address of the form local@domain.tld (RFC 5321 limits).
bool is_valid_email(std::string_view s);

/// Checks an e-mail address field; throws Error(data) naming `field` (and saying so when the
/// address holds a space).
void check_email(std::string_view field, std::string_view value);

/// An e-mail address as typed, without the spaces, tabs and line breaks around it (copied from
/// a mail program or a spreadsheet); spaces inside are left for check_email to refuse.
std::string trim_email(std::string_view value);

/// trim_email() of an optional value (an option given or not).
std::optional<std::string> trim_optional_email(const std::optional<std::string>& value);

/// `s` made safe to show in a one-line message: control characters and bytes that are not
/// UTF-8 become \xNN escapes (so a message can never be split or garble a terminal).
std::string printable(std::string_view s);

/// Joins `items` with `separator`.
std::string join(const std::vector<std::string>& items, std::string_view separator);

/// Splits `s` at every `separator`, keeping empty pieces.
std::vector<std::string> split(std::string_view s, char separator);

/// Length limits of the register's fields, in code points; docs/fields.md lists them.
namespace limits {
inline constexpr std::size_t name = 200;
inline constexpr std::size_t email = 254;
inline constexpr std::size_t phone = 40;
inline constexpr std::size_t postal_address = 300;
inline constexpr std::size_t municipality = 100;
inline constexpr std::size_t key = 64;
inline constexpr std::size_t short_text = 500;
inline constexpr std::size_t notes = 10000;
}  // namespace limits

}  // namespace lbib::text

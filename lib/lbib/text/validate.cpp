// SPDX-License-Identifier: MIT
#include "lbib/text/validate.hpp"

#include <unicode/uchar.h>

#include <cstdint>

#include "lbib/error.hpp"

namespace lbib::text {
namespace {

// Decodes one code point at `s[i]`; returns its length in bytes, or 0 when the sequence is
// malformed. Follows the table of well-formed byte sequences in Unicode 15, section 3.9.
std::size_t decode(std::string_view s, std::size_t i, char32_t& cp) {
  const auto byte = [&](std::size_t k) { return static_cast<std::uint8_t>(s[i + k]); };
  const auto cont = [&](std::size_t k, std::uint8_t lo = 0x80, std::uint8_t hi = 0xBF) {
    return i + k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  const std::uint8_t b0 = byte(0);
  if (b0 < 0x80) {
    cp = b0;
    return 1;
  }
  if (b0 >= 0xC2 && b0 <= 0xDF && cont(1)) {
    cp = (char32_t{b0} & 0x1F) << 6 | (char32_t{byte(1)} & 0x3F);
    return 2;
  }
  if (b0 >= 0xE0 && b0 <= 0xEF) {
    const std::uint8_t lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const std::uint8_t hi = b0 == 0xED ? 0x9F : 0xBF;  // no UTF-16 surrogates
    if (cont(1, lo, hi) && cont(2)) {
      cp = (char32_t{b0} & 0x0F) << 12 | (char32_t{byte(1)} & 0x3F) << 6 |
           (char32_t{byte(2)} & 0x3F);
      return 3;
    }
    return 0;
  }
  if (b0 >= 0xF0 && b0 <= 0xF4) {
    const std::uint8_t lo = b0 == 0xF0 ? 0x90 : 0x80;
    const std::uint8_t hi = b0 == 0xF4 ? 0x8F : 0xBF;  // nothing past U+10FFFF
    if (cont(1, lo, hi) && cont(2) && cont(3)) {
      cp = (char32_t{b0} & 0x07) << 18 | (char32_t{byte(1)} & 0x3F) << 12 |
           (char32_t{byte(2)} & 0x3F) << 6 | (char32_t{byte(3)} & 0x3F);
      return 4;
    }
  }
  return 0;
}

bool is_control(char32_t cp) {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

// Also refuses the Unicode line and paragraph separators, which some programs treat as
// line breaks, and the bidirectional overrides that can disguise text.
bool is_disallowed_format(char32_t cp) {
  return cp == 0x2028 || cp == 0x2029 || (cp >= 0x202A && cp <= 0x202E) ||
         (cp >= 0x2066 && cp <= 0x2069);
}

void check(std::string_view field, std::string_view value, std::size_t max_chars, bool multiline) {
  std::size_t count = 0;
  for (std::size_t i = 0; i < value.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(value, i, cp);
    if (len == 0) {
      throw make_error(ExitCode::data, "{}: not valid UTF-8 text; use UTF-8 encoding", field);
    }
    const bool allowed_space = multiline && (cp == U'\n' || cp == U'\t');
    if ((is_control(cp) && !allowed_space) || is_disallowed_format(cp)) {
      if (cp == U'\n' || cp == U'\r') {
        throw make_error(ExitCode::data, "{}: contains a line break; a single line is accepted",
                         field);
      }
      throw make_error(ExitCode::data,
                       "{}: contains a control character (U+{:04X}); printable text{} is accepted",
                       field, static_cast<std::uint32_t>(cp),
                       multiline ? ", line breaks and tabs" : "");
    }
    ++count;
    i += len;
  }
  if (count > max_chars) {
    throw make_error(ExitCode::data, "{}: too long ({} characters); at most {} are accepted", field,
                     count, max_chars);
  }
}

bool is_atext(char c) {
  if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
    return true;
  }
  return std::string_view("!#$%&'*+/=?^_`{|}~-").find(c) != std::string_view::npos;
}

bool is_dot_atom(std::string_view s, bool (*allowed)(char)) {
  if (s.empty() || s.front() == '.' || s.back() == '.' || s.find("..") != std::string_view::npos) {
    return false;
  }
  for (const char c : s) {
    if (c != '.' && !allowed(c)) {
      return false;
    }
  }
  return true;
}

bool is_label_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-';
}

}  // namespace

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(s, i, cp);
    if (len == 0) {
      return false;
    }
    i += len;
  }
  return true;
}

std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const std::size_t len = decode(s, i, cp);
    const bool control = cp < 0x20 || (cp >= 0x7F && cp < 0xA0);
    if (len == 0 || control) {
      out += fmt::format("\\x{:02X}", static_cast<unsigned char>(s[i]));
      i += 1;
    } else {
      out.append(s.substr(i, len));
      i += len;
    }
  }
  return out;
}

std::size_t code_point_count(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s) {
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      ++count;
    }
  }
  return count;
}

namespace {

// The columns one code point takes (see display_width).
std::size_t columns_of(UChar32 c) {
  if (c < 0) {
    return 1;  // an invalid byte: shown as one replacement character
  }
  const auto category = u_charType(c);
  if (category == U_NON_SPACING_MARK || category == U_ENCLOSING_MARK || category == U_FORMAT_CHAR ||
      (c >= 0x1160 && c <= 0x11FF)) {  // Hangul medial vowels and final consonants join
    return 0;
  }
  const auto east_asian = u_getIntPropertyValue(c, UCHAR_EAST_ASIAN_WIDTH);
  return east_asian == U_EA_WIDE || east_asian == U_EA_FULLWIDTH ? 2 : 1;
}

// The code point at `i`, moving `i` past it; -1 (and one byte on) for invalid UTF-8.
UChar32 next_code_point(std::string_view s, std::size_t& i) {
  const auto lead = static_cast<unsigned char>(s[i]);
  const std::size_t length = lead < 0x80           ? 1
                             : (lead >> 5) == 0x6  ? 2
                             : (lead >> 4) == 0xE  ? 3
                             : (lead >> 3) == 0x1E ? 4
                                                   : 0;
  if (length == 0 || i + length > s.size()) {
    ++i;
    return -1;
  }
  UChar32 c = length == 1 ? lead : lead & (0x7F >> length);
  for (std::size_t k = 1; k < length; ++k) {
    const auto byte = static_cast<unsigned char>(s[i + k]);
    if ((byte & 0xC0) != 0x80) {
      ++i;
      return -1;
    }
    c = (c << 6) | (byte & 0x3F);
  }
  i += length;
  return c;
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t width = 0;
  for (std::size_t i = 0; i < s.size();) {
    width += columns_of(next_code_point(s, i));
  }
  return width;
}

std::string fit_width(std::string_view s, std::size_t width) {
  if (display_width(s) <= width) {
    return std::string(s);
  }
  if (width == 0) {
    return {};
  }
  // Room for the ellipsis, one column; a wide character that does not fit is left out whole.
  const std::size_t room = width - 1;
  std::size_t used = 0;
  std::size_t end = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto w = columns_of(next_code_point(s, i));
    if (used + w > room) {
      break;
    }
    used += w;
    end = i;
  }
  std::string out(s.substr(0, end));
  // No space before the ellipsis: "Region Sörmla…", not "Region …".
  while (!out.empty() && out.back() == ' ') {
    out.pop_back();
  }
  return out + "\xE2\x80\xA6";  // …
}

void check_line(std::string_view field, std::string_view value, std::size_t max_chars) {
  check(field, value, max_chars, false);
}

void check_optional_line(std::string_view field, const std::optional<std::string>& value,
                         std::size_t max_chars) {
  if (value) {
    check(field, *value, max_chars, false);
  }
}

void check_text(std::string_view field, std::string_view value, std::size_t max_chars) {
  check(field, value, max_chars, true);
}

bool is_valid_email(std::string_view s) {
  if (s.size() > limits::email) {
    return false;
  }
  const auto at = s.rfind('@');
  if (at == std::string_view::npos || at == 0 || at > 64) {
    return false;
  }
  const std::string_view local = s.substr(0, at);
  const std::string_view domain = s.substr(at + 1);
  if (!is_dot_atom(local, is_atext) || !is_dot_atom(domain, is_label_char)) {
    return false;
  }
  // Every label 1-63 characters, no leading or trailing hyphen; at least two labels, and a
  // top-level domain of letters only.
  const auto labels = split(domain, '.');
  if (labels.size() < 2) {
    return false;
  }
  for (const auto& label : labels) {
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') {
      return false;
    }
  }
  const auto& tld = labels.back();
  if (tld.size() < 2) {
    return false;
  }
  for (const char c : tld) {
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))) {
      return false;
    }
  }
  return true;
}

void check_email(std::string_view field, std::string_view value) {
  if (value.find_first_of(" \t") != std::string_view::npos) {
    throw make_error(ExitCode::data,
                     "{}: not a valid e-mail address, it has a space inside; an ASCII address "
                     "like name@example.se is accepted",
                     field);
  }
  if (!is_valid_email(value)) {
    throw make_error(ExitCode::data,
                     "{}: not a valid e-mail address; an ASCII address like "
                     "name@example.se is accepted",
                     field);
  }
}

std::string trim_email(std::string_view value) {
  constexpr std::string_view space = " \t\r\n\v\f";
  const auto begin = value.find_first_not_of(space);
  if (begin == std::string_view::npos) {
    return {};
  }
  return std::string(value.substr(begin, value.find_last_not_of(space) - begin + 1));
}

std::optional<std::string> trim_optional_email(const std::optional<std::string>& value) {
  if (!value) {
    return std::nullopt;
  }
  return trim_email(*value);
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) {
      out += separator;
    }
    out += items[i];
  }
  return out;
}

std::vector<std::string> split(std::string_view s, char separator) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (;;) {
    const auto pos = s.find(separator, start);
    if (pos == std::string_view::npos) {
      parts.emplace_back(s.substr(start));
      return parts;
    }
    parts.emplace_back(s.substr(start, pos - start));
    start = pos + 1;
  }
}

}  // namespace lbib::text

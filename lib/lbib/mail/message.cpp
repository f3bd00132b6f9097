// SPDX-License-Identifier: MIT
#include "lbib/mail/message.hpp"

#include <fmt/format.h>

#include <array>
#include <random>

#include "lbib/error.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::mail {
namespace {

constexpr std::string_view crlf = "\r\n";
constexpr std::size_t max_line = 78;  // RFC 5322 2.1.1 "SHOULD"; 998 is the hard limit
constexpr std::size_t qp_line = 76;   // RFC 2045 6.7 (5)
// An encoded-word is at most 75 characters (RFC 2047 2): "=?UTF-8?B?" + base64 + "?=" leaves
// 63 characters of base64, which is 45 bytes of text (whole groups of 3 bytes).
constexpr std::size_t max_word_bytes = 45;

std::string base64(std::string_view in) {
  static constexpr char table[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  const auto byte = [&in](std::size_t k) { return unsigned{static_cast<unsigned char>(in[k])}; };
  std::string out;
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    const unsigned n = byte(i) << 16U | byte(i + 1) << 8U | byte(i + 2);
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += table[n & 63];
  }
  if (i + 1 == in.size()) {
    const unsigned n = byte(i) << 16U;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    const unsigned n = byte(i) << 16U | byte(i + 1) << 8U;
    out += table[(n >> 18) & 63];
    out += table[(n >> 12) & 63];
    out += table[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

bool is_plain_header_text(std::string_view s, std::size_t used) {
  if (used + s.size() > max_line || s.find("=?") != std::string_view::npos) {
    return false;
  }
  for (const char c : s) {
    if (c < 0x20 || c > 0x7E) {
      return false;
    }
  }
  return true;
}

// Splits UTF-8 text into pieces of at most `max` bytes without cutting a character.
std::vector<std::string_view> utf8_chunks(std::string_view s, std::size_t max) {
  std::vector<std::string_view> chunks;
  while (!s.empty()) {
    std::size_t n = std::min(max, s.size());
    while (n < s.size() && n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) {
      --n;  // back up to the start of a character
    }
    if (n == 0) {
      n = std::min(max, s.size());
    }
    chunks.push_back(s.substr(0, n));
    s.remove_prefix(n);
  }
  return chunks;
}

// A display name that can stand as RFC 5322 atoms without quoting.
bool is_atom_phrase(std::string_view s) {
  for (const char c : s) {
    const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    if (!alnum && std::string_view(" !#$%&'*+-/=?^_`{|}~").find(c) == std::string_view::npos) {
      return false;
    }
  }
  // "=?" could start an encoded word that a reader would decode (RFC 2047): encode instead.
  return !s.empty() && s.front() != ' ' && s.back() != ' ' &&
         s.find("=?") == std::string_view::npos;
}

void check_header_value(std::string_view name, std::string_view value) {
  // The last line of defence: every header is built from encoded or validated parts, so a
  // bare CR or LF here is a bug, and sending would let data forge headers.
  for (std::size_t i = 0; i < value.size(); ++i) {
    if (value[i] == '\r' || value[i] == '\n') {
      const bool fold = value.substr(i, 3).size() == 3 && value.substr(i, 2) == crlf &&
                        (value[i + 2] == ' ' || value[i + 2] == '\t');
      if (!fold) {
        throw make_error(ExitCode::software, "mail header {} would contain a line break", name);
      }
      ++i;
    }
  }
  // Far above any header lbib makes within its configuration's bounds (100 contact persons
  // in To, 500 addresses in a Bcc batch, each line folded): reaching it is a bug.
  if (value.size() > 262144) {
    throw make_error(ExitCode::software, "mail header {} is too long", name);
  }
}

void header(std::string& out, std::string_view name, std::string_view value) {
  check_header_value(name, value);
  out += name;
  out += ": ";
  out += value;
  out += crlf;
}

void check_email_for_header(std::string_view email) {
  // Addresses are validated when they are stored; this guards every other way in.
  if (!text::is_valid_email(email)) {
    throw make_error(ExitCode::software, "an address cannot be put into a mail header");
  }
}

std::string address_list(const std::vector<Address>& list, bool with_names, std::size_t used) {
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    if (i > 0) {
      out += ",\r\n ";  // one mailbox per line keeps every line short
    }
    if (with_names) {
      out += format_address(list[i], i == 0 ? used : 1);
    } else {
      check_email_for_header(list[i].email);
      out += list[i].email;
    }
  }
  return out;
}

}  // namespace

std::string encode_header_text(std::string_view text, std::size_t used) {
  if (is_plain_header_text(text, used)) {
    return std::string(text);
  }
  return encode_words(text, used);
}

std::string encode_words(std::string_view text, std::size_t used) {
  // Each encoded word fills the room left on its line: "=?UTF-8?B?" and "?=" take 12
  // characters, and every 3 bytes of text take 4 of base64.
  constexpr std::size_t overhead = 12;
  std::string out;
  std::size_t line = used;
  while (!text.empty()) {
    const std::size_t room = max_line > line + 1 + overhead ? max_line - line - 1 - overhead : 0;
    const std::size_t bytes = std::min(max_word_bytes, room / 4 * 3);
    if (bytes < 3 && !out.empty()) {
      out += "\r\n";
      line = 0;
      continue;
    }
    const auto chunk = utf8_chunks(text, std::max<std::size_t>(bytes, 4)).front();
    const std::string word = "=?UTF-8?B?" + base64(chunk) + "?=";
    if ((out.empty() ? line : line + 1) + word.size() > max_line && line > 1) {
      // A character of up to 4 bytes did not fit in the room left: fold before it.
      out += "\r\n";
      line = 0;
      continue;
    }
    if (!out.empty()) {
      out += ' ';
      ++line;
    }
    out += word;
    line += word.size();
    text.remove_prefix(chunk.size());
  }
  return out;
}

std::string format_address(const Address& a, std::size_t used) {
  check_email_for_header(a.email);
  if (a.name.empty()) {
    return a.email;
  }
  std::string name;
  bool ascii = true;
  for (const char c : a.name) {
    ascii = ascii && c >= 0x20 && c <= 0x7E;
  }
  if (is_atom_phrase(a.name)) {
    name = a.name;
  } else if (ascii && a.name.find("=?") == std::string::npos) {
    name = "\"";
    for (const char c : a.name) {
      if (c == '"' || c == '\\') {
        name += '\\';
      }
      name += c;
    }
    name += '"';
  }
  if (name.empty() || used + name.size() > max_line) {
    // Not plain, or too long for one line: encoded words fold where plain text cannot.
    name = encode_words(a.name, used);
  }
  // Fold before the address when it would not fit on the name's last line.
  const auto last_break = name.rfind("\r\n");
  const std::size_t last_line =
      last_break == std::string::npos ? used + name.size() : name.size() - last_break - 2;
  // " <" + email + ">" and the "," that may follow it in a list.
  const bool fold = last_line + 2 + a.email.size() + 2 > max_line;
  return name + (fold ? "\r\n <" : " <") + a.email + ">";
}

std::string quoted_printable(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('\n', start);
    const bool last = end == std::string_view::npos;
    if (last) {
      end = text.size();
    }
    std::string_view line = text.substr(start, end - start);
    if (!last && !line.empty() && line.back() == '\r') {  // CRLF is one line break
      line.remove_suffix(1);
    }
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool at_end = i + 1 == line.size();
      std::string piece;
      const bool literal =
          (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !at_end);
      // "From " at the start of a line is mangled by mbox tools; a leading "." by some
      // SMTP software. Encoding the first character is harmless and avoids both.
      const bool guard = i == 0 && (c == '.' || (c == 'F' && line.substr(0, 5) == "From "));
      if (literal && !guard) {
        piece = static_cast<char>(c);
      } else {
        piece = {'=', hex[c >> 4], hex[c & 15]};
      }
      // Leave room for the soft break "=" unless this is the line's last piece.
      const std::size_t room = at_end ? qp_line : qp_line - 1;
      if (column + piece.size() > room) {
        out += "=\r\n";
        column = 0;
      }
      out += piece;
      column += piece.size();
    }
    if (last) {
      break;
    }
    out += crlf;
    start = end + 1;
  }
  return out;
}

std::string format_date(std::time_t t) {
  static constexpr std::array<const char*, 7> days{"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr std::array<const char*, 12> months{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm utc{};
  gmtime_r(&t, &utc);
  return fmt::format("{}, {:02} {} {} {:02}:{:02}:{:02} +0000",
                     days[static_cast<std::size_t>(utc.tm_wday)], utc.tm_mday,
                     months[static_cast<std::size_t>(utc.tm_mon)], utc.tm_year + 1900, utc.tm_hour,
                     utc.tm_min, utc.tm_sec);
}

std::string make_message_id(std::string_view tag, std::string_view from_email) {
  const auto at = from_email.rfind('@');
  const std::string_view domain =
      at == std::string_view::npos ? std::string_view("lbib.invalid") : from_email.substr(at + 1);
  std::random_device random;
  const std::uint64_t nonce = (std::uint64_t{random()} << 32) | random();
  return fmt::format("lbib.{}.{}.{:016x}@{}", tag, std::time(nullptr), nonce, domain);
}

std::string render(const Message& m) {
  std::string out;
  header(out, "Date", format_date(m.date));
  header(out, "From", format_address(m.from, 6));
  if (!m.to.empty()) {
    header(out, "To", address_list(m.to, true, 4));
  } else {
    header(out, "To", "undisclosed-recipients:;");
  }
  if (!m.bcc.empty()) {
    header(out, "Bcc", address_list(m.bcc, false, 5));
  }
  if (m.reply_to && m.reply_copy) {
    header(out, "Reply-To", address_list({*m.reply_to, *m.reply_copy}, true, 10));
  } else if (m.reply_to) {
    header(out, "Reply-To", format_address(*m.reply_to, 10));
  }
  for (const char c : m.subject) {
    if (c == '\r' || c == '\n') {
      throw make_error(ExitCode::software, "mail subject would contain a line break");
    }
  }
  header(out, "Subject", encode_header_text(m.subject, 9));
  check_email_for_header(m.message_id);
  header(out, "Message-ID", "<" + m.message_id + ">");
  header(out, "MIME-Version", "1.0");
  header(out, "Content-Type", "text/plain; charset=utf-8");
  header(out, "Content-Transfer-Encoding", "quoted-printable");
  out += crlf;
  out += quoted_printable(m.body);
  out += crlf;
  return out;
}

}  // namespace lbib::mail

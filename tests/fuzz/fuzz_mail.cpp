// SPDX-License-Identifier: MIT
// Fuzzes the mail composer: a template filled with data, then rendered as an RFC 5322
// message. Any input may be refused with lbib::Error; everything rendered must hold:
//   - lines end in CRLF, with no bare CR or LF; no line is longer than 998 octets (RFC 5322's
//     hard limit), and none longer than 78 (its "SHOULD") unless it holds one address, which
//     cannot be folded;
//   - the message is 7-bit ASCII (so valid UTF-8), its headers are exactly lbib's own and
//     each appears once: no data can add or repeat a header;
//   - the quoted-printable body decodes back to the filled text;
//   - every display name (From, Reply-To, the first To) reads back, as a mail reader decodes it,
//     to exactly the name given: plain atoms without "=?", a quoted string, or lbib's own
//     RFC 2047 encoded words. A name that itself looks like an encoded word is encoded.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdint>
#include <map>
#include <string>

#include "fuzz_common.hpp"
#include "lbib/error.hpp"
#include "lbib/mail/message.hpp"
#include "lbib/mail/template.hpp"

namespace {

using lbib::fuzz::check;

int hex_value(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/// Decodes quoted-printable with CRLF hard breaks into text with LF breaks.
std::string decode_qp(std::string_view qp) {
  std::string out;
  for (std::size_t i = 0; i < qp.size(); ++i) {
    const char c = qp[i];
    if (c == '=') {
      if (qp.substr(i + 1, 2) == "\r\n") {  // soft line break
        i += 2;
        continue;
      }
      check(i + 2 < qp.size(), "QP escape cut off");
      const int hi = hex_value(qp[i + 1]);
      const int lo = hex_value(qp[i + 2]);
      check(hi >= 0 && lo >= 0, "QP escape is not two upper-case hex digits");
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '\r') {
      check(qp.substr(i, 2) == "\r\n", "bare CR in the body");
      out += '\n';
      ++i;
    } else {
      out += c;
    }
  }
  return out;
}

std::string normalise_newlines(std::string_view s) {
  // The composer writes LF and CRLF alike as one line break; a lone CR is data (encoded).
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n') {
      continue;
    }
    out += s[i];
  }
  return out;
}

/// True when `line` is one address that cannot be folded: "Bcc: a@b," or " <a@b>".
bool one_address(std::string_view line) {
  if (const auto colon = line.find(": "); colon != std::string_view::npos && line[0] != ' ') {
    line.remove_prefix(colon + 2);
  }
  while (!line.empty() && (line.front() == ' ' || line.front() == '<'))
    line.remove_prefix(1);
  while (!line.empty() && (line.back() == ',' || line.back() == '>'))
    line.remove_suffix(1);
  return line.size() <= 254 && line.find_first_of(" <>,") == std::string_view::npos &&
         line.find('@') != std::string_view::npos;
}

void check_message(const std::string& text, const std::string& body) {
  // Lines: CRLF only, none longer than 78 octets, 7-bit.
  std::size_t start = 0;
  while (start < text.size()) {
    const std::size_t end = text.find("\r\n", start);
    check(end != std::string::npos, "message does not end with CRLF");
    const std::string_view line(text.data() + start, end - start);
    check(lbib::fuzz::single_line(line), "bare CR or LF in a line");
    check(line.size() <= 998, "line longer than 998 octets", text);
    check(line.size() <= 78 || one_address(line), "line longer than 78 octets", text);
    for (const char c : line) {
      check(static_cast<unsigned char>(c) < 0x80, "8-bit octet in the message");
    }
    start = end + 2;
  }
  // Headers: exactly lbib's set, each once.
  const std::size_t split = text.find("\r\n\r\n");
  check(split != std::string::npos, "no blank line after the headers");
  std::map<std::string, int> seen;
  start = 0;
  while (start < split + 2) {
    const std::size_t end = text.find("\r\n", start);
    const std::string_view line(text.data() + start, end - start);
    if (!line.empty() && line.front() != ' ' && line.front() != '\t') {
      const std::size_t colon = line.find(':');
      check(colon != std::string_view::npos, "header line without a colon");
      ++seen[std::string(line.substr(0, colon))];
    }
    start = end + 2;
  }
  static const std::map<std::string, int> allowed = {
      {"Date", 1},         {"From", 1},
      {"To", 1},           {"Bcc", 1},
      {"Reply-To", 1},     {"Subject", 1},
      {"Message-ID", 1},   {"MIME-Version", 1},
      {"Content-Type", 1}, {"Content-Transfer-Encoding", 1}};
  for (const auto& [name, count] : seen) {
    check(allowed.contains(name), "a header lbib never writes", text);
    check(count == 1, "a header appears twice", text);
  }
  // Body: decodes back to the filled text (the composer ends it with one CRLF).
  std::string decoded = decode_qp(std::string_view(text).substr(split + 4));
  check(!decoded.empty() && decoded.back() == '\n', "body does not end with a line break");
  decoded.pop_back();
  check(decoded == normalise_newlines(body), "body does not decode to the text");
}

std::string decode_base64(std::string_view in) {
  static const std::string_view table =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned bits = 0;
  int count = 0;
  for (const char c : in) {
    if (c == '=') {
      break;
    }
    const auto v = table.find(c);
    check(v != std::string_view::npos, "not base64 in an encoded word");
    bits = (bits << 6U) | static_cast<unsigned>(v);
    count += 6;
    if (count >= 8) {
      count -= 8;
      out += static_cast<char>((bits >> static_cast<unsigned>(count)) & 0xFFU);
    }
  }
  return out;
}

/// The value of header `name` in `text`, unfolded (CRLF before a space removed).
std::string header_value(const std::string& text, std::string_view name) {
  const std::string start = "\r\n" + std::string(name) + ": ";
  auto at = ("\r\n" + text).find(start);
  if (at == std::string::npos) {
    return {};
  }
  at += start.size() - 2;  // the search text had "\r\n" put in front
  std::string value;
  for (std::size_t i = at; i < text.size(); ++i) {
    if (text.compare(i, 2, "\r\n") == 0) {
      if (i + 2 < text.size() && (text[i + 2] == ' ' || text[i + 2] == '\t')) {
        ++i;
        continue;
      }
      break;
    }
    value += text[i];
  }
  return value;
}

/// The display name of the first mailbox in an unfolded address header, as a reader decodes it.
std::string display_name(std::string_view value) {
  std::string out;
  if (!value.empty() && value.front() == '"') {
    for (std::size_t i = 1; i < value.size() && value[i] != '"'; ++i) {
      if (value[i] == '\\') {
        ++i;
      }
      out += value[i];
    }
    return out;
  }
  const auto open = value.find(" <");
  if (open == std::string_view::npos) {
    return {};  // a bare address
  }
  const std::string_view name = value.substr(0, open);
  if (name.find("=?") == std::string_view::npos) {
    return std::string(name);
  }
  // Encoded words only, separated by spaces a reader drops (RFC 2047 6.2).
  std::size_t i = 0;
  while (i < name.size()) {
    check(name.substr(i, 10) == "=?UTF-8?B?", "a raw =? in a display name", std::string(name));
    const auto end = name.find("?=", i + 10);
    check(end != std::string_view::npos, "an encoded word is not closed");
    out += decode_base64(name.substr(i + 10, end - i - 10));
    i = end + 2;
    while (i < name.size() && name[i] == ' ') {
      ++i;
    }
  }
  return out;
}

void check_name(const std::string& text, std::string_view header, const lbib::mail::Address& a) {
  const std::string value = header_value(text, header);
  if (value.empty() || a.name.empty()) {
    return;
  }
  check(display_name(value) == a.name, "a display name does not read back as given", text);
}

lbib::mail::Address address(FuzzedDataProvider& data) {
  static const char* const emails[] = {"a@example.org", "kontakt@region.example.se",
                                       "x.y+z@example.com"};
  lbib::mail::Address a;
  a.name = data.ConsumeRandomLengthString(120);
  if (data.ConsumeBool()) {  // names that look like encoded words, for the reader to decode
    a.name = (data.ConsumeBool() ? "=?UTF-8?B?" : "=?utf-8?q?") + a.name + "?=";
  }
  a.email = data.ConsumeBool() ? emails[data.ConsumeIntegralInRange<std::size_t>(0, 2)]
                               : data.ConsumeRandomLengthString(80);
  return a;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  FuzzedDataProvider data(bytes, size);
  lbib::mail::Message m;
  m.from = address(data);
  for (std::size_t n = data.ConsumeIntegralInRange<std::size_t>(0, 3); n > 0; --n) {
    m.to.push_back(address(data));
  }
  for (std::size_t n = data.ConsumeIntegralInRange<std::size_t>(0, 5); n > 0; --n) {
    m.bcc.push_back(address(data));
  }
  if (data.ConsumeBool()) {
    m.reply_to = address(data);
  }
  m.subject = data.ConsumeRandomLengthString(300);
  m.message_id = data.ConsumeBool() ? "lbib.1.2@example.org" : data.ConsumeRandomLengthString(60);
  m.date = data.ConsumeIntegralInRange<std::time_t>(0, 4102444800);  // up to 2100
  const lbib::mail::Values values = {{"request", data.ConsumeRandomLengthString(200)},
                                     {"borrower", data.ConsumeRandomLengthString(200)}};
  const std::string templ = data.ConsumeRemainingBytesAsString();
  try {
    m.body = lbib::mail::fill(templ, values, "fuzz template");
    const std::string text = lbib::mail::render(m);
    check_message(text, m.body);
    check_name(text, "From", m.from);
    if (m.reply_to) {
      check_name(text, "Reply-To", *m.reply_to);
    }
    if (!m.to.empty()) {
      check_name(text, "To", m.to.front());
    }
  } catch (const lbib::Error&) {
    // Refused with lbib's own error: allowed.
  }
  return 0;
}

// SPDX-License-Identifier: MIT
#include <sstream>

#include "helpers.hpp"
#include "lbib/io/files.hpp"
#include "lbib/mail/message.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/text/validate.hpp"

namespace mail = lbib::mail;

namespace {

std::string base64_decode(std::string_view in) {
  static const std::string table =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  unsigned buffer = 0;
  int bits = 0;
  for (const char c : in) {
    if (c == '=') {
      break;
    }
    buffer = (buffer << 6) | static_cast<unsigned>(table.find(c));
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xFF);
    }
  }
  return out;
}

// Decodes a header value made of RFC 2047 B-words separated by folding white space.
std::string decode_words(const std::string& value) {
  std::string out;
  std::size_t pos = 0;
  while ((pos = value.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const auto end = value.find("?=", pos + 10);
    out += base64_decode(value.substr(pos + 10, end - pos - 10));
    pos = end + 2;
  }
  return out;
}

std::string qp_decode(const std::string& in) {
  std::string out;
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '=' && in.compare(i + 1, 2, "\r\n") == 0) {
      i += 2;
    } else if (in[i] == '=') {
      out += static_cast<char>(std::stoi(in.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else if (in[i] == '\r') {
      continue;
    } else {
      out += in[i];
    }
  }
  return out;
}

std::vector<std::string> lines(const std::string& s) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (auto pos = s.find("\r\n"); pos != std::string::npos; pos = s.find("\r\n", start)) {
    out.push_back(s.substr(start, pos - start));
    start = pos + 2;
  }
  out.push_back(s.substr(start));
  return out;
}

mail::Message sample_message() {
  mail::Message m;
  m.from = {"Levande Bibliotek", "lb@example.se"};
  m.to = {m.from};
  m.bcc = {{"", "a@example.se"}, {"", "b@example.se"}};
  m.reply_to = mail::Address{"Kim Låntagare", "kim@example.se"};
  m.subject =
      "Förfrågan om uppdrag från Region Sörmland, Utvecklingsenheten: svara senast 2026-11-20";
  m.body = "Hej!\n\nSyfte: Åtgärder för äldre\nFrom here on.\n.\nSlut = slut   \n";
  m.message_id = "lbib.r1.1.abc@example.se";
  m.date = 1795369612;
  return m;
}

}  // namespace

TEST_CASE("plain ASCII header text stays as it is") {
  CHECK(mail::encode_header_text("Request for an assignment", 9) == "Request for an assignment");
}

TEST_CASE("encoded words round-trip and every line fits") {
  const std::string subject(300, 'x');
  for (const std::string& text : {std::string("Åsa Öberg"), std::string("ååååå ") + subject,
                                  std::string("has =?UTF-8?B?x?= inside"), std::string("a\tb")}) {
    const std::string value = mail::encode_header_text(text, 9);
    CHECK(decode_words(value) == text);
    const auto ls = lines("Subject: " + value);
    for (const auto& l : ls) {
      CHECK_MESSAGE(l.size() <= 78, l);
    }
    for (std::size_t i = 1; i < ls.size(); ++i) {
      CHECK(ls[i].front() == ' ');  // folded, never a new header
    }
  }
}

TEST_CASE("encoded words never split a character") {
  // Built by appending: GCC 12 warns falsely (-Warray-bounds) on string + literal here.
  const std::string text = std::string(100, 'a').append("ö").append(100, 'b').append("😀");
  const auto value = mail::encode_words(text, 9);
  std::size_t pos = 0;
  while ((pos = value.find("=?UTF-8?B?", pos)) != std::string::npos) {
    const auto end = value.find("?=", pos + 10);
    CHECK(lbib::text::is_valid_utf8(base64_decode(value.substr(pos + 10, end - pos - 10))));
    pos = end + 2;
  }
}

TEST_CASE("format_address quotes or encodes display names") {
  CHECK(mail::format_address({"", "a@example.se"}, 4) == "a@example.se");
  CHECK(mail::format_address({"Kim Exempel", "k@example.se"}, 4) == "Kim Exempel <k@example.se>");
  CHECK(mail::format_address({"Exempel, Kim \"K\"", "k@example.se"}, 4) ==
        "\"Exempel, Kim \\\"K\\\"\" <k@example.se>");
  const auto encoded = mail::format_address({"Kim Låntagare", "k@example.se"}, 10);
  CHECK(encoded.rfind("=?UTF-8?B?", 0) == 0);
  CHECK(decode_words(encoded) == "Kim Låntagare");
  CHECK_LBIB_ERROR(mail::format_address({"x", "a@b.se>, evil@x.se"}, 4), lbib::ExitCode::software,
                   "cannot be put");
}

TEST_CASE("a display name that looks like an encoded word is encoded, never passed raw") {
  // "=?UTF-8?B?...?=" decoding to "Evil\r\nBcc: attacker@..." (issue #19).
  for (const std::string name : {"=?UTF-8?B?RXZpbA0KQmNjOiBhdHRhY2tlckBldmlsLmV4YW1wbGU=?=",
                                 "=?utf-8?q?Evil=0D=0ABcc:_a@b?=", "Kim =?x?= Kontakt", "=?"}) {
    CAPTURE(name);
    const auto header = mail::format_address({name, "k@example.se"}, 10);
    CHECK(header.rfind("=?UTF-8?B?", 0) == 0);
    CHECK(decode_words(header) == name);
  }
  CHECK(mail::format_address({"Ann ?= Berg", "k@example.se"}, 4) == "Ann ?= Berg <k@example.se>");
}

TEST_CASE("subjects are one line, whatever the values hold") {
  const mail::Values values{{"purpose", "rad ett\nBcc: x@example.se"}, {"form", "x"}};
  CHECK(mail::fill_line("Om {purpose}", values, "s") == "Om rad ett Bcc: x@example.se");
  CHECK_LBIB_ERROR(mail::check_one_line("Om {purpose}", values, "mail.sv.dispatch_subject"),
                   lbib::ExitCode::config, "mail.sv.dispatch_subject: the placeholder {purpose}");
  CHECK_NOTHROW(mail::check_one_line("Om {form} {{purpose}}", values, "s"));
}

TEST_CASE("quoted-printable round-trips and keeps lines within 76") {
  const std::string body =
      std::string(200, 'a') + " ö\n" + "tail space \nFrom me\n.dot\n==\n" + std::string(90, '=');
  const std::string qp = mail::quoted_printable(body);
  for (const auto& l : lines(qp)) {
    CHECK_MESSAGE(l.size() <= 76, l);
    CHECK((l.empty() || (l.back() != ' ' && l.back() != '\t')));
  }
  CHECK(qp_decode(qp) == body);
  CHECK(qp.find("\r\n=46rom me") != std::string::npos);
  CHECK(qp.find("\r\n=2Edot") != std::string::npos);
  CHECK(qp.find("space=20\r\n") != std::string::npos);
}

TEST_CASE("render writes a complete RFC 5322 message") {
  const std::string text = mail::render(sample_message());
  const auto head = text.substr(0, text.find("\r\n\r\n"));
  CHECK(head.find("Date: Sun, 22 Nov 2026 17:46:52 +0000") == 0);
  CHECK(head.find("\r\nBcc: a@example.se,\r\n b@example.se\r\n") != std::string::npos);
  CHECK(head.find("\r\nMessage-ID: <lbib.r1.1.abc@example.se>\r\n") != std::string::npos);
  CHECK(head.find("Content-Transfer-Encoding: quoted-printable") != std::string::npos);
  for (const auto& l : lines(text)) {
    CHECK_MESSAGE(l.size() <= 78, l);
    for (const char c : l) {
      CHECK(static_cast<unsigned char>(c) < 0x80);  // 7-bit clean
    }
  }
  const auto body = text.substr(text.find("\r\n\r\n") + 4);
  CHECK(qp_decode(body) == sample_message().body + "\n");
}

TEST_CASE("data can never add a header") {
  auto m = sample_message();
  m.subject = "Hej\r\nBcc: evil@example.se";
  CHECK_LBIB_ERROR(mail::render(m), lbib::ExitCode::software, "line break");
  m = sample_message();
  m.reply_to = mail::Address{"Kim\r\nBcc: evil@example.se", "k@example.se"};
  const std::string text = mail::render(m);
  CHECK(text.find("\nBcc: evil") == std::string::npos);  // the name is encoded, not raw
  m = sample_message();
  m.bcc.push_back({"", "x@example.se\r\nSubject: y"});
  CHECK_LBIB_ERROR(mail::render(m), lbib::ExitCode::software, "cannot be put");
}

TEST_CASE("message ids are unique and at the library's domain") {
  const auto a = mail::make_message_id("r1", "lb@bibliotek.example.se");
  const auto b = mail::make_message_id("r1", "lb@bibliotek.example.se");
  CHECK(a != b);
  CHECK(a.size() > 20);
  CHECK(a.substr(a.find('@')) == "@bibliotek.example.se");
}

TEST_CASE("templates are filled by name and checked") {
  CHECK(mail::fill("Hej {name}, {{inte}} {name}", {{"name", "Åsa"}}, "t") == "Hej Åsa, {inte} Åsa");
  CHECK(mail::fill("Uppdrag, återkoppling: {name}}}", {{"name", "x"}}, "t") ==
        "Uppdrag, återkoppling: x}");
  CHECK_LBIB_ERROR(mail::fill("Hej {nmae}", {{"name", "Åsa"}}, "mail.x"), lbib::ExitCode::config,
                   "placeholders it may use: {name}");
  CHECK_LBIB_ERROR(mail::fill("Hej {", {{"name", "Åsa"}}, "mail.x"), lbib::ExitCode::config,
                   "mail.x");
  // Only names: no positional fields, widths or precisions (fuzz_mail found fmt aborting).
  for (const char* bad : {"{}", "{0}", "{name:>999999999}", "{name!r}", "x } y", "{na\nme}"}) {
    CHECK_LBIB_ERROR(mail::fill(bad, {{"name", "Åsa"}}, "mail.x"), lbib::ExitCode::config,
                     "template mail.x");
  }
}

// The cases below were found by tests/fuzz/fuzz_mail (docs/reliability.md).
TEST_CASE("a long plain display name is encoded so its lines still fit") {
  const std::string name(100, 'E');
  for (const std::string& n : {name, name + " " + name, "Kim \"" + name + "\""}) {
    const auto value = mail::format_address({n, "a@example.org"}, 4);
    for (const auto& l : lines("To: " + value)) {
      CHECK_MESSAGE(l.size() <= 78, l);
    }
    CHECK(decode_words(value) == n);
  }
}

TEST_CASE("an encoded word that does not fit the rest of a line is folded") {
  // 30 bytes fill the first word; a 4-byte character then found 3 bytes of room.
  const std::string text = std::string(30, 'a').append("😀😀😀").append(60, 'b');
  for (std::size_t used = 0; used < 60; ++used) {
    const auto value = mail::encode_words(text, used);
    const auto ls = lines(std::string(used, 'x') + value);
    for (const auto& l : ls) {
      CHECK_MESSAGE(l.size() <= 78, l);
    }
    CHECK(decode_words(value) == text);
  }
}

TEST_CASE("a body keeps a carriage return at its very end") {
  const std::string body = "rad ett\r\nrad två\r";
  CHECK(qp_decode(mail::quoted_printable(body)) == "rad ett\nrad två\r");
}

TEST_CASE("empty or malformed addresses never reach a header") {
  for (const char* bad : {"", "no-at-sign", "@example.org", "a@", "a b@example.org"}) {
    auto m = sample_message();
    m.bcc.push_back({"", bad});
    CHECK_LBIB_ERROR(mail::render(m), lbib::ExitCode::software, "cannot be put");
  }
  auto m = sample_message();
  m.message_id = "";
  CHECK_LBIB_ERROR(mail::render(m), lbib::ExitCode::software, "cannot be put");
}

TEST_CASE("the comma after a mailbox in a list is counted when folding") {
  for (std::size_t n = 50; n < 80; ++n) {
    auto m = sample_message();
    m.to = {
        {"Kim", "kim@example.se"}, {std::string(n, 'c'), "a@example.org"}, {"Bo", "b@example.se"}};
    for (const auto& l : lines(mail::render(m))) {
      CHECK_MESSAGE(l.size() <= 78, l);
    }
  }
}

TEST_CASE("batches list an address once, with every id it stands for") {
  mail::Message m;
  m.from = {"Biblioteket", "lib@example.se"};
  m.to = {m.from};
  m.subject = "S";
  m.body = "B";
  const std::vector<std::pair<std::int64_t, std::string>> bcc{
      {1, "a@example.se"}, {2, "b@example.se"}, {3, "A@Example.SE"}, {4, "c@example.se"}};
  const auto out = mail::batches(m, bcc, 2, "r1");
  REQUIRE(out.size() == 2);
  CHECK(out[0].message.bcc.size() == 2);
  CHECK(out[0].message.bcc[0].email == "a@example.se");
  CHECK(out[0].experts == std::vector<std::int64_t>{1, 3, 2});
  CHECK(out[1].message.bcc.size() == 1);
  CHECK(out[1].experts == std::vector<std::int64_t>{4});
}

namespace {
std::vector<std::string> batch_names_in(const std::filesystem::path& dir) {
  std::vector<std::string> names;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}
}  // namespace

TEST_CASE("FileBatch: files appear only at commit, whole, and never over an existing file") {
  lbib::testing::TempDir dir;
  SUBCASE("commit places every file with its content, private, and removes the staging") {
    lbib::io::FileBatch batch(dir.path);
    batch.add("a.json", "{}\n");
    batch.add("a.eml", "Subject: x\r\n\r\nbody\r\n");
    CHECK(batch_names_in(dir.path).size() == 1);  // only the hidden staging folder so far
    const auto placed = batch.commit();
    REQUIRE(placed.size() == 2);
    CHECK(placed[1] == dir.path / "a.eml");
    CHECK(batch_names_in(dir.path) == std::vector<std::string>{"a.eml", "a.json"});
    CHECK(lbib::io::read_file(dir.path / "a.eml", "message") == "Subject: x\r\n\r\nbody\r\n");
    const auto mode =
        std::filesystem::status(dir.path / "a.eml").permissions() & std::filesystem::perms::all;
    CHECK(mode == (std::filesystem::perms::owner_read | std::filesystem::perms::owner_write));
  }
  SUBCASE("a batch dropped before commit leaves nothing") {
    {
      lbib::io::FileBatch batch(dir.path);
      batch.add("b.eml", "x");
    }
    CHECK(batch_names_in(dir.path).empty());
  }
  SUBCASE("an existing name is refused when added, and nothing is placed") {
    lbib::io::write_private_file(dir.path / "c.eml", std::string("old"));
    lbib::io::FileBatch batch(dir.path);
    batch.add("c.json", "{}");
    CHECK_THROWS_WITH_AS(batch.add("c.eml", "new"), doctest::Contains("already exists"),
                         lbib::Error);
  }
  for (const auto& name : batch_names_in(dir.path)) {
    CHECK_FALSE(name.starts_with(".lbib-staging"));  // the staging folder is always removed
  }
}

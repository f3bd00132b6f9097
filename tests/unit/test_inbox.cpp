// SPDX-License-Identifier: MIT
// lbib inbox: the first words of a reply, HTML without tags, lbib's Message-IDs, the Maildir
// flag, and GMime's parsing of encodings (issue #15). The Maildir and the register are tested
// end to end in tests/cli/test_inbox.py.
#include "helpers.hpp"
#include "lbib/inbox/inbox.hpp"
#include "lbib/inbox/mime.hpp"
#include "lbib/inbox/mime_reader.hpp"

extern "C" int lbib_mime_read_v1(const char* data, std::size_t size, lbib::inbox::Parsed* out);

namespace {
// The unit tests compile GMime's module in; the binary loads it (tests/cli/test_inbox.py).
[[maybe_unused]] const bool inbox_reader_compiled_in =
    (lbib::inbox::use_reader(&lbib_mime_read_v1), true);
}  // namespace

using lbib::inbox::first_words;
using lbib::inbox::Says;

TEST_CASE("first_words reads yes, no and everything else as unclear") {
  CHECK(first_words("Ja, jag kommer gärna!") == Says::yes);
  CHECK(first_words("\n\n  JA\n") == Says::yes);
  CHECK(first_words("Kan.") == Says::yes);
  CHECK(first_words("Hej!\nKan den dagen.") == Says::yes);
  CHECK(first_words("Yes, I can come.") == Says::yes);
  CHECK(first_words("I can come") == Says::yes);
  CHECK(first_words("Nej tack") == Says::no);
  CHECK(first_words("Kan inte, tyvärr.") == Says::no);
  CHECK(first_words("Kan tyvärr inte") == Says::no);
  CHECK(first_words("Tyvärr kan jag inte") == Says::no);
  CHECK(first_words("No, sorry") == Says::no);
  CHECK(first_words("I can\u2019t come") == Says::no);
  CHECK(first_words("Kan du ringa mig?") == Says::unclear);
  CHECK(first_words("Ja, men inte den dagen") == Says::unclear);
  CHECK(first_words("Vilken tid börjar det?") == Says::unclear);
  CHECK(first_words("> Ja\n> Nej\n") == Says::unclear);
  CHECK(first_words("> citat\nNej") == Says::no);
  CHECK(first_words("") == Says::unclear);
  CHECK(first_words("Hej") == Says::unclear);
}

TEST_CASE("strip_html keeps the text and marks quoted blocks") {
  const auto text = lbib::inbox::strip_html(
      "<html><head><title>x</title><style>p{}</style></head><body><!-- c --><p>Kan "
      "tyv&auml;rr inte&nbsp;&Aring;</p><script>ja</script><blockquote>Ja</blockquote>");
  CHECK(text.find("Kan tyvärr inte Å") != std::string::npos);
  CHECK(text.find("p{}") == std::string::npos);
  CHECK(text.find("x") == std::string::npos);
  CHECK(text.find("> Ja") != std::string::npos);
  CHECK(first_words(text) == Says::no);
}

TEST_CASE("parse_message_id gives the kind and request of lbib's Message-IDs") {
  using lbib::inbox::parse_message_id;
  const auto dispatch = parse_message_id("lbib.dispatch-3.1700000000.0123456789abcdef@example.se");
  REQUIRE(dispatch);
  CHECK(dispatch->first == "dispatch");
  CHECK(dispatch->second == 3);
  const auto summary =
      parse_message_id("lbib.followup-summary-12.1700000000.0123456789abcdef@example.se");
  REQUIRE(summary);
  CHECK(summary->first == "followup-summary");
  CHECK(summary->second == 12);
  const auto notice = parse_message_id("lbib.closing-notice.1700000000.0123456789abcdef@x");
  REQUIRE(notice);
  CHECK(notice->first == "closing-notice");
  CHECK(notice->second == 0);
  CHECK_FALSE(parse_message_id("CAF=abc@mail.gmail.com"));
  CHECK_FALSE(parse_message_id("lbib.dispatch-3@x"));
  CHECK_FALSE(parse_message_id("lbib.dispatch-3.1.2"));
}

TEST_CASE("seen_name adds S to the Maildir flags in order") {
  using lbib::inbox::seen_name;
  CHECK(seen_name("1700.P1Q2.host") == "1700.P1Q2.host:2,S");
  CHECK(seen_name("1700.P1Q2.host:2,") == "1700.P1Q2.host:2,S");
  CHECK(seen_name("1700.P1Q2.host:2,FT") == "1700.P1Q2.host:2,FST");
  CHECK(seen_name("1700.P1Q2.host:2,RS") == "1700.P1Q2.host:2,RS");
}

TEST_CASE("parse decodes every transfer encoding and charset") {
  using lbib::inbox::parse;
  SUBCASE("quoted-printable ISO-8859-1 with an encoded subject") {
    const auto mail = parse(
        "From: Anna =?iso-8859-1?q?=C4ldre?= <Anna@Example.se>\r\n"
        "Subject: Sv: =?iso-8859-1?q?F=F6rfr=E5gan?=\r\n"
        "In-Reply-To: <lbib.dispatch-3.1.00000000000000ff@example.se>\r\n"
        "References: <a@x> <lbib.dispatch-3.1.00000000000000ff@example.se>\r\n"
        "Date: Tue, 01 Dec 2026 10:00:00 +0100\r\n"
        "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=iso-8859-1\r\n"
        "Content-Transfer-Encoding: quoted-printable\r\n\r\nNej, jag =E4r bortrest.\r\n");
    REQUIRE(mail);
    CHECK(mail->senders == std::vector<std::string>{"Anna@Example.se"});
    CHECK(mail->subject == "Sv: Förfrågan");
    REQUIRE(mail->references.size() == 3);
    CHECK(mail->references[0] == "lbib.dispatch-3.1.00000000000000ff@example.se");
    CHECK(mail->text.find("Nej, jag är bortrest.") == 0);
    CHECK(mail->date.has_value());
    CHECK_FALSE(mail->auto_reply);
    CHECK_FALSE(mail->forwarded);
  }
  SUBCASE("base64 windows-1252 in a nested multipart, plain before HTML") {
    const auto mail = parse(
        "From: bo@example.se\r\nMIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"m\"\r\n\r\n"
        "--m\r\nContent-Type: multipart/alternative; boundary=\"a\"\r\n\r\n"
        "--a\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Nej</p>\r\n"
        "--a\r\nContent-Type: text/plain; charset=windows-1252\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\nSmEgliBn5HJuYQ==\r\n--a--\r\n"
        "--m\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment\r\n\r\nx\r\n"
        "--m--\r\n");
    REQUIRE(mail);
    CHECK(mail->text == "Ja \u2013 gärna");
    CHECK(first_words(mail->text) == Says::yes);
  }
  SUBCASE("auto-replies and forwards are marked") {
    const auto away = parse("From: a@x\r\nSubject: =?utf-8?q?Fr=C3=A5nvaro?=\r\n\r\nBorta\r\n");
    REQUIRE(away);
    CHECK(away->auto_reply);
    const auto header = parse("From: a@x\r\nAuto-Submitted: auto-replied\r\n\r\nJa\r\n");
    REQUIRE(header);
    CHECK(header->auto_reply);
    const auto no = parse("From: a@x\r\nAuto-Submitted: no\r\n\r\nJa\r\n");
    REQUIRE(no);
    CHECK_FALSE(no->auto_reply);
    const auto forwarded = parse("From: a@x\r\nSubject: VB: Förfrågan\r\n\r\nTill dig\r\n");
    REQUIRE(forwarded);
    CHECK(forwarded->forwarded);
  }
  SUBCASE("no message: no sender, noise") {
    CHECK_FALSE(parse(""));
    CHECK_FALSE(parse("Subject: x\r\n\r\nJa\r\n"));
    CHECK_FALSE(parse(std::string("\0\1\2\3\xff\xfe", 6)));
  }
  SUBCASE("the text kept is limited, and valid UTF-8") {
    const auto mail = parse("From: a@x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n" +
                            std::string(10000, 'a') + "\r\n");
    REQUIRE(mail);
    CHECK(mail->text.size() <= lbib::inbox::text_limit);
    const auto bad =
        parse("From: a@x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nJa \xff\xfe\r\n");
    REQUIRE(bad);
    CHECK(first_words(bad->text) == Says::yes);
  }
}

TEST_CASE("numbered_yes_no reads a question's number and a yes or no, and nothing else") {
  using lbib::inbox::numbered_yes_no;
  const auto read = [](std::string_view text, std::size_t questions = 4) {
    std::vector<std::pair<std::size_t, std::string>> out;
    for (const auto& a : numbered_yes_no(text, questions)) {
      out.emplace_back(a.number, a.word);
    }
    return out;
  };
  using Read = std::vector<std::pair<std::size_t, std::string>>;
  CHECK(read("Hej!\n\n1. Det gick bra.\n2. ja\n3 Nej.\r\n4) Yes!\n") ==
        Read{{2, "ja"}, {3, "nej"}, {4, "yes"}});
  CHECK(read("4: no\n2:JA\n") == Read{{2, "ja"}, {4, "no"}});
  // Quoted lines, other words, and a number without a separator are passed over.
  CHECK(read("> 2. ja\n2. ja, men bara delvis\n2ja\nja\n1. Hur upplevde du uppdraget?\n").empty());
  CHECK(read("Tack, det var fint.").empty());
  CHECK(read("").empty());
  // A number given twice, or out of range, makes the whole reply unclear.
  CHECK(read("1. ja\n2. nej\n2. ja\n").empty());
  CHECK(read("1. ja\n5. nej\n").empty());
  CHECK(read("0. ja\n1. ja\n").empty());
  CHECK(read("1. ja\n", 0).empty());
  CHECK(read("123. ja\n2. nej\n") == Read{{2, "nej"}});
}

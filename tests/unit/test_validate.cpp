// SPDX-License-Identifier: MIT
#include "helpers.hpp"
#include "lbib/text/names.hpp"
#include "lbib/text/sha256.hpp"
#include "lbib/text/validate.hpp"

using lbib::ExitCode;
namespace text = lbib::text;

TEST_CASE("is_valid_utf8") {
  CHECK(text::is_valid_utf8(""));
  CHECK(text::is_valid_utf8("Åsa Öberg, Ärla"));
  CHECK(text::is_valid_utf8("\xF0\x9F\x98\x80"));  // U+1F600
  SUBCASE("malformed sequences are refused") {
    CHECK_FALSE(text::is_valid_utf8("\xC3"));              // truncated
    CHECK_FALSE(text::is_valid_utf8("\xC0\xAF"));          // overlong '/'
    CHECK_FALSE(text::is_valid_utf8("\xE0\x80\xAF"));      // overlong
    CHECK_FALSE(text::is_valid_utf8("\xED\xA0\x80"));      // UTF-16 surrogate
    CHECK_FALSE(text::is_valid_utf8("\xF4\x90\x80\x80"));  // past U+10FFFF
    CHECK_FALSE(text::is_valid_utf8("\xFF"));
    CHECK_FALSE(text::is_valid_utf8("a\x80z"));  // stray continuation byte
  }
}

TEST_CASE("code_point_count counts characters, not bytes") {
  CHECK(text::code_point_count("abc") == 3);
  CHECK(text::code_point_count("åäö") == 3);
}

TEST_CASE("check_line") {
  CHECK_NOTHROW(text::check_line("name", "Åsa Öberg", 200));
  CHECK_LBIB_ERROR(text::check_line("name", "a\nb", 200), ExitCode::data, "line break");
  CHECK_LBIB_ERROR(text::check_line("name", "a\rb", 200), ExitCode::data, "line break");
  CHECK_LBIB_ERROR(text::check_line("name", "a\tb", 200), ExitCode::data, "U+0009");
  CHECK_LBIB_ERROR(text::check_line("name", std::string("a\0b", 3), 200), ExitCode::data, "U+0000");
  CHECK_LBIB_ERROR(text::check_line("name", "a\x7F", 200), ExitCode::data, "U+007F");
  CHECK_LBIB_ERROR(text::check_line("name", "a\xC2\x85", 200), ExitCode::data, "U+0085");
  CHECK_LBIB_ERROR(text::check_line("name", "a\xE2\x80\xA8", 200), ExitCode::data, "U+2028");
  CHECK_LBIB_ERROR(text::check_line("name", "\xC3", 200), ExitCode::data, "UTF-8");
  SUBCASE("length is counted in characters") {
    CHECK_NOTHROW(text::check_line("name", "ååå", 3));
    CHECK_LBIB_ERROR(text::check_line("name", "åååå", 3), ExitCode::data, "at most 3");
  }
  SUBCASE("the message names the field but never quotes the value") {
    try {
      text::check_line("notes", "secret-marker\n", 100);
      FAIL("expected an error");
    } catch (const lbib::Error& e) {
      CHECK(std::string(e.what()).rfind("notes:", 0) == 0);
      CHECK(std::string(e.what()).find("secret-marker") == std::string::npos);
    }
  }
}

TEST_CASE("check_text allows line breaks and tabs but not CR or other controls") {
  CHECK_NOTHROW(text::check_text("notes", "rad ett\nrad två\tflik", 100));
  CHECK_LBIB_ERROR(text::check_text("notes", "a\r\nb", 100), ExitCode::data, "line break");
  CHECK_LBIB_ERROR(text::check_text("notes", "a\x1B[31m", 100), ExitCode::data, "U+001B");
}

TEST_CASE("is_valid_email") {
  CHECK(text::is_valid_email("anna@example.se"));
  CHECK(text::is_valid_email("anna.b+lb@mail.example.se"));
  CHECK_FALSE(text::is_valid_email(""));
  CHECK_FALSE(text::is_valid_email("anna"));
  CHECK_FALSE(text::is_valid_email("anna@example"));
  CHECK_FALSE(text::is_valid_email("@example.se"));
  CHECK_FALSE(text::is_valid_email("anna@@example.se"));
  CHECK_FALSE(text::is_valid_email("an na@example.se"));
  CHECK_FALSE(text::is_valid_email(".anna@example.se"));
  CHECK_FALSE(text::is_valid_email("an..na@example.se"));
  CHECK_FALSE(text::is_valid_email("anna@-example.se"));
  CHECK_FALSE(text::is_valid_email("anna@example.s"));
  CHECK_FALSE(text::is_valid_email("anna@exa_mple.se"));
  CHECK_FALSE(text::is_valid_email("anna@example.se\r\nBcc: x@y.se"));
  CHECK_FALSE(text::is_valid_email("åsa@example.se"));
  // Built with append, not operator+: GCC 12 warns falsely (-Warray-bounds, its bug 105651)
  // about a temporary string plus a literal once inlined into a bigger unity batch.
  std::string long_local(65, 'a');
  long_local.append("@example.se");
  CHECK_FALSE(text::is_valid_email(long_local));
}

TEST_CASE("split and join are inverse") {
  const auto parts = text::split("a::b:", ':');
  REQUIRE(parts.size() == 4);
  CHECK(parts[1].empty());
  CHECK(text::join(parts, ":") == "a::b:");
}

TEST_CASE("a refused enumeration value is named on one line") {
  constexpr lbib::text::Names<int, 2> names{{{1, "yes"}, {2, "no"}}};
  CHECK(lbib::text::parse_name(names, "answer", "no") == 2);
  try {
    lbib::text::parse_name(names, "answer", "ja\nBcc: x");
    FAIL("accepted");
  } catch (const lbib::Error& e) {
    const std::string message = e.what();
    CHECK(message.find('\n') == std::string::npos);
    CHECK(message.find("use one of: yes, no") != std::string::npos);
  }
}

TEST_CASE("sha256 gives the FIPS 180-2 digests in lowercase hex") {
  CHECK(lbib::text::sha256("") ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(lbib::text::sha256("abc") ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(lbib::text::sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

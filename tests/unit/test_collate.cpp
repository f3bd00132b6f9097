// SPDX-License-Identifier: MIT
#include <algorithm>

#include "helpers.hpp"
#include "lbib/db/database.hpp"
#include "lbib/text/collate.hpp"

namespace text = lbib::text;

TEST_CASE("Swedish order puts Å, Ä and Ö after Z") {
  std::vector<std::string> names{"Örjan", "Zlatan", "Åsa", "Anna", "Ärla", "Östen", "ärla", "Bo"};
  std::sort(names.begin(), names.end(),
            [](const auto& a, const auto& b) { return text::compare_swedish(a, b) < 0; });
  CHECK(names ==
        std::vector<std::string>{"Anna", "Bo", "Zlatan", "Åsa", "ärla", "Ärla", "Örjan", "Östen"});
  CHECK(text::compare_swedish("Ö", "Z") > 0);  // a byte comparison would agree here...
  CHECK(text::compare_swedish("Å", "Ä") < 0);  // ...but not here (Ä is C3 84, Å is C3 85)
  CHECK(text::compare_swedish("ä", "Å") > 0);
  CHECK(text::compare_swedish("Ä", "Ä") == 0);
}

TEST_CASE("case folding treats å/ä/ö like any other letter") {
  CHECK(text::fold_case("ÅSA ÄNGÖ") == text::fold_case("åsa ängö"));
  CHECK(text::fold_case("Åsa") == "åsa");
  CHECK(text::fold_case("") == "");
}

TEST_CASE("fold_identity: case, Unicode forms and spacing do not count") {
  const auto anna = text::fold_identity("Anna Öberg");
  CHECK(anna == "anna öberg");
  CHECK(text::fold_identity("  ANNA   ÖBERG ") == anna);
  CHECK(text::fold_identity("Anna\u00a0\tÖberg") == anna);     // a no-break space and a tab
  CHECK(text::fold_identity("Anna O\u0308berg") == anna);      // Ö as O and a combining diaeresis
  CHECK(text::fold_identity("\uff21nna \u00d6berg") == anna);  // a full-width A
  CHECK(text::fold_identity("Anna Oberg") != anna);            // an accent still counts
  CHECK(text::fold_identity("AnnaÖberg") != anna);             // a space where there was none
  CHECK(text::fold_identity(" ") == "");
}

TEST_CASE("the collation and sv_fold are registered on every connection") {
  auto db = lbib::db::Database::in_memory();
  db.sql().exec("CREATE TEMP TABLE t (name TEXT)");
  db.sql().exec("INSERT INTO t VALUES ('Östen'), ('Åsa'), ('Zlatan'), ('Ärla')");
  SQLite::Statement q(
      db.sql(),
      "SELECT group_concat(name, ',') FROM (SELECT name FROM t ORDER BY name COLLATE sv)");
  REQUIRE(q.executeStep());
  CHECK(q.getColumn(0).getString() == "Zlatan,Åsa,Ärla,Östen");
  // SQLite's own upper() leaves å alone; sv_fold does not.
  CHECK(db.sql().execAndGet("SELECT upper('åsa')").getString() == "åSA");
  CHECK(db.sql().execAndGet("SELECT sv_fold('ÅSA') = sv_fold('åsa')").getInt() == 1);
}

TEST_CASE("fold_for_match: plain ASCII is lowercased directly, the same as through ICU") {
  using lbib::text::fold_for_match;
  CHECK(fold_for_match("Anna-Karin O'Brien") == "anna-karin o'brien");
  CHECK(fold_for_match("KIM@Region.Example.SE") == "kim@region.example.se");
  CHECK(fold_for_match("07-12 34 56") == "07-12 34 56");
  CHECK(fold_for_match("") == "");
  // One letter outside ASCII takes the whole word through ICU.
  CHECK(fold_for_match("ÅSA Öberg") == "asa oberg");
  CHECK(fold_for_match("Søren Łukasz") == "soren lukasz");
  // The same word, ASCII or not, folds to the same.
  CHECK(fold_for_match("Asa") == fold_for_match("Åsa"));
}

TEST_CASE("fold_for_match: the Latin letters of its table fold as through ICU") {
  using lbib::text::fold_for_match;
  using lbib::text::fold_for_match_by_icu;
  // Every character from U+00C0 to U+017F alone, and all of them in one word with ASCII
  // between (a table entry that disagreed with ICU, or depended on its neighbours, fails).
  const auto utf8 = [](unsigned c) {
    return std::string{static_cast<char>(0xC0 | (c >> 6)), static_cast<char>(0x80 | (c & 0x3F))};
  };
  std::string all;
  for (unsigned c = 0xC0; c < 0x180; ++c) {
    CHECK_MESSAGE(fold_for_match(utf8(c)) == fold_for_match_by_icu(utf8(c)), "U+" << std::hex << c);
    all += utf8(c);
    all += (c % 3 == 0) ? "X" : (c % 3 == 1) ? "-" : "";
  }
  CHECK(fold_for_match(all) == fold_for_match_by_icu(all));
  for (const char* name :
       {"Åsa-Britt Öberg", "ÆSA ØRSTED", "Straße Ĳssel", "İsmail Işık", "Łukasz Żółć",
        "Œdipe Ÿvette", "Þóra Ðrífa", "a\u0308sa", "Ωmega", "Zoë ﬁ", "x\xC3", "\xC3\x28"}) {
    CHECK_MESSAGE(fold_for_match(name) == fold_for_match_by_icu(name), name);
  }
}

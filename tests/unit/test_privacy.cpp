// SPDX-License-Identifier: MIT
#include <sys/resource.h>

#include <csignal>
#include <filesystem>
#include <set>
#include <string>

#include "helpers.hpp"
#include "lbib/db/database.hpp"
#include "lbib/io/editor.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/privacy/handover.hpp"
#include "lbib/privacy/ledger.hpp"
#include "lbib/privacy/privacy.hpp"

namespace db = lbib::db;
namespace privacy = lbib::privacy;
using lbib::testing::date;

namespace {

db::Database fresh() {
  return db::Database::in_memory();
}

}  // namespace

TEST_CASE("every text column of the schema has a rule, and every rule a column") {
  auto d = fresh();
  const auto columns = privacy::text_columns(d);
  REQUIRE(!columns.empty());
  std::set<std::pair<std::string, std::string>> in_schema;
  for (const auto& c : columns) {
    in_schema.emplace(c.table, c.column);
    const auto rules = privacy::column_rules();
    const bool known = std::any_of(rules.begin(), rules.end(), [&c](const auto& r) {
      return r.table == c.table && r.column == c.column;
    });
    CHECK_MESSAGE(known, "no erasure rule for text column " << c.table << "." << c.column
                                                            << " (lib/lbib/privacy/freetext.cpp)");
  }
  for (const auto& r : privacy::column_rules()) {
    CHECK_MESSAGE(in_schema.count({std::string(r.table), std::string(r.column)}) == 1,
                  "the rule for " << r.table << "." << r.column << " names no column");
    if (r.rule == privacy::Rule::own) {
      CHECK_MESSAGE(!r.owner.empty(), r.table << "." << r.column << " needs its owner condition");
    }
  }
}

TEST_CASE("every table is linked to an expert or says why it is not") {
  auto d = fresh();
  std::set<std::string> linked;
  for (const auto& l : privacy::expert_links(d)) {
    linked.insert(l.table);
  }
  std::set<std::string> unlinked;
  for (const auto& entry : privacy::unlinked_tables()) {
    // Not a structured binding: clang 14 cannot capture one in CHECK_MESSAGE's lambda.
    const auto table = entry.first;
    const auto reason = entry.second;
    CHECK_MESSAGE(linked.count(std::string(table)) == 0, table << " is both linked and unlinked");
    CHECK(!reason.empty());
    unlinked.insert(std::string(table));
  }
  SQLite::Statement q(d.sql(), "SELECT name FROM sqlite_schema WHERE type = 'table'");
  while (q.executeStep()) {
    const auto table = q.getColumn(0).getString();
    CHECK_MESSAGE(linked.count(table) + unlinked.count(table) == 1,
                  "table " << table << " is neither exported with a person nor excluded");
  }
  CHECK(linked.count("payment") == 1);
  CHECK(linked.count("notice") == 1);
  CHECK(linked.count("audit") == 1);
}

TEST_CASE("a hand-over carries every table of the schema unless it says why not") {
  auto d = fresh();
  const auto carried = privacy::handover_tables(d.sql());
  std::set<std::string> excluded;
  for (const auto& entry : privacy::tables_not_handed_over()) {
    CHECK_MESSAGE(!entry.second.empty(), entry.first << " is left out without a reason");
    excluded.insert(std::string(entry.first));
  }
  std::set<std::string> expected;
  SQLite::Statement q(d.sql(), "SELECT name FROM sqlite_schema WHERE type = 'table'");
  while (q.executeStep()) {
    const auto table = q.getColumn(0).getString();
    if (table.rfind("sqlite_", 0) != 0) {
      const bool both =
          excluded.count(table) != 0 && std::count(carried.begin(), carried.end(), table) != 0;
      CHECK_MESSAGE(!both, table << " is both excluded and carried");
      if (excluded.count(table) == 0) {
        expected.insert(table);
      }
    }
  }
  CHECK(std::set<std::string>(carried.begin(), carried.end()) == expected);
  CHECK(carried.size() == expected.size());     // each once
  CHECK(expected.count("library_state") == 1);  // the closing state travels too
  // Parents before children, so an export can be read straight into a new register.
  for (std::size_t i = 0; i < carried.size(); ++i) {
    SQLite::Statement fk(d.sql(), "SELECT \"table\" FROM pragma_foreign_key_list(?)");
    fk.bind(1, carried[i]);
    while (fk.executeStep()) {
      const auto parent = fk.getColumn(0).getString();
      const auto at = std::find(carried.begin(), carried.end(), parent);
      const bool before = parent == carried[i] || at < carried.begin() + static_cast<long>(i);
      CHECK_MESSAGE(before, parent << " must come before " << carried[i]);
    }
  }
  // The export names exactly these tables, in this order.
  const auto document = privacy::export_all(d);
  std::vector<std::string> exported;
  for (const auto& [name, rows] : document.at("tables").items()) {
    exported.push_back(name);
  }
  CHECK(exported == carried);
}

TEST_CASE("Redactor") {
  privacy::Redactor r;
  r.add_person(7, "Åsa-Britt Öberg", "Asa.Oberg@Example.se", "+46 70-123 45 67");
  std::size_t n = 0;

  SUBCASE("whole name parts, any case and accent, and the genitive") {
    CHECK(r.redact("Hej ÅSA-britt och asa, Öbergs dotter kom.", &n) ==
          "Hej [raderad]-[raderad] och [raderad], [raderad] dotter kom.");
    CHECK(n == 4);
  }
  SUBCASE("not inside other words") {
    CHECK(r.redact("Brittsommar i Öbergsvägen", &n) == "Brittsommar i Öbergsvägen");
    CHECK(n == 0);
  }
  SUBCASE("e-mail, with the full stop after it kept") {
    CHECK(r.redact("Skriv till asa.oberg@example.se.") == "Skriv till [raderad].");
  }
  SUBCASE("phone numbers in national and international form, spaced or not") {
    CHECK(r.redact("Ring 070-1234567 eller 0701234567 eller +46701234567.") ==
          "Ring [raderad] eller [raderad] eller [raderad].");
    CHECK(r.redact("Möte 2026-02-01 kl 13") == "Möte 2026-02-01 kl 13");
  }
  SUBCASE("addresses and numbers as people type them") {
    CHECK(r.redact("\u201dasa.oberg@example.se\u201d, ?u=asa.oberg@example.se&x=1 och "
                   "asa.oberg@example.se\u2026") ==
          "\u201d[raderad]\u201d, ?u=[raderad]&x=1 och [raderad]\u2026");
    CHECK(r.redact(
              "070\u2013123 45 67, 070\u2011123\u201145\u201167, 070\u00a0123\u00a045\u00a067") ==
          "[raderad], [raderad], [raderad]");
  }
  SUBCASE("an address that begins with a name part goes whole, however many mentions") {
    // The address and its first name part begin at the same byte: the longer one is replaced,
    // whatever order the sort leaves the two in (it did not keep it with more than 16 spans).
    privacy::Redactor tove;
    tove.add_person(9, "Tove Ahmadi", "tove.ahmadi21052@exempel.se", "070-530 58 57");
    for (int before = 0; before < 24; ++before) {
      for (int after = 0; after < 24; ++after) {
        std::string text;
        std::string expected;
        for (int i = 0; i < before; ++i) {
          text += "Tove, ";
          expected += "[raderad], ";
        }
        text += "tove.ahmadi21052@exempel.se";
        expected += "[raderad]";
        for (int i = 0; i < after; ++i) {
          text += " Ahmadis 0705305857";
          expected += " [raderad] [raderad]";
        }
        std::size_t count = 0;
        CHECK(tove.redact(text, &count) == expected);
        CHECK(count == static_cast<std::size_t>(before + 1 + 2 * after));
      }
    }
  }
  SUBCASE("an address joined to what is around it") {
    privacy::Redactor tova;
    tova.add_person(5, "Tova Rydqvist", "tova.rydqvist27@exempel.se", "070-555 12 34");
    CHECK(tova.redact("Skriv till tova.rydqvist27@exempel.se.Hon svarar") ==
          "Skriv till [raderad].Hon svarar");
    CHECK(tova.redact("tova.rydqvist27@exempel.se-adressen") == "[raderad]-adressen");
    CHECK(tova.redact("-tova.rydqvist27@exempel.se") == "-[raderad]");
    CHECK(tova.redact("Kontakt.tova.rydqvist27@exempel.se") == "Kontakt.[raderad]");
    CHECK(tova.redact("0705551234tova.rydqvist27@exempel.se") == "[raderad][raderad]");
    CHECK(tova.redact("TOVA.RYDQVIST27@EXEMPEL.SE_x") == "[raderad]_x");
    // Not inside another address: letters or digits joined to it make another one.
    CHECK(tova.redact("xtova.rydqvist27@exempel.se") == "xtova.rydqvist27@exempel.se");
    CHECK(tova.redact("tova.rydqvist270@exempel.se") == "[raderad].rydqvist270@exempel.se");
    CHECK(tova.redact("tova.rydqvist27@exempel.sex") == "[raderad].rydqvist27@exempel.sex");
  }
  SUBCASE("nothing is cut out of an address to keep") {
    // Anna's address and her first name are parts of Karl's and Eva's (both living).
    privacy::Redactor anna;
    anna.add_person(1, "Info Berg", "info@hemma.se", std::nullopt);
    anna.add_person(2, "Lisa Svensson", "x.karl.info@hemma.se", std::nullopt);
    anna.keep_address("karl.info@hemma.se");
    anna.keep_address("eva.svensson@example.org");
    CHECK(anna.redact("karl.info@hemma.se, info@hemma.se, Info") ==
          "karl.info@hemma.se, [raderad], [raderad]");
    CHECK(anna.redact("Kontakt.karl.info@hemma.se") == "Kontakt.karl.info@hemma.se");
    CHECK(anna.redact("eva.svensson@example.org och Svensson") ==
          "eva.svensson@example.org och [raderad]");
    // A longer address to replace that holds all of one to keep is replaced whole.
    CHECK(anna.redact("x.karl.info@hemma.se") == "[raderad]");
    // The subject's own address, spared in their own export, is kept the same way.
    privacy::Redactor others;
    others.add_person(1, "Info Berg", "info@hemma.se", std::nullopt);
    others.spare("Karl Lund", "karl.info@hemma.se", std::nullopt);
    CHECK(others.redact("karl.info@hemma.se.Skriv") == "karl.info@hemma.se.Skriv");
    CHECK(others.redact("info@hemma.se") == "[raderad]");
  }
  SUBCASE("letters that do not decompose") {
    privacy::Redactor nordic;
    nordic.add_person(3, "S\u00f8ren \u00d8deg\u00e5rd \u0141ukasiewicz", std::nullopt,
                      std::nullopt);
    CHECK(nordic.redact("Soren Odegard Lukasiewicz och S\u00d8RENS") ==
          "[raderad] [raderad] [raderad] och [raderad]");
  }
  SUBCASE("the person's own words are spared in their own export") {
    privacy::Redactor others;
    others.add_person(1, "Anna Berg", "anna@example.se", std::nullopt);
    others.spare("Anna Svensson", std::nullopt, std::nullopt);
    CHECK(others.redact("Anna Svensson och Anna Berg") == "Anna Svensson och Anna [raderad]");
  }
  SUBCASE("mentions by whole name, e-mail or phone") {
    privacy::Redactor two(privacy::Redactor::Keep::people);
    two.add_person(1, "Anna Svensson", "anna@example.se", std::nullopt);
    two.add_person(2, "Anna Berg", std::nullopt, "0709999999");
    CHECK(two.mentioned("Anna sa något") == std::vector<std::int64_t>{});
    CHECK(two.mentioned("Anna Svenssons synpunkter") == std::vector<std::int64_t>{1});
    CHECK(two.mentioned("ring 070-999 99 99") == std::vector<std::int64_t>{2});
    // One that keeps only the keys redacts the same, and cannot say who.
    privacy::Redactor keys;
    keys.add_person(1, "Anna Svensson", "anna@example.se", std::nullopt);
    keys.add_person(2, "Anna Berg", std::nullopt, "0709999999");
    for (const char* text :
         {"Anna Svenssons synpunkter", "ring 070-999 99 99 eller anna@example.se"}) {
      CHECK(keys.redact(text) == two.redact(text));
    }
    CHECK_LBIB_ERROR(keys.mentioned("Anna"), lbib::ExitCode::software, "keeps people");
  }
  SUBCASE("empty: nothing to redact") {
    privacy::Redactor none;
    CHECK(none.empty());
    none.add_person(1, "K.", std::nullopt, "123");  // one letter, and too few digits
    CHECK(none.empty());
    none.add_person(2, "Anna", std::nullopt, std::nullopt);
    CHECK_FALSE(none.empty());
    none.spare("Anna", std::nullopt, std::nullopt);
    CHECK(none.empty());
  }
}

TEST_CASE("phone_digits") {
  CHECK(privacy::phone_digits("+46 70-123 45 67") == "0701234567");
  CHECK(privacy::phone_digits("0046701234567") == "0701234567");
  CHECK(privacy::phone_digits("016-10 20 30") == "016102030");
}

TEST_CASE("a data-subject request is due one month after it was received") {
  const auto due = [](const char* s) {
    return lbib::text::format_date(privacy::answer_due(date(s)));
  };
  CHECK(due("2026-12-10") == "2027-01-10");
  CHECK(due("2027-01-31") == "2027-02-28");
  CHECK(due("2028-01-31") == "2028-02-29");
  CHECK(due("2026-03-31") == "2026-04-30");
  CHECK(due("2026-05-15") == "2026-06-15");
}

TEST_CASE("parse_edited") {
  const std::vector<lbib::io::EditField> fields{{"--purpose", "Syfte", ""},
                                                {"--notes", "Anteckningar", ""}};
  const auto texts = lbib::io::parse_edited(
      "# intro\n# more\n\n# --purpose: Syfte\n\nRad ett\n# a comment\nRad två\n\n"
      "# --notes: Anteckningar\n\n",
      fields);
  CHECK(texts == std::vector<std::string>{"Rad ett\nRad två", ""});
}

TEST_CASE("MentionIndex: a redactor of the people it admits redacts the texts as one of everyone") {
  struct Person {
    const char* name;
    const char* email;
    const char* phone;
  };
  const std::vector<Person> people{
      {"Åsa-Britt Öberg", "Asa.Oberg@Example.se", "+46 70-123 45 67"},
      {"Astrid Lind", "astrid@example.se", nullptr},
      {"Karl K. Berg", "kalle@example.se", "08-555 12 34"},
      {"Nils Nilsson", "nils@example.se", "0046 31 123 45"},
      {"Olle Ek", "olle@example.se", "070 111 22 33"},
      {"Siv Åkesson", "siv.akesson@example.se", "0123456789012"},
  };
  const std::vector<std::string> texts{
      "Hej ÅSA-britt och asa, Öbergs dotter kom.",
      "Astrids bror ringde från 08 555 12 34, +46 31 12345 och 0701234567.",
      "Skriv till \u201dolle@EXAMPLE.se\u201d eller siv.akesson@example.se.",
      "Möte 2026-02-01 kl 13 med berg, ek och nilssons.",
      "Ingen alls här: 12345 och 4631 och Lindqvist.",
  };
  privacy::Redactor everyone(privacy::Redactor::Keep::people);
  for (std::size_t i = 0; i < people.size(); ++i) {
    everyone.add_person(
        static_cast<std::int64_t>(i + 1), people[i].name, people[i].email,
        people[i].phone ? std::optional<std::string_view>(people[i].phone) : std::nullopt);
  }
  // A redactor of only the people `index` admits, and how many those are.
  const auto admit = [&people](privacy::MentionIndex& index, privacy::Redactor& admitted) {
    int n = 0;
    for (std::size_t i = 0; i < people.size(); ++i) {
      const auto phone =
          people[i].phone ? std::optional<std::string_view>(people[i].phone) : std::nullopt;
      if (index.may_mention(people[i].name, people[i].email, phone)) {
        admitted.add_person(static_cast<std::int64_t>(i + 1), people[i].name, people[i].email,
                            phone);
        ++n;
      }
    }
    return n;
  };
  for (const auto& text : texts) {
    privacy::MentionIndex index;
    index.add_text(text);
    privacy::Redactor admitted(privacy::Redactor::Keep::people);
    const int n = admit(index, admitted);
    CHECK_MESSAGE(n < static_cast<int>(people.size()), text);  // it does leave people out
    CHECK(admitted.redact(text) == everyone.redact(text));
    CHECK(admitted.mentioned(text) == everyone.mentioned(text));
  }
  // A subject's own export spares their words: with the same spare on both sides, those
  // words admit no one (every other "Påhittad" shares a part with the subject's name).
  for (const auto& text : texts) {
    privacy::MentionIndex index;
    index.add_text(text);
    index.spare("Olle Berg", "astrid@example.se", "070-111 22 33");
    privacy::Redactor admitted;
    admit(index, admitted);
    auto all = everyone;
    all.spare("Olle Berg", "astrid@example.se", "070-111 22 33");
    admitted.spare("Olle Berg", "astrid@example.se", "070-111 22 33");
    CHECK(admitted.redact(text) == all.redact(text));
  }
  {
    privacy::MentionIndex index;
    index.add_text(texts[3]);  // "... med berg, ek och nilssons."
    CHECK(index.may_mention("Karl K. Berg", std::nullopt, std::nullopt));
    index.spare("Olle Berg", std::nullopt, std::nullopt);
    CHECK_FALSE(index.may_mention("Karl K. Berg", std::nullopt, std::nullopt));
    CHECK(index.may_mention("Olle Ek", std::nullopt, std::nullopt));
  }
  // Someone the texts do mention is admitted, by a name part, an address or a number.
  privacy::MentionIndex index;
  index.add_text(texts[1]);
  CHECK(index.may_mention("Astrid Lind", std::nullopt, std::nullopt));
  CHECK(index.may_mention("X Y", std::nullopt, "+46 8 555 12 34"));
  CHECK_FALSE(index.may_mention("Olle Ek", "olle@example.se", "070 111 22 33"));
}

TEST_CASE("the erasure ledger is appended whole or not at all") {
  // A disk that fills up in the middle of the lines, made by a file size limit: the write fails
  // part of the way (EFBIG), and the lines written before it must go again, or the next command
  // would apply erasures that never happened.
  lbib::testing::TempDir dir;
  const auto path = dir.path / "register.sqlite.erasures";
  namespace ledger = lbib::privacy::ledger;
  std::string one;
  ledger::add_line(one, "expert", 1, "2026-01-01", "reg");
  ledger::append(path, one);
  const auto before = std::filesystem::file_size(path);
  std::string many;
  for (std::int64_t id = 2; id < 2000; ++id) {
    ledger::add_line(many, "expert", id, "2026-01-02", "reg");
  }
  rlimit saved{};
  REQUIRE(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
  const auto old_handler = std::signal(SIGXFSZ, SIG_IGN);
  rlimit small = saved;
  small.rlim_cur = static_cast<rlim_t>(before + 4096);
  REQUIRE(::setrlimit(RLIMIT_FSIZE, &small) == 0);
  CHECK_LBIB_ERROR(ledger::append(path, many), lbib::ExitCode::io,
                   "cannot write the erasure ledger");
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, old_handler);
  CHECK(std::filesystem::file_size(path) == before);
  ledger::append(path, many);  // and with room, all of them
  int lines = 0;
  ledger::for_each(path, "reg", [&lines](const ledger::Entry&) { ++lines; });
  CHECK(lines == 1999);
}

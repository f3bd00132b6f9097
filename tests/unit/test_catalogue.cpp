// SPDX-License-Identifier: MIT
#include <sstream>

#include "lbib/catalogue/catalogue.hpp"
#include "register.hpp"

namespace catalogue = lbib::catalogue;
namespace db = lbib::db;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;
using lbib::testing::Register;

namespace {

struct CatalogueLibrary : Register {
  void describe(std::int64_t id, const std::optional<catalogue::Description>& description) {
    db::WriteTransaction tx(d);
    catalogue::describe(tx, id, description, actor);
    tx.commit();
  }
};

const auto k_page_day = date("2026-06-01");

}  // namespace

TEST_CASE("a description is the expert's own, approved after the interview, within limits") {
  CatalogueLibrary lib;
  const auto id = lib.expert({"Alfa Ett", {"relative:dementia"}, "2021-01-10", true, true});
  CHECK_LBIB_ERROR(lib.describe(id, catalogue::Description{"  \n", date("2021-02-01")}),
                   ExitCode::data, "description: empty");
  CHECK_LBIB_ERROR(
      lib.describe(id, catalogue::Description{std::string(601, 'x'), date("2021-02-01")}),
      ExitCode::data, "description");
  CHECK_LBIB_ERROR(lib.describe(id, catalogue::Description{"Anhörig.", date("2021-01-09")}),
                   ExitCode::data, "is before the expert's interview");
  CHECK_LBIB_ERROR(lib.describe(99, catalogue::Description{"Anhörig.", date("2021-02-01")}),
                   ExitCode::no_input, "no expert with id 99");
  CHECK_LBIB_ERROR(lib.describe(id, std::nullopt), ExitCode::no_input, "no description to remove");
  CHECK(lib.count("SELECT count(*) FROM catalogue_entry") == 0);
}

TEST_CASE("the catalogue shows consenting active experts, anonymously, under a stable reference") {
  CatalogueLibrary lib;
  const auto shown =
      lib.expert({"Alfa Ett", {"relative:dementia"}, "2021-01-10", true, true, 1958});
  const auto no_consent =
      lib.expert({"Beta Två", {"patient:psychiatry"}, "2021-01-10", true, false});
  const auto left = lib.expert({"Gamma Tre", {"user:dementia"}, "2021-01-10", true, true});
  for (const auto id : {shown, no_consent, left}) {
    lib.describe(id, catalogue::Description{"Jag har varit anhörig i tio år.", date("2021-02-01")});
  }
  {
    db::WriteTransaction tx(lib.d);
    lbib::experts::leave(tx, left, date("2021-03-01"), actor);
    tx.commit();
  }
  auto cards = catalogue::cards(lib.d, cfg(), k_page_day);
  REQUIRE(cards.size() == 1);
  const auto reference = cards[0].reference;
  CHECK(reference.size() == 6);
  CHECK(cards[0].area == "Demenssjukdom");
  CHECK(cards[0].age_band == std::optional<std::string>("60–69 år"));
  CHECK(cards[0].experiences == std::vector<std::string>{"Anhörig – Demenssjukdom"});

  // An edited description keeps its reference.
  lib.describe(shown, catalogue::Description{"Anhörig, numera i en förening.", date("2021-05-01")});
  cards = catalogue::cards(lib.d, cfg(), k_page_day);
  REQUIRE(cards.size() == 1);
  CHECK(cards[0].reference == reference);
  CHECK(cards[0].description == "Anhörig, numera i en förening.");

  for (const auto format : {lbib::output::Format::html, lbib::output::Format::md}) {
    std::ostringstream page;
    catalogue::write(page, format, cards, cfg(), k_page_day);
    CHECK(page.str().find("förening") != std::string::npos);
    for (const char* private_word : {"Alfa", "p1@example.se", "1958", "Beta", "Gamma"}) {
      CAPTURE(private_word);
      CHECK(page.str().find(private_word) == std::string::npos);
    }
  }
  lib.describe(shown, std::nullopt);
  CHECK(catalogue::cards(lib.d, cfg(), k_page_day).empty());
}

TEST_CASE("the catalogue's page escapes what people wrote") {
  CatalogueLibrary lib;
  const auto id = lib.expert({"Alfa Ett", {"relative:dementia"}, "2021-01-10", true, true});
  lib.describe(id, catalogue::Description{"<script>alert(1)</script> & *fet* [länk](x)",
                                          date("2021-02-01")});
  const auto cards = catalogue::cards(lib.d, cfg(), k_page_day);
  std::ostringstream html;
  catalogue::write(html, lbib::output::Format::html, cards, cfg(), k_page_day);
  CHECK(html.str().find("<script>") == std::string::npos);
  CHECK(html.str().find("&lt;script&gt;alert(1)&lt;/script&gt; &amp;") != std::string::npos);
  std::ostringstream md;
  catalogue::write(md, lbib::output::Format::md, cards, cfg(), k_page_day);
  CHECK(md.str().find("*fet*") == std::string::npos);
  CHECK(md.str().find("[länk](x)") == std::string::npos);
}

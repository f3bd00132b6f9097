// SPDX-License-Identifier: MIT
// The shared rules written once as views (migration 0023, issue #17): who is still a person in
// the register (living_expert, living_borrower) and which consent holds (active_consent), and
// the library's queries reading them instead of writing the conditions out again.

#include <SQLiteCpp/Statement.h>
#include <doctest/doctest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include "helpers.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/privacy/privacy.hpp"
#include "register.hpp"

using namespace lbib;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;

namespace {

std::vector<std::int64_t> view_ids(db::Database& d, const std::string& sql) {
  SQLite::Statement q(d.sql(), sql);
  std::vector<std::int64_t> out;
  while (q.executeStep()) {
    out.push_back(q.getColumn(0).getInt64());
  }
  return out;
}

}  // namespace

TEST_CASE("an erased expert or borrower leaves the living views, and every rule reading them") {
  lbib::testing::Register lib;
  const auto kept = lib.expert({"Alva Exempel"});
  const auto erased = lib.expert({"Bo Exempel"});
  const auto other_borrower = [&] {
    db::WriteTransaction tx(lib.d);
    const auto id =
        lending::add_borrower(tx,
                              {0, "Kommun Exempel", std::nullopt, "Sam Kontakt", "sam@example.se",
                               std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                              actor);
    tx.commit();
    return id;
  }();
  {
    db::WriteTransaction tx(lib.d);
    privacy::erase_experts(tx, {erased}, date("2021-01-01"), actor);
    privacy::erase_borrowers(tx, {other_borrower}, date("2021-01-01"), actor);
    tx.commit();
  }
  CHECK(view_ids(lib.d, "SELECT id FROM living_expert ORDER BY id") ==
        std::vector<std::int64_t>{kept});
  CHECK(view_ids(lib.d, "SELECT id FROM expert ORDER BY id") ==
        std::vector<std::int64_t>{kept, erased});  // the stub stays for the statistics
  CHECK(view_ids(lib.d, "SELECT id FROM living_borrower ORDER BY id") ==
        std::vector<std::int64_t>{lib.borrower});
  CHECK(view_ids(lib.d, "SELECT id FROM mailable_expert ORDER BY id") ==
        std::vector<std::int64_t>{kept});
  // The operations that read the rule.
  CHECK(experts::ids(lib.d) == std::vector<std::int64_t>{kept});
  CHECK(lending::borrower_ids(lib.d) == std::vector<std::int64_t>{lib.borrower});
  CHECK(experts::get_living(lib.d, kept).id == kept);
  CHECK(experts::get(lib.d, erased).erased_on == date("2021-01-01"));
  CHECK_LBIB_ERROR(experts::get_living(lib.d, erased), ExitCode::data, "was erased on 2021-01-01");
  CHECK_LBIB_ERROR(lending::get_living_borrower(lib.d, other_borrower), ExitCode::data,
                   "was erased on 2021-01-01");
  CHECK_LBIB_ERROR(experts::get_living(lib.d, 999), ExitCode::no_input, "no expert with id 999");
  {
    // An erased person is refused by every operation that acts on them.
    db::WriteTransaction tx(lib.d);
    CHECK_LBIB_ERROR(experts::leave(tx, erased, date("2021-02-01"), actor), ExitCode::data,
                     "was erased on 2021-01-01");
    lending::BorrowerChanges c;
    c.unit = "Enhet";
    CHECK_LBIB_ERROR(lending::edit_borrower(tx, other_borrower, c, actor), ExitCode::data,
                     "was erased on 2021-01-01");
  }
}

TEST_CASE("a withdrawn consent leaves active_consent, and the mailing rule with it") {
  lbib::testing::Register lib;
  const auto id = lib.expert({"Cia Exempel"});
  CHECK(view_ids(lib.d, "SELECT expert_id FROM active_consent WHERE purpose = 'mailing'") ==
        std::vector<std::int64_t>{id});
  {
    db::WriteTransaction tx(lib.d);
    experts::Changes c;
    c.withdraw_consents = {experts::Purpose::mailing};
    experts::edit(tx, cfg(), id, c, date("2021-03-01"), actor);
    tx.commit();
  }
  CHECK(view_ids(lib.d, "SELECT expert_id FROM active_consent WHERE purpose = 'mailing'").empty());
  CHECK(view_ids(lib.d, "SELECT expert_id FROM consent WHERE purpose = 'mailing'") ==
        std::vector<std::int64_t>{id});  // kept, withdrawn
  CHECK(view_ids(lib.d, "SELECT id FROM mailable_expert").empty());
  CHECK(view_ids(lib.d, "SELECT expert_id FROM active_consent WHERE purpose = 'register'") ==
        std::vector<std::int64_t>{id});
}

#ifdef LBIB_SOURCE_DIR
// The rule lives in the views only. A query in the library that writes "not erased" or "not
// withdrawn" out again is the repetition issue #17 found (eight queries, then 29): this fails
// and names it. String literals split over lines ("... erased_on IS " "NULL ...") are joined
// before looking.
TEST_CASE("no query in the library writes out a rule the views hold") {
  const std::filesystem::path lib = std::filesystem::path(LBIB_SOURCE_DIR) / "lib" / "lbib";
  REQUIRE(std::filesystem::is_directory(lib));
  const std::regex joined(R"re("\s*\n\s*")re");
  const std::regex rule(R"re(\b(erased_on|withdrawn_on)\s+IS\s+NULL\b)re", std::regex::icase);
  std::size_t files = 0;
  std::vector<std::string> found;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(lib)) {
    const auto ext = entry.path().extension();
    if (ext != ".cpp" && ext != ".hpp") {
      continue;  // the migrations (.sql) define the views
    }
    ++files;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    const std::string source = std::regex_replace(text.str(), joined, "");
    if (std::regex_search(source, rule)) {
      found.push_back(std::filesystem::relative(entry.path(), lib).string());
    }
  }
  CHECK(files > 50);
  INFO("write living_expert, living_borrower or active_consent instead, in: " << [&] {
    std::string s;
    for (const auto& f : found) {
      s += f + " ";
    }
    return s;
  }());
  CHECK(found.empty());
}
#endif

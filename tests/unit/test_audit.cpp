// SPDX-License-Identifier: MIT
#include "helpers.hpp"
#include "lbib/audit/audit.hpp"

namespace audit = lbib::audit;
namespace db = lbib::db;

TEST_CASE("record and list audit entries") {
  auto d = db::Database::in_memory();
  const audit::Actor actor{"kim", std::string("Kim K")};
  {
    db::WriteTransaction tx(d);
    audit::record(tx, actor, "recruit", "expert", 1);
    audit::record(tx, actor, "edit", "expert", 1, std::string("email"));
    audit::record(tx, actor, "recruit", "expert", 2);
    tx.commit();
  }
  const auto all = audit::list(d, {});
  REQUIRE(all.size() == 3);
  CHECK(all[0].action == "recruit");
  CHECK(all[0].os_user == "kim");
  CHECK(all[0].as_name == "Kim K");
  CHECK(all[1].detail == "email");
  CHECK(all[0].at.size() == 20);  // YYYY-MM-DDTHH:MM:SSZ

  audit::Filter one;
  one.entity = "expert";
  one.entity_id = 1;
  CHECK(audit::list(d, one).size() == 2);

  audit::Filter newest;
  newest.limit = 1;
  const auto last = audit::list(d, newest);
  REQUIRE(last.size() == 1);
  CHECK(last[0].entity_id == 2);
}

TEST_CASE("actor display") {
  CHECK(audit::Actor{"kim", std::nullopt}.display() == "kim");
  CHECK(audit::Actor{"kim", std::string("Kim K")}.display() == "kim (Kim K)");
  CHECK_FALSE(audit::current_actor(std::nullopt).os_user.empty());
}

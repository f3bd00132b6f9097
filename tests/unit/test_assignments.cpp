// SPDX-License-Identifier: MIT
// Recruiting for one assignment and outreach that leads somewhere (issue #16).
#include <SQLiteCpp/Statement.h>

#include <algorithm>

#include "helpers.hpp"
#include "lbib/corrections/merge.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/assignments.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/matching.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/outreach/outreach.hpp"
#include "lbib/privacy/privacy.hpp"

namespace lending = lbib::lending;
namespace db = lbib::db;
namespace experts = lbib::experts;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;

namespace {

struct Assignments {
  db::Database d;
  std::int64_t borrower = 0;

  // In memory, or in a file (an erasure writes its ledger beside the register).
  explicit Assignments(db::Database database = db::Database::in_memory()) : d(std::move(database)) {
    db::WriteTransaction tx(d);
    borrower = lending::add_borrower(
        tx,
        {0, "Flens kommun", std::nullopt, "Kim", "kim@example.se", std::nullopt, std::nullopt,
         std::string("municipality"), std::string("Flen")},
        actor);
    tx.commit();
  }

  experts::Recruitment person(const char* name) {
    experts::Recruitment r;
    r.profile.name = name;
    r.profile.email = std::string(name) + "@example.se";
    r.profile.channel = "website";
    r.profile.interviewed_on = date("2021-03-02");
    r.consent_date = r.profile.interviewed_on;
    r.consents = {experts::Purpose::register_, experts::Purpose::mailing};
    r.experiences.push_back(experts::parse_experience("relative:dementia", cfg()));
    return r;
  }

  std::int64_t expert(const char* name) {
    db::WriteTransaction tx(d);
    const auto id = experts::recruit(tx, cfg(), person(name), actor);
    tx.commit();
    return id;
  }

  std::int64_t recruit_for(const char* name, std::int64_t request) {
    db::WriteTransaction tx(d);
    const auto id = lending::recruit_for(tx, cfg(), person(name), request, actor);
    tx.commit();
    return id;
  }

  std::int64_t request(std::optional<lbib::text::Date> reply_by = date("2021-04-30")) {
    lending::RequestDetails details;
    details.reply_by = reply_by;
    details.wanted.push_back(lending::parse_wanted("relative:dementia", cfg()));
    db::WriteTransaction tx(d);
    const auto id = lending::new_request(tx, cfg(), borrower, date("2021-03-01"), details, actor);
    tx.commit();
    return id;
  }

  void call(std::int64_t id, std::optional<std::string> text, const char* today = "2021-03-05") {
    db::WriteTransaction tx(d);
    lending::set_open_call(tx, id, text, date(today), actor);
    tx.commit();
  }

  void close(std::int64_t id, const char* on) {
    db::WriteTransaction tx(d);
    lending::take_step(tx, id, lending::Step::withdraw, {date(on), {}, {}, {}}, actor);
    tx.commit();
  }

  std::vector<std::int64_t> matched(std::int64_t id) {
    std::vector<std::int64_t> out;
    for (const auto& c :
         lending::match(d, lending::get_request(d, id), date("2021-03-05")).candidates) {
      out.push_back(c.expert_id);
    }
    return out;
  }

  std::vector<std::string> due_kinds(const lbib::config::Config& config, const char* today) {
    std::vector<std::string> out;
    for (const auto& x : lbib::privacy::due(d, config, date(today))) {
      out.push_back(x.kind);
    }
    return out;
  }
};

bool has_kind(const std::vector<std::string>& v, const char* s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

}  // namespace

TEST_CASE("an open call is shown until the reply-by day, while the request looks for experts") {
  Assignments lib;
  const auto req = lib.request();
  CHECK(lending::open_calls(lib.d, date("2021-03-05")).empty());
  lib.call(req, "Workshop om kallelser i Flen.");
  REQUIRE(lending::open_calls(lib.d, date("2021-04-30")).size() == 1);
  CHECK(lending::open_calls(lib.d, date("2021-04-30"))[0].text == "Workshop om kallelser i Flen.");
  CHECK(lending::open_calls(lib.d, date("2021-05-01")).empty());
  lib.call(req, "Ändrad text.");  // a new text replaces the old
  CHECK(lending::find_open_call(lib.d, req)->text == "Ändrad text.");
  lib.close(req, "2021-03-10");
  CHECK(lending::open_calls(lib.d, date("2021-03-11")).empty());
}

TEST_CASE("an open call is refused without reply-by, after it, or after the loan") {
  Assignments lib;
  const auto none = lib.request(std::nullopt);
  CHECK_LBIB_ERROR(lib.call(none, "Text"), ExitCode::data, "has no reply-by date");
  const auto req = lib.request();
  CHECK_LBIB_ERROR(lib.call(req, "Text", "2021-05-01"), ExitCode::data, "has passed");
  CHECK_LBIB_ERROR(lib.call(req, ""), ExitCode::data, "call: the text is empty");
  CHECK_LBIB_ERROR(lib.call(req, std::nullopt), ExitCode::data, "has no open call");
  CHECK_LBIB_ERROR(lib.call(99, "Text"), ExitCode::no_input, "no request with id 99");
  lib.close(req, "2021-03-10");
  CHECK_LBIB_ERROR(lib.call(req, "Text"), ExitCode::data, "needs a request before its loan");
}

TEST_CASE("a person recruited for one request is picked for it and offered to no other") {
  Assignments lib;
  const auto regular = lib.expert("anna");
  const auto req = lib.request();
  const auto other = lib.request();
  const auto bo = lib.recruit_for("bo", req);
  CHECK(lending::find_assignment(lib.d, bo)->request_id == req);
  CHECK(!lending::find_assignment(lib.d, regular));
  CHECK(lending::get_request(lib.d, req).picks == std::vector<std::int64_t>{bo});
  CHECK(lib.matched(req) == std::vector<std::int64_t>{bo, regular});  // picked first
  CHECK(lib.matched(other) == std::vector<std::int64_t>{regular});
  {
    db::WriteTransaction tx(lib.d);
    lending::join(tx, bo, date("2021-06-01"), actor);
    tx.commit();
  }
  CHECK(lib.matched(other) == std::vector<std::int64_t>{regular, bo});
  CHECK(lending::find_assignment(lib.d, bo)->joined_on == date("2021-06-01"));
}

TEST_CASE("recruiting for a request needs mailing consent and a request before its loan") {
  Assignments lib;
  const auto req = lib.request();
  auto r = lib.person("cia");
  r.consents = {experts::Purpose::register_};
  db::WriteTransaction tx(lib.d);
  CHECK_LBIB_ERROR(lending::recruit_for(tx, cfg(), r, req, actor), ExitCode::data,
                   "consent to mailing too");
  CHECK_LBIB_ERROR(lending::recruit_for(tx, cfg(), lib.person("cia"), 42, actor),
                   ExitCode::no_input, "no request with id 42");
}

TEST_CASE("joining is for an assignment's recruit, once") {
  Assignments lib;
  const auto regular = lib.expert("anna");
  const auto bo = lib.recruit_for("bo", lib.request());
  db::WriteTransaction tx(lib.d);
  CHECK_LBIB_ERROR(lending::join(tx, regular, date("2021-06-01"), actor), ExitCode::data,
                   "was not recruited for an assignment");
  CHECK_LBIB_ERROR(lending::join(tx, bo, date("2021-01-01"), actor), ExitCode::data,
                   "before the expert's interview");
  lending::join(tx, bo, date("2021-06-01"), actor);
  CHECK_LBIB_ERROR(lending::join(tx, bo, date("2021-06-02"), actor), ExitCode::data,
                   "joined the library on 2021-06-01");
}

TEST_CASE("retention asks whether to join once the request closed, then erases on schedule") {
  const lbib::testing::TempDir dir;
  Assignments lib(db::Database::create(dir.path / "register.lbib", {}));
  auto config = cfg();
  config.retention.erase_assignment_recruits_after_days = 10;
  const auto req = lib.request();
  const auto bo = lib.recruit_for("bo", req);
  const auto joined = lib.recruit_for("cia", req);
  CHECK(!has_kind(lib.due_kinds(config, "2021-03-20"), "ask-join"));
  lib.close(req, "2021-03-20");
  {
    db::WriteTransaction tx(lib.d);
    lending::join(tx, joined, date("2021-03-21"), actor);
    tx.commit();
  }
  const auto asked = lbib::privacy::due(lib.d, config, date("2021-03-29"));
  REQUIRE(std::count_if(asked.begin(), asked.end(),
                        [](const auto& x) { return x.kind == "ask-join"; }) == 1);
  const auto it =
      std::find_if(asked.begin(), asked.end(), [](const auto& x) { return x.kind == "ask-join"; });
  CHECK(it->id == bo);
  CHECK(it->command == "lbib expert join " + std::to_string(bo));
  CHECK(it->text.find("bo@") == std::string::npos);
  CHECK(lib.due_kinds(config, "2021-03-30") == std::vector<std::string>{"erase-assignment"});
  db::WriteTransaction tx(lib.d);
  const auto result = lbib::privacy::purge(tx, config, date("2021-03-30"), actor);
  CHECK(result.erased == std::vector<std::int64_t>{bo});
  tx.commit();
  CHECK(experts::get(lib.d, bo).erased_on == date("2021-03-30"));
  CHECK(!experts::get(lib.d, joined).erased_on);
  CHECK(lending::find_assignment(lib.d, bo)->request_id == req);  // kept with the stub
  CHECK(lib.due_kinds(config, "2021-04-30").empty());
}

TEST_CASE("what followed an outreach activity, in the configured months") {
  Assignments lib;
  auto config = cfg();
  std::int64_t activity = 0;
  {
    db::WriteTransaction tx(lib.d);
    lbib::outreach::Activity a{
        date("2021-01-15"),          "presentation",  std::nullopt, std::nullopt,
        std::string("municipality"), {"flens KOMMUN"}};
    activity = lbib::outreach::add(tx, a, actor);
    tx.commit();
  }
  lib.request();                         // 2021-03-01, Flens kommun
  lib.recruit_for("bo", lib.request());  // interviewed 2021-03-02
  const auto all = lbib::outreach::follow_through(lib.d, config, {});
  REQUIRE(all.size() == 1);
  CHECK(all[0].id == activity);
  CHECK(all[0].until == date("2021-04-14"));
  CHECK(all[0].recruits == 1);
  CHECK(all[0].requests == 2);
  CHECK(all[0].target_requests == 2);
  CHECK(all[0].borrowers == 1);
  CHECK(all[0].loans == 0);
  config.outreach_follow_months = 1;
  CHECK(lbib::outreach::follow_through(lib.d, config, {})[0].requests == 0);
  CHECK_LBIB_ERROR(lbib::outreach::validate_target(""), ExitCode::data, "target");
}

TEST_CASE("a regular expert merged with their record for one assignment stays regular") {
  Assignments lib;
  const auto regular = lib.expert("anna");
  const auto req = lib.request();
  const auto other = lib.request();
  const auto twice = lib.recruit_for("anna2", req);
  {
    db::WriteTransaction tx(lib.d);
    lbib::corrections::merge_experts(tx, regular, twice, date("2021-03-06"), actor);
    tx.commit();
  }
  CHECK(lending::find_assignment(lib.d, regular)->joined_on == date("2021-03-06"));
  CHECK(lib.matched(other) == std::vector<std::int64_t>{regular});
}

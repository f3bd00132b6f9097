// SPDX-License-Identifier: MIT
#include <sqlite3.h>

#include "helpers.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/matching.hpp"
#include "lbib/lending/requests.hpp"

namespace lending = lbib::lending;
namespace db = lbib::db;
namespace text = lbib::text;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;

namespace {

struct Library {
  db::Database d = db::Database::in_memory();
  std::int64_t borrower = 0;

  Library() {
    db::WriteTransaction tx(d);
    borrower = lending::add_borrower(tx,
                                     {0, "Region Exempel", std::nullopt, "Kim", "kim@example.se",
                                      std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                                     actor);
    tx.commit();
  }

  std::int64_t expert(const char* name, std::vector<std::string> experiences, int birth_year = 1960,
                      bool mailing = true) {
    lbib::experts::Recruitment r;
    r.profile.name = name;
    r.profile.email = "x@example.se";
    r.allow_duplicate = true;  // the same address for everyone: matching does not mind
    r.profile.channel = "website";
    r.profile.birth_year = birth_year;
    r.profile.interviewed_on = date("2020-01-01");
    r.consent_date = r.profile.interviewed_on;
    r.consents = {lbib::experts::Purpose::register_};
    if (mailing) {
      r.consents.push_back(lbib::experts::Purpose::mailing);
    }
    for (const auto& x : experiences) {
      r.experiences.push_back(lbib::experts::parse_experience(x, cfg()));
    }
    db::WriteTransaction tx(d);
    const auto id = lbib::experts::recruit(tx, cfg(), r, actor);
    tx.commit();
    return id;
  }

  std::int64_t request(lending::RequestDetails details = {}) {
    db::WriteTransaction tx(d);
    const auto id = lending::new_request(tx, cfg(), borrower, date("2021-03-01"), details, actor);
    tx.commit();
    return id;
  }

  void step(std::int64_t id, lending::Step step, lending::StepInput in) {
    db::WriteTransaction tx(d);
    lending::take_step(tx, id, step, in, actor);
    tx.commit();
  }

  lending::Request get(std::int64_t id) { return lending::get_request(d, id); }
};

}  // namespace

TEST_CASE("the state machine's table") {
  using lending::State;
  using lending::Step;
  CHECK(lending::allowed_from(Step::loan) ==
        std::vector<State>{State::pre_meeting_held, State::dispatched});
  CHECK(lending::allowed_from(Step::dispatch) ==
        std::vector<State>{State::pre_meeting_held, State::dispatched});
  const auto cancel = lending::allowed_from(Step::cancel);
  CHECK(std::find(cancel.begin(), cancel.end(), State::dispatched) != cancel.end());
  CHECK(std::find(cancel.begin(), cancel.end(), State::loan_carried_out) == cancel.end());
  CHECK(lending::reasons_for(Step::decline).size() == 2);
  CHECK(lending::reasons_for(Step::cancel).size() == 3);
  CHECK(lending::reasons_for(Step::withdraw).empty());
  CHECK(lending::parse_state("s", "pre-meeting-held") == State::pre_meeting_held);
  CHECK_LBIB_ERROR(lending::parse_state("state", "done"), ExitCode::data,
                   "received, awaiting-detail");
}

TEST_CASE("parse_wanted") {
  CHECK_FALSE(lending::parse_wanted("dementia", cfg()).role);
  CHECK(lending::parse_wanted("relative:dementia", cfg()).role == "relative");
  CHECK(lending::describe(lending::parse_wanted("relative:dementia", cfg())) ==
        "relative:dementia");
  CHECK_LBIB_ERROR(lending::parse_wanted("a:b:c", cfg()), ExitCode::data, "ROLE:AREA");
  CHECK_LBIB_ERROR(lending::parse_wanted("visitor:dementia", cfg()), ExitCode::data,
                   "unknown role");
}

TEST_CASE("missing_for_dispatch lists exactly what the mail needs") {
  lending::RequestDetails d;
  CHECK(lending::missing_for_dispatch(d) ==
        std::vector<std::string>{"purpose", "form", "time", "place (or --digital)", "reply-by"});
  d.purpose = "p";
  d.form = "workshop";
  d.time = "t";
  d.digital = true;
  d.reply_by = date("2021-04-01");
  CHECK(lending::missing_for_dispatch(d).empty());
}

TEST_CASE("resume returns to the state before the wait, and history is dated") {
  Library lib;
  const auto id = lib.request();
  lib.step(id, lending::Step::ask_detail, {date("2021-03-02"), {}, {}, std::string("mer info")});
  CHECK(lib.get(id).state == lending::State::awaiting_detail);
  lib.step(id, lending::Step::hold, {date("2021-03-03"), {}, date("2021-05-01"), {}});
  CHECK(lib.get(id).hold_until == date("2021-05-01"));
  lib.step(id, lending::Step::resume, {date("2021-05-02"), {}, {}, {}});
  const auto r = lib.get(id);
  CHECK(r.state == lending::State::awaiting_detail);
  CHECK_FALSE(r.hold_until);
  REQUIRE(r.events.size() == 4);
  CHECK(r.events[1].note == "mer info");
  CHECK(r.events[3].on == date("2021-05-02"));
}

TEST_CASE("a refused step leaves the request as it was") {
  Library lib;
  const auto id = lib.request();
  CHECK_LBIB_ERROR(lib.step(id, lending::Step::cancel, {date("2021-03-02"), {}, {}, {}}),
                   ExitCode::data, "--reason is required");
  CHECK_LBIB_ERROR(lib.step(id, lending::Step::resume, {date("2021-03-02"), {}, {}, {}}),
                   ExitCode::data, "'resume' needs a request that is awaiting-detail, on-hold");
  CHECK(lib.get(id).state == lending::State::received);
  CHECK(lib.get(id).events.size() == 1);
}

TEST_CASE("request rules: at least two experts unless a reason is given") {
  Library lib;
  lending::RequestDetails d;
  d.experts_wanted = 1;
  CHECK_LBIB_ERROR(lib.request(d), ExitCode::data, "at least 2 experts");
  d.fewer_reason = "En särskild person";
  CHECK(lib.request(d) > 0);
}

TEST_CASE("match: fit first, then rotation, and consent and status decide who appears") {
  Library lib;
  const auto a = lib.expert("A", {"relative:dementia"});
  const auto b = lib.expert("B", {"relative:dementia", "patient:primary-care"});
  const auto c = lib.expert("C", {"relative:dementia"}, 1960, false);  // no mailing consent
  const auto old = lib.expert("D", {"relative:dementia"}, 1940);
  lending::RequestDetails d;
  d.wanted = {lending::parse_wanted("relative:dementia", cfg()),
              lending::parse_wanted("primary-care", cfg())};
  const auto id = lib.request(d);
  auto result = lending::match(lib.d, lib.get(id), date("2021-03-05"));
  std::vector<std::int64_t> ids;
  for (const auto& cand : result.candidates) {
    ids.push_back(cand.expert_id);
  }
  CHECK(ids == std::vector<std::int64_t>{b, a, old});
  CHECK(std::find(ids.begin(), ids.end(), c) == ids.end());
  CHECK(result.candidates[0].fit == 2);
  CHECK(result.shortfall.empty());

  SUBCASE("age limit uses the year the request was received") {
    d.min_age = 65;
    const auto aged = lib.request(d);
    const auto r = lending::match(lib.d, lib.get(aged), date("2021-03-05"));
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].expert_id == old);
    CHECK_FALSE(r.shortfall.empty());
  }
  SUBCASE("wishes and a pause leave experts out, and say why") {
    db::WriteTransaction tx(lib.d);
    lbib::experts::WishChanges avoid;
    avoid.areas_avoided = std::vector<std::string>{"primary-care"};
    lbib::experts::set_wishes(tx, cfg(), b, avoid, actor);
    lbib::experts::WishChanges pause;
    pause.paused_until = date("2021-04-01");
    lbib::experts::set_wishes(tx, cfg(), old, pause, actor);
    tx.commit();
    const auto r = lending::match(lib.d, lib.get(id), date("2021-03-05"));
    REQUIRE(r.candidates.size() == 1);
    CHECK(r.candidates[0].expert_id == a);
    REQUIRE(r.left_out.size() == 2);
    CHECK(r.left_out[0].expert_id == b);
    CHECK(r.left_out[0].reason == lbib::experts::LeftOut::area_avoided);
    CHECK(r.left_out[0].key == "primary-care");
    CHECK(r.left_out[1].reason == lbib::experts::LeftOut::paused_until);
    CHECK(r.left_out[1].until == date("2021-04-01"));
    CHECK(lending::match(lib.d, lib.get(id), date("2021-04-01")).left_out.size() == 1);
  }
}

TEST_CASE("loan needs a request after its pre-meeting") {
  Library lib;
  const auto id = lib.request();
  db::WriteTransaction tx(lib.d);
  lending::LoanInput in;
  in.carried_out_on = date("2021-04-01");
  in.experts = {1, 2};
  CHECK_LBIB_ERROR(lending::record_loan(tx, cfg(), id, in, date("2021-05-01"), actor),
                   ExitCode::data, "needs a request that is pre-meeting-held, dispatched");
}

TEST_CASE("each_request hands on each request with its own wanted experiences, while reading") {
  Library lib;
  std::int64_t other = 0;
  {
    db::WriteTransaction tx(lib.d);
    other = lending::add_borrower(tx,
                                  {0, "Kommun Exempel", std::nullopt, "Sam", "sam@example.se",
                                   std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                                  actor);
    tx.commit();
  }
  lending::RequestDetails two;
  two.wanted = {lending::parse_wanted("relative:dementia", cfg()),
                lending::parse_wanted("primary-care", cfg())};
  lending::RequestDetails one;
  one.wanted = {lending::parse_wanted("patient:primary-care", cfg())};
  const auto r1 = lib.request(two);
  const auto r2 = lib.request();  // wants no experience: the lists side by side skip it
  const auto r3 = lib.request(one);
  std::int64_t r4 = 0;
  {
    db::WriteTransaction tx(lib.d);
    r4 = lending::new_request(tx, cfg(), other, date("2021-03-02"), two, actor);
    tx.commit();
  }
  const auto seen = [&lib](const lending::RequestFilter& filter) {
    std::vector<std::int64_t> ids;
    lending::each_request(lib.d, filter, [&](const lending::Request& r) {
      ids.push_back(r.id);
      // The same wanted experiences as the request read alone, in the same order.
      const auto alone = lib.get(r.id);
      REQUIRE(r.details.wanted.size() == alone.details.wanted.size());
      for (std::size_t i = 0; i < r.details.wanted.size(); ++i) {
        CHECK(r.details.wanted[i].area == alone.details.wanted[i].area);
        CHECK(r.details.wanted[i].role == alone.details.wanted[i].role);
      }
    });
    return ids;
  };
  CHECK(seen({}) == std::vector<std::int64_t>{r1, r2, r3, r4});
  CHECK(seen({std::nullopt, other}) == std::vector<std::int64_t>{r4});
  CHECK(seen({std::nullopt, lib.borrower}) == std::vector<std::int64_t>{r1, r2, r3});
  CHECK(lib.get(r1).details.wanted.size() == 2);
  CHECK(lib.get(r2).details.wanted.empty());
  // Each request is handed on while the statement is still being read: none is held.
  std::size_t while_reading = 0;
  lending::each_request(lib.d, {}, [&](const lending::Request&) {
    for (auto* s = sqlite3_next_stmt(lib.d.sql().getHandle(), nullptr); s != nullptr;
         s = sqlite3_next_stmt(lib.d.sql().getHandle(), s)) {
      if (sqlite3_stmt_busy(s) != 0) {
        ++while_reading;
        return;
      }
    }
  });
  CHECK(while_reading == 4);
}

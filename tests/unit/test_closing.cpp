// SPDX-License-Identifier: MIT
#include "lbib/closing/closing.hpp"
#include "lbib/reports/reports.hpp"
#include "register.hpp"

namespace closing = lbib::closing;
namespace db = lbib::db;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;
using lbib::testing::Register;

TEST_CASE("closing: begun once, then no one is recruited and mailings go out") {
  Register lib;
  const auto a = lib.expert({"Alfa Ett"});
  lib.expert({"Beta Två", {"patient:psychiatry"}, "2020-01-01", false});
  const closing::ClosingMailing notice(closing::Mailing::notice);
  CHECK_LBIB_ERROR(notice.check(lib.d, date("2022-01-10")), ExitCode::data,
                   "the library is not closing; begin with 'lbib close start'");
  {
    db::WriteTransaction tx(lib.d);
    closing::start(tx, date("2022-01-10"), actor);
    CHECK_LBIB_ERROR(closing::start(tx, date("2022-01-11"), actor), ExitCode::data,
                     "has been closing since 2022-01-10");
    tx.commit();
  }
  CHECK_LBIB_ERROR(notice.check(lib.d, date("2022-01-09")), ExitCode::data,
                   "before the library began closing");
  notice.check(lib.d, date("2022-01-10"));
  CHECK_LBIB_ERROR(lib.expert({"Gamma Tre"}), ExitCode::data,
                   "the library is closing (since 2022-01-10)");
  // The notice goes to those who may be mailed.
  const auto draft = notice.draft(lib.d, cfg(), date("2022-01-10"));
  REQUIRE(draft.bcc.size() == 1);
  CHECK(draft.bcc[0].first == a);
  CHECK(closing::parse_mailing("survey-experts") == closing::Mailing::survey_experts);
  CHECK_LBIB_ERROR(closing::parse_mailing("goodbye"), ExitCode::data,
                   "notice, survey-experts, survey-borrowers");
}

TEST_CASE("erasing everyone keeps every report as it was") {
  Register lib;
  const auto a = lib.expert({"Alfa Ett", {"relative:dementia"}, "2020-02-01"});
  const auto b = lib.expert({"Beta Två", {"patient:psychiatry"}, "2020-03-01"});
  const auto id = lib.request("2020-04-01");
  lib.mailed(id, {a, b}, "2020-04-10");
  lib.loan(id, {a, b}, "2020-05-01");
  lib.followed_up(id, "2020-05-10");
  {
    db::WriteTransaction tx(lib.d);
    closing::start(tx, date("2022-01-10"), actor);
    tx.commit();
  }
  const auto today = date("2022-02-18");
  const auto before = closing::statistics(lib.d, cfg(), today);
  const auto yearly_before = lbib::reports::yearly(lib.d, {}, true, today);
  closing::Erased erased;
  {
    db::WriteTransaction tx(lib.d);
    erased = closing::erase_everyone(tx, today, actor);
    tx.commit();
  }
  CHECK(erased.experts == 2);
  CHECK(erased.borrowers == 1);
  CHECK(lib.count("SELECT count(*) FROM expert WHERE erased_on IS NULL") == 0);
  CHECK(lib.count("SELECT count(*) FROM expert WHERE name LIKE '%Alfa%' OR email LIKE "
                  "'%example.se'") == 0);
  CHECK(lib.count("SELECT count(*) FROM borrower WHERE contact_email LIKE '%example.se'") == 0);
  // The history stays as it was; the pool and the notices are about people, now none.
  const auto after = closing::statistics(lib.d, cfg(), today);
  for (const char* part : {"yearly", "requests", "followups", "recruitment"}) {
    CAPTURE(part);
    CHECK(after[part] == before[part]);
  }
  const auto yearly_after = lbib::reports::yearly(lib.d, {}, true, today);
  CHECK(yearly_after.recruited == yearly_before.recruited);
  CHECK(yearly_after.loans == 1);
}

// SPDX-License-Identifier: MIT
#include <SQLiteCpp/Statement.h>

#include "helpers.hpp"
#include "lbib/corrections/corrections.hpp"
#include "lbib/corrections/merge.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/privacy/freetext.hpp"
#include "register.hpp"

namespace corrections = lbib::corrections;
namespace lending = lbib::lending;
namespace db = lbib::db;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;

namespace {

const auto k_today = date("2021-06-01");

// A register with a request that was mailed to three experts (1-3) on 2021-03-03 and whose
// loan with experts 1 and 2 was carried out on 2021-03-20.
struct Loaned : lbib::testing::Register {
  std::int64_t id = 0;
  std::vector<std::int64_t> experts;

  Loaned() {
    for (const char* name : {"Alfa Ett", "Beta Två", "Gamma Tre"}) {
      experts.push_back(expert({.name = name, .email = std::string(name, 4) + "@example.se"}));
    }
    id = request("2021-03-01");
    mailed(id, experts, "2021-03-02");  // the pre-meeting; mailed to all three on 2021-03-03
    db::WriteTransaction tx(d);
    lending::LoanInput in;
    in.carried_out_on = date("2021-03-20");
    in.experts = {experts[0], experts[1]};
    lending::record_loan(tx, cfg(), id, in, k_today, actor);
    tx.commit();
  }

  void correct_loan(const corrections::LoanChanges& c) {
    db::WriteTransaction tx(d);
    corrections::edit_loan(tx, cfg(), id, c, k_today, actor);
    tx.commit();
  }
};

}  // namespace

TEST_CASE("a corrected loan date keeps the recording rules and what was recorded after it") {
  Loaned lib;
  corrections::LoanChanges c;
  c.carried_out_on = date("2021-03-01");
  CHECK_LBIB_ERROR(lib.correct_loan(c), ExitCode::data,
                   "the loan cannot be before the request was mailed (2021-03-03)");
  c.carried_out_on = date("2021-07-01");
  CHECK_LBIB_ERROR(lib.correct_loan(c), ExitCode::data, "is in the future");
  {
    db::WriteTransaction tx(lib.d);
    lbib::followup::Answers a;
    a.held_on = date("2021-03-25");
    for (const auto& q : cfg().followup_questions) {
      a.answers.emplace_back(q.key, "svar");
    }
    a.satisfaction = 4;
    lbib::followup::record(tx, cfg(), lib.id, a, actor);
    tx.commit();
  }
  c.carried_out_on = date("2021-03-26");
  CHECK_LBIB_ERROR(lib.correct_loan(c), ExitCode::data,
                   "the follow-up meeting was held on 2021-03-25");
  c.carried_out_on = date("2021-03-24");
  lib.correct_loan(c);
  CHECK(lending::find_loan(lib.d, lib.id)->carried_out_on == date("2021-03-24"));
  const auto r = lending::get_request(lib.d, lib.id);
  CHECK(r.events.back().correction == std::optional<std::string>("carried_out_on"));
  CHECK(r.events.back().from == r.events.back().to);
  const auto log = lbib::audit::list(lib.d, {"request", lib.id, {}});
  CHECK(log.back().action == "loan-correct");
  CHECK(log.back().detail == std::optional<std::string>("carried_out_on"));
}

TEST_CASE("a loan participant with a payment cannot be removed but others can") {
  Loaned lib;
  corrections::LoanChanges c;
  c.experts = std::vector<std::int64_t>{lib.experts[0], lib.experts[2]};
  {
    db::WriteTransaction tx(lib.d);
    SQLite::Statement s(tx.sql(),
                        "INSERT INTO payment (request_id, expert_id, unit, quantity, rate, "
                        "amount, rate_valid_from, payer, status, due_on) VALUES (?, ?, 'hour', "
                        "1, 100, 100, '2020-01-01', 'x', 'due', '2021-03-20')");
    s.bind(1, lib.id);
    s.bind(2, lib.experts[1]);
    s.exec();
    tx.commit();
  }
  CHECK_LBIB_ERROR(lib.correct_loan(c), ExitCode::data, "has a payment recorded for this loan");
  c.experts = std::vector<std::int64_t>{lib.experts[1], lib.experts[2]};
  lib.correct_loan(c);
  const auto loan = lending::find_loan(lib.d, lib.id);
  REQUIRE(loan->participants.size() == 2);
  CHECK(loan->participants[0].expert_id == lib.experts[1]);
  CHECK(loan->participants[1].expert_id == lib.experts[2]);
}

TEST_CASE("a booked follow-up meeting is cancelled, after which the loan can be undone") {
  Loaned lib;
  {
    db::WriteTransaction tx(lib.d);
    lbib::followup::book(tx, lib.id, date("2021-04-01"), actor);
    tx.commit();
  }
  const auto undo = [&lib] {
    db::WriteTransaction tx(lib.d);
    corrections::undo_loan(tx, lib.id, "fel förfrågan", k_today, actor);
    tx.commit();
  };
  const auto cancel = [&lib] {
    db::WriteTransaction tx(lib.d);
    corrections::cancel_followup(tx, lib.id, "fel förfrågan", k_today, actor);
    tx.commit();
  };
  CHECK_LBIB_ERROR(undo(), ExitCode::data, "'lbib followup cancel 1 --reason ...'");
  cancel();
  CHECK_FALSE(lbib::followup::find(lib.d, lib.id));
  const auto r = lending::get_request(lib.d, lib.id);
  CHECK(r.events.back().correction == std::optional<std::string>("followup_booking"));
  CHECK(r.state == lending::State::loan_carried_out);
  CHECK(lbib::audit::list(lib.d, {"request", lib.id, {}}).back().action == "followup-cancel");
  CHECK_LBIB_ERROR(cancel(), ExitCode::data, "has no follow-up meeting booked");
  undo();
  CHECK_FALSE(lending::find_loan(lib.d, lib.id));
}

TEST_CASE("a paid payment changes only as a correction, and is never paid in the future") {
  Loaned lib;
  lbib::followup::PaymentInput in;
  in.expert_id = lib.experts[0];
  in.unit = lbib::followup::Unit::hour;
  in.travel = 50;
  in.status = lbib::followup::PaymentStatus::paid;
  in.on = date("2021-03-21");
  const auto pay = [&lib](const lbib::followup::PaymentInput& p) {
    db::WriteTransaction tx(lib.d);
    lbib::followup::record_payment(tx, cfg(), lib.id, p, actor);
    tx.commit();
  };
  pay(in);
  const auto events = lending::get_request(lib.d, lib.id).events.size();
  pay(in);  // the same again: nothing changes
  CHECK(lending::get_request(lib.d, lib.id).events.size() == events);
  auto changed = in;
  changed.travel = 80;
  CHECK_LBIB_ERROR(pay(changed), ExitCode::data, "changing it is a correction: add --reason");
  changed.correction_reason = "fel reseersättning";
  pay(changed);
  const auto r = lending::get_request(lib.d, lib.id);
  CHECK(r.events.back().correction == std::optional<std::string>("payment:travel"));
  CHECK(r.events.back().note == changed.correction_reason);
  CHECK(lib.count("SELECT travel FROM payment") == 80);
  auto future = in;
  future.expert_id = lib.experts[1];
  future.on = lbib::text::add_days(lbib::text::today(), 1);
  CHECK_LBIB_ERROR(pay(future), ExitCode::data, "is in the future");
  future.expert_id = 999;
  CHECK_LBIB_ERROR(pay(future), ExitCode::no_input, "999");
}

TEST_CASE("the loan's event, which Table 1 shows, follows participants corrected") {
  Loaned lib;
  corrections::LoanChanges c;
  c.uninvited = {{4, "kom med ändå"}};
  {
    db::WriteTransaction tx(lib.d);
    lbib::experts::Recruitment r;
    r.profile.name = "Delta Fyra";
    r.profile.email = "delta@example.se";
    r.profile.channel = "website";
    r.profile.interviewed_on = date("2020-01-01");
    r.consent_date = r.profile.interviewed_on;
    r.consents = {lbib::experts::Purpose::register_};
    CHECK(lbib::experts::recruit(tx, cfg(), r, actor) == 4);
    tx.commit();
  }
  const auto loan_note = [&lib] {
    return lib.d.sql()
        .execAndGet(
            "SELECT coalesce(note, '') FROM request_event WHERE to_state = "
            "'loan-carried-out' AND correction IS NULL")
        .getString();
  };
  lib.correct_loan(c);
  CHECK(loan_note().find("kom med ändå") != std::string::npos);
  corrections::LoanChanges back;
  back.experts = std::vector<std::int64_t>{lib.experts[0], lib.experts[1]};
  lib.correct_loan(back);
  CHECK(loan_note().find("kom med ändå") == std::string::npos);
}

TEST_CASE("a dispatch is undone only before the loan and reopen returns to the state before") {
  Loaned lib;
  {
    db::WriteTransaction tx(lib.d);
    CHECK_LBIB_ERROR(corrections::undo_dispatch(tx, lib.id, std::nullopt, "fel", k_today, actor),
                     ExitCode::data, "a dispatch cannot be undone once the loan");
  }
  db::WriteTransaction tx(lib.d);
  const auto other = lending::new_request(tx, cfg(), 1, date("2021-03-01"), {}, actor);
  CHECK_LBIB_ERROR(corrections::reopen(tx, other, "fel", k_today, actor), ExitCode::data,
                   "only a request that is declined, cancelled or withdrawn");
  lending::take_step(tx, other, lending::Step::ask_detail, {date("2021-03-02"), {}, {}, {}}, actor);
  lending::take_step(tx, other, lending::Step::decline,
                     {date("2021-03-03"), lending::Reason::no_match, {}, {}}, actor);
  CHECK_LBIB_ERROR(corrections::reopen(tx, other, "  ", k_today, actor), ExitCode::usage,
                   "--reason");
  corrections::reopen(tx, other, "avböjd av misstag", k_today, actor);
  const auto r = lending::get_request(tx.database(), other);
  CHECK(r.state == lending::State::awaiting_detail);
  CHECK_FALSE(r.reason.has_value());
  CHECK(r.events.back().note == std::optional<std::string>("avböjd av misstag"));
  CHECK(r.events.back().correction == std::optional<std::string>("state"));
}

TEST_CASE("expert merge leaves no row naming the dropped expert in any linked table") {
  Loaned lib;
  const auto keep = lib.experts[2];  // invited, did not take part
  const auto drop = lib.experts[0];  // invited and took part
  {
    db::WriteTransaction tx(lib.d);
    CHECK_LBIB_ERROR(corrections::merge_experts(tx, lib.experts[0], lib.experts[1], k_today, actor),
                     ExitCode::data, "both took part in the loan of request");
    corrections::merge_experts(tx, keep, drop, k_today, actor);
    tx.commit();
  }
  for (const auto& link : lbib::privacy::expert_links(lib.d)) {
    if (link.table == "audit" || link.table == "merged_record") {
      continue;  // the log keeps what happened; merged_record names the kept id
    }
    SQLite::Statement q(lib.d.sql(),
                        "SELECT count(*) FROM \"" + link.table + "\" WHERE " + link.condition);
    q.bind(1, drop);
    REQUIRE(q.executeStep());
    CHECK_MESSAGE(q.getColumn(0).getInt64() == 0, link.table);
  }
  // The invitation both had stays once; the loan is keep's; one mailing consent in force.
  CHECK(lib.count("SELECT count(*) FROM invitation WHERE expert_id = " + std::to_string(keep)) ==
        1);
  CHECK(lib.count("SELECT count(*) FROM loan_participant WHERE expert_id = " +
                  std::to_string(keep)) == 1);
  CHECK(lib.count("SELECT count(*) FROM consent WHERE purpose = 'mailing' AND expert_id = " +
                  std::to_string(keep)) == 2);
  CHECK(lib.count("SELECT count(*) FROM consent WHERE purpose = 'mailing' AND withdrawn_on IS "
                  "NULL AND expert_id = " +
                  std::to_string(keep)) == 1);
  CHECK(lib.count("SELECT kept_id FROM merged_record WHERE kind = 'expert' AND dropped_id = " +
                  std::to_string(drop)) == keep);
  CHECK(lib.count("SELECT count(*) FROM pragma_foreign_key_check") == 0);
}

// SPDX-License-Identifier: MIT
#include <algorithm>
#include <map>

#include "lbib/followup/followups.hpp"
#include "lbib/followup/payments.hpp"
#include "lbib/followup/reminders.hpp"
#include "register.hpp"

namespace followup = lbib::followup;
namespace db = lbib::db;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;
using lbib::testing::Register;

namespace {

// A request mailed to three experts on 2021-03-03 (the third without mailing consent by the
// summary's time), loaned with all three on 2021-03-20.
struct FollowedLoan : Register {
  std::int64_t id = 0;
  std::vector<std::int64_t> experts;

  FollowedLoan() {
    for (const char* name : {"Alfa Ett", "Beta Två", "Gamma Tre"}) {
      experts.push_back(expert({name}));
    }
    id = request("2021-03-01");
    mailed(id, experts, "2021-03-02");
    loan(id, experts, "2021-03-20");
  }

  void book(const char* on) {
    db::WriteTransaction tx(d);
    followup::book(tx, id, date(on), actor);
    tx.commit();
  }
};

std::vector<std::int64_t> bcc_ids(const lbib::mailing::Recipients& r) {
  std::vector<std::int64_t> out;
  for (const auto& [id, address] : r) {
    out.push_back(id);
  }
  return out;
}

}  // namespace

TEST_CASE("a follow-up meeting is booked after the loan, and only while it waits for one") {
  Register lib;
  const auto e = lib.expert({"Alfa Ett"});
  const auto id = lib.request("2021-03-01");
  {
    db::WriteTransaction tx(lib.d);
    CHECK_LBIB_ERROR(followup::book(tx, id, date("2021-04-01"), actor), ExitCode::data, "loan");
  }
  lib.mailed(id, {e}, "2021-03-02");
  lib.loan(id, {e}, "2021-03-20");
  {
    db::WriteTransaction tx(lib.d);
    CHECK_LBIB_ERROR(followup::book(tx, id, date("2021-03-19"), actor), ExitCode::data,
                     "2021-03-19 is before the loan (2021-03-20)");
    followup::book(tx, id, date("2021-03-27"), actor);
    followup::book(tx, id, date("2021-03-28"), actor);  // moved
    tx.commit();
  }
  const auto f = followup::find(lib.d, id);
  REQUIRE(f);
  CHECK(f->booked_for == date("2021-03-28"));
  CHECK_FALSE(f->held);
  lib.followed_up(id, "2021-03-28");
  db::WriteTransaction tx(lib.d);
  CHECK_LBIB_ERROR(followup::book(tx, id, date("2021-04-01"), actor), ExitCode::data,
                   "is followed-up; a follow-up meeting is booked while the request is "
                   "loan-carried-out");
}

TEST_CASE("the answers of a follow-up meeting: every question once, a grade from 1 to 5") {
  const auto loan_on = date("2021-03-20");
  const auto today = date("2021-06-01");
  auto a = Register::answers("2021-03-25");
  followup::check_answers(cfg(), loan_on, a, today);
  CHECK_LBIB_ERROR(followup::check_answers(cfg(), date("2021-03-26"), a, today), ExitCode::data,
                   "is before the loan");
  CHECK_LBIB_ERROR(followup::check_answers(cfg(), loan_on, a, date("2021-03-24")), ExitCode::data,
                   "2021-03-25 is in the future");
  for (const int grade : {0, 6}) {
    auto b = a;
    b.satisfaction = grade;
    CHECK_LBIB_ERROR(followup::check_answers(cfg(), loan_on, b, today), ExitCode::data,
                     "a number from 1 (mycket missnöjd) to 5 (mycket nöjd)");
  }
  auto missing = a;
  missing.answers.pop_back();
  CHECK_LBIB_ERROR(followup::check_answers(cfg(), loan_on, missing, today), ExitCode::data,
                   "missing: " + a.answers.back().first);
  auto unknown = a;
  unknown.answers.emplace_back("weather", "sunny");
  CHECK_LBIB_ERROR(followup::check_answers(cfg(), loan_on, unknown, today), ExitCode::data,
                   "unknown question 'weather'");
  auto empty = a;
  empty.answers.front().second.clear();
  CHECK_LBIB_ERROR(followup::check_answers(cfg(), loan_on, empty, today), ExitCode::data,
                   "must not be empty");
}

TEST_CASE("the summary carries only the answers marked for it, to those who may be mailed") {
  FollowedLoan lib;
  const followup::Summary summary(lib.id);
  CHECK_LBIB_ERROR(summary.check(lib.d, date("2021-04-01")), ExitCode::data,
                   "the follow-up meeting is not recorded yet");
  lib.followed_up(lib.id, "2021-03-25");
  CHECK_LBIB_ERROR(summary.check(lib.d, date("2021-03-24")), ExitCode::data,
                   "cannot be sent before the follow-up meeting (2021-03-25)");
  summary.check(lib.d, date("2021-03-25"));

  const auto text = followup::summary_text(lib.d, cfg(), lib.id);
  for (const auto& q : cfg().followup_questions) {
    CAPTURE(q.key);
    CHECK((text.find("Svar på " + q.key) != std::string::npos) == q.summary);
  }
  // The third expert withdrew the mailing consent: no Bcc for them.
  {
    db::WriteTransaction tx(lib.d);
    lbib::experts::Changes c;
    c.withdraw_consents = {lbib::experts::Purpose::mailing};
    lbib::experts::edit(tx, cfg(), lib.experts[2], c, date("2021-03-21"), actor);
    tx.commit();
  }
  const auto draft = summary.draft(lib.d, cfg(), date("2021-03-26"));
  CHECK(bcc_ids(draft.bcc) == std::vector<std::int64_t>{lib.experts[0], lib.experts[1]});
  CHECK(draft.template_name == "followup");
  const auto value = [&](std::string_view key) {
    for (const auto& [k, v] : draft.values) {
      if (k == key) {
        return v;
      }
    }
    return std::string("(none)");
  };
  CHECK(value("answers") == text);
  CHECK(value("loan_date") == "2021-03-20");
}

TEST_CASE("a follow-up finishes when the summary went out and the borrower gave feedback") {
  FollowedLoan lib;
  lib.book("2021-03-25");
  lib.followed_up(lib.id, "2021-03-25");
  {
    db::WriteTransaction tx(lib.d);
    CHECK_LBIB_ERROR(followup::confirm_feedback(tx, lib.id, date("2021-03-19"), actor),
                     ExitCode::data, "2021-03-19 is before the loan (2021-03-20)");
    followup::confirm_feedback(tx, lib.id, date("2021-03-30"), actor);
    tx.commit();
  }
  CHECK(followup::find(lib.d, lib.id)->feedback_confirmed_on == date("2021-03-30"));
  // The summary is still due, so the request is not finished.
  CHECK(lbib::lending::get_request(lib.d, lib.id).state == lbib::lending::State::followed_up);
  db::WriteTransaction tx(lib.d);
  CHECK_LBIB_ERROR(followup::confirm_feedback(tx, lib.id, date("2021-04-01"), actor),
                   ExitCode::data, "the borrower's feedback was confirmed on 2021-03-30");
}

TEST_CASE("compensation: the amount is the rate times the units, plus travel") {
  CHECK(followup::payment_amount(500, 2, 0) == 1000);
  CHECK(followup::payment_amount(150, 3, 120) == 570);
  CHECK(followup::parse_unit("unit", "half-day") == followup::Unit::half_day);
  CHECK_LBIB_ERROR(followup::parse_unit("unit", "week"), ExitCode::data, "hour, half-day");
}

TEST_CASE("remind follows a loan through booking, meeting, summary and feedback") {
  FollowedLoan lib;
  const auto kinds_on = [&](const char* day) {
    std::vector<std::string> kinds;
    for (const auto& r : followup::due(lib.d, cfg(), date(day))) {
      if (r.request == lib.id) {
        kinds.push_back(r.kind);
      }
    }
    return kinds;
  };
  const auto has = [](const std::vector<std::string>& v, const char* k) {
    return std::find(v.begin(), v.end(), k) != v.end();
  };
  CHECK_FALSE(has(kinds_on("2021-03-20"), "followup-booking"));
  const auto late = lbib::text::Date{std::chrono::sys_days{date("2021-03-20")} +
                                     std::chrono::days{cfg().reminders.followup_booking}};
  CHECK(has(kinds_on(lbib::text::format_date(late).c_str()), "followup-booking"));
  lib.book("2021-03-25");
  CHECK_FALSE(has(kinds_on("2021-03-25"), "followup-booking"));
  CHECK(has(kinds_on("2021-03-26"), "followup-overdue"));
  lib.followed_up(lib.id, "2021-03-25");
  const auto items = followup::due(lib.d, cfg(), date("2021-12-01"));
  CHECK(has(kinds_on("2021-12-01"), "summary"));
  CHECK(has(kinds_on("2021-12-01"), "feedback"));
  CHECK_FALSE(has(kinds_on("2021-12-01"), "followup-overdue"));
  // What remind says never names a person.
  for (const auto& r : items) {
    CHECK(r.text.find("Alfa") == std::string::npos);
    CHECK(r.command.find("Alfa") == std::string::npos);
  }
}

TEST_CASE("remind's summary counts every kind by month due and lists only the short kinds") {
  Register lib;
  // Six consents given in 2020 (re-confirmed after three years) and three requests waiting for
  // their pre-meeting since 2023-12-01.
  const char* names[] = {"Alfa Ett",   "Beta Två",    "Gamma Tre",
                         "Delta Fyra", "Epsilon Fem", "Zeta Sex"};
  const char* interviewed[] = {"2020-01-10", "2020-01-20", "2020-02-05",
                               "2020-02-06", "2020-02-07", "2020-03-01"};
  for (std::size_t i = 0; i < std::size(names); ++i) {
    lib.expert({names[i], {"relative:dementia"}, interviewed[i]});
  }
  for (int i = 0; i < 3; ++i) {
    lib.request("2023-12-01");
  }
  const auto today = date("2024-01-01");
  const auto all = followup::due(lib.d, cfg(), today);
  const auto s = followup::summarise(lib.d, cfg(), today, 4);

  // The counts are the full list's, grouped.
  std::map<std::pair<std::string, std::string>, std::int64_t> expected, got;
  std::map<std::string, std::int64_t> per_kind;
  for (const auto& r : all) {
    ++expected[{r.kind, lbib::text::format_date(r.due_on).substr(0, 7)}];
    ++per_kind[r.kind];
  }
  for (const auto& c : s.counts) {
    got[{c.kind, c.month}] += c.count;
  }
  CHECK(got == expected);
  CHECK(got.size() == s.counts.size());  // one row per kind and month
  CHECK(got[{"gdpr-reconfirm", "2023-01"}] == 2);
  CHECK(got[{"gdpr-reconfirm", "2023-02"}] == 3);
  CHECK(got[{"gdpr-reconfirm", "2023-03"}] == 1);
  CHECK(got[{"pre-meeting", "2023-12"}] == 3);
  CHECK(s.total == static_cast<std::int64_t>(all.size()));
  // The lending cycle first, then data protection; months in order within a kind.
  std::vector<std::string> order;
  for (const auto& c : s.counts) {
    order.push_back(c.kind + " " + c.month);
  }
  const auto at = [&](const std::string& k) {
    return std::find(order.begin(), order.end(), k) - order.begin();
  };
  CHECK(at("pre-meeting 2023-12") < at("gdpr-reconfirm 2023-01"));
  CHECK(at("gdpr-reconfirm 2023-01") < at("gdpr-reconfirm 2023-02"));

  // Listed: every item of each kind with at most four, in the full list's order; the rest counted.
  std::vector<std::string> listed_expected, listed;
  for (const auto& r : all) {
    if (per_kind[r.kind] <= 4) {
      listed_expected.push_back(r.text);
    }
  }
  for (const auto& r : s.listed) {
    listed.push_back(r.text);
  }
  CHECK(listed == listed_expected);
  CHECK(s.unlisted == per_kind["gdpr-reconfirm"]);
  CHECK(std::none_of(s.listed.begin(), s.listed.end(),
                     [](const auto& r) { return r.kind == "gdpr-reconfirm"; }));

  // The digest lists the pre-meetings and counts the consents: no expert's id or command.
  const auto text = followup::digest(s, cfg());
  CHECK(text.find("lbib request premeeting") != std::string::npos);
  CHECK(text.find("(2023-02): 3\n") != std::string::npos);
  CHECK(text.find("--reconfirm") == std::string::npos);
  CHECK(text.find("lbib remind --all") != std::string::npos);
  // Under a limit no kind reaches, the summary's digest is the full digest.
  const auto whole = followup::summarise(lib.d, cfg(), today, 100);
  CHECK(whole.unlisted == 0);
  CHECK(followup::digest(whole, cfg()) == followup::digest(all, cfg()));
  // Nothing due: nothing counted, nothing said.
  const auto none = followup::summarise(lib.d, cfg(), date("2020-01-01"));
  CHECK(none.total == 0);
  CHECK(none.counts.empty());
  CHECK(followup::digest(none, cfg()).empty());
  // The table for --format: the kind's key for programs, month, count.
  const auto table = followup::summary_table(s, cfg());
  CHECK(table.columns == std::vector<std::string>{"kind", "month", "count"});
  CHECK(table.rows.size() == s.counts.size());
}

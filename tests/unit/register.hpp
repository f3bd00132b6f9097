// SPDX-License-Identifier: MIT
#pragma once

// A register on SQLite in memory, built through the library's own operations, for the unit
// tests of the modules that read a whole lending cycle (follow-up, reports, catalogue,
// closing). Only invented people.

#include <SQLiteCpp/Statement.h>

#include <string>
#include <vector>

#include "helpers.hpp"
#include "lbib/db/database.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/followup/followups.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/lending/loans.hpp"
#include "lbib/lending/requests.hpp"

namespace lbib::testing {

struct Register {
  db::Database d = db::Database::in_memory();
  std::int64_t borrower = 0;

  Register() {
    db::WriteTransaction tx(d);
    borrower =
        lending::add_borrower(tx,
                              {0, "Region Exempel", std::nullopt, "Kim Låntagare", "kim@example.se",
                               std::nullopt, std::nullopt, std::nullopt, std::nullopt},
                              actor);
    tx.commit();
  }

  struct Person {
    std::string name;
    std::vector<std::string> experiences{"relative:dementia"};
    const char* interviewed_on = "2020-01-01";
    bool mailing = true;
    bool website = false;
    std::optional<int> birth_year{};
    std::string email{};  // empty: pN@example.se, N counting the people recruited
  };

  std::int64_t expert(const Person& p) {
    experts::Recruitment r;
    r.profile.name = p.name;
    ++m_people;
    r.profile.email = p.email.empty() ? "p" + std::to_string(m_people) + "@example.se" : p.email;
    r.profile.channel = "website";
    r.profile.birth_year = p.birth_year;
    r.profile.interviewed_on = date(p.interviewed_on);
    r.consent_date = r.profile.interviewed_on;
    r.consents = {experts::Purpose::register_};
    if (p.mailing) {
      r.consents.push_back(experts::Purpose::mailing);
    }
    if (p.website) {
      r.consents.push_back(experts::Purpose::website);
    }
    for (const auto& x : p.experiences) {
      r.experiences.push_back(experts::parse_experience(x, cfg()));
    }
    db::WriteTransaction tx(d);
    const auto id = experts::recruit(tx, cfg(), r, actor);
    tx.commit();
    return id;
  }

  std::int64_t request(const char* received_on) {
    db::WriteTransaction tx(d);
    const auto id = lending::new_request(tx, cfg(), borrower, date(received_on), {}, actor);
    tx.commit();
    return id;
  }

  // The pre-meeting on `on` and the dispatch the day after, to `invited`, recorded as the
  // mailing records a sent message (the dispatch's own tests cover the manifest).
  void mailed(std::int64_t id, const std::vector<std::int64_t>& invited, const char* on) {
    db::WriteTransaction tx(d);
    const auto day = date(on);
    lending::hold_pre_meeting(tx, id, {day, true, true, true, std::nullopt}, actor);
    const auto sent = text::Date{std::chrono::sys_days{day} + std::chrono::days{1}};
    lending::transition(tx, lending::get_request(tx.database(), id), lending::Step::dispatch,
                        lending::State::dispatched, {sent, {}, {}, {}});
    SQLite::Statement dispatch(tx.sql(),
                               "INSERT INTO dispatch (request_id, message_id, sent_on) "
                               "VALUES (?, ?, ?)");
    dispatch.bind(1, id);
    dispatch.bind(2, "<m" + std::to_string(id) + "@example>");
    dispatch.bind(3, text::format_date(sent));
    dispatch.exec();
    const auto dispatch_id = tx.sql().getLastInsertRowid();
    for (const auto e : invited) {
      SQLite::Statement inv(tx.sql(),
                            "INSERT INTO invitation (request_id, expert_id, dispatch_id) "
                            "VALUES (?, ?, ?)");
      inv.bind(1, id);
      inv.bind(2, e);
      inv.bind(3, dispatch_id);
      inv.exec();
    }
    tx.commit();
  }

  void loan(std::int64_t id, const std::vector<std::int64_t>& took_part, const char* on) {
    db::WriteTransaction tx(d);
    lending::LoanInput in;
    in.carried_out_on = date(on);
    in.experts = took_part;
    if (took_part.size() < 2) {
      in.fewer_reason = "few volunteers";
    }
    lending::record_loan(tx, cfg(), id, in, date("2030-01-01"), actor);
    tx.commit();
  }

  static followup::Answers answers(const char* held_on, int satisfaction = 4) {
    followup::Answers a;
    a.held_on = date(held_on);
    for (const auto& q : cfg().followup_questions) {
      a.answers.emplace_back(q.key, "Svar på " + q.key);
    }
    a.satisfaction = satisfaction;
    return a;
  }

  void followed_up(std::int64_t id, const char* held_on, int satisfaction = 4) {
    db::WriteTransaction tx(d);
    followup::record(tx, cfg(), id, answers(held_on, satisfaction), actor);
    tx.commit();
  }

  std::int64_t count(const std::string& query) { return d.sql().execAndGet(query).getInt64(); }

 private:
  int m_people = 0;
};

}  // namespace lbib::testing

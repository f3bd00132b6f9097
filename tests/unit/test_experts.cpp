// SPDX-License-Identifier: MIT
#include <SQLiteCpp/Statement.h>
#include <sqlite3.h>

#include <algorithm>
#include <set>
#include <sstream>

#include "helpers.hpp"
#include "lbib/corrections/merge.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/experts/views.hpp"
#include "lbib/experts/wishes.hpp"
#include "lbib/lending/borrowers.hpp"
#include "lbib/privacy/freetext.hpp"
#include "lbib/privacy/handover.hpp"
#include "lbib/privacy/privacy.hpp"
#include "lbib/text/collate.hpp"
#include "lbib/text/words.hpp"

namespace experts = lbib::experts;
namespace db = lbib::db;
namespace text = lbib::text;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;

namespace {

// An invented person; no fixture is taken from a real one.
experts::Recruitment invented(std::string name = "Testa Testsson") {
  experts::Recruitment r;
  r.profile.name = std::move(name);
  r.profile.email = "testa@example.se";
  r.profile.municipality = "Flen";
  r.profile.birth_year = 1955;
  r.profile.channel = "website";
  r.profile.interviewed_on = *text::try_parse_date("2020-03-01");
  r.experiences = {experts::parse_experience("relative:dementia:2018:major", cfg())};
  r.consents = {experts::Purpose::register_, experts::Purpose::mailing};
  r.consent_date = r.profile.interviewed_on;
  return r;
}

std::int64_t recruit(db::Database& d, const experts::Recruitment& r) {
  db::WriteTransaction tx(d);
  const auto id = experts::recruit(tx, cfg(), r, actor);
  tx.commit();
  return id;
}

int count(db::Database& d, const char* table) {
  return d.sql().execAndGet(std::string("SELECT count(*) FROM ") + table).getInt();
}

}  // namespace

TEST_CASE("parse_experience") {
  const auto x = experts::parse_experience("relative:dementia:2019:major", cfg());
  CHECK(x.role == "relative");
  CHECK(x.area == "dementia");
  CHECK(x.year == 2019);
  CHECK(x.magnitude == experts::Magnitude::major);
  SUBCASE("year and magnitude are optional, in either order") {
    const auto y = experts::parse_experience("patient:dental-care", cfg());
    CHECK_FALSE(y.year);
    CHECK(y.magnitude == experts::Magnitude::everyday);
    CHECK(experts::parse_experience("patient:dental-care:major", cfg()).magnitude ==
          experts::Magnitude::major);
    CHECK(experts::parse_experience("user:home-care:everyday:2001", cfg()).year == 2001);
  }
  SUBCASE("errors list what is accepted") {
    CHECK_LBIB_ERROR(experts::parse_experience("visitor:dementia", cfg()), ExitCode::data,
                     "patient, user, client, relative");
    CHECK_LBIB_ERROR(experts::parse_experience("patient:moon", cfg()), ExitCode::data,
                     "unknown area 'moon'");
    CHECK_LBIB_ERROR(experts::parse_experience("patient", cfg()), ExitCode::data, "ROLE:AREA");
    CHECK_LBIB_ERROR(experts::parse_experience("patient:dementia:19", cfg()), ExitCode::data,
                     "four-digit year");
    CHECK_LBIB_ERROR(experts::parse_experience("patient:dementia:huge", cfg()), ExitCode::data,
                     "major, everyday");
  }
}

TEST_CASE("recruit stores the profile, experiences and consents") {
  auto d = db::Database::in_memory();
  const auto id = recruit(d, invented());
  const auto e = experts::get(d, id);
  CHECK(e.profile.name == "Testa Testsson");
  CHECK(e.profile.birth_year == 1955);
  CHECK(e.status == experts::Status::active);
  REQUIRE(e.experiences.size() == 1);
  CHECK(e.experiences[0].area == "dementia");
  CHECK(e.has_consent(experts::Purpose::register_));
  CHECK(e.has_consent(experts::Purpose::mailing));
  CHECK_FALSE(e.has_consent(experts::Purpose::website));
  CHECK(e.consents[0].recorded_by == "kim");
  CHECK(e.consents[0].text_version == cfg().consent_text_version);
  CHECK(count(d, "audit") == 1);
}

TEST_CASE("recruit refuses bad input and writes nothing") {
  auto d = db::Database::in_memory();
  SUBCASE("no register consent") {
    auto r = invented();
    r.consents = {experts::Purpose::mailing};
    CHECK_LBIB_ERROR(recruit(d, r), ExitCode::data, "register consent is required");
  }
  SUBCASE("bad e-mail") {
    auto r = invented();
    r.profile.email = "testa(at)example.se";
    CHECK_LBIB_ERROR(recruit(d, r), ExitCode::data, "email");
  }
  SUBCASE("unknown channel") {
    auto r = invented();
    r.profile.channel = "radio";
    CHECK_LBIB_ERROR(recruit(d, r), ExitCode::data, "unknown channel 'radio'");
  }
  SUBCASE("an experience invalid for the configuration, found after the insert") {
    auto r = invented();
    r.experiences.push_back({"patient", "no-such-area", std::nullopt, experts::Magnitude::major});
    CHECK_LBIB_ERROR(recruit(d, r), ExitCode::data, "no-such-area");
  }
  SUBCASE("name too long") {
    CHECK_LBIB_ERROR(recruit(d, invented(std::string(201, 'a'))), ExitCode::data, "at most 200");
  }
  CHECK(count(d, "expert") == 0);
  CHECK(count(d, "experience") == 0);
  CHECK(count(d, "consent") == 0);
  CHECK(count(d, "audit") == 0);
}

TEST_CASE("ids are never reused") {
  auto d = db::Database::in_memory();
  const auto first = recruit(d, invented());
  d.sql().exec("DELETE FROM expert");
  CHECK(recruit(d, invented()) == first + 1);
}

TEST_CASE("edit changes fields, experiences and consents, and audits field names only") {
  auto d = db::Database::in_memory();
  const auto id = recruit(d, invented());
  experts::Changes c;
  c.phone = "070-000 00 00";
  c.municipality = "";  // clears
  c.add_experiences = {experts::parse_experience("patient:dental-care", cfg())};
  c.remove_experiences = {"relative:dementia"};
  c.withdraw_consents = {experts::Purpose::mailing};
  c.give_consents = {experts::Purpose::website};
  c.status = experts::Status::paused;
  {
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), id, c, *text::try_parse_date("2021-01-01"), actor);
    tx.commit();
  }
  const auto e = experts::get(d, id);
  CHECK(e.profile.phone == "070-000 00 00");
  CHECK_FALSE(e.profile.municipality);
  REQUIRE(e.experiences.size() == 1);
  CHECK(e.experiences[0].area == "dental-care");
  CHECK_FALSE(e.has_consent(experts::Purpose::mailing));
  CHECK(e.has_consent(experts::Purpose::website));
  CHECK(e.status == experts::Status::paused);
  const auto entries = lbib::audit::list(d, {});
  REQUIRE(entries.size() == 2);
  CHECK(entries[1].detail->find("phone") != std::string::npos);
  CHECK(entries[1].detail->find("070") == std::string::npos);
}

TEST_CASE("edit refuses what it cannot do") {
  auto d = db::Database::in_memory();
  const auto id = recruit(d, invented());
  const auto today = *text::try_parse_date("2021-01-01");
  const auto attempt = [&](const experts::Changes& c) {
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), id, c, today, actor);
    tx.commit();
  };
  experts::Changes nothing;
  CHECK_LBIB_ERROR(attempt(nothing), ExitCode::usage, "nothing to change");
  experts::Changes withdraw_register;
  withdraw_register.withdraw_consents = {experts::Purpose::register_};
  CHECK_LBIB_ERROR(attempt(withdraw_register), ExitCode::data, "register consent");
  experts::Changes again;
  again.give_consents = {experts::Purpose::mailing};
  CHECK_LBIB_ERROR(attempt(again), ExitCode::data, "already has a mailing consent");
  experts::Changes remove_missing;
  remove_missing.remove_experiences = {"client:addiction"};
  CHECK_LBIB_ERROR(attempt(remove_missing), ExitCode::data, "no such experience");
  experts::Changes bad_email;
  bad_email.email = "x";
  CHECK_LBIB_ERROR(attempt(bad_email), ExitCode::data, "email");
  CHECK_LBIB_ERROR(
      {
        db::WriteTransaction tx(d);
        experts::edit(tx, cfg(), 999, again, today, actor);
      },
      ExitCode::no_input, "no expert with id 999");
  CHECK(experts::get(d, id).profile.email == "testa@example.se");
}

TEST_CASE("leave keeps history and cannot be repeated") {
  auto d = db::Database::in_memory();
  const auto id = recruit(d, invented());
  {
    db::WriteTransaction tx(d);
    experts::leave(tx, id, *text::try_parse_date("2021-06-01"), actor);
    tx.commit();
  }
  const auto e = experts::get(d, id);
  CHECK(e.status == experts::Status::left);
  CHECK(text::format_date(*e.left_on) == "2021-06-01");
  CHECK(e.experiences.size() == 1);
  db::WriteTransaction tx(d);
  CHECK_LBIB_ERROR(experts::leave(tx, id, *text::try_parse_date("2021-07-01"), actor),
                   ExitCode::data, "already left");
}

TEST_CASE("list filters by area, role, status and municipality") {
  auto d = db::Database::in_memory();
  auto a = invented("Anna Exempel");
  const auto id_a = recruit(d, a);
  auto b = invented("Bertil Exempel");
  b.profile.municipality = "Nyköping";
  b.profile.email = "bertil@example.se";
  b.experiences = {experts::parse_experience("patient:cancer-care", cfg())};
  const auto id_b = recruit(d, b);

  const auto ids = [&](const experts::Filter& f) {
    std::vector<std::int64_t> out;
    for (const auto& e : experts::list(d, f)) {
      out.push_back(e.id);
    }
    return out;
  };
  CHECK(ids({}) == std::vector<std::int64_t>{id_a, id_b});
  experts::Filter by_area;
  by_area.area = "cancer-care";
  CHECK(ids(by_area) == std::vector<std::int64_t>{id_b});
  experts::Filter by_role;
  by_role.role = "relative";
  CHECK(ids(by_role) == std::vector<std::int64_t>{id_a});
  experts::Filter by_both;
  by_both.role = "relative";
  by_both.area = "cancer-care";
  CHECK(ids(by_both).empty());
  experts::Filter by_place;
  by_place.municipality = "Nyköping";
  CHECK(ids(by_place) == std::vector<std::int64_t>{id_b});
  experts::Filter by_status;
  by_status.status = experts::Status::left;
  CHECK(ids(by_status).empty());
  // Details are attached to the right experts.
  const auto listed = experts::list(d, by_place);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].experiences.at(0).area == "cancer-care");
  CHECK(listed[0].consents.size() == 2);
}

TEST_CASE("views") {
  auto d = db::Database::in_memory();
  const auto id = recruit(d, invented());
  const auto table = experts::list_table(experts::list(d, {}));
  REQUIRE(table.rows.size() == 1);
  CHECK(std::get<std::int64_t>(table.rows[0][0]) == id);
  CHECK(std::get<std::string>(table.rows[0][6]) == "relative:dementia");
  const auto record = experts::show_record(experts::get(d, id));
  CHECK(record.sections.size() == 2);
  CHECK(experts::describe(experts::parse_experience("relative:dementia:2019:major", cfg())) ==
        "relative:dementia:2019:major");
}

namespace {

// Whether a statement of the connection is being read (stepped and not yet done or reset).
bool reading_a_statement(db::Database& d) {
  for (auto* s = sqlite3_next_stmt(d.sql().getHandle(), nullptr); s != nullptr;
       s = sqlite3_next_stmt(d.sql().getHandle(), s)) {
    if (sqlite3_stmt_busy(s) != 0) {
      return true;
    }
  }
  return false;
}

}  // namespace

TEST_CASE("each_listed gives the rows list_table makes, one expert at a time while reading") {
  auto d = db::Database::in_memory();
  auto a = invented("Östen Exempel");
  // Given in another order than the list's (role, then area).
  a.experiences = {experts::parse_experience("relative:psychiatry", cfg()),
                   experts::parse_experience("patient:dementia", cfg()),
                   experts::parse_experience("relative:cancer-care", cfg())};
  recruit(d, a);
  auto b = invented("anna Exempel");
  b.profile.email.clear();  // reached by telephone
  b.profile.phone = "070-123 45 67";
  b.profile.municipality.reset();
  b.consents = {experts::Purpose::register_};
  recruit(d, b);
  auto c = invented("Åke Exempel");
  c.profile.email = "ake@example.se";
  c.profile.municipality = "Nyköping";
  const auto id_c = recruit(d, c);
  auto e = invented("Bo Exempel");
  e.profile.email = "bo@example.se";
  const auto id_e = recruit(d, e);
  {
    db::WriteTransaction tx(d);
    experts::leave(tx, id_c, *text::try_parse_date("2021-06-01"), actor);
    experts::Changes withdraw;
    withdraw.withdraw_consents = {experts::Purpose::mailing};
    experts::edit(tx, cfg(), id_e, withdraw, *text::try_parse_date("2022-01-01"), actor);
    tx.commit();
  }
  // An erased expert's stub, without experiences: still listed, as erased.
  auto f = invented("Erik Raderad");
  f.profile.email = "erik@example.se";
  const auto id_f = recruit(d, f);
  d.sql().exec("DELETE FROM experience WHERE expert_id = " + std::to_string(id_f));
  d.sql().exec("UPDATE expert SET erased_on = '2023-01-01' WHERE id = " + std::to_string(id_f));

  std::vector<experts::Filter> filters(9);
  filters[1].area = "dementia";
  filters[2].role = "relative";
  filters[3].area = "cancer-care";
  filters[3].role = "relative";
  filters[4].status = experts::Status::active;
  filters[5].municipality = "Flen";
  filters[6].name_contains = "EXEMPEL";
  filters[7].by_name = true;
  filters[8].by_name = true;
  filters[8].role = "relative";
  const std::vector<std::size_t> counts{5, 4, 4, 1, 3, 3, 4, 5, 4};
  for (std::size_t i = 0; i < filters.size(); ++i) {
    CAPTURE(i);
    std::vector<std::vector<lbib::output::Value>> rows;
    // Every expert but the last is given when the next one's row has been read, before the
    // statement ends; the last once it has.
    std::vector<bool> while_reading;
    experts::each_listed(d, filters[i], [&](const experts::Listed& l) {
      while_reading.push_back(reading_a_statement(d));
      rows.push_back(experts::list_row(l));
    });
    const auto table = experts::list_table(experts::list(d, filters[i]));
    CHECK(rows == table.rows);
    CHECK(rows.size() == counts[i]);
    CHECK(std::count(while_reading.begin(), while_reading.end(), true) ==
          static_cast<std::ptrdiff_t>(rows.size()) - 1);
  }
  std::vector<std::string> seen;
  experts::each_listed(d, filters[0], [&seen](const experts::Listed& l) {
    seen.push_back(std::get<std::string>(experts::list_row(l)[6]));
  });
  CHECK(seen.front() == "patient:dementia relative:cancer-care relative:psychiatry");
  CHECK(seen.back().empty());  // the erased stub
}

TEST_CASE("find_duplicate: the same e-mail, phone, or name and birth year") {
  auto d = db::Database::in_memory();
  auto a = invented("Anna Exempel");
  a.profile.email = "anna@example.se";
  a.profile.phone = "070-123 45 67";
  const auto id = recruit(d, a);
  auto other = invented("Bertil Annan");
  other.profile.email = "bertil@example.se";
  other.profile.phone.reset();
  other.profile.birth_year = 1960;
  CHECK_FALSE(experts::find_duplicate(d, other.profile));
  SUBCASE("e-mail in any case") {
    other.profile.email = "ANNA@Example.se";
    CHECK(experts::find_duplicate(d, other.profile) == id);
  }
  SUBCASE("phone by its digits, +46 as 0") {
    other.profile.phone = "+46 70 1234567";
    CHECK(experts::find_duplicate(d, other.profile) == id);
  }
  SUBCASE("name folded, with the same birth year only") {
    other.profile.name = "anna exempel";
    CHECK_FALSE(experts::find_duplicate(d, other.profile));
    other.profile.birth_year = a.profile.birth_year;
    CHECK(experts::find_duplicate(d, other.profile) == id);
  }
  SUBCASE("spacing and case do not hide a name or an e-mail") {
    other.profile.name = "  ANNA\u00a0 exempel ";
    other.profile.birth_year = a.profile.birth_year;
    CHECK(experts::find_duplicate(d, other.profile) == id);
    CHECK_FALSE(experts::find_duplicate(d, other.profile, id));  // itself, when edited
    other.profile.name = "Bertil Annan";
    other.profile.email = " anna@EXAMPLE.se ";
    CHECK(experts::find_duplicate(d, other.profile) == id);
  }
  SUBCASE("an edit that makes one expert look like another is refused unless allowed") {
    const auto bertil = recruit(d, other);
    experts::Changes c;
    c.email = "Anna@example.se";
    {
      db::WriteTransaction tx(d);
      CHECK_LBIB_ERROR(
          experts::edit(tx, cfg(), bertil, c, *text::try_parse_date("2026-01-01"), actor),
          ExitCode::data, "expert 2 would look like expert 1");
    }
    c.email.reset();
    c.phone = "0701234567";
    {
      db::WriteTransaction tx(d);
      CHECK_LBIB_ERROR(
          experts::edit(tx, cfg(), bertil, c, *text::try_parse_date("2026-01-01"), actor),
          ExitCode::data, "would look like expert 1");
    }
    // Its own details again are no duplicate.
    experts::Changes same;
    same.email = "ANNA@example.se";
    {
      db::WriteTransaction tx(d);
      experts::edit(tx, cfg(), id, same, *text::try_parse_date("2026-01-01"), actor);
      tx.commit();
    }
    c.allow_duplicate = true;
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), bertil, c, *text::try_parse_date("2026-01-01"), actor);
    tx.commit();
    CHECK(experts::get(d, bertil).profile.phone == "0701234567");
  }
  SUBCASE("recruit refuses it unless allowed") {
    other.profile.email = "anna@example.se";
    {
      db::WriteTransaction tx(d);
      CHECK_LBIB_ERROR(experts::recruit(tx, cfg(), other, actor), ExitCode::data,
                       "already registered as expert 1");
    }
    other.allow_duplicate = true;
    CHECK(recruit(d, other) == id + 1);
  }
}

TEST_CASE("wishes leave an expert out for the first reason, in the order people read") {
  experts::Wishes w;
  experts::Ask ask;
  ask.form = "focus-group";
  ask.digital = true;
  ask.areas = {"dementia", "psychiatry"};
  const auto today = date("2026-05-10");
  CHECK(!experts::left_out(w, ask, today));  // no wishes: no one is left out

  SUBCASE("a pause ends by itself on its date") {
    w.paused_until = date("2026-05-11");
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::paused_until);
    CHECK(!experts::left_out(w, ask, date("2026-05-11")));
    w.setting = experts::Setting::in_person;  // the pause is said first
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::paused_until);
  }
  SUBCASE("digital or in person") {
    w.setting = experts::Setting::in_person;
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::setting);
    w.setting = experts::Setting::digital;
    CHECK(!experts::left_out(w, ask, today));
    ask.digital = false;
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::setting);
  }
  SUBCASE("forms wanted and not wanted; a request without a form yet is not judged by form") {
    w.forms_unwanted = {"focus-group"};
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::form_unwanted);
    w.forms_unwanted.clear();
    w.forms_wanted = {"meeting"};
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::form_not_wanted);
    w.forms_wanted.push_back("focus-group");
    CHECK(!experts::left_out(w, ask, today));
    ask.form.reset();
    w.forms_wanted = {"meeting"};
    CHECK(!experts::left_out(w, ask, today));
  }
  SUBCASE("any avoided area of the request") {
    w.areas_avoided = {"psychiatry"};
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::area_avoided);
    ask.areas = {"dementia"};
    CHECK(!experts::left_out(w, ask, today));
  }
  SUBCASE("a cap counts the requests of the period") {
    w.max_requests = 2;
    ask.invited_in_period = 1;
    CHECK(!experts::left_out(w, ask, today));
    ask.invited_in_period = 2;
    CHECK(experts::left_out(w, ask, today) == experts::LeftOut::cap_reached);
  }
}

TEST_CASE("a cap's period is the calendar month, quarter or year") {
  CHECK(experts::period_start(experts::Period::month, date("2026-05-10")) == date("2026-05-01"));
  CHECK(experts::period_start(experts::Period::quarter, date("2026-05-10")) == date("2026-04-01"));
  CHECK(experts::period_start(experts::Period::quarter, date("2026-12-31")) == date("2026-10-01"));
  CHECK(experts::period_start(experts::Period::quarter, date("2026-01-01")) == date("2026-01-01"));
  CHECK(experts::period_start(experts::Period::year, date("2026-05-10")) == date("2026-01-01"));
}

TEST_CASE("wishes are checked against the taxonomy and stored with the recruitment") {
  auto d = db::Database::in_memory();
  experts::Recruitment r = invented();
  r.wishes.forms_wanted = {"dance"};
  {
    db::WriteTransaction tx(d);
    CHECK_LBIB_ERROR(experts::recruit(tx, cfg(), r, actor), ExitCode::data, "unknown form 'dance'");
  }
  r.wishes.forms_wanted = {"meeting"};
  r.wishes.max_requests = 2;
  r.wishes.per = experts::Period::quarter;
  db::WriteTransaction tx(d);
  const auto id = experts::recruit(tx, cfg(), r, actor);
  tx.commit();
  const auto w = experts::get_wishes(d, id);
  CHECK(w.forms_wanted == std::vector<std::string>{"meeting"});
  CHECK(w.max_requests == 2);
  CHECK(w.per == experts::Period::quarter);
  CHECK(experts::get_wishes(d, id + 1).empty());
}

namespace {

// Every expert's identity keys (migration 24) as they must be: folded from the name, e-mail
// and phone; none for an erased stub. Returns how many experts were checked.
int check_identity_keys(db::Database& d) {
  SQLite::Statement q(d.sql(),
                      "SELECT id, name, email, phone, erased_on, name_folded, email_folded, "
                      "phone_digits FROM expert ORDER BY id");
  int n = 0;
  const auto text_or_null = [](const SQLite::Column& c) {
    return c.isNull() ? std::string("NULL") : "'" + c.getString() + "'";
  };
  while (q.executeStep()) {
    ++n;
    const auto id = q.getColumn(0).getInt64();
    std::string name = "NULL";
    std::string email = "NULL";
    std::string phone = "NULL";
    if (q.getColumn(4).isNull()) {
      name = "'" + text::fold_identity(q.getColumn(1).getString()) + "'";
      const auto e = text::fold_identity(q.getColumn(2).getString());
      email = e.empty() ? "NULL" : "'" + e + "'";
      const auto p =
          q.getColumn(3).isNull() ? std::string() : text::phone_digits(q.getColumn(3).getString());
      phone = p.empty() ? "NULL" : "'" + p + "'";
    }
    CHECK_MESSAGE(text_or_null(q.getColumn(5)) == name, "expert " << id << " name_folded");
    CHECK_MESSAGE(text_or_null(q.getColumn(6)) == email, "expert " << id << " email_folded");
    CHECK_MESSAGE(text_or_null(q.getColumn(7)) == phone, "expert " << id << " phone_digits");
  }
  return n;
}

}  // namespace

TEST_CASE("identity keys follow every write of a name, an e-mail or a phone") {
  lbib::testing::TempDir dir;
  auto d = db::Database::create(dir.path / "r.sqlite", {});
  auto a = invented("  Åsa   ÖBERG ");
  a.profile.email = "Asa.Oberg@Example.se";
  a.profile.phone = "+46 70-123 45 67";
  const auto asa = recruit(d, a);
  auto b = invented("Bertil Annan");
  b.profile.email = "bertil@example.se";
  b.profile.birth_year = 1960;
  const auto bertil = recruit(d, b);
  auto c = invented("Cilla Cederlund");
  c.profile.email = "cilla@example.se";
  c.profile.phone = "08-555 123 45";
  c.profile.birth_year = 1970;
  const auto cilla = recruit(d, c);
  CHECK(check_identity_keys(d) == 3);
  CHECK(d.sql()
            .execAndGet("SELECT name_folded || '|' || email_folded || '|' || phone_digits "
                        "FROM expert WHERE id = " +
                        std::to_string(asa))
            .getString() == "åsa öberg|asa.oberg@example.se|0701234567");

  SUBCASE("expert edit") {
    experts::Changes ch;
    ch.name = "Bertil  ANDERSSON";
    ch.email = "B.Andersson@Example.se";
    ch.phone = "0046 8 123 456";
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), bertil, ch, date("2026-01-01"), actor);
    tx.commit();
    CHECK(check_identity_keys(d) == 3);
    CHECK(experts::find_duplicate(d, experts::get(d, bertil).profile, bertil) == std::nullopt);
    auto probe = invented("bertil andersson");
    probe.profile.email = "x@example.se";
    probe.profile.birth_year = 1960;
    CHECK(experts::find_duplicate(d, probe.profile) == bertil);
    probe.profile.name = "Nils Nilsson";
    probe.profile.phone = "08123456";
    CHECK(experts::find_duplicate(d, probe.profile) == bertil);
  }
  SUBCASE("expert merge: keep takes drop's phone, and its keys with it") {
    db::WriteTransaction tx(d);
    lbib::corrections::merge_experts(tx, bertil, cilla, date("2026-01-01"), actor);
    tx.commit();
    CHECK(check_identity_keys(d) == 2);
    auto probe = invented("Nils Nilsson");
    probe.profile.email = "nils@example.se";
    probe.profile.phone = "085551234 5";
    CHECK(experts::find_duplicate(d, probe.profile) == bertil);
  }
  SUBCASE("erasure leaves the stub no keys") {
    db::WriteTransaction tx(d);
    const auto report = lbib::privacy::erase(tx, asa, date("2026-01-01"), actor);
    tx.commit();
    // ... and its report says so, as it says the name went.
    CHECK(std::any_of(report.begin(), report.end(), [](const lbib::privacy::ErasureLine& l) {
      return l.table == "expert" && l.field == "name_folded, email_folded, phone_digits" &&
             l.action == "removed" && l.count == 1;
    }));
    CHECK(check_identity_keys(d) == 3);
    CHECK(d.sql()
              .execAndGet("SELECT count(*) FROM expert WHERE id = " + std::to_string(asa) +
                          " AND coalesce(name_folded, email_folded, phone_digits) IS NULL")
              .getInt() == 1);
    CHECK_FALSE(experts::find_duplicate(d, a.profile));
  }
  SUBCASE("a hand-over carries no keys, and the import computes them") {
    {
      db::WriteTransaction tx(d);
      lbib::privacy::erase(tx, asa, date("2026-01-01"), actor);
      tx.commit();
    }
    const auto document = nlohmann::json::parse(lbib::privacy::export_all(d).dump());
    for (const auto& row : document.at("tables").at("expert")) {
      CHECK_FALSE(row.contains("name_folded"));
      CHECK_FALSE(row.contains("email_folded"));
      CHECK_FALSE(row.contains("phone_digits"));
    }
    const auto target = dir.path / "imported.sqlite";
    lbib::privacy::import_all(target, document, cfg(), {}, actor);
    auto imported = db::Database::open(target, {});
    CHECK(check_identity_keys(imported) == 3);
    CHECK(experts::find_duplicate(imported, c.profile) == cilla);
    // A file that carries a key is refused: it could disagree with the name.
    auto forged = document;
    forged["tables"]["expert"][1]["name_folded"] = "someone else";
    CHECK_LBIB_ERROR(
        lbib::privacy::import_all(dir.path / "forged.sqlite", forged, cfg(), {}, actor),
        ExitCode::data, "table expert has no column 'name_folded'");
  }
}

namespace {

// The mention keys (migration 25) as they must be: text::mention_keys of every living expert
// and borrower's contact person, nothing else (an erased or merged person has none). Returns
// how many rows the table holds.
int check_mention_keys(db::Database& d) {
  std::set<std::string> expected;
  const auto expect = [&expected](const char* kind, SQLite::Statement& q) {
    while (q.executeStep()) {
      const auto phone = q.getColumn(3).isNull()
                             ? std::nullopt
                             : std::optional<std::string>(q.getColumn(3).getString());
      for (const auto& key :
           text::mention_keys(q.getColumn(1).getString(), q.getColumn(2).getString(), phone)) {
        expected.insert(key + "|" + kind + "|" + q.getColumn(0).getString());
      }
    }
  };
  SQLite::Statement e(d.sql(), "SELECT id, name, email, phone FROM living_expert");
  expect("expert", e);
  SQLite::Statement b(d.sql(),
                      "SELECT id, contact_name, contact_email, contact_phone FROM living_borrower");
  expect("borrower", b);
  std::set<std::string> stored;
  SQLite::Statement q(d.sql(), "SELECT key || '|' || kind || '|' || person FROM mention_key");
  while (q.executeStep()) {
    stored.insert(q.getColumn(0).getString());
  }
  CHECK(stored == expected);
  return static_cast<int>(stored.size());
}

std::string keys_of(db::Database& d, const char* kind, std::int64_t id) {
  SQLite::Statement q(d.sql(),
                      "SELECT group_concat(key, ' ') FROM (SELECT key FROM mention_key "
                      "WHERE kind = ?1 AND person = ?2 ORDER BY key)");
  q.bind(1, kind);
  q.bind(2, id);
  q.executeStep();
  return q.getColumn(0).isNull() ? std::string() : q.getColumn(0).getString();
}

std::int64_t add_contact(db::Database& d, const char* name, const char* email,
                         std::optional<std::string> phone) {
  db::WriteTransaction tx(d);
  const auto id =
      lbib::lending::add_borrower(tx,
                                  {0, "Region Exempel", std::nullopt, name, email, std::move(phone),
                                   std::nullopt, std::nullopt, std::nullopt},
                                  actor, lbib::lending::Duplicates::allow);
  tx.commit();
  return id;
}

}  // namespace

TEST_CASE("mention keys follow every write of a name, an e-mail or a phone") {
  lbib::testing::TempDir dir;
  auto d = db::Database::create(dir.path / "r.sqlite", {});
  auto a = invented("Åsa-Britt ÖBERG");
  a.profile.email = "Asa.Oberg@Example.se";
  a.profile.phone = "+46 70-123 45 67";
  const auto asa = recruit(d, a);
  auto b = invented("Bertil K. Annan");
  b.profile.email = "bertil@example.se";
  b.profile.birth_year = 1960;
  const auto bertil = recruit(d, b);
  auto c = invented("Cilla Cederlund");
  c.profile.email = "cilla@example.se";
  c.profile.phone = "08-555 123 45";
  c.profile.birth_year = 1970;
  const auto cilla = recruit(d, c);
  const auto kim = add_contact(d, "Kim Kontakt", "kim@example.se", "08-123 45 67");
  CHECK(check_mention_keys(d) == 16);
  CHECK(keys_of(d, "expert", asa) == "0701234567 asa asa.oberg@example.se britt oberg");
  CHECK(keys_of(d, "expert", bertil) == "annan bertil bertil@example.se");  // "K." says too little
  CHECK(keys_of(d, "borrower", kim) == "081234567 kim kim@example.se kontakt");

  SUBCASE("expert edit: the old name's keys go, the new one's come") {
    experts::Changes ch;
    ch.name = "Bertil Andersson";
    ch.phone = "0046 8 123 456";
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), bertil, ch, date("2026-01-01"), actor);
    tx.commit();
    CHECK(check_mention_keys(d) == 17);
    CHECK(keys_of(d, "expert", bertil) == "08123456 andersson bertil bertil@example.se");
  }
  SUBCASE("expert merge: keep's keys follow what it took, drop's go") {
    db::WriteTransaction tx(d);
    lbib::corrections::merge_experts(tx, bertil, cilla, date("2026-01-01"), actor);
    tx.commit();
    CHECK(check_mention_keys(d) == 13);
    CHECK(keys_of(d, "expert", bertil) == "0855512345 annan bertil bertil@example.se");
    CHECK(keys_of(d, "expert", cilla).empty());
  }
  SUBCASE("erasure deletes the keys, and its report says so") {
    db::WriteTransaction tx(d);
    const auto report = lbib::privacy::erase(tx, asa, date("2026-01-01"), actor);
    tx.commit();
    CHECK(std::any_of(report.begin(), report.end(), [](const lbib::privacy::ErasureLine& l) {
      return l.table == "mention_key" && l.field == "*" && l.action == "deleted" && l.count == 5;
    }));
    CHECK(keys_of(d, "expert", asa).empty());
    CHECK(check_mention_keys(d) == 11);
  }
  SUBCASE("a borrower's contact person: edit, merge and erasure") {
    const auto other = add_contact(d, "Lo Lind", "lo@example.se", std::nullopt);
    {
      db::WriteTransaction tx(d);
      lbib::lending::BorrowerChanges ch;
      ch.contact_name = "Kim Nyman";
      lbib::lending::edit_borrower(tx, kim, ch, actor);
      tx.commit();
    }
    CHECK(keys_of(d, "borrower", kim) == "081234567 kim kim@example.se nyman");
    {
      db::WriteTransaction tx(d);
      lbib::corrections::merge_borrowers(tx, other, kim, date("2026-01-01"), actor);
      tx.commit();
    }
    CHECK(keys_of(d, "borrower", kim).empty());
    CHECK(keys_of(d, "borrower", other) == "081234567 lind lo lo@example.se");
    CHECK(check_mention_keys(d) == 16);
    db::WriteTransaction tx(d);
    const auto report = lbib::privacy::erase_borrowers(tx, {other}, date("2026-01-01"), actor);
    tx.commit();
    CHECK(std::any_of(report.begin(), report.end(), [](const lbib::privacy::ErasureLine& l) {
      return l.table == "mention_key" && l.action == "deleted" && l.count == 4;
    }));
    CHECK(keys_of(d, "borrower", other).empty());
    CHECK(check_mention_keys(d) == 12);
  }
  SUBCASE("a hand-over carries no keys, and the import computes them") {
    {
      db::WriteTransaction tx(d);
      lbib::privacy::erase(tx, asa, date("2026-01-01"), actor);
      tx.commit();
    }
    const auto document = nlohmann::json::parse(lbib::privacy::export_all(d).dump());
    CHECK_FALSE(document.at("tables").contains("mention_key"));
    const auto target = dir.path / "imported.sqlite";
    lbib::privacy::import_all(target, document, cfg(), {}, actor);
    auto imported = db::Database::open(target, {});
    CHECK(check_mention_keys(imported) == 11);
    CHECK(keys_of(imported, "expert", cilla) == "0855512345 cederlund cilla cilla@example.se");
    CHECK(keys_of(imported, "borrower", kim) == "081234567 kim kim@example.se kontakt");
    auto forged = document;
    forged["tables"]["mention_key"] = nlohmann::json::array();
    CHECK_LBIB_ERROR(
        lbib::privacy::import_all(dir.path / "forged.sqlite", forged, cfg(), {}, actor),
        ExitCode::data, "mention_key");
  }
  SUBCASE("migration 25 fills them for a register that had none") {
    d.sql().exec("DROP TABLE mention_key");
    d.sql().exec("PRAGMA user_version = 24");
    auto reopened = db::Database::open(dir.path / "r.sqlite", {});
    CHECK(reopened.schema_version() == 25);
    CHECK(check_mention_keys(reopened) == 16);
  }
}

TEST_CASE("the subject's export finds by the mention keys whom its texts mention") {
  auto d = db::Database::in_memory();
  auto a = invented("Anna Ek");
  a.profile.email = "anna@example.se";
  const auto anna = recruit(d, a);
  auto b = invented("Bodil Åström");
  b.profile.email = "bodil@example.se";
  b.profile.phone = "070-111 22 33";
  b.profile.birth_year = 1961;
  const auto bodil = recruit(d, b);
  auto c = invented("Cilla Cederlund");
  c.profile.email = "cc@example.se";
  c.profile.birth_year = 1962;
  const auto cilla = recruit(d, c);
  {
    experts::Changes ch;
    ch.notes = "Träffade Åströms dotter och ringde +46 70 111 22 33; CC@example.se vet.";
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), anna, ch, date("2026-01-01"), actor);
    tx.commit();
  }
  const auto notes = [&d, anna] {
    return lbib::privacy::export_expert(d, cfg(), anna)["expert"]["notes"].get<std::string>();
  };
  CHECK(notes() == "Träffade [raderad] dotter och ringde [raderad]; [raderad] vet.");
  // With a new address, Cilla is no longer found by the old one (the edit rewrote her keys).
  {
    experts::Changes ch;
    ch.email = "cilla@example.se";
    db::WriteTransaction tx(d);
    experts::edit(tx, cfg(), cilla, ch, date("2026-01-01"), actor);
    tx.commit();
  }
  CHECK(notes() == "Träffade [raderad] dotter och ringde [raderad]; CC@example.se vet.");
  // The export reads the keys, not every name: keys out of step would leave a mention
  // unredacted, which is why every write of a name, an e-mail or a phone keeps them.
  d.sql().exec("DELETE FROM mention_key WHERE kind = 'expert' AND person = " +
               std::to_string(bodil));
  CHECK(notes() == "Träffade Åströms dotter och ringde +46 70 111 22 33; CC@example.se vet.");
}

TEST_CASE("a hand-over writes each row as its JSON object's dump() would") {
  auto d = db::Database::in_memory();
  auto a = invented("Åsa \"Kalla\" Öberg");
  a.profile.email = "asa@example.se";
  a.profile.notes = std::string("Citat \"hej\", snedstreck \\ och ny\nrad\ttab ") +
                    "\xF0\x9F\x98\x80 \xCE\xA9 \xC3\xA9 slut";
  recruit(d, a);
  d.sql().exec(
      "UPDATE library_state SET value = 'a' || char(1) || char(13) || char(8) || "
      "char(12) || char(127) || 'b' WHERE key = 'register_id'");
  std::ostringstream out;
  lbib::privacy::write_all(d, out);
  std::istringstream lines(out.str());
  int rows = 0;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("   {", 0) != 0) {
      continue;
    }
    auto row = line.substr(3);
    if (row.back() == ',') {
      row.pop_back();
    }
    CHECK(nlohmann::ordered_json::parse(row).dump() == row);
    ++rows;
  }
  CHECK(rows > 5);
  CHECK(out.str().find(R"("notes":"Citat \"hej\", snedstreck \\ och ny\nrad\ttab )") !=
        std::string::npos);
  CHECK(out.str().find("\"value\":\"a\\u0001\\r\\b\\f\x7f"
                       "b\"") != std::string::npos);
}

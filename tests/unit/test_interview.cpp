// SPDX-License-Identifier: MIT
#include <deque>
#include <memory>
#include <utility>

#include "helpers.hpp"
#include "lbib/experts/interview.hpp"

namespace experts = lbib::experts;
using lbib::ExitCode;
using lbib::testing::cfg;

namespace {

// Answers given in order; what lbib says is kept for the checks.
class Scripted : public experts::Conversation {
 public:
  explicit Scripted(std::deque<std::string> answers) : m_answers(std::move(answers)) {}
  std::optional<std::string> ask(std::string_view prompt) override {
    prompts.emplace_back(prompt);
    if (m_answers.empty()) {
      return std::nullopt;
    }
    auto a = m_answers.front();
    m_answers.pop_front();
    return a;
  }
  void say(std::string_view text) override { said += std::string(text) + "\n"; }
  std::vector<std::string> prompts;
  std::string said;

 private:
  std::deque<std::string> m_answers;
};

// Contact details, given on the command line (so not asked): an invented person.
experts::Recruitment given() {
  experts::Recruitment r;
  r.profile.name = "Testa Testsson";
  r.profile.email = "testa@example.se";
  r.profile.phone = "";
  r.profile.municipality = "Flen";
  r.profile.birth_year = 1950;
  r.profile.born_abroad = experts::Answer::no;
  r.profile.care_professional = experts::Answer::no;
  r.profile.retired = experts::Answer::yes;
  r.profile.channel = "website";
  r.profile.interviewed_on = *lbib::text::try_parse_date("2026-11-01");
  r.consent_date = r.profile.interviewed_on;
  return r;
}

// "n" for every area except those in `yes` (area key -> answers after the "j").
std::deque<std::string> map_answers(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& yes) {
  std::deque<std::string> out;
  for (const auto& area : cfg().areas) {
    const auto it =
        std::find_if(yes.begin(), yes.end(), [&](const auto& y) { return y.first == area.key; });
    if (it == yes.end()) {
      out.emplace_back("n");
    } else {
      out.emplace_back("j");
      out.insert(out.end(), it->second.begin(), it->second.end());
    }
  }
  return out;
}

}  // namespace

TEST_CASE("the interview asks about every area, everyday ones included") {
  auto answers = map_answers({{"dementia", {"anhörig", "2019", ""}},
                              {"pharmacy", {"", "", ""}},
                              {"accompanying", {"4", "1998", "s"}}});
  answers.emplace_front("j");  // the register consent, first
  for (const char* a : {"", "j", "n", "s", "Vill gärna delta digitalt",
                        "j"}) {  // no wishes, consents, written, notes, save
    answers.emplace_back(a);
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), given());
  REQUIRE(r.experiences.size() == 3);
  CHECK(r.experiences[0].area == "dementia");
  CHECK(r.experiences[0].role == "relative");
  CHECK(r.experiences[0].year == 2019);
  CHECK(r.experiences[0].magnitude == experts::Magnitude::major);  // a major area by default
  CHECK(r.experiences[1].area == "pharmacy");
  CHECK(r.experiences[1].role == "patient");
  CHECK(!r.experiences[1].year);
  CHECK(r.experiences[1].magnitude == experts::Magnitude::everyday);  // everyday by default
  CHECK(r.experiences[2].magnitude == experts::Magnitude::major);     // the person's own view
  CHECK(r.consents == std::vector{experts::Purpose::register_, experts::Purpose::mailing});
  CHECK(r.consent_method == experts::Method::written);
  CHECK(r.profile.notes == "Vill gärna delta digitalt");
  // Every area was asked, everyday ones marked as such; the consent texts and version shown.
  for (const auto& area : cfg().areas) {
    const auto asked = std::any_of(s.prompts.begin(), s.prompts.end(), [&](const auto& p) {
      return p.starts_with(area.sv + (area.everyday ? " (vardag)" : "") + ":");
    });
    CHECK_MESSAGE(asked, area.key);
  }
  CHECK(s.said.find(cfg().consent_texts.at("register")) != std::string::npos);
  CHECK(s.said.find("textversion " + cfg().consent_text_version) != std::string::npos);
  // Contact details given on the command line were not asked again.
  CHECK(std::none_of(s.prompts.begin(), s.prompts.end(),
                     [](const auto& p) { return p.starts_with("Namn"); }));
}

TEST_CASE("the experience map asks for wishes too, right after the experiences") {
  auto answers = map_answers({{"dementia", {"", "", ""}}});
  answers.emplace_front("j");  // the register consent, first
  for (const char* a : {"j",   // wishes: yes
                        "fokusgrupp, 4", "telephone-interviews", "x", "d", "psychiatry", "tre", "3",
                        "vecka", "k", "2027-01-06",  // forms, not, setting (again), areas, cap
                                                     // (again), per (again), paused until
                        "j", "n", "", "", "j"}) {    // other consents, method, notes, save
    answers.emplace_back(a);
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), given());
  CHECK(r.wishes.forms_wanted == std::vector<std::string>{"focus-group", "interviews"});
  CHECK(r.wishes.forms_unwanted == std::vector<std::string>{"telephone-interviews"});
  CHECK(r.wishes.setting == experts::Setting::digital);
  CHECK(r.wishes.areas_avoided == std::vector<std::string>{"psychiatry"});
  CHECK(r.wishes.max_requests == 3);
  CHECK(r.wishes.per == experts::Period::quarter);
  CHECK(r.wishes.paused_until == lbib::text::try_parse_date("2027-01-06"));
  CHECK(s.said.find("svara d, f eller b") != std::string::npos);
  CHECK(s.said.find("svara m, k eller å") != std::string::npos);
  // The wishes come with the map, before the consents are asked.
  const auto wishes_at = std::find_if(s.prompts.begin(), s.prompts.end(), [](const auto& p) {
    return p.starts_with("Några önskemål");
  });
  const auto consents_at = std::find_if(s.prompts.begin(), s.prompts.end(), [](const auto& p) {
    return p.starts_with("Samtycker personen?");
  });
  CHECK(wishes_at < std::find_if(
                        consents_at + 1, s.prompts.end(),
                        [](const auto& p) { return p.starts_with("Samtycker personen?"); }));
}

TEST_CASE("a cap's period is asked only with a cap, and a pause may be left empty") {
  auto answers = map_answers({{"dementia", {"", "", ""}}});
  answers.emplace_front("j");
  for (const char* a : {"j", "", "", "", "", "", "",  // wishes: none but the questions asked
                        "n", "n", "", "", "j"}) {
    answers.emplace_back(a);
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), given());
  CHECK(r.wishes.empty());
  CHECK(std::none_of(s.prompts.begin(), s.prompts.end(),
                     [](const auto& p) { return p.starts_with("Per månad"); }));
}

TEST_CASE("an invalid answer is explained and asked again") {
  auto answers =
      map_answers({{"dementia", {"kusin", "anhörig", "nittonhundra", "2019", "x", "v"}}});
  answers.emplace_front("j");
  answers.emplace_front("kanske");  // the register consent: not an answer, asked again
  for (const char* a : {"", "n", "n", "", "", ""}) {
    answers.emplace_back(a);
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), given());
  REQUIRE(r.experiences.size() == 1);
  CHECK(r.experiences[0].role == "relative");
  CHECK(r.experiences[0].year == 2019);
  CHECK(r.experiences[0].magnitude == experts::Magnitude::everyday);
  CHECK(s.said.find("välj roller") != std::string::npos);
  CHECK(s.said.find("not a year") != std::string::npos);
  CHECK(s.said.find("svara j (ja) eller n (nej)") != std::string::npos);
}

TEST_CASE("the interview saves nothing without the register consent, or when input ends") {
  auto answers = map_answers({{"dementia", {"", "", ""}}});
  answers.emplace_front("j");
  answers.emplace_back("");  // no wishes
  Scripted ended(answers);   // the input ends at the other consents
  CHECK_LBIB_ERROR(experts::interview(ended, cfg(), given()), ExitCode::usage, "nothing was saved");
  Scripted refused({"n"});  // the register consent comes first: nothing more is asked
  CHECK_LBIB_ERROR(experts::interview(refused, cfg(), given()), ExitCode::data, "inget sparades");
  CHECK(refused.prompts.size() == 1);
  for (const char* a : {"n", "n", "", "", "n", ""}) {  // consents, method, notes, save, change
    answers.emplace_back(a);
  }
  Scripted declined(answers);
  CHECK_LBIB_ERROR(experts::interview(declined, cfg(), given()), ExitCode::usage, "inget sparades");
  CHECK(declined.prompts.back().starts_with("Vilket svar vill du ändra?"));
}

TEST_CASE("the summary shows every answer, and one can be changed instead of starting over") {
  auto answers = map_answers({{"dementia", {"1, anhörig", "2019", ""}}});  // two roles, one area
  answers.emplace_front("j");
  for (const char* a : {"", "j", "n", "", "Anteckning", "n", "7", "1951", "j"}) {
    answers.emplace_back(a);  // no wishes, consents, method, notes; not yet: change 7; save
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), given());
  CHECK(r.profile.birth_year == 1951);
  REQUIRE(r.experiences.size() == 2);
  CHECK(r.experiences[0].role == "patient");
  CHECK(r.experiences[1].role == "relative");
  CHECK(r.experiences[1].area == "dementia");
  CHECK(s.said.find("Demenssjukdom – Patient, 2019") != std::string::npos);
  CHECK(s.said.find("Demenssjukdom – Anhörig, 2019") != std::string::npos);
  CHECK(r.profile.municipality == "Flen");
  CHECK(r.profile.phone == "");
  CHECK(r.consents == std::vector{experts::Purpose::register_, experts::Purpose::mailing});
  // Every answer is in the summary, the ones the command line gave too.
  for (const char* shown :
       {"Samtycke till registret: ja", "Namn: Testa Testsson", "E-post: testa@example.se",
        "Födelseår: 1950", "Födelseår: 1951", "Webbplats", "Demenssjukdom",
        "Övriga samtycken: mailing", "Hur samtycket gavs: muntligt", "Anteckningar: Anteckning"}) {
    CHECK_MESSAGE(s.said.find(shown) != std::string::npos, shown);
  }
}

TEST_CASE("'<' goes back to the question before and asks it again") {
  auto base = given();
  base.profile.name.clear();
  base.profile.email.clear();
  std::deque<std::string> answers{"j", "Fel Namn", "<", "Rätt Namn", "ratt@example.se"};
  const auto map = map_answers({{"dental-care", {"", "", ""}}});
  answers.insert(answers.end(), map.begin(), map.end());
  for (const char* a : {"", "n", "n", "<", "j", "n", "", "", "j"}) {  // back from the method
    answers.emplace_back(a);
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), base);
  CHECK(r.profile.name == "Rätt Namn");
  CHECK(r.profile.email == "ratt@example.se");
  CHECK(r.consents == std::vector{experts::Purpose::register_, experts::Purpose::mailing});
}

TEST_CASE("an empty map is questioned: small and old experiences count") {
  auto answers = map_answers({});
  answers.emplace_front("j");
  answers.emplace_back("j");  // go through the map again
  const auto second = map_answers({{"dental-care", {"", "1987", ""}}});
  answers.insert(answers.end(), second.begin(), second.end());
  for (const char* a : {"", "n", "n", "", "", ""}) {
    answers.emplace_back(a);
  }
  Scripted s(answers);
  const auto r = experts::interview(s, cfg(), given());
  REQUIRE(r.experiences.size() == 1);
  CHECK(r.experiences[0].area == "dental-care");
  CHECK(r.experiences[0].year == 1987);
}

TEST_CASE("a duplicate is said before saving: change an answer, or save anyway") {
  auto answers = map_answers({{"dementia", {"", "", ""}}});
  answers.emplace_front("j");
  for (const char* a : {"", "n", "n", "", ""}) {  // no wishes, consents, method, notes
    answers.emplace_back(a);
  }
  std::vector<std::string> checked;
  const experts::DuplicateCheck duplicate_of =
      [&checked](const experts::Profile& p) -> std::optional<std::int64_t> {
    checked.push_back(p.email);
    return p.email == "testa@example.se" ? std::optional<std::int64_t>{7} : std::nullopt;
  };
  SUBCASE("changed") {
    for (const char* a : {"j", "n", "3", "ny@example.se", "j"}) {  // save, not anyway, change 3
      answers.emplace_back(a);
    }
    auto base = given();
    base.profile.email.clear();
    answers.insert(answers.begin() + 1, "testa@example.se");  // asked after the consent, name given
    Scripted s(answers);
    const auto r = experts::interview(s, cfg(), base, duplicate_of);
    CHECK(r.profile.email == "ny@example.se");
    CHECK_FALSE(r.allow_duplicate);
    CHECK(s.said.find("redan vara registrerad som erfaren 7") != std::string::npos);
    CHECK(checked == std::vector<std::string>{"testa@example.se", "ny@example.se"});
  }
  SUBCASE("saved anyway") {
    answers.emplace_back("j");
    answers.emplace_back("j");
    Scripted s(answers);
    const auto r = experts::interview(s, cfg(), given(), duplicate_of);
    CHECK(r.allow_duplicate);
    CHECK(r.profile.email == "testa@example.se");
  }
  SUBCASE("allowed on the command line: not asked") {
    answers.emplace_back("j");
    auto base = given();
    base.allow_duplicate = true;
    Scripted s(answers);
    CHECK(experts::interview(s, cfg(), base, duplicate_of).allow_duplicate);
    CHECK(checked.empty());
  }
}

TEST_CASE("a person without e-mail is interviewed: a telephone, or else a postal address") {
  auto base = given();
  base.profile.email.clear();
  base.profile.phone.reset();
  const auto interview = [&](std::deque<std::string> answers) {
    const auto map = map_answers({{"dental-care", {"", "", ""}}});
    answers.insert(answers.end(), map.begin(), map.end());
    for (const char* a : {"", "n", "n", "", "", "j"}) {  // no wishes, consents, method, notes, save
      answers.emplace_back(a);
    }
    auto s = std::make_unique<Scripted>(answers);
    const auto r = experts::interview(*s, cfg(), base);
    return std::pair{r, std::move(s)};
  };
  SUBCASE("by telephone") {
    const auto [r, s] = interview({"j", "", "070-111 22 33"});  // consent, no e-mail, phone
    CHECK(r.profile.email.empty());
    CHECK(r.profile.phone == "070-111 22 33");
    CHECK(!r.profile.postal_address);
    CHECK(s->said.find("E-post: (inget)") != std::string::npos);
  }
  SUBCASE("by letter: the address is required then") {
    const auto [r, s] = interview({"j", "", "", "", "Storgatan 1, 642 30 Flen"});
    CHECK(!r.profile.phone);
    CHECK(r.profile.postal_address == "Storgatan 1, 642 30 Flen");
    CHECK(s->said.find("nås per brev") != std::string::npos);  // the empty answer explained
    CHECK(s->said.find("Postadress: Storgatan 1, 642 30 Flen") != std::string::npos);
  }
}

TEST_CASE("the experience map lists every area, the gaps too") {
  experts::Expert e;
  e.experiences = {experts::parse_experience("relative:dementia:2016:major", cfg()),
                   experts::parse_experience("patient:dental-care:2001:everyday", cfg()),
                   experts::parse_experience("relative:dental-care:2010:everyday", cfg())};
  const auto t = experts::experience_map(e, cfg(), *lbib::text::try_parse_date("2026-06-01"));
  REQUIRE(t.rows.size() == cfg().areas.size());
  const auto term = [](const lbib::output::Value& v) { return std::get<lbib::output::Term>(v); };
  for (const auto& row : t.rows) {
    const auto area = std::get<std::string>(term(row[0]).key);
    if (area == "dementia") {
      CHECK(term(row[0]).label == "Demenssjukdom");
      CHECK(term(row[2]) == lbib::output::Term{true, "ja"});
      CHECK(std::get<std::int64_t>(row[5]) == 10);
      CHECK(term(row[6]) == lbib::output::Term{std::string("major"), "stor händelse"});
    } else if (area == "dental-care") {
      CHECK(term(row[1]) == lbib::output::Term{true, "ja"});  // an everyday area
      CHECK(term(row[3]) ==
            lbib::output::Term{std::string("patient relative"), "Patient, Anhörig"});
      CHECK(std::get<std::int64_t>(row[4]) == 2010);  // the most recent
    } else {
      CHECK(term(row[2]) == lbib::output::Term{false, "–"});
    }
  }
}

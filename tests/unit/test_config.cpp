// SPDX-License-Identifier: MIT
#include <fmt/format.h>
#include <unistd.h>

#include <fstream>
#include <map>

#include "helpers.hpp"
#include "lbib/config/config.hpp"
#include "lbib/text/validate.hpp"

namespace config = lbib::config;
using lbib::ExitCode;

TEST_CASE("the built-in defaults carry the whole taxonomy") {
  const auto c = config::defaults();
  CHECK(c.language == "sv");
  CHECK(c.busy_timeout == std::chrono::milliseconds(5000));
  CHECK(c.roles.size() == 4);
  for (const char* area : {"cancer-care", "dementia", "psychiatry", "habilitation", "elderly-care",
                           "home-care", "primary-care", "dental-care", "hospital-stay", "e-health",
                           "social-services", "disability-support", "addiction", "child-youth"}) {
    CHECK_MESSAGE(config::find_term(c.areas, area) != nullptr, area);
  }
  const auto* dental = config::find_term(c.areas, "dental-care");
  REQUIRE(dental != nullptr);
  CHECK(dental->everyday);
  CHECK(dental->sv == "Tandvård");
  CHECK(config::find_term(c.channels, "relatives-centre") != nullptr);
  CHECK(c.source.empty());
}

TEST_CASE("the defaults generated at build time are config/lbib.toml as read at run time") {
  // lbib_config_gen wrote config::defaults() from what parse_defaults() reads; every member is
  // compared (Config's operator==), so a setting the generator forgets fails here.
  const auto generated = config::defaults();
  const auto parsed = config::parse_defaults();
  CHECK(generated.mail == parsed.mail);
  CHECK(generated.areas == parsed.areas);
  CHECK(generated.consent_texts == parsed.consent_texts);
  CHECK(generated.population == parsed.population);
  CHECK(generated == parsed);
  // And the user's file overlays both alike.
  constexpr std::string_view user =
      "[library]\nname = \"Sörmlands Levande Bibliotek\"\n"
      "[taxonomy]\nforms = [ { key = \"talk\", sv = \"Samtal\", "
      "en = \"Talk\" } ]\n";
  CHECK(config::overlay(generated, user, "f.toml") == config::overlay(parsed, user, "f.toml"));
}

TEST_CASE("overlay replaces only the keys it names") {
  const auto c = config::overlay(config::defaults(),
                                 "[library]\nname = \"Sörmlands Levande Bibliotek\"\n"
                                 "[database]\nbusy_timeout_ms = 250\n",
                                 "/etc/lbib/config.toml");
  CHECK(c.library_name == "Sörmlands Levande Bibliotek");
  CHECK(c.busy_timeout == std::chrono::milliseconds(250));
  CHECK(c.library_email == config::defaults().library_email);
  CHECK(c.areas.size() == config::defaults().areas.size());
}

TEST_CASE("a list in the user's file replaces the whole default list") {
  const auto c = config::overlay(
      config::defaults(),
      "[taxonomy]\nareas = [ { key = \"x-ray\", sv = \"Röntgen\", en = \"X-ray\" } ]\n", "f.toml");
  REQUIRE(c.areas.size() == 1);
  CHECK(c.areas[0].key == "x-ray");
}

TEST_CASE("a relative database path is relative to the config file") {
  const auto c = config::overlay(config::defaults(), "[database]\npath = \"data/lbib.sqlite\"\n",
                                 "/srv/lbib/config.toml");
  REQUIRE(c.database_path.has_value());
  CHECK(c.database_path->string() == "/srv/lbib/data/lbib.sqlite");
}

TEST_CASE("a multi-line placeholder in a subject, or too many contact persons, is refused") {
  const auto base = config::defaults();
  CHECK_LBIB_ERROR(
      config::overlay(base, "[mail.sv]\ndispatch_subject = \"Om {purpose}\"\n", "c.toml"),
      ExitCode::config, "mail.sv.dispatch_subject");
  CHECK_LBIB_ERROR(config::overlay(base, "[mail.en]\nfollowup_subject = \"{answers}\"\n", "c.toml"),
                   ExitCode::config, "{answers}");
  CHECK_LBIB_ERROR(config::overlay(base, "[mail.sv]\nremind_subject = \"{items}\"\n", "c.toml"),
                   ExitCode::config, "{items}");
  std::string people = "[library]\ncontact_persons = [";
  for (std::size_t i = 0; i <= config::max_contact_persons; ++i) {
    people +=
        fmt::format("{}{{ name = \"K {}\", email = \"k{}@example.se\" }}", i ? ", " : "", i, i);
  }
  CHECK_LBIB_ERROR(config::overlay(base, people + "]\n", "c.toml"), ExitCode::config,
                   "library.contact_persons: at most 100");
}

TEST_CASE("configuration errors name file, line and column") {
  const auto base = config::defaults();
  CHECK_LBIB_ERROR(config::overlay(base, "[library]\nname = \n", "bad.toml"), ExitCode::config,
                   "bad.toml:2:");
  CHECK_LBIB_ERROR(config::overlay(base, "[database]\nbusy_timeout_ms = \"soon\"\n", "c.toml"),
                   ExitCode::config,
                   "c.toml:2:19: 'database.busy_timeout_ms' must be a whole number");
  CHECK_LBIB_ERROR(config::overlay(base, "[library]\nnmae = \"x\"\n", "c.toml"), ExitCode::config,
                   "c.toml:2:1: unknown key 'library.nmae'");
  CHECK_LBIB_ERROR(config::overlay(base, "[library]\nemail = \"nope\"\n", "c.toml"),
                   ExitCode::config, "not a valid e-mail");
  CHECK_LBIB_ERROR(config::overlay(base, "[library]\nlanguage = \"de\"\n", "c.toml"),
                   ExitCode::config, "\"sv\" or \"en\"");
  CHECK_LBIB_ERROR(
      config::overlay(base,
                      "[taxonomy]\nroles = [ { key = \"visitor\", sv = \"B\", en = \"V\" } ]\n",
                      "c.toml"),
      ExitCode::config, "not one of lbib's roles");
  CHECK_LBIB_ERROR(config::overlay(base,
                                   "[taxonomy]\nareas = [ { key = \"a\", sv = \"A\", en = \"A\" }, "
                                   "{ key = \"a\", sv = \"B\", en = \"B\" } ]\n",
                                   "c.toml"),
                   ExitCode::config, "lists the key 'a' twice");
  CHECK_LBIB_ERROR(config::overlay(base, "[taxonomy]\nchannels = []\n", "c.toml"), ExitCode::config,
                   "at least one entry");
  CHECK_LBIB_ERROR(config::overlay(base, "[library]\nname = \"a\\nb\"\n", "c.toml"),
                   ExitCode::config, "line break");
}

TEST_CASE("find_file follows the documented search order") {
  std::map<std::string, std::string> env;
  const config::Getenv getenv = [&env](const char* name) -> std::optional<std::string> {
    const auto it = env.find(name);
    return it == env.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  const auto dir =
      std::filesystem::temp_directory_path() / ("lbib-unit-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir / "xdg" / "lbib");
  const auto write = [](const std::filesystem::path& p) { std::ofstream(p) << "# empty\n"; };
  write(dir / "explicit.toml");
  write(dir / "env.toml");
  write(dir / "xdg" / "lbib" / "config.toml");

  env["XDG_CONFIG_HOME"] = (dir / "xdg").string();
  CHECK(config::find_file(std::nullopt, getenv) == dir / "xdg" / "lbib" / "config.toml");
  env["LBIB_CONFIG"] = (dir / "env.toml").string();
  CHECK(config::find_file(std::nullopt, getenv) == dir / "env.toml");
  CHECK(config::find_file(dir / "explicit.toml", getenv) == dir / "explicit.toml");
  CHECK_LBIB_ERROR(config::find_file(dir / "missing.toml", getenv), ExitCode::no_input,
                   "does not exist");
  env["LBIB_CONFIG"] = (dir / "missing.toml").string();
  CHECK_LBIB_ERROR(config::find_file(std::nullopt, getenv), ExitCode::no_input, "LBIB_CONFIG");
  std::filesystem::remove_all(dir);
}

TEST_CASE("the catalogue's links") {
  const auto base = config::defaults();
  CHECK(base.catalogue.contact_url.empty());
  CHECK(base.catalogue.accessibility_statement_url.empty());
  const auto c = config::overlay(base,
                                 "[catalogue]\ncontact_url = \"mailto:kontakt@region.example.se\"\n"
                                 "accessibility_statement_url = \"/tillganglighet\"\n",
                                 "c.toml");
  CHECK(c.catalogue.contact_url == "mailto:kontakt@region.example.se");
  CHECK(c.catalogue.accessibility_statement_url == "/tillganglighet");
  for (const char* bad :
       {"javascript:alert(1)", "//evil.example", "kontakt", "https://a b", "https://a\\\"b"}) {
    CAPTURE(bad);
    CHECK_LBIB_ERROR(
        config::overlay(base, fmt::format("[catalogue]\ncontact_url = \"{}\"\n", bad), "c.toml"),
        ExitCode::config, "'catalogue.contact_url' must be an https://");
  }
  CHECK_LBIB_ERROR(config::overlay(base, "[catalogue]\nurl = \"/x\"\n", "c.toml"), ExitCode::config,
                   "unknown key 'catalogue.url'");
}

TEST_CASE("the keys the readers ask for are the keys the configuration knows") {
  const auto base = config::defaults();
  // A misspelt key is refused at every level: the root, a section, a table in a section, an
  // entry of a list; the message lists the keys its table knows, read from the readers.
  const std::pair<const char*, const char*> cases[] = {
      {"[libary]\nname = \"x\"\n", "c.toml:1:2: unknown key 'libary'; known keys: library, "},
      {"[reminders]\nsumary_days = 3\n", "unknown key 'reminders.sumary_days'"},
      {"[mail.sv]\ndispatch_subjet = \"x\"\n", "unknown key 'mail.sv.dispatch_subjet'"},
      {"[consent.texts]\nregistr = \"x\"\n", "unknown key 'consent.texts.registr'"},
      {"[compensation]\nrates = [ { valid_from = 2024-01-01, hour = 1, half_day = 2, "
       "full_day = 3, night = 4 } ]\n",
       "unknown key 'night'; known keys: valid_from, hour, half_day, full_day"},
      {"[taxonomy]\nroles = [ { key = \"patient\", sv = \"P\", en = \"P\", everyday = true } ]\n",
       "unknown key 'everyday'; known keys: key, sv, en"},
      {"[retention]\naudit_year = 3\n", "unknown key 'retention.audit_year'"},
  };
  for (const auto& c : cases) {  // not a structured binding: CAPTURE's lambda refers to it
    const char* toml_text = c.first;
    CAPTURE(toml_text);
    CHECK_LBIB_ERROR(config::overlay(base, toml_text, "c.toml"), ExitCode::config, c.second);
  }
  // The list of known keys is complete: every key it names is accepted.
  try {
    config::overlay(base, "[reminders]\nx = 1\n", "c.toml");
    FAIL("an unknown key was accepted");
  } catch (const lbib::Error& e) {
    const std::string message = e.what();
    const auto known = message.substr(message.find("known keys: ") + 12);
    std::string text = "[reminders]\n";
    for (auto key : text::split(known, ',')) {
      text += fmt::format("{} = 1\n", key.substr(key.front() == ' ' ? 1 : 0));
    }
    CHECK(config::overlay(base, text, "c.toml").reminders.summary == 1);
  }
  // Areas (unlike roles) may say whether an experience is an everyday one.
  CHECK(config::overlay(base,
                        "[taxonomy]\nareas = [ { key = \"a\", sv = \"A\", en = \"A\", "
                        "everyday = true } ]\n",
                        "c.toml")
            .areas.front()
            .everyday);
}

// SPDX-License-Identifier: MIT
// Run at build time (lib/CMakeLists.txt): reads the embedded config/lbib.toml with the reader
// every user's file goes through (config::parse_defaults) and writes a C++ source whose
// config::defaults() builds the same Config from literals, so no command parses the 639 lines
// of defaults at run time (docs/performance.md, "Fifth round"). tests/unit/test_config.cpp
// checks that the generated defaults equal the parsed ones, member by member (Config's
// operator==), so a setting this file forgets to write fails the unit tests.
//
//   lbib_config_gen OUTPUT
#include <fmt/format.h>

#include <cstdio>
#include <exception>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/config/config.hpp"

namespace lbib::config {
// This tool is linked with lbib's objects but without the source it writes: its defaults are
// the parsed ones.
Config defaults() {
  return parse_defaults();
}
}  // namespace lbib::config

namespace {

using namespace lbib::config;

// A C++ string literal of `s` (UTF-8 left as it is; one literal per line of the text).
std::string gen_string(std::string_view s) {
  std::string out = "\"";
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '\\':
        out += "\\\\";
        break;
      case '"':
        out += "\\\"";
        break;
      case '\n':
        out += "\\n";
        if (i + 1 < s.size()) {
          out += "\"\n      \"";
        }
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == 0x7f) {
          out += fmt::format("\\{:03o}", c);
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"s";
}

std::string gen_double(double v) {
  auto s = fmt::format("{}", v);
  if (s.find_first_of(".e") == std::string::npos) {
    s += ".0";
  }
  return s;
}

std::string gen_optional_double(const std::optional<double>& v) {
  return v ? fmt::format("std::optional<double>{{{}}}", gen_double(*v)) : "std::nullopt";
}

std::string gen_date(std::chrono::year_month_day d) {
  return fmt::format("ymd({}, {}, {})", static_cast<int>(d.year()),
                     static_cast<unsigned>(d.month()), static_cast<unsigned>(d.day()));
}

std::string gen_path(const std::optional<std::filesystem::path>& p) {
  return p ? fmt::format("std::optional<std::filesystem::path>{{{}}}", gen_string(p->string()))
           : "std::nullopt";
}

std::string gen_bool(bool b) {
  return b ? "true" : "false";
}

std::string gen_strings(const std::vector<std::string>& list) {
  std::string out = "{";
  for (const auto& s : list) {
    out += "\n      " + gen_string(s) + ",";
  }
  return out + "}";
}

std::string gen_terms(const std::vector<Term>& terms) {
  std::string out = "{";
  for (const auto& t : terms) {
    out += fmt::format("\n      Term{{.key = {}, .sv = {}, .en = {}, .everyday = {}}},",
                       gen_string(t.key), gen_string(t.sv), gen_string(t.en), gen_bool(t.everyday));
  }
  return out + "}";
}

std::string gen_questions(const std::vector<Question>& questions) {
  std::string out = "{";
  for (const auto& q : questions) {
    out += fmt::format("\n      Question{{.key = {}, .sv = {}, .en = {}, .summary = {}}},",
                       gen_string(q.key), gen_string(q.sv), gen_string(q.en), gen_bool(q.summary));
  }
  return out + "}";
}

// The mail templates' members, each with its name.
const std::vector<std::pair<const char*, std::string MailTemplates::*>>& template_members() {
  static const std::vector<std::pair<const char*, std::string MailTemplates::*>> members{
      {"dispatch_subject", &MailTemplates::dispatch_subject},
      {"dispatch_body", &MailTemplates::dispatch_body},
      {"compensation", &MailTemplates::compensation},
      {"followup_subject", &MailTemplates::followup_subject},
      {"followup_body", &MailTemplates::followup_body},
      {"remind_subject", &MailTemplates::remind_subject},
      {"remind_body", &MailTemplates::remind_body},
      {"closing_subject", &MailTemplates::closing_subject},
      {"closing_body", &MailTemplates::closing_body},
      {"survey_experts_subject", &MailTemplates::survey_experts_subject},
      {"survey_experts_body", &MailTemplates::survey_experts_body},
      {"survey_borrowers_subject", &MailTemplates::survey_borrowers_subject},
      {"survey_borrowers_body", &MailTemplates::survey_borrowers_body},
      {"questionnaire_subject", &MailTemplates::questionnaire_subject},
      {"questionnaire_body", &MailTemplates::questionnaire_body},
      {"questionnaire_reminder_subject", &MailTemplates::questionnaire_reminder_subject},
      {"questionnaire_reminder_body", &MailTemplates::questionnaire_reminder_body},
      {"conditions_subject", &MailTemplates::conditions_subject},
      {"conditions_body", &MailTemplates::conditions_body},
      {"borrower_feedback_subject", &MailTemplates::borrower_feedback_subject},
      {"borrower_feedback_body", &MailTemplates::borrower_feedback_body},
      {"borrower_summary_subject", &MailTemplates::borrower_summary_subject},
      {"borrower_summary_body", &MailTemplates::borrower_summary_body},
      {"borrower_survey_subject", &MailTemplates::borrower_survey_subject},
      {"borrower_survey_body", &MailTemplates::borrower_survey_body},
  };
  return members;
}

// The body of the generated defaults(): one statement a setting.
std::string gen_config(const Config& c) {
  std::ostringstream out;
  const auto set = [&out](std::string_view member, const std::string& value) {
    out << "  c." << member << " = " << value << ";\n";
  };
  set("library_name", gen_string(c.library_name));
  set("library_email", gen_string(c.library_email));
  set("language", gen_string(c.language));
  set("language_chosen", gen_bool(c.language_chosen));
  {
    std::string people = "{";
    for (const auto& p : c.contact_persons) {
      people += fmt::format("\n      ContactPerson{{.name = {}, .email = {}}},", gen_string(p.name),
                            gen_string(p.email));
    }
    set("contact_persons", people + "}");
  }
  set("database_path", gen_path(c.database_path));
  set("busy_timeout", fmt::format("std::chrono::milliseconds{{{}}}", c.busy_timeout.count()));
  set("shared_group", gen_bool(c.shared_group));
  set("consent_text_version", gen_string(c.consent_text_version));
  for (const auto& [purpose, text] : c.consent_texts) {
    out << "  c.consent_texts[" << gen_string(purpose) << "] = " << gen_string(text) << ";\n";
  }
  const auto& r = c.retention;
  set("retention",
      fmt::format("Retention{{.erase_left_after_months = {}, .reconfirm_consent_years = {}, "
                  ".erase_paused_after_months = {}, .erase_borrower_contact_after_months = {}, "
                  ".clear_request_notes_after_months = {}, .audit_years = {}, "
                  ".subject_requests_years = {}, .payments_years = {}, .warn_days = {}, "
                  ".erase_assignment_recruits_after_days = {}}}",
                  r.erase_left_after_months, r.reconfirm_consent_years, r.erase_paused_after_months,
                  r.erase_borrower_contact_after_months, r.clear_request_notes_after_months,
                  r.audit_years, r.subject_requests_years, r.payments_years, r.warn_days,
                  r.erase_assignment_recruits_after_days));
  set("gdpr.controller", gen_string(c.gdpr.controller));
  set("gdpr.contact", gen_string(c.gdpr.contact));
  set("gdpr.dpo", gen_string(c.gdpr.dpo));
  set("gdpr.legal_basis", gen_string(c.gdpr.legal_basis));
  set("gdpr.purposes", gen_strings(c.gdpr.purposes));
  set("gdpr.recipients", gen_strings(c.gdpr.recipients));
  set("gdpr.legal_basis_special", gen_string(c.gdpr.legal_basis_special));
  set("gdpr.third_countries", gen_strings(c.gdpr.third_countries));
  set("gdpr.backups", gen_string(c.gdpr.backups));
  set("min_experts", fmt::format("{}", c.min_experts));
  set("bcc_batch_size", fmt::format("std::size_t{{{}}}", c.bcc_batch_size));
  set("reply_copy_to_library", gen_bool(c.reply_copy_to_library));
  set("inbox_max_message_bytes", fmt::format("std::uintmax_t{{{}}}", c.inbox_max_message_bytes));
  for (const auto& [language, templates] : c.mail) {
    out << "  {\n    auto& t = c.mail[" << gen_string(language) << "];\n";
    for (const auto& [name, member] : template_members()) {
      out << "    t." << name << " = " << gen_string(templates.*member) << ";\n";
    }
    out << "  }\n";
  }
  set("followup_questions", gen_questions(c.followup_questions));
  set("expert_questions", gen_questions(c.expert_questions));
  set("borrower_questions", gen_questions(c.borrower_questions));
  set("currency", gen_string(c.currency));
  {
    std::string rates = "{";
    for (const auto& rate : c.rates) {
      rates += fmt::format(
          "\n      Rate{{.valid_from = {}, .hour = {}, .half_day = {}, .full_day = {}}},",
          gen_date(rate.valid_from), rate.hour, rate.half_day, rate.full_day);
    }
    set("rates", rates + "}");
  }
  const auto& d = c.reminders;
  set("reminders",
      fmt::format("ReminderDays{{.pre_meeting = {}, .dispatch = {}, .detail = {}, .reply = {}, "
                  ".followup_booking = {}, .summary = {}, .feedback = {}, .payment = {}, "
                  ".volunteers = {}, .questionnaire = {}, .borrower_feedback = {}}}",
                  d.pre_meeting, d.dispatch, d.detail, d.reply, d.followup_booking, d.summary,
                  d.feedback, d.payment, d.volunteers, d.questionnaire, d.borrower_feedback));
  set("jobs", fmt::format("Jobs{{.backup_dir = {}, .backup_max_age_days = {}, "
                          ".remind_max_age_days = {}}}",
                          gen_path(c.jobs.backup_dir), c.jobs.backup_max_age_days,
                          c.jobs.remind_max_age_days));
  {
    std::string phases = "{";
    for (const auto& p : c.phases) {
      phases += fmt::format("\n      Phase{{.key = {}, .sv = {}, .en = {}, .from = {}, .to = {}}},",
                            gen_string(p.key), gen_string(p.sv), gen_string(p.en), gen_date(p.from),
                            gen_date(p.to));
    }
    set("phases", phases + "}");
  }
  set("outreach_follow_months", fmt::format("{}", c.outreach_follow_months));
  {
    std::string bands = "{";
    for (const auto& b : c.population.age_bands) {
      bands += fmt::format("\n      AgeBand{{.from = {}, .to = {}, .share = {}}},", b.from, b.to,
                           gen_optional_double(b.share));
    }
    set("population.age_bands", bands + "}");
  }
  set("population.born_abroad", gen_optional_double(c.population.born_abroad));
  set("population.care_professional", gen_optional_double(c.population.care_professional));
  set("population.retired", gen_optional_double(c.population.retired));
  {
    std::string shares = "{";
    for (const auto& m : c.population.municipalities) {
      shares += fmt::format("\n      MunicipalityShare{{.name = {}, .share = {}}},",
                            gen_string(m.name), gen_double(m.share));
    }
    set("population.municipalities", shares + "}");
  }
  set("catalogue.contact_url", gen_string(c.catalogue.contact_url));
  set("catalogue.accessibility_statement_url", gen_string(c.catalogue.accessibility_statement_url));
  set("roles", gen_terms(c.roles));
  set("areas", gen_terms(c.areas));
  set("channels", gen_terms(c.channels));
  set("forms", gen_terms(c.forms));
  set("sectors", gen_terms(c.sectors));
  set("county.name", gen_string(c.county.name));
  set("county.municipalities", gen_strings(c.county.municipalities));
  {
    std::string goals = "{";
    for (const auto& g : c.goals) {
      goals += fmt::format(
          "\n      Goal{{.indicator = {}, .target = {}, .by = {}, .sv = {}, .en = {}}},",
          gen_string(g.indicator), gen_double(g.target), gen_date(g.by), gen_string(g.sv),
          gen_string(g.en));
    }
    set("goals", goals + "}");
  }
  set("source", fmt::format("std::filesystem::path{{{}}}", gen_string(c.source.string())));
  return out.str();
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::cerr << "usage: lbib_config_gen OUTPUT\n";
    return 64;
  }
  std::string text;
  try {
    text = fmt::format(
        R"(// Generated by lib/lbib/config/generate_defaults.cpp from config/lbib.toml. Do not edit.
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

#include "lbib/config/config.hpp"

namespace lbib::config {{
namespace {{

using namespace std::string_literals;

constexpr std::chrono::year_month_day ymd(int y, unsigned m, unsigned d) {{
  return std::chrono::year_month_day{{std::chrono::year{{y}}, std::chrono::month{{m}},
                                     std::chrono::day{{d}}}};
}}

Config make_defaults() {{
  Config c;  // every member is set below
{}  return c;
}}

}}  // namespace

Config defaults() {{ return make_defaults(); }}

}}  // namespace lbib::config
)",
        gen_config(parse_defaults()));
  } catch (const std::exception& e) {
    std::cerr << "lbib_config_gen: config/lbib.toml: " << e.what() << '\n';
    return 65;
  }
  // Only rewritten when it changed, so a rebuild of the library does not recompile it.
  {
    std::ifstream old(argv[1], std::ios::binary);
    std::ostringstream content;
    content << old.rdbuf();
    if (old && content.str() == text) {
      return 0;
    }
  }
  std::ofstream out(argv[1], std::ios::binary | std::ios::trunc);
  out << text;
  out.close();
  if (!out) {
    std::cerr << "lbib_config_gen: cannot write " << argv[1] << '\n';
    return 74;
  }
  return 0;
}

// SPDX-License-Identifier: MIT
#include "lbib/config/config.hpp"

#include <toml++/toml.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

#include "lbib/error.hpp"
#include "lbib/mail/template.hpp"
#include "lbib/text/i18n.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::config {
namespace {

namespace fs = std::filesystem;

constexpr std::array fixed_roles{"patient", "user", "client", "relative"};

// Reads typed values out of a parsed TOML document; every complaint names the file, line and
// column of the offending node and exits with the configuration error code.
class Decoder {
 public:
  explicit Decoder(fs::path source) : m_source(std::move(source)) {}

  [[noreturn]] void fail(const toml::node& node, std::string_view message) const {
    fail(node.source(), message);
  }

  [[noreturn]] void fail(const toml::source_region& region, std::string_view message) const {
    const auto& where = region.begin;
    throw make_error(ExitCode::config, "{}:{}:{}: {}", m_source.string(), where.line, where.column,
                     message);
  }

  // The readers below are the one list of the keys the configuration knows: every key a reader
  // asks for is noted, and once the whole document is read, check_unknown refuses any key that no
  // reader asked for, so a misspelt key is not silently ignored.
  const toml::node* node(const toml::table& parent, std::string_view key,
                         std::string_view name) const {
    auto it = std::find_if(m_asked.begin(), m_asked.end(),
                           [&](const Asked& a) { return a.table == &parent; });
    if (it == m_asked.end()) {
      // The name is the key with its table's path in front: "reminders.summary_days".
      const auto prefix = name.ends_with(key) ? name.substr(0, name.size() - key.size()) : "";
      m_asked.push_back(Asked{&parent, std::string(prefix), {}});
      it = std::prev(m_asked.end());
    }
    if (std::find(it->keys.begin(), it->keys.end(), key) == it->keys.end()) {
      it->keys.emplace_back(key);
    }
    return parent.get(key);
  }

  void check_unknown() const {
    for (const auto& asked : m_asked) {
      for (const auto& [key, value] : *asked.table) {
        (void)value;
        if (std::find(asked.keys.begin(), asked.keys.end(), key.str()) == asked.keys.end()) {
          fail(key.source(), fmt::format("unknown key '{}{}'; known keys: {}", asked.prefix,
                                         key.str(), fmt::join(asked.keys, ", ")));
        }
      }
    }
  }

  const toml::table* table(const toml::table& parent, std::string_view key,
                           std::string_view name) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return nullptr;
    }
    if (!node->is_table()) {
      fail(*node, fmt::format("'{}' must be a table", name));
    }
    return node->as_table();
  }

  const toml::array* array(const toml::table& parent, std::string_view key,
                           std::string_view name) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return nullptr;
    }
    if (!node->is_array()) {
      fail(*node, fmt::format("'{}' must be a list", name));
    }
    return node->as_array();
  }

  // Reads a single-line string; returns false when the key is absent.
  bool line(const toml::table& parent, std::string_view key, std::string_view name,
            std::size_t max_chars, std::string& out) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return false;
    }
    const auto* value = node->as_string();
    if (value == nullptr) {
      fail(*node, fmt::format("'{}' must be a string", name));
    }
    try {
      text::check_line(name, value->get(), max_chars);
    } catch (const Error& e) {
      fail(*node, e.what());
    }
    out = value->get();
    return true;
  }

  bool integer(const toml::table& parent, std::string_view key, std::string_view name,
               std::int64_t min, std::int64_t max, std::int64_t& out) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return false;
    }
    const auto* value = node->as_integer();
    if (value == nullptr || value->get() < min || value->get() > max) {
      fail(*node, fmt::format("'{}' must be a whole number from {} to {}", name, min, max));
    }
    out = value->get();
    return true;
  }

  bool boolean(const toml::table& parent, std::string_view key, std::string_view name,
               bool& out) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return false;
    }
    const auto* value = node->as_boolean();
    if (value == nullptr) {
      fail(*node, fmt::format("'{}' must be true or false", name));
    }
    out = value->get();
    return true;
  }

  void email(const toml::table& parent, std::string_view key, std::string_view name,
             std::string& out) const {
    if (line(parent, key, name, text::limits::email, out) && !text::is_valid_email(out)) {
      fail(*parent.get(key),
           fmt::format("'{}' is not a valid e-mail address (like name@example.se)", name));
    }
  }

  // A TOML date (not a string); returns false when the key is absent.
  bool date(const toml::table& parent, std::string_view key, std::string_view name,
            std::chrono::year_month_day& out) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return false;
    }
    if (!node->is_date()) {
      fail(*node, fmt::format("'{}' must be a date written YYYY-MM-DD, without quotes", name));
    }
    const auto d = node->as_date()->get();
    out = std::chrono::year_month_day{std::chrono::year{d.year}, std::chrono::month{d.month},
                                      std::chrono::day{d.day}};
    return true;
  }

  // A share of the population: a number from 0 to 1.
  bool share(const toml::table& parent, std::string_view key, std::string_view name,
             std::optional<double>& out) const {
    const toml::node* node = this->node(parent, key, name);
    if (node == nullptr) {
      return false;
    }
    const auto v = node->value<double>();
    if (!v || *v < 0 || *v > 1) {
      fail(*node, fmt::format("'{}' must be a share from 0 to 1 (0.2 is 20 %)", name));
    }
    out = *v;
    return true;
  }

  fs::path resolve(const std::string& path) const {
    const fs::path p(path);
    if (p.is_absolute() || m_source.empty()) {
      return p;
    }
    return m_source.parent_path() / p;
  }

  // A vocabulary: a non-empty list of { key, sv, en [, everyday] } with unique keys.
  std::vector<Term> terms(const toml::array& list, std::string_view name,
                          bool with_everyday) const {
    std::vector<Term> out;
    std::set<std::string> seen;
    for (const auto& node : list) {
      const auto* entry = node.as_table();
      if (entry == nullptr) {
        fail(node, fmt::format("each entry of '{}' must be a table like "
                               "{{ key = \"...\", sv = \"...\", en = \"...\" }}",
                               name));
      }
      if (with_everyday) {
      } else {
      }
      Term term;
      if (!line(*entry, "key", "key", text::limits::key, term.key) || !is_key(term.key)) {
        fail(node, fmt::format("each entry of '{}' needs a key of lowercase letters, digits "
                               "and hyphens",
                               name));
      }
      if (!seen.insert(term.key).second) {
        fail(node, fmt::format("'{}' lists the key '{}' twice", name, term.key));
      }
      line(*entry, "sv", "sv", text::limits::short_text, term.sv);
      line(*entry, "en", "en", text::limits::short_text, term.en);
      if (term.sv.empty() || term.en.empty()) {
        fail(node,
             fmt::format("entry '{}' of '{}' needs both an sv and an en label", term.key, name));
      }
      if (with_everyday) {
        boolean(*entry, "everyday", "everyday", term.everyday);
      }
      out.push_back(std::move(term));
    }
    if (out.empty()) {
      fail(list, fmt::format("'{}' must list at least one entry", name));
    }
    return out;
  }

 private:
  static bool is_key(std::string_view s) {
    if (s.empty()) {
      return false;
    }
    for (const char c : s) {
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
        return false;
      }
    }
    return true;
  }

  struct Asked {
    const toml::table* table;
    std::string prefix;
    std::vector<std::string> keys;
  };

  fs::path m_source;
  mutable std::vector<Asked> m_asked;  // in the order the tables were first read
};

void read_library(const Decoder& d, const toml::table& root, Config& c) {
  const auto* lib = d.table(root, "library", "library");
  if (lib == nullptr) {
    return;
  }
  d.line(*lib, "name", "library.name", text::limits::name, c.library_name);
  d.email(*lib, "email", "library.email", c.library_email);
  if (d.line(*lib, "language", "library.language", 2, c.language) && c.language != "sv" &&
      c.language != "en") {
    d.fail(*lib->get("language"), "'library.language' must be \"sv\" or \"en\"");
  }
  if (lib->contains("language")) {
    c.language_chosen = true;
  }
  if (const auto* people = d.array(*lib, "contact_persons", "library.contact_persons")) {
    if (people->size() > max_contact_persons) {
      d.fail(*people, i18n::tr_format("library.contact_persons: at most {} contact persons (they "
                                      "are all in the To of one reminder mail)",
                                      max_contact_persons));
    }
    c.contact_persons.clear();
    for (const auto& node : *people) {
      const auto* entry = node.as_table();
      if (entry == nullptr) {
        d.fail(node,
               "each contact person must be a table like { name = \"...\", email = \"...\" }");
      }
      ContactPerson person;
      d.line(*entry, "name", "name", text::limits::name, person.name);
      d.email(*entry, "email", "email", person.email);
      if (person.name.empty() || person.email.empty()) {
        d.fail(node, "each contact person needs a name and an email");
      }
      c.contact_persons.push_back(std::move(person));
    }
  }
}

void read_database(const Decoder& d, const toml::table& root, Config& c) {
  const auto* db = d.table(root, "database", "database");
  if (db == nullptr) {
    return;
  }
  d.boolean(*db, "shared_group", "database.shared_group", c.shared_group);
  std::string path;
  if (d.line(*db, "path", "database.path", 4096, path)) {
    c.database_path = d.resolve(path);
  }
  std::int64_t timeout = 0;
  if (d.integer(*db, "busy_timeout_ms", "database.busy_timeout_ms", 0, 600000, timeout)) {
    c.busy_timeout = std::chrono::milliseconds(timeout);
  }
}

void read_templates(const Decoder& d, const toml::table& table, std::string_view prefix,
                    MailTemplates& t) {
  const auto read = [&](std::string_view key, std::string& out, bool multiline,
                        const mail::Values* placeholders) {
    const std::string name = std::string(prefix) + std::string(key);
    const toml::node* node = d.node(table, key, name);
    if (node == nullptr) {
      return;
    }
    const auto* value = node->as_string();
    if (value == nullptr) {
      d.fail(*node, fmt::format("'{}' must be a string", name));
    }
    try {
      if (multiline) {
        text::check_text(name, value->get(), text::limits::notes);
      } else {
        text::check_line(name, value->get(), text::limits::short_text);
      }
      if (placeholders != nullptr) {
        mail::fill(value->get(), *placeholders, name);  // refuses unknown placeholders now
        if (!multiline) {
          mail::check_one_line(value->get(), *placeholders, name);
        }
      }
    } catch (const Error& e) {
      d.fail(*node, e.what());
    }
    out = value->get();
  };
  read("dispatch_subject", t.dispatch_subject, false, &mail::dispatch_placeholders());
  read("dispatch_body", t.dispatch_body, true, &mail::dispatch_placeholders());
  read("compensation", t.compensation, true, nullptr);
  read("followup_subject", t.followup_subject, false, &mail::followup_placeholders());
  read("followup_body", t.followup_body, true, &mail::followup_placeholders());
  read("remind_subject", t.remind_subject, false, &mail::remind_placeholders());
  read("remind_body", t.remind_body, true, &mail::remind_placeholders());
  read("closing_subject", t.closing_subject, false, &mail::closing_placeholders());
  read("closing_body", t.closing_body, true, &mail::closing_placeholders());
  read("survey_experts_subject", t.survey_experts_subject, false, &mail::closing_placeholders());
  read("survey_experts_body", t.survey_experts_body, true, &mail::closing_placeholders());
  read("survey_borrowers_subject", t.survey_borrowers_subject, false,
       &mail::closing_placeholders());
  read("survey_borrowers_body", t.survey_borrowers_body, true, &mail::closing_placeholders());
  const auto* q = &mail::questionnaire_placeholders();
  read("questionnaire_subject", t.questionnaire_subject, false, q);
  read("questionnaire_body", t.questionnaire_body, true, q);
  read("questionnaire_reminder_subject", t.questionnaire_reminder_subject, false, q);
  read("questionnaire_reminder_body", t.questionnaire_reminder_body, true, q);
  const auto* b = &mail::borrower_placeholders();
  read("conditions_subject", t.conditions_subject, false, b);
  read("conditions_body", t.conditions_body, true, b);
  read("borrower_feedback_subject", t.borrower_feedback_subject, false, b);
  read("borrower_feedback_body", t.borrower_feedback_body, true, b);
  read("borrower_summary_subject", t.borrower_summary_subject, false, b);
  read("borrower_summary_body", t.borrower_summary_body, true, b);
  read("borrower_survey_subject", t.borrower_survey_subject, false, b);
  read("borrower_survey_body", t.borrower_survey_body, true, b);
}

void read_mail(const Decoder& d, const toml::table& root, Config& c) {
  const auto* mail_table = d.table(root, "mail", "mail");
  if (mail_table == nullptr) {
    return;
  }
  std::int64_t batch = 0;
  if (d.integer(*mail_table, "bcc_batch_size", "mail.bcc_batch_size", 1, 500, batch)) {
    c.bcc_batch_size = static_cast<std::size_t>(batch);
  }
  d.boolean(*mail_table, "reply_copy_to_library", "mail.reply_copy_to_library",
            c.reply_copy_to_library);
  std::int64_t max_bytes = 0;
  if (d.integer(*mail_table, "inbox_max_message_bytes", "mail.inbox_max_message_bytes", 1024,
                std::int64_t{1} << 30, max_bytes)) {
    c.inbox_max_message_bytes = static_cast<std::uintmax_t>(max_bytes);
  }
  for (const char* language : {"sv", "en"}) {
    const std::string prefix = fmt::format("mail.{}.", language);
    if (const auto* t = d.table(*mail_table, language, prefix.substr(0, prefix.size() - 1))) {
      read_templates(d, *t, prefix, c.mail[language]);
    }
  }
}

// A list of questions: `followup.questions` and the like, each { key, sv, en[, summary] }.
void read_questions(const Decoder& d, const toml::table& followup, std::string_view key,
                    bool with_summary, std::vector<Question>& out) {
  const std::string name = fmt::format("followup.{}", key);
  const auto* list = d.array(followup, key, name);
  if (list == nullptr) {
    return;
  }
  out.clear();
  std::set<std::string> seen;
  for (const auto& node : *list) {
    const auto* entry = node.as_table();
    if (entry == nullptr) {
      d.fail(node,
             "each follow-up question must be a table like { key = \"...\", sv = \"...\", en = "
             "\"...\" }");
    }
    Question q;
    d.line(*entry, "key", "key", text::limits::key, q.key);
    d.line(*entry, "sv", "sv", text::limits::short_text, q.sv);
    d.line(*entry, "en", "en", text::limits::short_text, q.en);
    if (with_summary) {
      d.boolean(*entry, "summary", "summary", q.summary);
    }
    if (q.key.empty() || q.sv.empty() || q.en.empty()) {
      d.fail(node, "each follow-up question needs a key, an sv and an en text");
    }
    if (!seen.insert(q.key).second) {
      d.fail(node, fmt::format("'{}' lists the key '{}' twice", name, q.key));
    }
    out.push_back(std::move(q));
  }
}

void read_followup(const Decoder& d, const toml::table& root, Config& c) {
  const auto* followup = d.table(root, "followup", "followup");
  if (followup == nullptr) {
    return;
  }
  read_questions(d, *followup, "questions", true, c.followup_questions);
  read_questions(d, *followup, "expert_questions", false, c.expert_questions);
  read_questions(d, *followup, "borrower_questions", false, c.borrower_questions);
}

void read_compensation(const Decoder& d, const toml::table& root, Config& c) {
  const auto* comp = d.table(root, "compensation", "compensation");
  if (comp == nullptr) {
    return;
  }
  d.line(*comp, "currency", "compensation.currency", 8, c.currency);
  const auto* list = d.array(*comp, "rates", "compensation.rates");
  if (list == nullptr) {
    return;
  }
  c.rates.clear();
  for (const auto& node : *list) {
    const auto* entry = node.as_table();
    if (entry == nullptr) {
      d.fail(node,
             "each rate must be a table like { valid_from = 2024-01-01, hour = 150, half_day = "
             "500, full_day = 1000 }");
    }
    const auto* from = d.node(*entry, "valid_from", "valid_from");
    if (from == nullptr || !from->is_date()) {
      d.fail(node, "each rate needs valid_from = YYYY-MM-DD (a TOML date, without quotes)");
    }
    const auto date = from->as_date()->get();
    Rate r;
    r.valid_from = std::chrono::year_month_day{
        std::chrono::year{date.year}, std::chrono::month{date.month}, std::chrono::day{date.day}};
    std::int64_t v = 0;
    const auto amount = [&](const char* key, int& out) {
      if (!d.integer(*entry, key, key, 0, 1000000, v)) {
        d.fail(node, fmt::format("each rate needs {} (whole kronor)", key));
      }
      out = static_cast<int>(v);
    };
    amount("hour", r.hour);
    amount("half_day", r.half_day);
    amount("full_day", r.full_day);
    if (!c.rates.empty() && !(c.rates.back().valid_from < r.valid_from)) {
      d.fail(node, "'compensation.rates' must be in order of valid_from, each date once");
    }
    c.rates.push_back(r);
  }
}

void read_reminders(const Decoder& d, const toml::table& root, Config& c) {
  const auto* rem = d.table(root, "reminders", "reminders");
  if (rem == nullptr) {
    return;
  }
  const auto days = [&](const char* key, int& out) {
    std::int64_t v = 0;
    if (d.integer(*rem, key, fmt::format("reminders.{}", key), 0, 3650, v)) {
      out = static_cast<int>(v);
    }
  };
  days("pre_meeting_days", c.reminders.pre_meeting);
  days("dispatch_days", c.reminders.dispatch);
  days("detail_days", c.reminders.detail);
  days("reply_days", c.reminders.reply);
  days("followup_booking_days", c.reminders.followup_booking);
  days("summary_days", c.reminders.summary);
  days("feedback_days", c.reminders.feedback);
  days("payment_days", c.reminders.payment);
  days("volunteers_days", c.reminders.volunteers);
  days("questionnaire_days", c.reminders.questionnaire);
  days("borrower_feedback_days", c.reminders.borrower_feedback);
}

void read_jobs(const Decoder& d, const toml::table& root, Config& c) {
  const auto* jobs = d.table(root, "jobs", "jobs");
  if (jobs == nullptr) {
    return;
  }
  std::string dir;
  if (d.line(*jobs, "backup_dir", "jobs.backup_dir", 4096, dir)) {
    c.jobs.backup_dir = dir.empty() ? std::nullopt : std::optional<fs::path>(dir);
  }
  std::int64_t v = 0;
  if (d.integer(*jobs, "backup_max_age_days", "jobs.backup_max_age_days", 1, 366, v)) {
    c.jobs.backup_max_age_days = static_cast<int>(v);
  }
  if (d.integer(*jobs, "remind_max_age_days", "jobs.remind_max_age_days", 1, 366, v)) {
    c.jobs.remind_max_age_days = static_cast<int>(v);
  }
}

void read_report(const Decoder& d, const toml::table& root, Config& c) {
  const auto* report = d.table(root, "report", "report");
  if (report == nullptr) {
    return;
  }
  if (std::int64_t v = 0;
      d.integer(*report, "outreach_follow_months", "report.outreach_follow_months", 1, 36, v)) {
    c.outreach_follow_months = static_cast<int>(v);
  }
  const auto* list = d.array(*report, "phases", "report.phases");
  if (list == nullptr) {
    return;
  }
  c.phases.clear();
  for (const auto& node : *list) {
    const auto* entry = node.as_table();
    if (entry == nullptr) {
      d.fail(node,
             "each phase must be a table like { key = \"...\", sv = \"...\", en = \"...\", from = "
             "2019-01-01, to = 2019-12-31 }");
    }
    Phase p;
    d.line(*entry, "key", "key", text::limits::key, p.key);
    d.line(*entry, "sv", "sv", text::limits::short_text, p.sv);
    d.line(*entry, "en", "en", text::limits::short_text, p.en);
    if (p.key.empty() || p.sv.empty() || p.en.empty() || !d.date(*entry, "from", "from", p.from) ||
        !d.date(*entry, "to", "to", p.to)) {
      d.fail(node, "each phase needs key, sv, en, from and to");
    }
    if (p.to < p.from || (!c.phases.empty() && !(c.phases.back().to < p.from))) {
      d.fail(node, "phases must be in order, each ending before the next begins");
    }
    c.phases.push_back(std::move(p));
  }
}

// A link the public catalogue shows: https://, http://, mailto: or a path on the same site
// ("/..."), with nothing that could break out of an HTML attribute.
void read_link(const Decoder& d, const toml::table& table, std::string_view key,
               std::string_view name, std::string& out) {
  if (!d.line(table, key, name, 2000, out) || out.empty()) {
    return;
  }
  const bool scheme = out.starts_with("https://") || out.starts_with("http://") ||
                      out.starts_with("mailto:") ||
                      (out.starts_with('/') && !out.starts_with("//"));
  if (!scheme || out.find_first_of(" \"'<>`") != std::string::npos) {
    d.fail(*table.get(key), i18n::tr_format("'{}' must be an https://, http:// or mailto: "
                                            "address, or a path on the website starting with /, "
                                            "without spaces",
                                            name));
  }
}

void read_catalogue(const Decoder& d, const toml::table& root, Config& c) {
  const auto* catalogue = d.table(root, "catalogue", "catalogue");
  if (catalogue == nullptr) {
    return;
  }
  read_link(d, *catalogue, "contact_url", "catalogue.contact_url", c.catalogue.contact_url);
  read_link(d, *catalogue, "accessibility_statement_url", "catalogue.accessibility_statement_url",
            c.catalogue.accessibility_statement_url);
}

void read_population(const Decoder& d, const toml::table& root, Config& c) {
  const auto* pop = d.table(root, "population", "population");
  if (pop == nullptr) {
    return;
  }
  if (const auto* bands = d.array(*pop, "age_bands", "population.age_bands")) {
    c.population.age_bands.clear();
    for (const auto& node : *bands) {
      const auto* entry = node.as_table();
      if (entry == nullptr) {
        d.fail(node, "each age band must be a table like { from = 18, to = 29, share = 0.15 }");
      }
      AgeBand b;
      std::int64_t v = 0;
      if (!d.integer(*entry, "from", "from", 0, 130, v)) {
        d.fail(node, "each age band needs from and to (years)");
      }
      b.from = static_cast<int>(v);
      if (!d.integer(*entry, "to", "to", b.from, 130, v)) {
        d.fail(node, "each age band needs from and to (years), to not below from");
      }
      b.to = static_cast<int>(v);
      d.share(*entry, "share", "share", b.share);
      c.population.age_bands.push_back(b);
    }
  }
  d.share(*pop, "born_abroad", "population.born_abroad", c.population.born_abroad);
  d.share(*pop, "care_professional", "population.care_professional",
          c.population.care_professional);
  d.share(*pop, "retired", "population.retired", c.population.retired);
  if (const auto* list = d.array(*pop, "municipalities", "population.municipalities")) {
    c.population.municipalities.clear();
    for (const auto& node : *list) {
      const auto* entry = node.as_table();
      if (entry == nullptr) {
        d.fail(node, "each municipality must be a table like { name = \"Flen\", share = 0.05 }");
      }
      MunicipalityShare m;
      std::optional<double> share;
      d.line(*entry, "name", "name", text::limits::municipality, m.name);
      d.share(*entry, "share", "share", share);
      if (m.name.empty() || !share) {
        d.fail(node, "each municipality needs a name and a share");
      }
      m.share = *share;
      c.population.municipalities.push_back(std::move(m));
    }
  }
}

void read_county(const Decoder& d, const toml::table& root, Config& c) {
  const auto* county = d.table(root, "county", "county");
  if (county == nullptr) {
    return;
  }
  d.line(*county, "name", "county.name", text::limits::short_text, c.county.name);
  if (const auto* list = d.array(*county, "municipalities", "county.municipalities")) {
    c.county.municipalities.clear();
    for (const auto& node : *list) {
      if (node.as_string() == nullptr || node.as_string()->get().empty()) {
        d.fail(node, "'county.municipalities' must be a list of names");
      }
      try {
        text::check_line("county.municipalities", node.as_string()->get(),
                         text::limits::municipality);
      } catch (const Error& e) {
        d.fail(node, e.what());
      }
      const auto& name = node.as_string()->get();
      if (std::find(c.county.municipalities.begin(), c.county.municipalities.end(), name) !=
          c.county.municipalities.end()) {
        d.fail(node, fmt::format("'county.municipalities' lists '{}' twice", name));
      }
      c.county.municipalities.push_back(name);
    }
  }
}

void read_goals(const Decoder& d, const toml::table& root, Config& c) {
  const auto* goals = d.table(root, "goals", "goals");
  if (goals == nullptr) {
    return;
  }
  const auto* list = d.array(*goals, "targets", "goals.targets");
  if (list == nullptr) {
    return;
  }
  c.goals.clear();
  for (const auto& node : *list) {
    const auto* entry = node.as_table();
    if (entry == nullptr) {
      d.fail(node,
             "each goal must be a table like { indicator = \"experts\", target = 20, by = "
             "2021-12-31, sv = \"...\", en = \"...\" }");
    }
    Goal g;
    d.line(*entry, "indicator", "indicator", text::limits::key, g.indicator);
    if (std::find(goal_indicators.begin(), goal_indicators.end(), g.indicator) ==
        goal_indicators.end()) {
      d.fail(node, fmt::format("a goal's indicator must be one of: {}",
                               fmt::join(goal_indicators, ", ")));
    }
    const toml::node* target = d.node(*entry, "target", "target");
    const auto value = target == nullptr ? std::nullopt : target->value<double>();
    const bool share = g.indicator.ends_with("_share");
    if (!value || *value < 0 || (share && *value > 1) || *value > 1e9) {
      d.fail(node, share ? "a share's target must be a number from 0 to 1 (0.8 is 80 %)"
                         : "a goal needs a target, a number from 0");
    }
    g.target = *value;
    if (!d.date(*entry, "by", "by", g.by)) {
      d.fail(node, "a goal needs the day it is to be reached by: by = YYYY-MM-DD");
    }
    d.line(*entry, "sv", "sv", text::limits::short_text, g.sv);
    d.line(*entry, "en", "en", text::limits::short_text, g.en);
    c.goals.push_back(std::move(g));
  }
}

void read_taxonomy(const Decoder& d, const toml::table& root, Config& c) {
  const auto* tax = d.table(root, "taxonomy", "taxonomy");
  if (tax == nullptr) {
    return;
  }
  if (const auto* roles = d.array(*tax, "roles", "taxonomy.roles")) {
    c.roles = d.terms(*roles, "taxonomy.roles", false);
    for (std::size_t i = 0; i < c.roles.size(); ++i) {
      bool fixed = false;
      for (const auto* r : fixed_roles) {
        fixed = fixed || c.roles[i].key == r;
      }
      if (!fixed) {
        d.fail(*roles->get(i), fmt::format("role '{}' is not one of lbib's roles: {}",
                                           c.roles[i].key, fmt::join(fixed_roles, ", ")));
      }
    }
  }
  if (const auto* areas = d.array(*tax, "areas", "taxonomy.areas")) {
    c.areas = d.terms(*areas, "taxonomy.areas", true);
  }
  if (const auto* channels = d.array(*tax, "channels", "taxonomy.channels")) {
    c.channels = d.terms(*channels, "taxonomy.channels", false);
  }
  if (const auto* forms = d.array(*tax, "forms", "taxonomy.forms")) {
    c.forms = d.terms(*forms, "taxonomy.forms", false);
  }
  if (const auto* sectors = d.array(*tax, "sectors", "taxonomy.sectors")) {
    c.sectors = d.terms(*sectors, "taxonomy.sectors", false);
  }
}

}  // namespace

Getenv process_environment() {
  return [](const char* name) -> std::optional<std::string> {
    const char* value = std::getenv(name);
    if (value == nullptr || *value == '\0') {
      return std::nullopt;
    }
    return std::string(value);
  };
}

std::optional<fs::path> find_file(const std::optional<fs::path>& explicit_path,
                                  const Getenv& getenv) {
  const auto must_exist = [](const fs::path& p, std::string_view how) {
    std::error_code ec;
    if (!fs::is_regular_file(p, ec)) {
      throw make_error(ExitCode::no_input, "configuration file {} (from {}) does not exist",
                       p.string(), how);
    }
    return p;
  };
  if (explicit_path) {
    return must_exist(*explicit_path, "--config");
  }
  if (auto env = getenv("LBIB_CONFIG")) {
    return must_exist(*env, "LBIB_CONFIG");
  }
  std::optional<fs::path> user_dir;
  if (auto xdg = getenv("XDG_CONFIG_HOME")) {
    user_dir = fs::path(*xdg);
  } else if (auto home = getenv("HOME")) {
    user_dir = fs::path(*home) / ".config";
  }
  std::error_code ec;
  if (user_dir && fs::is_regular_file(*user_dir / "lbib" / "config.toml", ec)) {
    return *user_dir / "lbib" / "config.toml";
  }
  if (fs::is_regular_file("/etc/lbib/config.toml", ec)) {
    return fs::path("/etc/lbib/config.toml");
  }
  return std::nullopt;
}

Config overlay(Config c, std::string_view toml_text, const fs::path& source) {
  toml::table root;
  try {
    root = toml::parse(toml_text, source.string());
  } catch (const toml::parse_error& e) {
    throw make_error(ExitCode::config, "{}:{}:{}: {}", source.string(), e.source().begin.line,
                     e.source().begin.column, text::printable(e.description()));
  }
  const Decoder d(source);
  read_library(d, root, c);
  read_database(d, root, c);
  if (const auto* consent = d.table(root, "consent", "consent")) {
    d.line(*consent, "text_version", "consent.text_version", text::limits::key,
           c.consent_text_version);
    if (const auto* texts = d.table(*consent, "texts", "consent.texts")) {
      for (const char* purpose : {"register", "mailing", "website"}) {
        const toml::node* node = d.node(*texts, purpose, fmt::format("consent.texts.{}", purpose));
        if (node != nullptr && node->as_string() != nullptr) {
          try {
            text::check_text(fmt::format("consent.texts.{}", purpose), node->as_string()->get(),
                             20000);
          } catch (const Error& e) {
            d.fail(*node, e.what());
          }
          c.consent_texts[purpose] = node->as_string()->get();
        } else if (node != nullptr) {
          d.fail(*node, fmt::format("'consent.texts.{}' must be a string", purpose));
        }
      }
    }
  }
  if (const auto* retention = d.table(root, "retention", "retention")) {
    // One table names each key, its bounds and its field.
    struct Key {
      std::string_view key;
      int Retention::*field;
      std::int64_t min, max;
    };
    static constexpr std::array keys{
        Key{"erase_left_after_months", &Retention::erase_left_after_months, 0, 600},
        Key{"reconfirm_consent_years", &Retention::reconfirm_consent_years, 1, 50},
        Key{"erase_paused_after_months", &Retention::erase_paused_after_months, 1, 600},
        Key{"erase_borrower_contact_after_months", &Retention::erase_borrower_contact_after_months,
            0, 600},
        Key{"clear_request_notes_after_months", &Retention::clear_request_notes_after_months, 0,
            600},
        Key{"audit_years", &Retention::audit_years, 1, 100},
        Key{"subject_requests_years", &Retention::subject_requests_years, 1, 100},
        Key{"payments_years", &Retention::payments_years, 1, 100},
        Key{"warn_days", &Retention::warn_days, 0, 365},
        Key{"erase_assignment_recruits_after_days",
            &Retention::erase_assignment_recruits_after_days, 0, 3650},
    };
    for (const auto& k : keys) {
      std::int64_t v = 0;
      if (d.integer(*retention, k.key, fmt::format("retention.{}", k.key), k.min, k.max, v)) {
        c.retention.*k.field = static_cast<int>(v);
      }
    }
  }
  if (const auto* gdpr = d.table(root, "gdpr", "gdpr")) {
    d.line(*gdpr, "controller", "gdpr.controller", text::limits::short_text, c.gdpr.controller);
    d.line(*gdpr, "contact", "gdpr.contact", text::limits::short_text, c.gdpr.contact);
    d.line(*gdpr, "dpo", "gdpr.dpo", text::limits::short_text, c.gdpr.dpo);
    d.line(*gdpr, "legal_basis", "gdpr.legal_basis", text::limits::short_text, c.gdpr.legal_basis);
    d.line(*gdpr, "legal_basis_special", "gdpr.legal_basis_special", text::limits::short_text,
           c.gdpr.legal_basis_special);
    d.line(*gdpr, "backups", "gdpr.backups", text::limits::short_text, c.gdpr.backups);
    for (const auto& [key, out] :
         {std::pair<const char*, std::vector<std::string>*>{"purposes", &c.gdpr.purposes},
          {"recipients", &c.gdpr.recipients},
          {"third_countries", &c.gdpr.third_countries}}) {
      if (const auto* list = d.array(*gdpr, key, fmt::format("gdpr.{}", key))) {
        out->clear();
        for (const auto& node : *list) {
          if (node.as_string() == nullptr) {
            d.fail(node, fmt::format("'gdpr.{}' must be a list of strings", key));
          }
          out->push_back(node.as_string()->get());
        }
      }
    }
  }
  if (const auto* lending = d.table(root, "lending", "lending")) {
    std::int64_t min = 0;
    if (d.integer(*lending, "min_experts", "lending.min_experts", 1, 100, min)) {
      c.min_experts = static_cast<int>(min);
    }
  }
  read_followup(d, root, c);
  read_compensation(d, root, c);
  read_reminders(d, root, c);
  read_jobs(d, root, c);
  read_report(d, root, c);
  read_catalogue(d, root, c);
  read_population(d, root, c);
  read_mail(d, root, c);
  read_taxonomy(d, root, c);
  read_county(d, root, c);
  read_goals(d, root, c);
  d.check_unknown();
  return c;
}

Config parse_defaults() {
  Config c;
  for (const auto& file : default_files()) {
    c = overlay(std::move(c), file.content, fs::path("<built-in>") / file.name);
  }
  c.source.clear();
  c.language_chosen = false;  // the built-in default is not a user's choice
  return c;
}

Config load(const std::optional<fs::path>& file) {
  Config c = defaults();
  if (!file) {
    return c;
  }
  std::ifstream in(*file, std::ios::binary);
  std::ostringstream content;
  content << in.rdbuf();
  if (!in && !in.eof()) {
    throw make_error(ExitCode::io, "cannot read configuration file {}", file->string());
  }
  c = overlay(std::move(c), content.str(), *file);
  c.source = *file;
  return c;
}

const Rate* Config::rate_on(std::chrono::year_month_day date) const {
  const Rate* found = nullptr;
  for (const auto& r : rates) {
    if (!(date < r.valid_from)) {
      found = &r;
    }
  }
  return found;
}

const Term* find_term(const std::vector<Term>& terms, std::string_view key) {
  for (const auto& t : terms) {
    if (t.key == key) {
      return &t;
    }
  }
  return nullptr;
}

std::string keys_of(const std::vector<Term>& terms) {
  std::vector<std::string> keys;
  keys.reserve(terms.size());
  for (const auto& t : terms) {
    keys.push_back(t.key);
  }
  return text::join(keys, ", ");
}

}  // namespace lbib::config

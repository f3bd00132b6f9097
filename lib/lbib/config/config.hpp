// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <chrono>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/embedded.hpp"

namespace lbib::config {

/// An entry of a configured vocabulary (a role, area, channel...): a stable key used in the
/// database and on the command line, with Swedish and English labels.
struct Term {
  std::string key;
  std::string sv;
  std::string en;
  bool everyday = false;  // areas only: an ordinary experience people tend to forget

  bool operator==(const Term&) const = default;
};

/// A contact person of the library.
struct ContactPerson {
  std::string name;
  std::string email;

  bool operator==(const ContactPerson&) const = default;
};

/// Mail templates of one language; placeholders as listed in config/lbib.toml.
struct MailTemplates {
  std::string dispatch_subject;
  std::string dispatch_body;
  std::string compensation;
  std::string followup_subject;
  std::string followup_body;
  std::string remind_subject;
  std::string remind_body;
  std::string closing_subject;
  std::string closing_body;
  std::string survey_experts_subject;
  std::string survey_experts_body;
  std::string survey_borrowers_subject;
  std::string survey_borrowers_body;
  std::string questionnaire_subject;  // the experts' own follow-up (issue #15)
  std::string questionnaire_body;
  std::string questionnaire_reminder_subject;
  std::string questionnaire_reminder_body;
  std::string conditions_subject;  // mail to the borrower (issue #15)
  std::string conditions_body;
  std::string borrower_feedback_subject;
  std::string borrower_feedback_body;
  std::string borrower_summary_subject;
  std::string borrower_summary_body;
  std::string borrower_survey_subject;
  std::string borrower_survey_body;

  bool operator==(const MailTemplates&) const = default;
};

/// A question of the follow-up meeting; `summary` answers go into the mail to the experts.
struct Question {
  std::string key;
  std::string sv;
  std::string en;
  bool summary = true;

  bool operator==(const Question&) const = default;
};

/// Compensation rates of the regional guideline from `valid_from` on, in whole kronor.
struct Rate {
  std::chrono::year_month_day valid_from;
  int hour = 0;
  int half_day = 0;
  int full_day = 0;

  bool operator==(const Rate&) const = default;
};

/// A phase of the library's life (Table 1 groups requests by them), inclusive dates.
struct Phase {
  std::string key;
  std::string sv;
  std::string en;
  std::chrono::year_month_day from;
  std::chrono::year_month_day to;

  bool operator==(const Phase&) const = default;
};

/// An age band [from, to] and, when known, its share of the population.
struct AgeBand {
  int from = 0;
  int to = 0;
  std::optional<double> share;

  bool operator==(const AgeBand&) const = default;
};

/// A municipality's share of the population.
struct MunicipalityShare {
  std::string name;
  double share = 0;

  bool operator==(const MunicipalityShare&) const = default;
};

/// The population the register's composition is compared with.
struct Population {
  std::vector<AgeBand> age_bands;
  std::optional<double> born_abroad;
  std::optional<double> care_professional;
  std::optional<double> retired;
  std::vector<MunicipalityShare> municipalities;

  bool operator==(const Population&) const = default;
};

/// The record of processing (GDPR article 30) as far as the configuration gives it.
struct Gdpr {
  std::string controller;
  std::string contact;
  std::string dpo;
  std::string legal_basis;
  std::vector<std::string> purposes;
  std::vector<std::string> recipients;
  std::string legal_basis_special;           // article 9(2) for the experiences
  std::vector<std::string> third_countries;  // transfers outside the EU/EEA, with safeguards
  std::string backups;                       // where backups are kept and how they are protected

  bool operator==(const Gdpr&) const = default;
};

/// How long each kind of personal data is kept (`lbib gdpr purge` carries it out).
struct Retention {
  int erase_left_after_months = 24;    // an expert who left
  int reconfirm_consent_years = 3;     // consent older than this is re-confirmed, or paused
  int erase_paused_after_months = 24;  // an expert paused (or unconfirmed) this long
  int erase_borrower_contact_after_months = 24;  // after the borrower's last request ended
  int clear_request_notes_after_months = 36;     // a request's free text after it ended
  int audit_years = 5;                           // audit entries
  int subject_requests_years = 3;                // answered data-subject requests
  int payments_years = 7;                        // settled payments (the bookkeeping act)
  int warn_days = 30;  // `lbib remind` shows an erasure this many days before it is due
  /// A person recruited for one assignment who did not join the library: erased this many
  /// days after the request closed.
  int erase_assignment_recruits_after_days = 90;

  bool operator==(const Retention&) const = default;
};

/// After how many days `lbib remind` lists each kind of item.
struct ReminderDays {
  int pre_meeting = 7;
  int dispatch = 2;
  int detail = 21;
  int reply = 7;
  int followup_booking = 7;
  int summary = 7;
  int feedback = 30;
  int payment = 30;
  int volunteers = 3;          // days before the reply-by date, fewer than wanted said yes
  int questionnaire = 14;      // an expert's questionnaire unanswered: reminded once
  int borrower_feedback = 21;  // after the follow-up meeting: the borrower reminded by mail

  bool operator==(const ReminderDays&) const = default;
};

/// The public catalogue page's links (lbib catalogue).
struct Catalogue {
  /// Where "Kontakta oss" leads: an https:// page or a mailto: address; empty means a mailto:
  /// link to library.email.
  std::string contact_url;
  /// The website's accessibility statement (required of public bodies by the Swedish law on
  /// accessible digital public services); empty leaves the link out.
  std::string accessibility_statement_url;

  bool operator==(const Catalogue&) const = default;
};

/// The scheduled jobs, as `lbib doctor` checks them (docs/deploy.md).
struct Jobs {
  std::optional<std::filesystem::path> backup_dir;  // where scripts/backup.sh writes
  int backup_max_age_days = 2;                      // an older newest backup is a problem
  int remind_max_age_days = 2;                      // reminders not run for longer: a problem

  bool operator==(const Jobs&) const = default;
};

/// The county the library serves: its municipalities, which borrowers are placed in
/// (`borrower add --municipality`) and `lbib report borrowers` counts as reached.
struct County {
  std::string name;
  std::vector<std::string> municipalities;

  bool operator==(const County&) const = default;
};

/// The indicators a goal may measure (`lbib report goals` computes each).
inline constexpr std::array<std::string_view, 7> goal_indicators{"experts",
                                                                 "borrowers",
                                                                 "requests",
                                                                 "loans",
                                                                 "municipalities_reached",
                                                                 "finished_followups_share",
                                                                 "everyday_experience_share"};

/// A goal of the library: an indicator reaching at least `target` by the day `by` (a share's
/// target is a fraction, 0.8 = 80 %), with the words the goal was set in.
struct Goal {
  std::string indicator;
  double target = 0;
  std::chrono::year_month_day by;
  std::string sv;
  std::string en;

  bool operator==(const Goal&) const = default;
};

/// The library's settings, after the built-in defaults were overlaid with the user's file.
struct Config {
  std::string library_name;
  std::string library_email;
  std::string language;
  /// True when a user's file set library.language (it then also decides the language of
  /// lbib's messages; otherwise the environment's LANG does).
  bool language_chosen = false;
  std::vector<ContactPerson> contact_persons;
  std::optional<std::filesystem::path> database_path;
  std::chrono::milliseconds busy_timeout{5000};
  bool shared_group = false;  // register readable by the file's group (0660), never by others
  std::string consent_text_version;
  std::map<std::string, std::string> consent_texts;  // by purpose
  Retention retention;
  Gdpr gdpr;
  int min_experts = 2;
  std::size_t bcc_batch_size = 40;
  /// Adds the library's address to the Reply-To of mail that asks recipients to answer someone
  /// else (the dispatch: the borrower), so the library receives a copy of each reply.
  bool reply_copy_to_library = false;
  /// The largest message `lbib inbox` reads; larger ones are skipped unread.
  std::uintmax_t inbox_max_message_bytes = 10 * 1024 * 1024;
  std::map<std::string, MailTemplates> mail;  // by language: "sv", "en"
  std::vector<Question> followup_questions;
  std::vector<Question> expert_questions;    // the experts' own questionnaire after a loan
  std::vector<Question> borrower_questions;  // the borrower's survey after a finished loan
  std::string currency;
  std::vector<Rate> rates;  // by valid_from, oldest first
  ReminderDays reminders;
  Jobs jobs;
  std::vector<Phase> phases;
  /// How many months after an outreach activity `report recruitment` and `report borrowers`
  /// count what followed it (recruits, requests).
  int outreach_follow_months = 3;
  Population population;
  Catalogue catalogue;
  std::vector<Term> roles;
  std::vector<Term> areas;
  std::vector<Term> channels;
  std::vector<Term> forms;
  std::vector<Term> sectors;  // of borrowers: region, municipality, social services, ...
  County county;
  std::vector<Goal> goals;  // by date, as configured

  /// The mail templates in the configured language.
  const MailTemplates& templates() const { return mail.at(language); }

  /// The label of `term` (or question) in the configured language.
  template <typename T>
  const auto& label(const T& term) const {
    return language == "en" ? term.en : term.sv;
  }

  /// The rate valid on `date`, or nullptr when none was yet.
  const Rate* rate_on(std::chrono::year_month_day date) const;

  /// The file the settings were read from, or empty for the built-in defaults only.
  std::filesystem::path source;

  /// Every setting compared: the generated defaults are checked against the parsed file.
  bool operator==(const Config&) const = default;
};

/// Reads an environment variable; injectable so tests need not touch the real environment.
/// The most contact persons a configuration may name: all of them are in the To header of one
/// reminder mail, which must stay within what mail servers accept (Postfix: 100 kB a header).
inline constexpr std::size_t max_contact_persons = 100;

using Getenv = std::function<std::optional<std::string>(const char* name)>;

/// The process environment.
Getenv process_environment();

/// Finds the configuration file: `explicit_path`, $LBIB_CONFIG, $XDG_CONFIG_HOME (or
/// ~/.config)/lbib/config.toml, /etc/lbib/config.toml. Nullopt means built-in defaults only.
/// A file named explicitly or by $LBIB_CONFIG must exist (Error no_input otherwise).
std::optional<std::filesystem::path> find_file(
    const std::optional<std::filesystem::path>& explicit_path, const Getenv& getenv);

/// The built-in defaults: config/lbib.toml as data. Defined in the source that
/// lib/lbib/config/generate_defaults.cpp writes at build time from what parse_defaults() reads,
/// so no command parses the file at run time (tests/unit/test_config.cpp checks the two agree).
Config defaults();

/// The built-in defaults read from the embedded config/lbib.toml at run time, as the generator
/// and the test that checks it do.
Config parse_defaults();

/// Overlays the TOML text `toml` (named `source` in messages) onto `base`. Throws
/// Error(config) naming the file, line and column of the first problem.
Config overlay(Config base, std::string_view toml, const std::filesystem::path& source);

/// The defaults overlaid with `file` when given.
Config load(const std::optional<std::filesystem::path>& file);

/// The term with `key` in `terms`, or nullptr.
const Term* find_term(const std::vector<Term>& terms, std::string_view key);

/// The keys of `terms` joined by ", " (for messages listing what is accepted).
std::string keys_of(const std::vector<Term>& terms);

/// The embedded default configuration file(s); defined in the generated embedded_config.cpp.
std::span<const EmbeddedFile> default_files();

}  // namespace lbib::config

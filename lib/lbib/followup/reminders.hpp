// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/message.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

namespace lbib::followup {

/// Something the contact persons should do. It names a request, its borrower, dates and at
/// most an expert's id: never a person's name or experiences.
struct Reminder {
  std::int64_t request = 0;  // 0: a data-protection item (retention, data-subject requests)
  std::string borrower;
  std::string kind;   // pre-meeting, dispatch, dispatch-reply-by, no-match, detail, hold, reply,
                      // loan, followup-booking, followup-overdue, summary, summary-told, feedback,
                      // borrower-feedback, questionnaire, payment, gdpr-erase, gdpr-reconfirm,
                      // gdpr-subject-request
  text::Date since;   // the date the item counts from
  text::Date due_on;  // the day it is due: since and its configured delay (reminders.*)
  std::string step;   // the next step in a few words, in the configured language
  std::optional<std::int64_t> expert;  // payments only
  std::string text;     // one sentence in the configured language, with the command to run
  std::string command;  // the command it suggests, complete: it runs as printed
};

/// Every item of the lending cycle that is due on or before `through` (`today`, a day to come,
/// or the last day there is for all that will ever be due as the register stands), by request
/// and in the order of the cycle; without data protection. The one place the due rules live:
/// `due` and `lbib today` both read it. Suggested dates count from `today`.
std::vector<Reminder> coming(db::Database& db, const config::Config& config, text::Date today,
                             text::Date through);

/// What is due on `today`, by request and then in the order of the lending cycle. Each kind
/// appears once its configured number of days (reminders.*) has passed.
std::vector<Reminder> due(db::Database& db, const config::Config& config, text::Date today);

/// `lbib today`: what needs the contact persons now, from the same items as `due`. Sections:
/// overdue (what `lbib remind` prints for the lending cycle), coming (what falls due in the next
/// 14 days, and the loans and follow-up meetings on those days), requests (every open request
/// with its state and next step) and data_protection (consents, erasures and data-subject
/// requests due now or within 14 days). Every section is empty when there is nothing to do.
output::Record day(db::Database& db, const config::Config& config, text::Date today);

/// The digest for a terminal or cron: grouped by request; empty when nothing is due.
std::string digest(const std::vector<Reminder>& items, const config::Config& config);

/// Rows for `lbib remind --format json|csv|md`.
output::Table reminders_table(const std::vector<Reminder>& items);

/// The digest as a mail to the contact persons (library.contact_persons).
mail::Message reminder_mail(const std::vector<Reminder>& items, const config::Config& config,
                            text::Date today, std::time_t now);

}  // namespace lbib::followup

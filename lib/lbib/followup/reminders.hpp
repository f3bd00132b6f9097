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
  std::string kind;  // pre-meeting, detail, hold, reply, followup-booking, followup-overdue,
                     // summary, feedback, payment, gdpr-erase, gdpr-reconfirm, gdpr-subject-request
  text::Date since;  // the date the item counts from
  std::optional<std::int64_t> expert;  // payments only
  std::string text;  // one sentence in the configured language, with the command to run
};

/// What is due on `today`, by request and then in the order of the lending cycle. Each kind
/// appears once its configured number of days (reminders.*) has passed.
std::vector<Reminder> due(db::Database& db, const config::Config& config, text::Date today);

/// The digest for a terminal or cron: grouped by request; empty when nothing is due.
std::string digest(const std::vector<Reminder>& items, const config::Config& config);

/// Rows for `lbib remind --format json|csv|md`.
output::Table reminders_table(const std::vector<Reminder>& items);

/// The digest as a mail to the contact persons (library.contact_persons).
mail::Message reminder_mail(const std::vector<Reminder>& items, const config::Config& config,
                            text::Date today, std::time_t now);

}  // namespace lbib::followup

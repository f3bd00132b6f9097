// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <functional>
#include <iosfwd>
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
/// `lbib today` shows the commands, not the sentences: it asks for Reminder::text left empty.
enum class Sentence { written, left_out };
std::vector<Reminder> coming(db::Database& db, const config::Config& config, text::Date today,
                             text::Date through, Sentence sentence = Sentence::written);

/// What is due on `today`, by request and then in the order of the lending cycle. Each kind
/// appears once its configured number of days (reminders.*) has passed.
std::vector<Reminder> due(db::Database& db, const config::Config& config, text::Date today);

/// The items of `due`, in its order, each given to `visit` as it comes: the lending cycle's
/// (a few per open request, sorted by request first), then data protection as each row is read,
/// so a register with 70,000 consents to re-confirm is never held whole (`lbib remind --all`).
void each_due(db::Database& db, const config::Config& config, text::Date today,
              const std::function<void(const Reminder&)>& visit);

/// How many items of one kind fall due in one month.
struct DueCount {
  std::string kind;   // Reminder::kind
  std::string month;  // YYYY-MM of the items' due_on
  std::int64_t count = 0;
};

/// What `lbib remind` shows without --all: the count of every kind by month due, and the items
/// of each kind that has at most `list_limit` items, in full. Memory stays within the kinds,
/// their months and `list_limit` items of each kind, however large the register.
struct DueSummary {
  std::vector<DueCount> counts;  // by kind (the lending cycle's order, then data protection), month
  std::vector<Reminder> listed;  // the items of the kinds not over the limit, in `due`'s order
  std::int64_t total = 0;        // every item due
  std::int64_t unlisted = 0;     // of them, those only counted
  std::size_t limit = 0;         // the most items of one kind listed
};

/// How many items of one kind `lbib remind` lists in full before it only counts them.
inline constexpr std::size_t remind_list_limit = 25;

/// Counts what is due on `today` by kind and month, keeping the items of the kinds with at most
/// `list_limit` items (one streaming pass over `each_due`).
DueSummary summarise(db::Database& db, const config::Config& config, text::Date today,
                     std::size_t list_limit = remind_list_limit);

/// Rows for `lbib remind --format ...`: kind (a Term: its key for programs, the next step in the
/// configured language for people), month and count.
output::Table summary_table(const DueSummary& summary, const config::Config& config);

/// The digest of a summary, for a person or the contact persons' mail: the items listed, grouped
/// by request, then one line per kind and month of those only counted, and how to list them.
std::string digest(const DueSummary& summary, const config::Config& config);

/// `lbib today`: what needs the contact persons now, from the same items as `due`, given as it
/// is read, for an output::RecordWriter: `section` gets each section's name and header (its
/// columns, no rows), then `row` each of its rows, section after section. Sections: overdue
/// (what `lbib remind` prints for the lending cycle), coming (what falls due in the next 14
/// days, and the loans and follow-up meetings on those days), requests (every open request
/// with its state and next step) and data_protection (consents, erasures and data-subject
/// requests due now or within 14 days). Every section is empty when there is nothing to do.
/// A data-protection kind with more than remind_list_limit items is not listed but counted by
/// month, in a fifth section, data_protection_counted, given only then; the return value says
/// whether it was (see counted_note). The overdue items and the open requests are given as
/// they are read, never gathered in a table: memory stays within the open requests' next steps
/// and the limit, however many consents fall due.
bool each_day_row(db::Database& db, const config::Config& config, text::Date today,
                  const std::function<void(std::string, output::Table)>& section,
                  const std::function<void(std::vector<output::Value>)>& row);

/// For people, under `lbib today`'s sections when a data_protection_counted section was given
/// (the kinds with more than remind_list_limit items, counted by month, not listed): which
/// command lists every item.
std::string counted_note(const config::Config& config, text::Date today);

/// The digest for a terminal or cron: grouped by request; empty when nothing is due.
std::string digest(const std::vector<Reminder>& items, const config::Config& config);

/// Writes the digest one item at a time, as `digest` writes it (`lbib remind --all`).
class DigestWriter {
 public:
  DigestWriter(std::ostream& out, const config::Config& config) : m_out(out), m_config(config) {}
  /// Writes `r`, under its request's heading when it is the first of that request.
  void add(const Reminder& r);

 private:
  std::ostream& m_out;
  const config::Config& m_config;
  std::optional<std::int64_t> m_current;
};

/// The columns of `lbib remind --all --format json|csv|md|table`, without rows.
output::Table reminders_header();

/// One row of reminders_header()'s table.
std::vector<output::Value> reminder_row(const Reminder& r);

/// Rows for `lbib remind --all --format json|csv|md`, all at once.
output::Table reminders_table(const std::vector<Reminder>& items);

/// The digest `items` (the text of `digest`) as a mail to the contact persons
/// (library.contact_persons), with `count` items due in all.
mail::Message reminder_mail(const std::string& items, std::int64_t count,
                            const config::Config& config, text::Date today, std::time_t now);

/// The digest of `items` as a mail to the contact persons.
mail::Message reminder_mail(const std::vector<Reminder>& items, const config::Config& config,
                            text::Date today, std::time_t now);

}  // namespace lbib::followup

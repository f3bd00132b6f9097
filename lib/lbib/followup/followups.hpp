// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mailing/mailing.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// The follow-up of a loan (uppföljningsprocessen): the meeting with the borrower, the summary
/// mailed to the experts who took part, and the borrower's own feedback to them.
namespace lbib::followup {

/// Whether compensation was settled, as the borrower said at the follow-up meeting.
enum class Compensation { paid, arranged, not_arranged, not_applicable };

std::string_view to_string(Compensation c);
Compensation parse_compensation(std::string_view field, std::string_view s);

/// The satisfaction scale's labels, 1 (mycket missnöjd) to 5 (mycket nöjd).
std::string satisfaction_label(int value, std::string_view language);

/// What the follow-up meeting gave.
struct Answers {
  text::Date held_on;
  std::vector<std::pair<std::string, std::string>> answers;  // question key, answer
  int satisfaction = 0;                                      // 1..5
  experts::Answer new_insights = experts::Answer::unknown;
  Compensation compensation = Compensation::not_arranged;
  std::optional<std::string> quotes;
};

/// A follow-up as stored.
struct Followup {
  std::int64_t request_id = 0;
  std::optional<text::Date> booked_for;
  std::optional<Answers> held;  // set once the answers were recorded
  std::optional<text::Date> summary_sent_on;
  std::optional<text::Date> feedback_confirmed_on;
};

/// Books the follow-up meeting for `date` (again, to move it). The loan must be carried out
/// and not yet followed up; the date cannot be before the loan.
void book(db::WriteTransaction& tx, std::int64_t request_id, text::Date date,
          const audit::Actor& actor);

/// The rules of the meeting's answers, when recorded and when corrected: not before the loan
/// (`loan_on`) nor in the future (`today`), satisfaction 1-5, one non-empty answer to every
/// configured question and none to another. Throws Error(data) naming what is wrong.
void check_answers(const config::Config& config, text::Date loan_on, const Answers& answers,
                   text::Date today);

/// Records the meeting's answers; every configured question needs one. The request moves to
/// followed-up.
void record(db::WriteTransaction& tx, const config::Config& config, std::int64_t request_id,
            const Answers& answers, const audit::Actor& actor);

/// The outbox kind of follow-up summaries.
inline constexpr std::string_view summary_kind = "followup-summary";

/// The summary of the follow-up meeting mailed by BCC to the experts who took part in the loan,
/// have not had it yet, and may be written to (`mailable_expert`). It carries only the answers to
/// questions marked `summary`, and goes after the follow-up meeting is recorded, never dated
/// before it. Recording it for a recipient erased or without mailing consent by then is refused
/// (returned in `refused`) and nothing is recorded for them; the follow-up finishes when the
/// borrower's feedback is confirmed too.
class Summary final : public mailing::Mailing {
 public:
  explicit Summary(std::int64_t request) : request_(request) {}
  [[nodiscard]] std::string_view kind() const override { return summary_kind; }
  [[nodiscard]] std::int64_t request() const override { return request_; }
  void check(db::Database& db, text::Date on) const override;
  [[nodiscard]] mailing::Draft draft(db::Database& db, const config::Config& config,
                                     text::Date today) const override;
  mailing::Recorded record(db::WriteTransaction& tx, const mail::Manifest& sent, text::Date on,
                           const audit::Actor& actor) const override;
  [[nodiscard]] std::string recorded_text(const mailing::Recorded& r,
                                          std::string_view language) const override;

 private:
  std::int64_t request_;
};

/// The text of the summary's answers as mailed (questions marked `summary`), for checking
/// whom it mentions before it goes out.
std::string summary_text(db::Database& db, const config::Config& config, std::int64_t request_id);

/// Records that the summary of request `id` was given without mail on `date` (`lbib followup
/// summary told`): by telephone or letter, or to nobody, because none of those who took part
/// and have not had it may be mailed (no e-mail address, or no mailing consent). Refused while
/// someone may still be mailed it (then the summary is mailed), before the follow-up meeting,
/// in the future, or once a summary is recorded. The follow-up shows the day (summary_sent_on)
/// with no recipients; a request whose feedback is confirmed finishes.
void record_summary_told(db::WriteTransaction& tx, std::int64_t id, text::Date date,
                         text::Date today, const audit::Actor& actor);

/// Records that the borrower confirmed it gave its own feedback to the experts.
void confirm_feedback(db::WriteTransaction& tx, std::int64_t request_id, text::Date date,
                      const audit::Actor& actor);

/// The follow-up of a request, if any was booked or held.
std::optional<Followup> find(db::Database& db, std::int64_t request_id);

/// The follow-up as a section of `lbib request show`.
output::Table followup_table(const std::optional<Followup>& f, const config::Config& config);

/// Per expert: the requests they were invited to, took part in, and whether they got
/// feedback on each (for `lbib expert show`).
output::Table expert_history(db::Database& db, std::int64_t expert_id);

}  // namespace lbib::followup

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mailing/mailing.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// The other side of a loan (issue #15): the experts' own questionnaire after a loan, by
/// individual mail, answered per question and reminded once; and the mail to the borrower (the
/// conditions in writing, the reminder of its feedback duty, the summary and its survey).
namespace lbib::followup {

/// The outbox kinds (and Message-ID tags) of the questionnaire and of its one reminder.
inline constexpr std::string_view questionnaire_kind = "questionnaire";
inline constexpr std::string_view questionnaire_reminder_kind = "questionnaire-reminder";

/// The questionnaire, or its reminder.
enum class Round { first, reminder };

/// The experts' questionnaire (followup.expert_questions), one message To each expert who took
/// part in the loan and may be written to (`mailable_expert`), never with anyone else. The
/// first round goes to those who have not had it; the reminder, once, to those who had it
/// `reminders.questionnaire_days` ago or longer, answered nothing and were not reminded.
class Questionnaire final : public mailing::Mailing {
 public:
  Questionnaire(std::int64_t request, Round round) : request_(request), round_(round) {}
  [[nodiscard]] std::string_view kind() const override {
    return round_ == Round::first ? questionnaire_kind : questionnaire_reminder_kind;
  }
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
  Round round_;
};

/// An expert's answers to the questionnaire: question key, answer.
using QuestionAnswers = std::vector<std::pair<std::string, std::string>>;

/// The rules of answers to a list of configured questions: at least one answer, each to a
/// configured question (named by key), once, in text within limits; `on` neither before
/// `not_before` nor after `today`. Throws Error(data) naming what is wrong.
void check_question_answers(const std::vector<config::Question>& questions,
                            std::string_view setting, const QuestionAnswers& answers, text::Date on,
                            text::Date not_before, text::Date today);

/// Records expert `expert_id`'s answers to the questionnaire of `request_id`, given on `on`.
/// The expert must have taken part in the loan and not be erased; a question already answered
/// is refused (each answer is recorded once).
void record_expert_answers(db::WriteTransaction& tx, const config::Config& config,
                           std::int64_t request_id, std::int64_t expert_id,
                           const QuestionAnswers& answers, text::Date on, text::Date today,
                           const audit::Actor& actor);

/// Whether expert `expert_id` answered the questionnaire of `request_id`: a reply by mail read
/// by `lbib inbox`, or answers recorded.
bool questionnaire_answered(db::Database& db, std::int64_t request_id, std::int64_t expert_id);

/// Records that expert `expert_id` replied by mail on `on` to the questionnaire of `request_id`
/// (read by `lbib inbox`; nothing of the reply is kept but the day), and `answers`, the yes/no
/// answers read from its numbered lines (possibly none), as record_expert_answers does.
/// Refused when the questionnaire was not sent to the expert, was sent after `on`, or is
/// answered already.
void record_questionnaire_reply(db::WriteTransaction& tx, const config::Config& config,
                                std::int64_t request_id, std::int64_t expert_id,
                                const QuestionAnswers& answers, text::Date on, text::Date today,
                                const audit::Actor& actor);

/// An expert's questionnaires (for `lbib expert show`): per request, the loan's day, when it
/// was sent and reminded, and when and how it was answered ("mail": a reply read by `lbib
/// inbox`; "command": answers recorded with `lbib followup expert`), the earlier if both.
output::Table expert_questionnaires(db::Database& db, std::int64_t expert_id);

/// The experts' questionnaires of a request: per expert who took part, when it was sent,
/// reminded, replied to by mail, answered, and each answer (for `lbib followup expert REQ`
/// without --expert).
output::Table questionnaire_table(db::Database& db, const config::Config& config,
                                  std::int64_t request_id);

/// The mail to a borrower about its request, each kind once.
enum class BorrowerMailKind { conditions, feedback_reminder, summary, survey };

/// Its stored key ("conditions", "feedback-reminder", "summary", "survey").
std::string_view to_string(BorrowerMailKind k);
BorrowerMailKind parse_borrower_mail_kind(std::string_view field, std::string_view s);

/// A mail to the borrower's contact person, To them alone: the conditions in writing with the
/// request as recorded (after the pre-meeting), the reminder of its own feedback duty (once the
/// follow-up meeting was held `reminders.borrower_feedback_days` ago and the feedback is not
/// confirmed), the summary of the follow-up meeting, and the survey (once the loan finished).
/// Each kind goes once; a borrower whose contact person was erased is not mailed.
class BorrowerMail final : public mailing::Mailing {
 public:
  BorrowerMail(std::int64_t request, BorrowerMailKind kind);
  [[nodiscard]] std::string_view kind() const override { return kind_name_; }
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
  BorrowerMailKind kind_;
  std::string kind_name_;  // "borrower-conditions", ...
};

/// Records the borrower's answers to its survey (followup.borrower_questions), given on `on`;
/// the loan must have been carried out; a question already answered is refused.
void record_borrower_survey(db::WriteTransaction& tx, const config::Config& config,
                            std::int64_t request_id, const QuestionAnswers& answers, text::Date on,
                            text::Date today, const audit::Actor& actor);

}  // namespace lbib::followup

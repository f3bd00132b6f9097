// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mailing/mailing.hpp"
#include "lbib/text/date.hpp"

namespace lbib::lending {

/// The outbox kind of dispatch messages.
inline constexpr std::string_view dispatch_kind = "dispatch";

/// Who to send to: the experts named by id, or else every matching expert not yet sent this
/// request (the first `limit` of them in match order, when given).
struct Recipients {
  std::vector<std::int64_t> experts;
  std::optional<std::size_t> limit;
};

/// The request mailed by BCC to experts (the report's "förfrågan till erfarna"), with the
/// borrower as Reply-To so that experts answer the borrower directly. Composing refuses a
/// request in the wrong state, one missing what the mail needs (listing it), a day before the
/// pre-meeting, experts without mailing consent, and experts who already received the request:
/// a re-run after a partial failure never sends twice to anyone. Composing also refuses a
/// request whose reply-by date has passed (the mail would ask for replies by a day gone), unless
/// `past_reply_by`; recording does not ask again, so a message composed on the last day and sent
/// after midnight is still recorded. Recording makes the experts in the message invited, and the
/// request dispatched.
class Dispatch final : public mailing::Mailing {
 public:
  explicit Dispatch(std::int64_t request, Recipients recipients = {}, bool past_reply_by = false)
      : request_(request), recipients_(std::move(recipients)), past_reply_by_(past_reply_by) {}
  [[nodiscard]] std::string_view kind() const override { return dispatch_kind; }
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
  Recipients recipients_;
  bool past_reply_by_ = false;
};

/// Records that the contact person telephoned `experts` about `request` on `on` (a call is
/// recorded like a mail, issue #14): each must be active, with mailing consent, match the
/// request and not have received it; the date follows the dispatch's rules and is not in the
/// future. Each call is a dispatch with the channel 'phone' (or 'letter' for an expert without
/// a telephone, written to at their postal address) and its invitation; the request
/// becomes dispatched as with a mail. Returns how many were recorded.
std::size_t record_calls(db::WriteTransaction& tx, std::int64_t request,
                         const std::vector<std::int64_t>& experts, text::Date on,
                         const audit::Actor& actor);

/// How an invited expert answered a request (issue #15).
enum class AnswerChannel { mail, phone, borrower };

/// Parses 'mail', 'phone' or 'borrower' (errors name `field` and what is accepted).
AnswerChannel parse_answer_channel(std::string_view field, std::string_view value);

/// An invited expert's answer: interested, declined, or answered in words a person must read
/// (a mail reply whose first words said neither, recorded by `lbib inbox`).
enum class Answer { yes, no, unclear };

/// The stored key of `answer`: "yes", "no" or "unclear".
std::string_view to_string(Answer answer);

/// Records that invited expert `expert` answered `request` on `on`, through `channel`. Refused
/// for an expert not invited to the request, a day in the future or before the invitation. A new
/// answer replaces an earlier one (a change of mind). Audited (fields, never values).
void record_answer(db::WriteTransaction& tx, std::int64_t request, std::int64_t expert,
                   Answer answer, text::Date on, AnswerChannel channel, const audit::Actor& actor);

/// An answer as recorded.
struct RecordedAnswer {
  Answer answer = Answer::unclear;
  text::Date answered_on;
  AnswerChannel channel = AnswerChannel::mail;
};

/// The answer recorded for `expert` to `request`, if any.
std::optional<RecordedAnswer> find_answer(db::Database& db, std::int64_t request,
                                          std::int64_t expert);

/// The day `expert` was first invited to `request`, if they were.
std::optional<text::Date> invited_on(db::Database& db, std::int64_t request, std::int64_t expert);

/// A request's answers: wanted, said yes, declined, answered in words to read, not answered
/// (of those invited).
struct AnswerCounts {
  int wanted = 0;
  int yes = 0;
  int no = 0;
  int unclear = 0;
  int not_answered = 0;
};
AnswerCounts answer_counts(db::Database& db, std::int64_t request);

}  // namespace lbib::lending

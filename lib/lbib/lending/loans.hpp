// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/text/date.hpp"

namespace lbib::lending {

/// An expert who took part in a loan without having been invited to its request, and why
/// the contact person records them anyway (kept in the request's history, not in the audit).
struct Uninvited {
  std::int64_t expert_id = 0;
  std::string reason;
};

/// A loan as carried out.
struct LoanInput {
  text::Date carried_out_on;
  std::optional<text::Date> until;
  std::optional<std::string> form;          // default: the request's form
  std::vector<std::int64_t> experts;        // the library's experts who took part
  std::vector<Uninvited> uninvited;         // participants not invited, each with a reason
  std::vector<std::int64_t> no_shows;       // invited experts who signed up but did not come
  int external_participants = 0;            // people the borrower recruited elsewhere (count only)
  std::optional<std::string> fewer_reason;  // required with fewer than lending.min_experts
  std::optional<std::string> note;          // a comment kept in the request's history
};

/// Records that the loan of request `id` was carried out; the request moves to
/// loan-carried-out. Participants are experts invited to the request; an expert who was not
/// invited is refused unless named in `uninvited` with a reason, which goes into the history.
/// The date may not be in the future (`today`).
void record_loan(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                 const LoanInput& input, text::Date today, const audit::Actor& actor);

/// The line the request's history (and Table 1's comment) keeps for an expert who took part
/// without an invitation, in `language`.
std::string uninvited_note(std::string_view language, std::int64_t expert_id,
                           std::string_view reason);

/// The loan's participants as checked: unique ids in order, and the history's lines for the
/// ones taking part without an invitation.
struct CheckedLoan {
  std::vector<std::int64_t> participants;
  std::vector<std::int64_t> no_shows;  // unique, in order
  std::vector<std::string> history;
};

/// The rules a loan passes, when recorded and when corrected (`lbib loan correct`): no date in
/// the future or before the request was first mailed, a known form, until not before the
/// date, counts in range, at least lending.min_experts or a reason, and participants who were
/// invited, named with a reason in `uninvited`, or in `accepted` (already on the loan);
/// no-shows who are known, invited and not also participants. Throws Error(data) naming the
/// field.
CheckedLoan check_loan(db::Database& db, const config::Config& config, std::int64_t request_id,
                       const LoanInput& input, text::Date today,
                       const std::vector<std::int64_t>& accepted = {});

/// Adds `experts` as participants of the loan of request `id` (invited or not, as recorded).
void add_participants(db::WriteTransaction& tx, std::int64_t id,
                      const std::vector<std::int64_t>& experts);

/// Replaces the no-shows of the loan of request `id` with `experts` (checked by check_loan).
void set_no_shows(db::WriteTransaction& tx, std::int64_t id,
                  const std::vector<std::int64_t>& experts);

/// A participant of a loan.
struct Participant {
  std::int64_t expert_id = 0;
  bool invited = false;
};

/// The loan of a request, if one was recorded.
struct Loan {
  text::Date carried_out_on;
  std::optional<text::Date> until;
  std::optional<std::string> form;
  int external_participants = 0;
  std::optional<std::string> fewer_reason;
  std::vector<Participant> participants;
  std::vector<std::int64_t> no_shows;  // signed up but did not take part, by id
};

std::optional<Loan> find_loan(db::Database& db, std::int64_t request_id);

}  // namespace lbib::lending

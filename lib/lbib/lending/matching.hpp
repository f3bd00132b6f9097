// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lbib/db/database.hpp"
#include "lbib/experts/wishes.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/output/format.hpp"

namespace lbib::lending {

/// An expert who may be sent a request, and why.
struct Candidate {
  std::int64_t expert_id = 0;
  std::string name;
  std::string email;
  bool picked = false;           // the borrower asked for this person
  int fit = 0;                   // how many of the wanted experiences they have
  std::vector<std::string> why;  // the matching experiences, ROLE:AREA
  int invited_last_year = 0;     // invitations in the 12 months before `today`
  int invited_total = 0;
  int took_part_total = 0;
  bool invited_here = false;          // already received this request
  std::optional<std::string> answer;  // their answer to it: yes, no, unclear (issue #15)
};

/// An expert who fits a request but whom their wishes, a cap or a pause leave out.
struct LeftOutExpert {
  std::int64_t expert_id = 0;
  std::string name;
  experts::LeftOut reason = experts::LeftOut::paused;
  std::optional<text::Date> until;  // paused-until: the day they may be asked again
  std::optional<std::string> key;   // the form or area concerned, or the period of a cap
};

/// The result of matching a request against the register.
struct MatchResult {
  std::vector<Candidate> candidates;    // best first
  std::vector<LeftOutExpert> left_out;  // by id
  int wanted = 0;
  std::vector<std::string> shortfall;  // sentences explaining what is missing, if anything
};

/// Active experts with mailing consent whose experiences and the request's constraints fit,
/// plus experts picked by name, less those their wishes leave out (experts::left_out; a paused
/// expert who fits is left out too): these are in `left_out` with the reason. Best fit first; among
/// equal fits, those invited least in the last 12 months come first (fair rotation), then by id.
MatchResult match(db::Database& db, const Request& request, text::Date today);

/// Rows for `lbib match`.
output::Table candidates_table(const MatchResult& result);

/// The columns of `lbib match` without rows, and one candidate's row: for output::RowWriter,
/// which writes each row as it comes, the same bytes as candidates_table would give.
output::Table candidates_header();
std::vector<output::Value> candidate_row(const Candidate& candidate);

/// Rows for `lbib match --left-out`: who was left out and why, in `language`.
output::Table left_out_table(const MatchResult& result, const std::string& language);

}  // namespace lbib::lending

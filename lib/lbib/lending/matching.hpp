// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "lbib/db/database.hpp"
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
  bool invited_here = false;  // already received this request
};

/// The result of matching a request against the register.
struct MatchResult {
  std::vector<Candidate> candidates;  // best first
  int wanted = 0;
  std::vector<std::string> shortfall;  // sentences explaining what is missing, if anything
};

/// Active experts with mailing consent whose experiences and the request's constraints fit,
/// plus experts picked by name. Best fit first; among equal fits, those invited least in
/// the last 12 months come first (fair rotation), then by id.
MatchResult match(db::Database& db, const Request& request, text::Date today);

/// Rows for `lbib match`.
output::Table candidates_table(const MatchResult& result);

}  // namespace lbib::lending

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <string>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/reports/reports.hpp"
#include "lbib/text/date.hpp"

/// The library's governance: who owns it, its mandate, the reports to the steering group and
/// the decisions taken (the final report's lesson: the library closed because no one took over
/// ownership), and the inquiries it turned away, as counts.
namespace lbib::governance {

/// A dated record of governance; the text is about the library, never about an expert.
struct Decision {
  text::Date on;
  std::string kind;  // owner, mandate, report, decision
  std::string text;
};

/// Inquiries turned away on a day: would-be experts or borrowers, why, how many.
struct Inquiry {
  text::Date on;
  std::string kind;    // expert, borrower
  std::string reason;  // closing, capacity, outside-county
  int count = 1;
};

/// Check a decision's kind and text, an inquiry's kind, reason and count; throw Error(data).
/// The commands and `lbib import` both use them.
void validate(const Decision& d);
void validate(const Inquiry& i);

/// Records a decision; returns its id.
std::int64_t add(db::WriteTransaction& tx, const Decision& d, const audit::Actor& actor);

/// Records inquiries turned away; returns the record's id.
std::int64_t add(db::WriteTransaction& tx, const Inquiry& i, const audit::Actor& actor);

/// Decisions in the period, oldest first (`kind` as a Term: key, and words people read).
output::Table decisions(db::Database& db, const config::Config& config,
                        const reports::Period& period);

/// Inquiries turned away in the period, one row per record, oldest first.
output::Table inquiries(db::Database& db, const config::Config& config,
                        const reports::Period& period);

/// Inquiries turned away in the period per year, kind and reason, with the sum.
output::Table inquiries_by_year(db::Database& db, const config::Config& config,
                                const reports::Period& period);

}  // namespace lbib::governance

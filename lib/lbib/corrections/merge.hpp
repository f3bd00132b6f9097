// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>

#include "lbib/audit/audit.hpp"
#include "lbib/db/database.hpp"
#include "lbib/text/date.hpp"

/// Two records of the same person or organisation made one.
namespace lbib::corrections {

/// Merges expert `drop` into expert `keep` (`lbib expert merge KEEP DROP`): every row that
/// names `drop` (every table linked to an expert, derived from the schema as the subject's
/// export and erasure find them) is moved to `keep`; where `keep` already has the same row
/// (an invitation to the same request, the same experience, a consent in force for the same
/// purpose) `keep`'s stays, and of two consents in force the older is ended on the day the
/// newer was given. `keep`'s fields win; those it lacks are taken from `drop`, and notes are
/// joined. The record of `drop` is then deleted (no copy of the person's data is kept), and
/// both ids are audited. Refused for an erased record, and when both took part in the same
/// loan (one person cannot take part twice). The merge is kept in merged_record, so that
/// erasing `keep` puts `drop` in the erasure ledger too.
void merge_experts(db::WriteTransaction& tx, std::int64_t keep, std::int64_t drop, text::Date today,
                   const audit::Actor& actor);

/// Merges borrower `drop` into borrower `keep` (`lbib borrower merge KEEP DROP`): its
/// requests, closing notices and survey answers move to `keep`, `keep`'s fields win, those
/// it lacks (every column, also ones added later) are taken from `drop`, and `drop` is
/// deleted. Refused for a borrower whose contact person was erased.
void merge_borrowers(db::WriteTransaction& tx, std::int64_t keep, std::int64_t drop,
                     text::Date today, const audit::Actor& actor);

}  // namespace lbib::corrections

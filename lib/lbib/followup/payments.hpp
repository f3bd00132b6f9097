// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

namespace lbib::followup {

/// What a rate of the regional guideline is counted in.
enum class Unit { hour, half_day, full_day };

/// Where a payment stands: due, paid, or declined by the expert (some decline compensation,
/// for example because of benefits they receive).
enum class PaymentStatus { due, paid, declined };

Unit parse_unit(std::string_view field, std::string_view s);
PaymentStatus parse_payment_status(std::string_view field, std::string_view s);

/// The amount of a payment: the rate per unit times the quantity, plus travel (whole kronor).
/// `lbib pay` records it; `lbib import` refuses a payment whose amount differs.
std::int64_t payment_amount(std::int64_t rate, std::int64_t quantity, std::int64_t travel);

/// A payment to record for one expert of a loan.
/// What `lbib pay` was told. What is not given keeps what an earlier record of the same
/// payment said (so `--status paid` alone settles it, travel costs and all); for a new
/// payment the unit is required, one unit and no travel costs the defaults.
struct PaymentInput {
  std::int64_t expert_id = 0;
  std::optional<Unit> unit;
  std::optional<int> quantity;
  std::optional<int> travel;         // travel costs, whole kronor
  std::optional<std::string> payer;  // default: the borrower
  PaymentStatus status = PaymentStatus::due;
  /// Due from, or settled on; not given: today for a new payment or one settled now, and the
  /// recorded dates for a correction (a payment re-recorded with the same status, or a settled
  /// one changed).
  std::optional<text::Date> on;
  /// Why a payment already paid or declined is changed: such a change is a correction, kept in
  /// the request's history with this reason, and refused without one.
  std::optional<std::string> correction_reason;
};

/// Records (or updates) compensation for an expert who took part in the loan of `request_id`,
/// at the rate valid on the loan's date. A payment is settled (paid or declined) today or
/// earlier, never in the future. A settled payment changes only as a correction (with
/// `correction_reason`: an event in the request's history naming the fields); recording it
/// again as it is changes nothing.
void record_payment(db::WriteTransaction& tx, const config::Config& config, std::int64_t request_id,
                    const PaymentInput& input, const audit::Actor& actor);

/// Recomputes the payments of request `request_id` at the rate valid on `loan_on` (a loan's
/// corrected date), keeping unit, quantity and travel costs. A payment already paid whose
/// amount would change is refused, naming the expert. Returns whether any payment changed.
bool reprice(db::WriteTransaction& tx, const config::Config& config, std::int64_t request_id,
             text::Date loan_on);

/// Payments for `lbib report payments`: outstanding ones (status due) or all.
output::Table payments_table(db::Database& db, bool outstanding_only);

/// Payments summed per payer, for invoicing (`lbib report payments --by payer`): how many, the
/// whole amount, and how much of it is due and paid; outstanding ones only, or all.
output::Table payments_by_payer(db::Database& db, bool outstanding_only);

/// The compensation claim of expert `expert_id` for the loan of `request_id` (issue #15): a
/// printable A4 page confirming that they took part, with the regional rate, units, travel
/// costs, the amount, the payer, a note on tax and benefits, and lines to sign. The payment
/// must be recorded (`lbib pay`); an erased expert has no claim.
output::Document claim_document(db::Database& db, const config::Config& config,
                                std::int64_t request_id, std::int64_t expert_id, text::Date today);

}  // namespace lbib::followup

// SPDX-License-Identifier: MIT
#pragma once

#include <functional>

#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/lending/requests.hpp"
#include "lbib/output/format.hpp"

namespace lbib::lending {

/// The columns of `lbib request list`, and its rows, each handed to `row` as its request is
/// read (for an `output::RowWriter`).
output::Table requests_header();
void each_request_row(db::Database& db, const RequestFilter& filter,
                      const std::function<void(std::vector<output::Value>)>& row);

/// The record for `lbib request show`: details, history, invitations and the loan.
output::Record request_record(db::Database& db, const Request& request);

/// A request's state and the reason it ended as terms: the stored key for JSON and CSV, the
/// words in the language of the messages for people ("förmöte hållet", "för få deltagare").
output::Term state_term(State s);
output::Term reason_term(Reason r);

/// An invited expert's answer as a term: the key ('yes', 'no', 'unclear') and what people read
/// ("tackat ja", "tackat nej", "svarat, läs svaret").
output::Term answer_term(const std::string& key);

}  // namespace lbib::lending

// SPDX-License-Identifier: MIT
#pragma once

#include "lbib/experts/experts.hpp"
#include "lbib/output/format.hpp"

namespace lbib::experts {

/// The expert list: one row per expert, experiences summarised as ROLE:AREA.
output::Table list_table(const std::vector<Expert>& experts);

/// The expert list's columns, without rows (for an output::RowWriter).
output::Table list_header();

/// One row of the expert list.
std::vector<output::Value> list_row(const Listed& expert);

/// What the expert list shows of `expert`.
Listed listed(const Expert& expert);

/// One expert in full: profile, experiences and consents.
output::Record show_record(const Expert& expert);

/// "ROLE:AREA[:YEAR]:MAGNITUDE", the same form `--experience` takes.
std::string describe(const Experience& x);

}  // namespace lbib::experts

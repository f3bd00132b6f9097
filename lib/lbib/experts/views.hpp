// SPDX-License-Identifier: MIT
#pragma once

#include "lbib/experts/experts.hpp"
#include "lbib/output/format.hpp"

namespace lbib::experts {

/// The expert list: one row per expert, experiences summarised as ROLE:AREA.
output::Table list_table(const std::vector<Expert>& experts);

/// One expert in full: profile, experiences and consents.
output::Record show_record(const Expert& expert);

/// "ROLE:AREA[:YEAR]:MAGNITUDE", the same form `--experience` takes.
std::string describe(const Experience& x);

}  // namespace lbib::experts

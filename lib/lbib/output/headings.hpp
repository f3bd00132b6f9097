// SPDX-License-Identifier: MIT
#pragma once

#include <string>

namespace lbib::output {

/// The heading people read for the column or field `key` (a snake_case name, as JSON and CSV
/// keep it) in the language of the messages: "received_on" reads "inkom" in Swedish.
std::string heading(const std::string& key);

}  // namespace lbib::output

// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace lbib::mail {

/// Named values for a template's {placeholders}.
using Values = std::vector<std::pair<std::string, std::string>>;

/// Fills `templ`'s {name} placeholders from `values` ({{ and }} are literal
/// braces). Throws Error(config) naming `what` when the template is malformed or uses a
/// placeholder that `values` lacks.
std::string fill(std::string_view templ, const Values& values, std::string_view what);

/// The placeholders a dispatch template may use, each with an example value.
const Values& dispatch_placeholders();

/// The placeholders a follow-up summary template may use.
const Values& followup_placeholders();

/// The placeholders a reminder template may use.
const Values& remind_placeholders();

/// The placeholders the closing notice and the final surveys may use.
const Values& closing_placeholders();

}  // namespace lbib::mail

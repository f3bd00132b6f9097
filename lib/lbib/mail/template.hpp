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

/// fill() for a one-line header such as a subject: any line break or other control character
/// a value brings becomes a space, so data can never break the header (or reach render()'s
/// internal-error check).
std::string fill_line(std::string_view templ, const Values& values, std::string_view what);

/// True when placeholder `name` may hold several lines (free text such as {purpose}, lists such
/// as {answers} and {items}).
bool is_multi_line(std::string_view name);

/// Refuses (Error config, naming `what`) a template for a one-line header that uses a
/// placeholder which may hold several lines. The configuration checks every subject with it.
void check_one_line(std::string_view templ, const Values& values, std::string_view what);

/// The placeholders a dispatch template may use, each with an example value.
const Values& dispatch_placeholders();

/// The placeholders a follow-up summary template may use.
const Values& followup_placeholders();

/// The placeholders a reminder template may use.
const Values& remind_placeholders();

/// The placeholders the closing notice and the final surveys may use.
const Values& closing_placeholders();

/// The placeholders the experts' questionnaire and its reminder may use.
const Values& questionnaire_placeholders();

/// The placeholders the mail to a borrower may use (the conditions, the reminder of its
/// feedback duty, the summary and the survey); those a kind does not know are empty.
const Values& borrower_placeholders();

}  // namespace lbib::mail

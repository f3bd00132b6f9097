// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/config/config.hpp"
#include "lbib/experts/experts.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// The recruitment interview (`lbib recruit --interactive`) and the experience map it fills.
///
/// The final report found that people leave out everyday and old experiences ("identitet, tid
/// och magnitud"): a visit to the primary care centre, the pharmacy, coming along to a
/// relative's appointment. So the interview asks about every area of the taxonomy, everyday
/// ones too, and for each when it happened and whether the person sees it as major or
/// everyday.
namespace lbib::experts {

/// The two sides of an interview: the contact person answers what lbib asks.
class Conversation {
 public:
  virtual ~Conversation() = default;
  /// Shows `prompt` and returns the answer line; nullopt when the input has ended.
  virtual std::optional<std::string> ask(std::string_view prompt) = 0;
  /// Shows `text` (headings, consent texts, a summary).
  virtual void say(std::string_view text) = 0;
};

/// The id of a registered expert that a profile looks like (find_duplicate), if any.
using DuplicateCheck = std::function<std::optional<std::int64_t>(const Profile&)>;

/// Walks the interview in the configured language: contact data, the experience map, consents
/// (each shown with its text and version), a summary and a confirmation. Fields already in
/// `given` (from command-line options) are not asked again. An invalid answer is explained and
/// asked again. A person may be reached by e-mail or, without one, by telephone (the rule of
/// check_reachable). When the person to save looks already registered (`duplicate_of`), the
/// interview says as which id before saving and offers to change an answer or to save a second
/// record anyway (allow_duplicate). Throws Error(usage) when the input ends or the person
/// declines to save, and Error(data) when the register consent is refused: nothing is saved.
Recruitment interview(Conversation& conversation, const config::Config& config,
                      const Recruitment& given, const DuplicateCheck& duplicate_of = {});

/// One person's experience map: a row per area of the taxonomy (and any stored area no longer
/// in it), with the roles, the year, how long ago, and whether major or everyday; areas without
/// experience are listed too, so the gaps show.
output::Table experience_map(const Expert& expert, const config::Config& config, text::Date today);

}  // namespace lbib::experts

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// Winding the library down, as Sörmland did in early 2022: stop recruitment and new
/// requests, tell every expert, run the final surveys, keep the anonymous statistics, and
/// erase all personal data with every report intact.
namespace lbib::closing {

/// Begins closing on `on`: recruitment and new requests are refused from then on.
void start(db::WriteTransaction& tx, text::Date on, const audit::Actor& actor);

/// The mailings of the closing phase, and their outbox kinds.
enum class Mailing { notice, survey_experts, survey_borrowers };
Mailing parse_mailing(std::string_view s);
std::string_view kind_of(Mailing m);

/// Composes a closing mailing by BCC: the notice and the experts' survey go to every expert
/// not yet erased, the borrowers' survey to every borrower's contact; each only to those who
/// have not had it. Changes nothing.
std::vector<mail::Outgoing> compose(db::Database& db, const config::Config& config, Mailing m,
                                    std::time_t now);

/// Records a mailing sendmail accepted; false when that message was already recorded.
bool record(db::WriteTransaction& tx, Mailing m, const std::filesystem::path& eml,
            text::Date sent_on, const audit::Actor& actor);

/// Records that an expert or a borrower answered the final survey.
void record_answer(db::WriteTransaction& tx, Mailing survey, std::int64_t respondent, text::Date on,
                   std::optional<std::string> answers, const audit::Actor& actor);

/// Where the closing stands: since when, notices sent, and the surveys' response rates.
output::Table status(db::Database& db);

/// The anonymous statistics to keep: Figure 3, Table 1, follow-up outcomes, recruitment,
/// pool and composition, and the surveys' response rates, as one JSON document.
nlohmann::ordered_json statistics(db::Database& db, const config::Config& config, text::Date today);

/// What erase_everyone did.
struct Erased {
  std::size_t experts = 0;
  std::size_t borrowers = 0;
};

/// The last step: erases every expert, the borrowers' contact persons and the free-text
/// answers to the surveys. Every report stays as it was. The caller commits, then compacts.
Erased erase_everyone(db::WriteTransaction& tx, text::Date on, const audit::Actor& actor);

}  // namespace lbib::closing

// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/mail/outbox.hpp"
#include "lbib/mailing/mailing.hpp"
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

/// A closing mailing by BCC, once the library is closing: the notice and the experts' survey go
/// to every expert who may be written to (`mailable_expert`), the borrowers' survey to every
/// borrower's contact not erased; each only to those who have not had it.
class ClosingMailing final : public mailing::Mailing {
 public:
  explicit ClosingMailing(closing::Mailing m) : mailing_(m) {}
  [[nodiscard]] std::string_view kind() const override { return kind_of(mailing_); }
  [[nodiscard]] std::int64_t request() const override { return 0; }
  void check(db::Database& db, text::Date on) const override;
  [[nodiscard]] mailing::Draft draft(db::Database& db, const config::Config& config,
                                     text::Date today) const override;
  mailing::Recorded record(db::WriteTransaction& tx, const mail::Manifest& sent, text::Date on,
                           const audit::Actor& actor) const override;

 private:
  closing::Mailing mailing_;
};

/// Records that an expert or a borrower answered the final survey.
void record_answer(db::WriteTransaction& tx, Mailing survey, std::int64_t respondent, text::Date on,
                   std::optional<std::string> answers, const audit::Actor& actor);

/// Where the closing stands: since when, notices sent, and the surveys' response rates.
output::Table status(db::Database& db);

/// The anonymous statistics to keep: Figure 3, Table 1, follow-up outcomes, recruitment,
/// pool and composition, and the surveys' response rates, as one JSON document.
nlohmann::ordered_json statistics(db::Database& db, const config::Config& config, text::Date today);

/// Writes statistics() as JSON (dump(2) and a line break), Table 1 as its rows are read: the
/// document is never held whole (a register of ten years has 100,000 requests).
void write_statistics(std::ostream& out, db::Database& db, const config::Config& config,
                      text::Date today);

/// What erase_everyone did.
struct Erased {
  std::size_t experts = 0;
  std::size_t borrowers = 0;
};

/// The last step: erases every expert, the borrowers' contact persons and the free-text
/// answers to the surveys. Every report stays as it was. The caller commits, then compacts.
Erased erase_everyone(db::WriteTransaction& tx, text::Date on, const audit::Actor& actor);

}  // namespace lbib::closing

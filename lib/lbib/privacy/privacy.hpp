// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// Data protection: consent texts, the data subject's access and erasure, retention, requests
/// from data subjects and the record of processing (GDPR articles 5, 12, 15-17, 20, 30).
namespace lbib::privacy {

/// Everything the register holds about expert `id`, for article 15 (access) and 20
/// (portability): contact data, experiences, consents with their texts, invitations, loans,
/// payments, follow-up summaries sent to them, and audit entries about them.
nlohmann::ordered_json export_expert(db::Database& db, const config::Config& config,
                                     std::int64_t id);

/// Erases expert `id` (article 17): personal data, experiences and consents go; an anonymous
/// stub keeps the dates and counts statistics need, so reports do not change. The caller
/// commits and then runs compact().
void erase(db::WriteTransaction& tx, std::int64_t id, text::Date on, const audit::Actor& actor);

/// After an erasure: checkpoints the WAL into the database (TRUNCATE), vacuums, and
/// checkpoints again, so no erased byte stays in the file or its WAL. Returns false when
/// another connection kept the WAL from being emptied (run it again later).
bool compact(db::Database& db);

/// One thing retention makes due (for `lbib remind` and `lbib gdpr purge`).
struct Due {
  std::string kind;  // erase (left long enough ago), reconfirm (consent too old), subject-request
  std::int64_t id = 0;  // expert id, or the subject request's id
  text::Date since;
  std::string text;
};

/// What retention and data-subject requests make due on `today`.
std::vector<Due> due(db::Database& db, const config::Config& config, text::Date today);

/// What purge did.
struct PurgeResult {
  std::vector<std::int64_t> erased;
  std::vector<std::int64_t> paused;  // consent not re-confirmed in time: not matched until it is
};

/// Carries out what retention makes due: erases experts who left more than
/// retention.erase_left_after_months ago, and pauses experts whose consent was not
/// re-confirmed within retention.reconfirm_consent_years.
PurgeResult purge(db::WriteTransaction& tx, const config::Config& config, text::Date today,
                  const audit::Actor& actor);

/// Re-confirms the consents in force of expert `id` on `on` (new records, current text version).
void reconfirm(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
               text::Date on, const audit::Actor& actor);

/// Logs a request from a data subject; due one month after it was received (art. 12(3)).
std::int64_t add_subject_request(db::WriteTransaction& tx, std::optional<std::int64_t> expert,
                                 std::string_view kind, text::Date received,
                                 std::optional<std::string> note, const audit::Actor& actor);

/// Marks a data-subject request as answered.
void close_subject_request(db::WriteTransaction& tx, std::int64_t id, text::Date done,
                           const audit::Actor& actor);

/// The data-subject requests, open ones first.
output::Table subject_requests(db::Database& db);

/// The record of processing activities (article 30), from the configuration.
output::Document processing_record(const config::Config& config);

}  // namespace lbib::privacy

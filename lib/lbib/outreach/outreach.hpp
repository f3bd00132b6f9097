// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/reports/reports.hpp"
#include "lbib/text/date.hpp"

/// Outreach: what the library did to become known and to recruit (presentations, events,
/// mailings, social media, podcasts), read beside recruitment in `lbib report recruitment`.
namespace lbib::outreach {

/// One activity. It describes an audience, never a person.
struct Activity {
  text::Date on;
  std::string kind;  // presentation, event, mailing, social-media, podcast, other
  std::optional<std::string> audience;
  std::optional<std::string> note;
  std::optional<std::string> sector;  // the sector addressed (taxonomy.sectors)
  /// The organisations it addressed ("Flens kommun, IFO"), so what followed can be read.
  std::vector<std::string> targets;
};

/// The words for an activity's kind ("Presentation") in `language`; the key when unknown.
std::string kind_label(const std::string& kind, std::string_view language);

/// Checks a target organisation's name (one line, as an organisation's name); throws
/// Error(data).
void validate_target(const std::string& organisation);

/// Checks an activity's kind and text (the audience one line, the note lines); throws
/// Error(data). `add` and `lbib import` both use it.
void validate(const Activity& a);

/// Checks the sector against taxonomy.sectors; throws Error(data) listing what is accepted.
void validate_sector(const Activity& a, const config::Config& config);

/// Records an activity; returns its id.
std::int64_t add(db::WriteTransaction& tx, const Activity& a, const audit::Actor& actor);

/// Activities in the period, oldest first, with their target organisations.
output::Table list(db::Database& db, const reports::Period& period);

/// What followed one activity in the configured months after it (report.outreach_follow_months):
/// experts recruited (not erased since: an erasure keeps only the year of the interview),
/// requests received from borrowers of its sector (every request when it named none) and from
/// its target organisations, and the loans of those requests.
struct FollowThrough {
  std::int64_t id = 0;
  text::Date on;
  std::string kind;
  std::optional<std::string> sector;
  text::Date until;  // the last day counted
  std::int64_t recruits = 0;
  std::int64_t requests = 0;         // from the sector's borrowers
  std::int64_t target_requests = 0;  // from its target organisations
  std::int64_t borrowers = 0;        // distinct borrowers of `requests`
  std::int64_t loans = 0;            // loans of `requests`
};

/// What followed each activity in the period, oldest first.
std::vector<FollowThrough> follow_through(db::Database& db, const config::Config& config,
                                          const reports::Period& period);

}  // namespace lbib::outreach

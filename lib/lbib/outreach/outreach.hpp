// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <optional>
#include <string>

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
};

/// Checks an activity's kind and text (the audience one line, the note lines); throws
/// Error(data). `add` and `lbib import` both use it.
void validate(const Activity& a);

/// Checks the sector against taxonomy.sectors; throws Error(data) listing what is accepted.
void validate_sector(const Activity& a, const config::Config& config);

/// Records an activity; returns its id.
std::int64_t add(db::WriteTransaction& tx, const Activity& a, const audit::Actor& actor);

/// Activities in the period, oldest first.
output::Table list(db::Database& db, const reports::Period& period);

}  // namespace lbib::outreach

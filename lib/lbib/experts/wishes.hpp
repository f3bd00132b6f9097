// SPDX-License-Identifier: MIT
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"

/// An expert's wishes and availability (the final report's "i vilka sammanhang de ville
/// medverka"): which forms they want or not, digital or in person, areas they would rather not
/// be asked about, at most so many requests a period, and a pause that ends by itself on its
/// date. `lbib match` honours them and says why it leaves someone out.
namespace lbib::experts {

/// Where an expert wants to take part.
enum class Setting { any, digital, in_person };

/// The period a cap on requests counts in: the calendar month, quarter or year.
enum class Period { month, quarter, year };

std::string_view to_string(Setting s);
std::string_view to_string(Period p);
Setting parse_setting(std::string_view field, std::string_view s);
Period parse_period(std::string_view field, std::string_view s);

/// One expert's wishes; the default wishes nothing and leaves no one out.
struct Wishes {
  std::vector<std::string> forms_wanted;    // when not empty: only these forms
  std::vector<std::string> forms_unwanted;  // never these forms
  std::vector<std::string> areas_avoided;   // not asked about requests wanting these areas
  Setting setting = Setting::any;
  std::optional<int> max_requests;         // at most this many requests ...
  Period per = Period::year;               // ... per calendar period
  std::optional<text::Date> paused_until;  // not asked before this day

  bool empty() const;
};

/// Changes to wishes: a given list replaces the stored one (an empty list clears it).
struct WishChanges {
  std::optional<std::vector<std::string>> forms_wanted, forms_unwanted, areas_avoided;
  std::optional<Setting> setting;
  std::optional<std::optional<int>> max_requests;  // nullopt inside: no cap
  std::optional<Period> per;
  std::optional<std::optional<text::Date>> paused_until;

  bool empty() const;
};

/// Checks keys against the taxonomy (forms, areas), the cap (1 to 1000) and that no form is
/// both wanted and unwanted; throws Error(data) naming the field.
void validate(const Wishes& wishes, const config::Config& config);

/// The wishes of expert `id` (the default when none are recorded).
Wishes get_wishes(db::Database& db, std::int64_t id);

/// The wishes of every expert who has any, by id (matching reads them once).
std::map<std::int64_t, Wishes> all_wishes(db::Database& db);

/// Validates and stores `wishes` for the new expert `id` (at recruitment).
void record_wishes(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                   const Wishes& wishes);

/// Applies `changes` to the wishes of expert `id` (not erased, not left) and audits the fields
/// changed.
void set_wishes(db::WriteTransaction& tx, const config::Config& config, std::int64_t id,
                const WishChanges& changes, const audit::Actor& actor);

/// Why matching leaves an expert out.
enum class LeftOut {
  paused,           // status paused (no end date)
  paused_until,     // paused until a date that has not come
  setting,          // digital or in person, not as the request
  form_unwanted,    // the request's form is one they do not want
  form_not_wanted,  // they want only other forms
  area_avoided,     // the request asks about an area they would rather not be asked about
  cap_reached,      // as many requests this period as they want
};

std::string_view to_string(LeftOut reason);

/// What matching asks of an expert's wishes: the request's form (if known), whether it is
/// digital, the areas it wants, and how many requests the expert was sent in the period.
struct Ask {
  std::optional<std::string> form;
  bool digital = false;
  std::vector<std::string> areas;
  int invited_in_period = 0;
};

/// The first reason `wishes` leave an expert out of `ask` on `today`, if any. The order is
/// the one people read: a pause first, then the setting, forms, areas, and the cap.
std::optional<LeftOut> left_out(const Wishes& wishes, const Ask& ask, text::Date today);

/// The first day of the calendar `period` that holds `day`.
text::Date period_start(Period period, text::Date day);

/// The record for `lbib expert show`'s wishes section.
output::Table wishes_table(const Wishes& wishes);

}  // namespace lbib::experts

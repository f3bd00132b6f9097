// SPDX-License-Identifier: MIT
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace lbib::text {

/// A calendar date; lbib reads and writes dates as ISO 8601 YYYY-MM-DD only.
using Date = std::chrono::year_month_day;

/// The years a date may have: those the reports accept (`report yearly --from/--to`).
inline constexpr int min_year = 1900;
inline constexpr int max_year = 2100;

/// Parses YYYY-MM-DD strictly (a real calendar date from min_year to max_year); nullopt
/// otherwise.
std::optional<Date> try_parse_date(std::string_view s);

/// Parses YYYY-MM-DD or throws Error(data) naming `field`.
Date parse_date(std::string_view field, std::string_view s);

/// Formats as YYYY-MM-DD.
std::string format_date(Date d);

/// Today's date in the local time zone.
Date today();

/// `d` plus `days` days (negative allowed).
Date add_days(Date d, int days);

/// Whole days from `from` to `to` (negative when `to` is earlier).
int days_between(Date from, Date to);

}  // namespace lbib::text

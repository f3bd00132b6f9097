// SPDX-License-Identifier: MIT
#include <fmt/format.h>

#include "helpers.hpp"
#include "lbib/text/date.hpp"

namespace text = lbib::text;
using namespace std::chrono;

TEST_CASE("try_parse_date accepts only real YYYY-MM-DD dates") {
  const auto d = text::try_parse_date("2024-02-29");
  REQUIRE(d.has_value());
  CHECK(*d == year_month_day{year{2024}, month{2}, day{29}});
  CHECK_FALSE(text::try_parse_date("2023-02-29"));
  CHECK_FALSE(text::try_parse_date("2023-13-01"));
  CHECK_FALSE(text::try_parse_date("2023-00-10"));
  CHECK_FALSE(text::try_parse_date("2023-4-1"));
  CHECK_FALSE(text::try_parse_date("2023/04/01"));
  CHECK_FALSE(text::try_parse_date("20230401"));
  CHECK_FALSE(text::try_parse_date("2023-04-01 "));
  CHECK_FALSE(text::try_parse_date("+023-04-01"));
  CHECK_FALSE(text::try_parse_date("1899-12-31"));
}

TEST_CASE("parse_date names the field on error") {
  CHECK_LBIB_ERROR(text::parse_date("interviewed", "2023-02-30"), lbib::ExitCode::data,
                   "interviewed: not a valid date");
}

TEST_CASE("format_date round-trips") {
  CHECK(text::format_date(*text::try_parse_date("2019-01-05")) == "2019-01-05");
  // Zero-padded as fmt's {:04}-{:02}-{:02} pads, outside the usual years too.
  using namespace std::chrono;
  CHECK(text::format_date(year{7} / 3 / 9) == "0007-03-09");
  CHECK(text::format_date(year{9999} / 12 / 31) == "9999-12-31");
  CHECK(text::format_date(year{12345} / 10 / 20) == "12345-10-20");
  CHECK(text::format_date(year{-44} / 3 / 15) == "-044-03-15");
}

TEST_CASE("format_date writes every day of the years a register holds as fmt would") {
  // The hand-written digits against fmt's, day by day over 1900-2100.
  for (sys_days d = sys_days{year{1900} / 1 / 1}; d <= sys_days{year{2100} / 12 / 31};
       d += days{1}) {
    const year_month_day ymd{d};
    const auto expected =
        fmt::format("{:04}-{:02}-{:02}", static_cast<int>(ymd.year()),
                    static_cast<unsigned>(ymd.month()), static_cast<unsigned>(ymd.day()));
    REQUIRE(text::format_date(ymd) == expected);
  }
}

TEST_CASE("date arithmetic crosses months and years") {
  const auto d = *text::try_parse_date("2021-12-30");
  CHECK(text::format_date(text::add_days(d, 3)) == "2022-01-02");
  CHECK(text::days_between(d, text::add_days(d, 40)) == 40);
  CHECK(text::days_between(text::add_days(d, 40), d) == -40);
}

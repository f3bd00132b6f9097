// SPDX-License-Identifier: MIT
#include <SQLiteCpp/Statement.h>
#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <map>

#include "lbib/error.hpp"
#include "lbib/reports/reports.hpp"
#include "lbib/text/i18n.hpp"

namespace lbib::reports {
namespace {

std::optional<text::Date> parse_bound(std::string_view field, const std::string& s, bool end) {
  if (s.size() == 4) {
    int year = 0;
    const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), year);
    if (ec == std::errc{} && ptr == s.data() + s.size() && year >= text::min_year &&
        year <= text::max_year) {
      return text::Date{std::chrono::year{year}, std::chrono::month{end ? 12u : 1u},
                        std::chrono::day{end ? 31u : 1u}};
    }
  } else if (auto d = text::try_parse_date(s)) {
    return d;
  }
  throw make_error(ExitCode::data,
                   "{}: a year (YYYY, 1900-2100) or a date (YYYY-MM-DD) is accepted", field);
}

std::string bound(const std::optional<text::Date>& d, const char* open) {
  return d ? text::format_date(*d) : std::string(open);
}

// Counts per year of the date column `sql` selects, within the period.
void count_by_year(db::Database& db, const std::string& sql, const Period& p,
                   std::map<int, YearRow>& rows, int YearRow::*field,
                   const std::string& extra = {}) {
  SQLite::Statement q(db.sql(), sql);
  q.bind(1, bound(p.from, "0000-01-01"));
  q.bind(2, bound(p.to, "9999-12-31"));
  if (!extra.empty()) {
    q.bind(3, extra);
  }
  while (q.executeStep()) {
    const int year = q.getColumn(0).getInt();
    rows[year].year = year;
    rows[year].*field = q.getColumn(1).getInt();
  }
}

}  // namespace

Period parse_period(const std::optional<std::string>& from, const std::optional<std::string>& to) {
  Period p;
  if (from) {
    p.from = parse_bound("from", *from, false);
  }
  if (to) {
    p.to = parse_bound("to", *to, true);
  }
  if (p.from && p.to && *p.to < *p.from) {
    throw make_error(ExitCode::data, "from: {} is after to: {}; give the earlier date first",
                     text::format_date(*p.from), text::format_date(*p.to));
  }
  return p;
}

Yearly yearly(db::Database& db, const Period& p, bool include_left, text::Date today) {
  std::map<int, YearRow> rows;
  // Experts who had left by the end of the period are not in the library then.
  const std::string left_cutoff =
      include_left ? "0000-00-00" : text::format_date(p.to ? *p.to : today);
  count_by_year(db,
                "SELECT CAST(substr(interviewed_on, 1, 4) AS INTEGER) AS y, count(*) FROM expert "
                "WHERE interviewed_on BETWEEN ?1 AND ?2 AND (left_on IS NULL OR left_on > ?3) "
                "GROUP BY y",
                p, rows, &YearRow::recruited, left_cutoff);
  count_by_year(db,
                "SELECT CAST(substr(received_on, 1, 4) AS INTEGER) AS y, count(*) FROM request "
                "WHERE received_on BETWEEN ?1 AND ?2 GROUP BY y",
                p, rows, &YearRow::requests);
  count_by_year(db,
                "SELECT CAST(substr(carried_out_on, 1, 4) AS INTEGER) AS y, count(*) FROM loan "
                "WHERE carried_out_on BETWEEN ?1 AND ?2 GROUP BY y",
                p, rows, &YearRow::loans);
  // Every year of the period appears, with zeros where nothing happened.
  const int this_year = static_cast<int>(today.year());
  int first =
      p.from ? static_cast<int>(p.from->year()) : (rows.empty() ? this_year : rows.begin()->first);
  int last =
      p.to ? static_cast<int>(p.to->year()) : (rows.empty() ? this_year : rows.rbegin()->first);
  if (!p.to) {
    last = std::max(last, first);
  }
  if (!p.from) {
    first = std::min(first, last);
  }
  Yearly y;
  for (int year = first; year <= last; ++year) {
    YearRow r = rows.count(year) != 0 ? rows[year] : YearRow{};
    r.year = year;
    y.recruited += r.recruited;
    y.requests += r.requests;
    y.loans += r.loans;
    y.rows.push_back(r);
  }
  return y;
}

output::Table yearly_table(const Yearly& y, const config::Config& config) {
  // `row` tells a year's row from the total's, whose year is empty (JSON null): data formats
  // keep a number or nothing in `year`; people read "Totalt (N)" there.
  output::Table t{{"year", "recruited", "requests", "loans", "row"}, {}};
  t.labels = {say(config, N_("Year")), say(config, N_("Recruited")),
              i18n::tr_in_context(config.language, "figure 3", "Requests"),
              i18n::tr_in_context(config.language, "figure 3", "Loans carried out"), "row"};
  t.data_only = {"row"};
  for (const auto& r : y.rows) {
    t.rows.push_back({std::int64_t{r.year}, std::int64_t{r.recruited}, std::int64_t{r.requests},
                      std::int64_t{r.loans}, std::string("year")});
  }
  t.rows.push_back({output::Term{{}, say(config, N_("Total (N)"))}, std::int64_t{y.recruited},
                    std::int64_t{y.requests}, std::int64_t{y.loans}, std::string("total")});
  return t;
}

output::BarChart yearly_chart(const Yearly& y, const config::Config& config) {
  output::BarChart chart;
  chart.id = "fig3";
  chart.title =
      i18n::tr_in_context(config.language, "figure 3", "Experts, requests and loans per year");
  chart.axis_label = say(config, N_("Number"));
  chart.series = {
      {"recruited", say(config, N_("Recruited")), {}, y.recruited},
      {"requests", i18n::tr_in_context(config.language, "figure 3", "Requests"), {}, y.requests},
      {"loans", i18n::tr_in_context(config.language, "figure 3", "Loans carried out"), {}, y.loans},
  };
  for (const auto& r : y.rows) {
    chart.categories.push_back(std::to_string(r.year));
    chart.series[0].values.push_back(r.recruited);
    chart.series[1].values.push_back(r.requests);
    chart.series[2].values.push_back(r.loans);
  }
  // The text alternative: the series and their totals, then each year's numbers; the title is
  // the accessible name and is not repeated here.
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    chart.description +=
        fmt::format("{}{} (N={})", s == 0 ? "" : ", ", chart.series[s].name, chart.series[s].total);
  }
  chart.description += ".";
  for (const auto& r : y.rows) {
    chart.description += fmt::format(" {}: {}, {}, {}.", r.year, r.recruited, r.requests, r.loans);
  }
  return chart;
}

}  // namespace lbib::reports

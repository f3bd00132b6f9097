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

std::string yearly_svg(const Yearly& y, const config::Config& config) {
  constexpr double width = 800;
  constexpr double height = 480;
  constexpr double left = 64;
  constexpr double right = 24;
  constexpr double top = 64;
  constexpr double bottom = 120;
  const double plot_w = width - left - right;
  const double plot_h = height - top - bottom;
  int max_value = 1;
  for (const auto& r : y.rows) {
    max_value = std::max({max_value, r.recruited, r.requests, r.loans});
  }
  // A step of 1, 2 or 5 times a power of ten gives at most about eight grid lines.
  int step = 1;
  for (int base = 1;; base *= 10) {
    if (max_value <= 8 * base) {
      step = base;
      break;
    }
    if (max_value <= 16 * base) {
      step = 2 * base;
      break;
    }
    if (max_value <= 40 * base) {
      step = 5 * base;
      break;
    }
  }
  const int top_value = (max_value + step - 1) / step * step;
  const auto y_of = [&](int v) { return top + plot_h - plot_h * v / top_value; };

  // Told apart without colour: a solid dark fill, dark stripes on a middle tone, dark dots on
  // a light tone. The three also differ in lightness (relative luminance about 0.07, 0.42 and
  // 0.81), so they stay apart in greyscale; every bar has a dark outline (WCAG 1.4.11).
  struct Series {
    const char* key;
    std::string name;
    const char* fill;
    int YearRow::*field;
    int total;
  };
  const Series series[] = {
      {"recruited", say(config, N_("Recruited")), "#1f4e79", &YearRow::recruited, y.recruited},
      {"requests", i18n::tr_in_context(config.language, "figure 3", "Requests"),
       "url(#fig3-stripes)", &YearRow::requests, y.requests},
      {"loans", i18n::tr_in_context(config.language, "figure 3", "Loans carried out"),
       "url(#fig3-dots)", &YearRow::loans, y.loans},
  };
  const std::string title =
      i18n::tr_in_context(config.language, "figure 3", "Experts, requests and loans per year");
  // The text alternative: the series and their totals, then each year's numbers; the title is
  // the accessible name and is not repeated here.
  std::string desc;
  for (std::size_t s = 0; s < 3; ++s) {
    desc += fmt::format("{}{} (N={})", s == 0 ? "" : ", ", series[s].name, series[s].total);
  }
  desc += ".";
  for (const auto& r : y.rows) {
    desc += fmt::format(" {}: {}, {}, {}.", r.year, r.recruited, r.requests, r.loans);
  }
  std::string svg = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" width=\"{}\" height=\"{}\" "
      "role=\"img\" aria-labelledby=\"fig3-title\" aria-describedby=\"fig3-desc\" "
      "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\">\n"
      "<title id=\"fig3-title\">{}</title>\n<desc id=\"fig3-desc\">{}</desc>\n"
      "<defs>\n"
      "<pattern id=\"fig3-stripes\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
      "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#e69f00\"/>"
      "<rect width=\"2.5\" height=\"8\" fill=\"#1a1a1a\"/></pattern>\n"
      "<pattern id=\"fig3-dots\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\">"
      "<rect width=\"7\" height=\"7\" fill=\"#fde89a\"/>"
      "<circle cx=\"3.5\" cy=\"3.5\" r=\"1.5\" fill=\"#1a1a1a\"/></pattern>\n"
      "</defs>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<text x=\"{}\" y=\"32\" font-size=\"18\" text-anchor=\"middle\" "
      "fill=\"#1a1a1a\">{}</text>\n",
      width, height, width, height, output::escape_xml(title), output::escape_xml(desc), width / 2,
      output::escape_xml(title));
  // Grid and axis labels.
  for (int v = 0; v <= top_value; v += step) {
    svg += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#d0d0d0\" "
        "stroke-width=\"1\"/>\n"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"end\" "
        "fill=\"#333333\">{}</text>\n",
        left, width - right, y_of(v), y_of(v), left - 8, y_of(v) + 4, v);
  }
  svg += fmt::format(
      "<text transform=\"translate(18 {:.1f}) rotate(-90)\" font-size=\"13\" "
      "text-anchor=\"middle\" "
      "fill=\"#333333\">{}</text>\n",
      top + plot_h / 2, say(config, N_("Number")));
  const double group_w = plot_w / static_cast<double>(std::max<std::size_t>(1, y.rows.size()));
  const double bar_w = std::min(48.0, group_w * 0.8 / 3);
  for (std::size_t i = 0; i < y.rows.size(); ++i) {
    const auto& r = y.rows[i];
    const double centre = left + group_w * (static_cast<double>(i) + 0.5);
    for (std::size_t s = 0; s < 3; ++s) {
      const int v = r.*(series[s].field);
      const double x = centre - 1.5 * bar_w + static_cast<double>(s) * bar_w;
      svg += fmt::format(
          "<rect class=\"bar\" data-series=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
          "height=\"{:.1f}\" fill=\"{}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n"
          "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\" "
          "fill=\"#1a1a1a\">{}</text>\n",
          series[s].key, x + 1, y_of(v), bar_w - 2, y_of(0) - y_of(v), series[s].fill,
          x + bar_w / 2, y_of(v) - 5, v);
    }
    svg += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"13\" text-anchor=\"middle\" "
        "fill=\"#1a1a1a\">{}</text>\n",
        centre, y_of(0) + 20, r.year);
  }
  svg += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333333\"/>\n",
                     left, width - right, y_of(0), y_of(0));
  // The legend, one entry per line under the chart, with N per series.
  for (std::size_t s = 0; s < 3; ++s) {
    const double ly = height - bottom + 50 + 20 * static_cast<double>(s);
    svg += fmt::format(
        "<rect class=\"key\" data-series=\"{}\" x=\"{}\" y=\"{:.1f}\" width=\"28\" "
        "height=\"16\" fill=\"{}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"13\" fill=\"#1a1a1a\">{} (N={})</text>\n",
        series[s].key, left, ly - 13, series[s].fill, left + 36, ly,
        output::escape_xml(series[s].name), series[s].total);
  }
  svg += "</svg>\n";
  return svg;
}

}  // namespace lbib::reports

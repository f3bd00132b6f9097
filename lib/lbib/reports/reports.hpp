// SPDX-License-Identifier: MIT
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lbib/config/config.hpp"
#include "lbib/db/database.hpp"
#include "lbib/output/format.hpp"
#include "lbib/text/date.hpp"
#include "lbib/text/i18n.hpp"

/// The reports for the steering group: they build rows; lbib::output formats them.
namespace lbib::reports {

using i18n::N_;

/// `english` (a string marked with N_) in the configured language of reports, from the
/// catalogue (po/sv.po): the one way a report chooses its words.
inline std::string say(const config::Config& config, const char* english) {
  return i18n::tr_in(config.language, english);
}

/// The dates a report covers, both inclusive; open ends cover everything.
struct Period {
  std::optional<text::Date> from;
  std::optional<text::Date> to;
};

/// The period's first and last day as ISO text for a BETWEEN in SQL; an open end is a day
/// before or after every date lbib stores.
inline std::string first_day(const Period& p) {
  return p.from ? text::format_date(*p.from) : "0000-01-01";
}
inline std::string last_day(const Period& p) {
  return p.to ? text::format_date(*p.to) : "9999-12-31";
}

/// Parses --from/--to: a year (YYYY: from its first or to its last day) or a date. Throws
/// Error(data) for anything else, or when from is after to.
Period parse_period(const std::optional<std::string>& from, const std::optional<std::string>& to);

/// Figure 3's tallies for one year.
struct YearRow {
  int year = 0;
  int recruited = 0;
  int requests = 0;
  int loans = 0;
};

/// Figure 3: per year, experts recruited, requests received and loans carried out.
struct Yearly {
  std::vector<YearRow> rows;
  int recruited = 0;
  int requests = 0;
  int loans = 0;
};

/// Counts per year. The year is that of the interview (recruited), of arrival (requests) and of
/// the loan (loans). Experts who left on or before the period's end (or today) are not
/// counted unless `include_left`, as Figure 3 counts the experts in the library.
Yearly yearly(db::Database& db, const Period& period, bool include_left, text::Date today);

/// Figure 3 as rows, with a total row (N=...).
output::Table yearly_table(const Yearly& y, const config::Config& config);

/// Figure 3 as a grouped bar chart: three series per year; output::svg draws it.
output::BarChart yearly_chart(const Yearly& y, const config::Config& config);

/// Whether a report carries free text (purposes, comments). Reports kept outside the register
/// (the stats folder, the closing statistics) omit it: Table 1's comment is then only the
/// reason a request ended, from a fixed list.
enum class FreeText { include, omit };

/// Table 1: every request in the period with its borrower, purpose, whether it went out to
/// the experts (and the comment when it did not), form, experts who took part, follow-up;
/// with the library's phase.
output::Table requests_report(db::Database& db, const config::Config& config, const Period& period,
                              FreeText free_text = FreeText::include);

/// Table 1's columns and labels, without rows (for an output::RowWriter).
output::Table requests_header(const config::Config& config);

/// Table 1's rows, in order, each given to `visit` as it is read, so the report is never held
/// whole (`lbib report requests`).
void each_request_row(db::Database& db, const config::Config& config, const Period& period,
                      FreeText free_text,
                      const std::function<void(std::vector<output::Value>)>& visit);

/// The pool: per role and area, the active experts with mailing consent (fewer than two is a
/// gap), and the requests declined for want of a match.
output::Table pool_report(db::Database& db, const config::Config& config);

/// The register's composition beside the population's: age bands, born abroad, care
/// professionals, retired, municipality.
output::Table experts_report(db::Database& db, const config::Config& config, text::Date today);

/// Follow-up outcomes: satisfaction, new insights, feedback completion, days to finished.
output::Table followups_report(db::Database& db, const config::Config& config,
                               const Period& period);

/// Borrowers with requests or loans in the period, counted by sector (taxonomy.sectors) and by
/// municipality against the county's (county.municipalities), with a total row saying how many
/// of the county's municipalities have borrowed (a loan carried out).
output::Table borrowers_report(db::Database& db, const config::Config& config,
                               const Period& period);

/// The configured goals (goals.targets): target, the actual value on the goal's day (or
/// `today` when that is later), the gap left and whether it was reached. Shares in percent.
output::Table goals_report(db::Database& db, const config::Config& config, text::Date today);

/// Experts by recruitment channel and year, beside the outreach activities of each year.
output::Table recruitment_report(db::Database& db, const config::Config& config,
                                 const Period& period);

/// The yearly report as one document (HTML or Markdown): Figure 3, Table 1, pool gaps and
/// follow-up outcomes.
output::Document annual_report(db::Database& db, const config::Config& config, const Period& period,
                               text::Date today, FreeText free_text = FreeText::include);

}  // namespace lbib::reports

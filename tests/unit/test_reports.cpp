// SPDX-License-Identifier: MIT
#include <sqlite3.h>

#include <algorithm>

#include "lbib/output/chart.hpp"
#include "lbib/reports/reports.hpp"
#include "register.hpp"

namespace reports = lbib::reports;
namespace output = lbib::output;
namespace db = lbib::db;
using lbib::ExitCode;
using lbib::testing::actor;
using lbib::testing::cfg;
using lbib::testing::date;
using lbib::testing::Register;

namespace {

const output::Value& report_cell(const output::Table& t, std::size_t row, std::string_view column) {
  const auto it = std::find(t.columns.begin(), t.columns.end(), column);
  REQUIRE(it != t.columns.end());
  return t.rows.at(row).at(static_cast<std::size_t>(it - t.columns.begin()));
}

// Two years of a small library: three experts recruited in 2020 and one in 2021 who left in
// 2021; three requests (two in 2020, one in 2021), of which one loan in 2020 and one in 2021.
struct TwoYears : Register {
  std::vector<std::int64_t> experts;
  std::int64_t left = 0;
  std::vector<std::int64_t> requests;

  TwoYears() {
    experts.push_back(expert({"Alfa Ett", {"relative:dementia"}, "2020-02-01"}));
    experts.push_back(expert({"Beta Två", {"patient:psychiatry"}, "2020-03-01"}));
    experts.push_back(expert({"Gamma Tre", {"user:dementia"}, "2020-09-01"}));
    left = expert({"Delta Fyra", {"patient:dementia"}, "2021-01-15"});
    {
      db::WriteTransaction tx(d);
      lbib::experts::leave(tx, left, date("2021-06-01"), actor);
      tx.commit();
    }
    requests.push_back(request("2020-04-01"));
    requests.push_back(request("2020-10-01"));
    requests.push_back(request("2021-02-01"));
    mailed(requests[0], {experts[0], experts[1]}, "2020-04-10");
    loan(requests[0], {experts[0], experts[1]}, "2020-05-01");
    mailed(requests[2], {experts[0], experts[2]}, "2021-02-10");
    loan(requests[2], {experts[0], experts[2]}, "2021-03-01");
  }
};

}  // namespace

TEST_CASE("Figure 3 counts by the year of the interview, the arrival and the loan") {
  TwoYears lib;
  const auto y = reports::yearly(lib.d, {}, false, date("2022-01-01"));
  REQUIRE(y.rows.size() == 2);
  CHECK(y.rows[0].year == 2020);
  CHECK(y.rows[0].recruited == 3);
  CHECK(y.rows[0].requests == 2);
  CHECK(y.rows[0].loans == 1);
  CHECK(y.rows[1].year == 2021);
  CHECK(y.rows[1].recruited == 0);  // the one recruited in 2021 has left
  CHECK(y.rows[1].requests == 1);
  CHECK(y.rows[1].loans == 1);
  CHECK(y.recruited == 3);
  CHECK(y.requests == 3);
  CHECK(y.loans == 2);

  const auto with_left = reports::yearly(lib.d, {}, true, date("2022-01-01"));
  CHECK(with_left.rows[1].recruited == 1);
  // Before they left, the library still had them.
  const auto before = reports::yearly(lib.d, {}, false, date("2021-05-01"));
  CHECK(before.recruited == 4);

  const auto only_2021 =
      reports::yearly(lib.d, reports::parse_period("2021", "2021"), false, date("2022-01-01"));
  REQUIRE(only_2021.rows.size() == 1);
  CHECK(only_2021.requests == 1);
}

TEST_CASE("Figure 3's table: numbers as numbers, the total a row of its own kind") {
  TwoYears lib;
  const auto y = reports::yearly(lib.d, {}, false, date("2022-01-01"));
  const auto t = reports::yearly_table(y, cfg());
  REQUIRE(t.rows.size() == 3);
  CHECK(report_cell(t, 0, "year") == output::Value{std::int64_t{2020}});
  CHECK(report_cell(t, 2, "row") == output::Value{std::string("total")});
  const auto& total = std::get<output::Term>(report_cell(t, 2, "year"));
  CHECK(std::holds_alternative<std::monostate>(total.key));  // null in JSON
  CHECK(total.label == "Totalt (N)");
  CHECK(report_cell(t, 2, "loans") == output::Value{std::int64_t{2}});

  const auto chart = reports::yearly_chart(y, cfg());
  CHECK(chart.categories == std::vector<std::string>{"2020", "2021"});
  REQUIRE(chart.series.size() == 3);
  CHECK(chart.series[0].values == std::vector<int>{3, 0});
  CHECK(chart.series[2].values == std::vector<int>{1, 1});
  CHECK(chart.series[2].total == 2);
  CHECK(chart.description.find("2020: 3, 2, 1.") != std::string::npos);
}

TEST_CASE("a period is years or dates, in order") {
  const auto p = reports::parse_period("2020", "2021-06-30");
  CHECK(p.from == date("2020-01-01"));
  CHECK(p.to == date("2021-06-30"));
  CHECK(reports::parse_period("2021", std::nullopt).to == std::nullopt);
  CHECK_LBIB_ERROR(reports::parse_period("2022", "2021"), ExitCode::data, "");
  CHECK_LBIB_ERROR(reports::parse_period("förra året", std::nullopt), ExitCode::data, "");
}

TEST_CASE("Table 1 lists every request, whether it went out and who took part") {
  TwoYears lib;
  const auto t = reports::requests_report(lib.d, cfg(), {});
  REQUIRE(t.rows.size() == 3);
  CHECK(report_cell(t, 0, "request") == output::Value{lib.requests[0]});
  CHECK(report_cell(t, 0, "received_on") == output::Value{std::string("2020-04-01")});
  CHECK(report_cell(t, 2, "received_on") == output::Value{std::string("2021-02-01")});
  const auto period = reports::requests_report(lib.d, cfg(), reports::parse_period("2021", {}));
  CHECK(period.rows.size() == 1);
}

TEST_CASE("Table 1's rows are given one at a time while the statement is read") {
  TwoYears lib;
  std::vector<std::vector<output::Value>> rows;
  bool while_reading = true;
  reports::each_request_row(
      lib.d, cfg(), {}, reports::FreeText::include, [&](std::vector<output::Value> row) {
        bool busy = false;
        for (auto* s = sqlite3_next_stmt(lib.d.sql().getHandle(), nullptr); s != nullptr;
             s = sqlite3_next_stmt(lib.d.sql().getHandle(), s)) {
          busy = busy || sqlite3_stmt_busy(s) != 0;
        }
        while_reading = while_reading && busy;
        rows.push_back(std::move(row));
      });
  CHECK(while_reading);
  auto t = reports::requests_header(cfg());
  CHECK(t.rows.empty());
  t.rows = rows;
  const auto whole = reports::requests_report(lib.d, cfg(), {});
  CHECK(t.rows == whole.rows);
  CHECK(t.columns == whole.columns);
  CHECK(t.labels == whole.labels);
  REQUIRE(rows.size() == 3);
}

TEST_CASE("the annual report opens with its figure drawn by the output layer") {
  TwoYears lib;
  const auto doc = reports::annual_report(lib.d, cfg(), {}, date("2022-01-01"));
  const auto chart = std::find_if(doc.parts.begin(), doc.parts.end(), [](const auto& p) {
    return p.kind == output::Document::Part::Kind::chart;
  });
  REQUIRE(chart != doc.parts.end());
  CHECK(chart->chart.series.at(1).total == 3);
  std::ostringstream html;
  output::write(html, output::Format::html, doc);
  CHECK(html.str().find("<svg") != std::string::npos);
  CHECK(html.str().find("aria-labelledby=\"fig3-title\"") != std::string::npos);
  // No person's name reaches a report.
  CHECK(html.str().find("Alfa") == std::string::npos);
}

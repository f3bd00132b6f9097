// SPDX-License-Identifier: MIT
#include <doctest/doctest.h>

#include <regex>
#include <stdexcept>

#include "lbib/output/chart.hpp"

namespace output = lbib::output;

namespace {

output::BarChart sample_chart() {
  output::BarChart c;
  c.id = "fig";
  c.title = "Lån & förfrågningar <per år>";
  c.description = "Förfrågningar (N=5).";
  c.axis_label = "Antal";
  c.categories = {"2020", "2021"};
  c.series = {{"requests", "Förfrågningar", {2, 3}, 5}, {"loans", "Lån", {1, 17}, 18}};
  return c;
}

int occurrences(const std::string& s, const std::string& what) {
  int n = 0;
  for (auto i = s.find(what); i != std::string::npos; i = s.find(what, i + 1)) {
    ++n;
  }
  return n;
}

}  // namespace

TEST_CASE("a bar chart: one bar per value, a legend entry per series, text escaped") {
  const auto svg = output::svg(sample_chart());
  CHECK(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
  CHECK(svg.ends_with("</svg>\n"));
  CHECK(occurrences(svg, "class=\"bar\"") == 4);
  CHECK(occurrences(svg, "class=\"bar\" data-series=\"loans\"") == 2);
  CHECK(occurrences(svg, "class=\"key\"") == 2);
  CHECK(svg.find("Lån (N=18)") != std::string::npos);
  CHECK(svg.find("<title id=\"fig-title\">Lån &amp; förfrågningar &lt;per år&gt;</title>") !=
        std::string::npos);
  CHECK(svg.find("<per år>") == std::string::npos);
  // The ids are the chart's own, so two charts can share a page.
  CHECK(svg.find("url(#fig-stripes)") != std::string::npos);
  // Grid lines by a step of 1, 2 or 5 times a power of ten: 17 gives 0, 5, 10, 15, 20.
  const std::regex grid(">(\\d+)</text>");
  std::vector<int> labels;
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), grid); it != std::sregex_iterator();
       ++it) {
    labels.push_back(std::stoi((*it)[1]));
  }
  for (const int v : {0, 5, 10, 15, 20}) {
    CHECK(std::find(labels.begin(), labels.end(), v) != labels.end());
  }
  CHECK(std::find(labels.begin(), labels.end(), 25) == labels.end());
}

TEST_CASE("a bar chart refuses what it cannot draw well") {
  auto four = sample_chart();
  four.series.push_back({"a", "A", {1, 1}, 2});
  four.series.push_back({"b", "B", {1, 1}, 2});
  CHECK_THROWS_AS(output::svg(four), std::invalid_argument);
  auto ragged = sample_chart();
  ragged.series[0].values.pop_back();
  CHECK_THROWS_AS(output::svg(ragged), std::invalid_argument);
}

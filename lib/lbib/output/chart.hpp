// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <vector>

namespace lbib::output {

/// A grouped bar chart (Figure 3): one group of bars per category, one bar per series. The
/// report states what it shows; the output layer draws it (svg()), the same for `--format svg`
/// and the figure in the annual HTML report.
struct BarChart {
  std::string id;           ///< prefix of the SVG's element ids, unique within one page
  std::string title;        ///< the accessible name, also printed above the chart
  std::string description;  ///< the text alternative: what a reader of the picture learns
  std::string axis_label;   ///< the value axis
  std::vector<std::string> categories;
  struct Series {
    std::string key;  ///< data-series attribute, for tests and style sheets
    std::string name;
    std::vector<int> values;  ///< one per category
    int total = 0;            ///< shown in the legend as N
  };
  /// At most three series: they are told apart without colour, by a solid fill, stripes and
  /// dots that also differ in lightness.
  std::vector<Series> series;
};

/// The chart as a self-contained SVG document (role="img", <title> and <desc> for assistive
/// technology). Throws std::invalid_argument for more than three series or values that do not
/// match the categories.
std::string svg(const BarChart& chart);

}  // namespace lbib::output

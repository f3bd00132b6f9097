// SPDX-License-Identifier: MIT
#include "lbib/output/chart.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <stdexcept>

#include "lbib/output/page.hpp"

namespace lbib::output {

namespace {

// A step of 1, 2 or 5 times a power of ten gives at most about eight grid lines.
int grid_step(int max_value) {
  for (int base = 1;; base *= 10) {
    if (max_value <= 8 * base) {
      return base;
    }
    if (max_value <= 16 * base) {
      return 2 * base;
    }
    if (max_value <= 40 * base) {
      return 5 * base;
    }
  }
}

}  // namespace

std::string svg(const BarChart& chart) {
  if (chart.series.size() > 3) {
    throw std::invalid_argument("a bar chart tells at most three series apart");
  }
  for (const auto& s : chart.series) {
    if (s.values.size() != chart.categories.size()) {
      throw std::invalid_argument("a bar chart needs one value per category in every series");
    }
  }
  constexpr double width = 800;
  constexpr double height = 480;
  constexpr double left = 64;
  constexpr double right = 24;
  constexpr double top = 64;
  constexpr double bottom = 120;
  const double plot_w = width - left - right;
  const double plot_h = height - top - bottom;
  int max_value = 1;
  for (const auto& s : chart.series) {
    for (const int v : s.values) {
      max_value = std::max(max_value, v);
    }
  }
  const int step = grid_step(max_value);
  const int top_value = (max_value + step - 1) / step * step;
  const auto y_of = [&](int v) { return top + plot_h - plot_h * v / top_value; };
  const std::string& id = chart.id;

  // Told apart without colour: a solid dark fill, dark stripes on a middle tone, dark dots on
  // a light tone. The three also differ in lightness (relative luminance about 0.07, 0.42 and
  // 0.81), so they stay apart in greyscale; every bar has a dark outline (WCAG 1.4.11).
  const std::string fills[] = {"#1f4e79", fmt::format("url(#{}-stripes)", id),
                               fmt::format("url(#{}-dots)", id)};
  std::string out = fmt::format(
      "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {0} {1}\" width=\"{0}\" "
      "height=\"{1}\" role=\"img\" aria-labelledby=\"{2}-title\" aria-describedby=\"{2}-desc\" "
      "font-family=\"DejaVu Sans, Liberation Sans, Arial, sans-serif\">\n"
      "<title id=\"{2}-title\">{3}</title>\n<desc id=\"{2}-desc\">{4}</desc>\n"
      "<defs>\n"
      "<pattern id=\"{2}-stripes\" width=\"8\" height=\"8\" patternUnits=\"userSpaceOnUse\" "
      "patternTransform=\"rotate(45)\"><rect width=\"8\" height=\"8\" fill=\"#e69f00\"/>"
      "<rect width=\"2.5\" height=\"8\" fill=\"#1a1a1a\"/></pattern>\n"
      "<pattern id=\"{2}-dots\" width=\"7\" height=\"7\" patternUnits=\"userSpaceOnUse\">"
      "<rect width=\"7\" height=\"7\" fill=\"#fde89a\"/>"
      "<circle cx=\"3.5\" cy=\"3.5\" r=\"1.5\" fill=\"#1a1a1a\"/></pattern>\n"
      "</defs>\n"
      "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>\n"
      "<text x=\"{5}\" y=\"32\" font-size=\"18\" text-anchor=\"middle\" "
      "fill=\"#1a1a1a\">{3}</text>\n",
      width, height, escape_xml(id), escape_xml(chart.title), escape_xml(chart.description),
      width / 2);
  // Grid and axis labels.
  for (int v = 0; v <= top_value; v += step) {
    out += fmt::format(
        "<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#d0d0d0\" "
        "stroke-width=\"1\"/>\n"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"end\" "
        "fill=\"#333333\">{}</text>\n",
        left, width - right, y_of(v), y_of(v), left - 8, y_of(v) + 4, v);
  }
  out += fmt::format(
      "<text transform=\"translate(18 {:.1f}) rotate(-90)\" font-size=\"13\" "
      "text-anchor=\"middle\" fill=\"#333333\">{}</text>\n",
      top + plot_h / 2, escape_xml(chart.axis_label));
  const auto n = static_cast<double>(std::max<std::size_t>(1, chart.series.size()));
  const double group_w =
      plot_w / static_cast<double>(std::max<std::size_t>(1, chart.categories.size()));
  const double bar_w = std::min(48.0, group_w * 0.8 / n);
  for (std::size_t i = 0; i < chart.categories.size(); ++i) {
    const double centre = left + group_w * (static_cast<double>(i) + 0.5);
    for (std::size_t s = 0; s < chart.series.size(); ++s) {
      const int v = chart.series[s].values[i];
      const double x = centre - n / 2 * bar_w + static_cast<double>(s) * bar_w;
      out += fmt::format(
          "<rect class=\"bar\" data-series=\"{}\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" "
          "height=\"{:.1f}\" fill=\"{}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n"
          "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"12\" text-anchor=\"middle\" "
          "fill=\"#1a1a1a\">{}</text>\n",
          escape_xml(chart.series[s].key), x + 1, y_of(v), bar_w - 2, y_of(0) - y_of(v), fills[s],
          x + bar_w / 2, y_of(v) - 5, v);
    }
    out += fmt::format(
        "<text x=\"{:.1f}\" y=\"{:.1f}\" font-size=\"13\" text-anchor=\"middle\" "
        "fill=\"#1a1a1a\">{}</text>\n",
        centre, y_of(0) + 20, escape_xml(chart.categories[i]));
  }
  out += fmt::format("<line x1=\"{}\" x2=\"{}\" y1=\"{:.1f}\" y2=\"{:.1f}\" stroke=\"#333333\"/>\n",
                     left, width - right, y_of(0), y_of(0));
  // The legend, one entry per line under the chart, with N per series.
  for (std::size_t s = 0; s < chart.series.size(); ++s) {
    const double ly = height - bottom + 50 + 20 * static_cast<double>(s);
    out += fmt::format(
        "<rect class=\"key\" data-series=\"{}\" x=\"{}\" y=\"{:.1f}\" width=\"28\" "
        "height=\"16\" fill=\"{}\" stroke=\"#1a1a1a\" stroke-width=\"1\"/>\n"
        "<text x=\"{}\" y=\"{:.1f}\" font-size=\"13\" fill=\"#1a1a1a\">{} (N={})</text>\n",
        escape_xml(chart.series[s].key), left, ly - 13, fills[s], left + 36, ly,
        escape_xml(chart.series[s].name), chart.series[s].total);
  }
  out += "</svg>\n";
  return out;
}

}  // namespace lbib::output

// SPDX-License-Identifier: MIT
#include "options.hpp"

namespace lbib::cmd {

void add_format_option(CLI::App& sub, std::string& format) {
  sub.add_option("--format", format, "Output format: table, json, csv or md")
      ->default_val("table");
}

std::optional<std::string> given(const CLI::Option* option, const std::string& value) {
  if (option == nullptr || option->count() == 0) {
    return std::nullopt;
  }
  return value;
}

text::Date date_or(const CLI::Option* option, const std::string& value, std::string_view field,
                   text::Date fallback) {
  if (option->count() == 0) {
    return fallback;
  }
  return text::parse_date(field, value);
}

}  // namespace lbib::cmd

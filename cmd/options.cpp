// SPDX-License-Identifier: MIT
#include "options.hpp"

#include <charconv>
#include <cstdint>
#include <iostream>
#include <ostream>

#include "lbib/text/validate.hpp"

namespace lbib::cmd {

const CLI::Validator& id_check() {
  static const CLI::Validator check(
      [](std::string& s) -> std::string {
        std::int64_t value = 0;
        const auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), value);
        if (s.empty() || ec != std::errc{} || ptr != s.data() + s.size() || value < 1) {
          return "'" + text::printable(s.substr(0, 40)) + "' is not an id (a whole number from 1)";
        }
        return {};
      },
      "ID");
  return check;
}

void write_outgoing(Context& ctx, const std::vector<mail::Outgoing>& messages,
                    std::string_view kind, std::int64_t request, const std::string& dir,
                    bool preview) {
  if (preview) {
    for (const auto& message : messages) {
      std::cerr << mail::preview(message) << '\n';
    }
  }
  for (const auto& path : mail::write_outbox(dir, kind, request, messages)) {
    ctx.out() << path.string() << '\n';
  }
}

void add_format_option(CLI::App& sub, std::string& format) {
  sub.add_option("--format", format, "Output format: table, json, csv or md")->default_val("table");
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

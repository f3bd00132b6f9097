// SPDX-License-Identifier: MIT
#pragma once

#include <array>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "lbib/error.hpp"
#include "lbib/text/validate.hpp"

namespace lbib::text {

/// A fixed enumeration's values and their names on the command line and in the database.
template <typename Enum, std::size_t N>
using Names = std::array<std::pair<Enum, std::string_view>, N>;

/// The name of `value` in `names`.
template <typename Enum, std::size_t N>
std::string_view name_of(const Names<Enum, N>& names, Enum value) {
  for (const auto& [v, name] : names) {
    if (v == value) {
      return name;
    }
  }
  return "?";
}

/// The value named `s`, or Error(data) naming `field` and listing the accepted names.
template <typename Enum, std::size_t N>
Enum parse_name(const Names<Enum, N>& names, std::string_view field, std::string_view s) {
  std::vector<std::string> accepted;
  for (const auto& [v, name] : names) {
    if (name == s) {
      return v;
    }
    accepted.emplace_back(name);
  }
  throw make_error(ExitCode::data, "{}: '{}' is not accepted; use one of: {}", field, printable(s),
                   join(accepted, ", "));
}

}  // namespace lbib::text

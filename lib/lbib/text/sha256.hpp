// SPDX-License-Identifier: MIT
#pragma once

#include <string>
#include <string_view>

namespace lbib::text {

/// Lowercase hex SHA-256 of `data` (Nettle, Debian's libnettle8).
std::string sha256(std::string_view data);

}  // namespace lbib::text

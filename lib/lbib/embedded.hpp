// SPDX-License-Identifier: MIT
#pragma once

#include <span>
#include <string_view>

namespace lbib {

/// A text file compiled into the library by lib/embed.cmake (schema, default config).
struct EmbeddedFile {
  std::string_view name;
  std::string_view content;
};

}  // namespace lbib

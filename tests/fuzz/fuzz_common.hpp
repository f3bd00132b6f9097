// SPDX-License-Identifier: MIT
#pragma once

// Helpers shared by the libFuzzer targets (docs/reliability.md, "Fuzzing"). A target reports
// a broken invariant with check(), which aborts so libFuzzer saves the input as a crash.

#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "lbib/text/validate.hpp"

namespace lbib::fuzz {

/// Aborts with `what` when `condition` is false: libFuzzer records the input as a crash.
inline void check(bool condition, const char* what, std::string_view context = {}) {
  if (!condition) {
    std::fprintf(stderr, "fuzz invariant broken: %s\n%.*s\n", what,
                 static_cast<int>(context.size()), context.data());
    std::abort();
  }
}

/// True when no byte of `s` is a CR or LF.
inline bool single_line(std::string_view s) {
  return s.find_first_of("\r\n") == std::string_view::npos;
}

}  // namespace lbib::fuzz

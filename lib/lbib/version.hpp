// SPDX-License-Identifier: MIT
#pragma once

#include <string_view>

namespace lbib {

/// lbib's version, from the CMake project.
std::string_view version();

}  // namespace lbib

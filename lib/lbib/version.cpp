// SPDX-License-Identifier: MIT
#include "lbib/version.hpp"

namespace lbib {

std::string_view version() {
  return LBIB_VERSION;
}

}  // namespace lbib

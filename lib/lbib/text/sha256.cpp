// SPDX-License-Identifier: MIT
#include "lbib/text/sha256.hpp"

#include <fmt/format.h>
#include <openssl/evp.h>

#include <array>

#include "lbib/error.hpp"

namespace lbib::text {

std::string sha256(std::string_view data) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int length = 0;
  if (EVP_Digest(data.data(), data.size(), digest.data(), &length, EVP_sha256(), nullptr) != 1) {
    throw make_error(ExitCode::software, "SHA-256 failed");
  }
  std::string hex;
  for (unsigned int i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

}  // namespace lbib::text

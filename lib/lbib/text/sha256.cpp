// SPDX-License-Identifier: MIT
#include "lbib/text/sha256.hpp"

#include <fmt/format.h>
#include <nettle/sha2.h>

#include <array>
#include <cstdint>

namespace lbib::text {

std::string sha256(std::string_view data) {
  // Nettle (Debian's libnettle8): a small library, cheap to load at every start of lbib.
  sha256_ctx context{};
  sha256_init(&context);
  sha256_update(&context, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
  std::array<std::uint8_t, SHA256_DIGEST_SIZE> digest{};
  sha256_digest(&context, digest.size(), digest.data());
  const std::size_t length = digest.size();
  std::string hex;
  for (std::size_t i = 0; i < length; ++i) {
    hex += fmt::format("{:02x}", digest[i]);
  }
  return hex;
}

}  // namespace lbib::text

// SPDX-License-Identifier: MIT
// Fuzzes the configuration loader with arbitrary TOML text overlaid on the defaults. A file is
// either accepted or refused with one lbib::Error (exit 78) whose message is one line of
// valid UTF-8 naming the file; nothing else may escape and nothing may crash.
#include <cstdint>
#include <string>

#include "fuzz_common.hpp"
#include "lbib/config/config.hpp"
#include "lbib/error.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* bytes, std::size_t size) {
  static const lbib::config::Config defaults = lbib::config::defaults();
  const std::string_view text(reinterpret_cast<const char*>(bytes), size);
  try {
    const lbib::config::Config config = lbib::config::overlay(defaults, text, "fuzz.toml");
    lbib::fuzz::check(config.mail.contains(config.language), "no mail templates in its language");
    lbib::fuzz::check(!config.roles.empty() && !config.areas.empty(), "an empty taxonomy");
  } catch (const lbib::Error& e) {
    const std::string_view message = e.what();
    lbib::fuzz::check(e.code() == lbib::ExitCode::config, "a config error with another code");
    lbib::fuzz::check(lbib::fuzz::single_line(message), "a config error of several lines", message);
    lbib::fuzz::check(lbib::text::is_valid_utf8(message), "a config error in invalid UTF-8",
                      message);
    lbib::fuzz::check(message.starts_with("fuzz.toml"), "a config error without its file", message);
  }
  return 0;
}

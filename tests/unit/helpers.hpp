// SPDX-License-Identifier: MIT
#pragma once

#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>

#include "lbib/audit/audit.hpp"
#include "lbib/config/config.hpp"
#include "lbib/error.hpp"
#include "lbib/text/date.hpp"

namespace lbib::testing {

/// The built-in configuration, loaded once.
inline const config::Config& cfg() {
  static const auto c = config::defaults();
  return c;
}

/// The contact person the unit tests act as.
inline const audit::Actor actor{"kim", std::nullopt};

/// A date from YYYY-MM-DD that the test knows to be valid.
inline text::Date date(const char* s) {
  return *text::try_parse_date(s);
}

/// A private temporary directory, removed at the end of the test.
struct TempDir {
  std::filesystem::path path;
  TempDir() {
    std::string templ = (std::filesystem::temp_directory_path() / "lbib-test-XXXXXX").string();
    path = ::mkdtemp(templ.data());
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
};

}  // namespace lbib::testing

// Checks that `expr` throws lbib::Error with `exit_code` and a message containing `part`.
#define CHECK_LBIB_ERROR(expr, exit_code, part)                                      \
  do {                                                                               \
    try {                                                                            \
      expr;                                                                          \
      FAIL("expected lbib::Error");                                                  \
    } catch (const lbib::Error& lbib_error_) {                                       \
      CHECK(lbib_error_.code() == (exit_code));                                      \
      CHECK_MESSAGE(std::string(lbib_error_.what()).find(part) != std::string::npos, \
                    "message was: " << std::string(lbib_error_.what()));             \
    }                                                                                \
  } while (false)

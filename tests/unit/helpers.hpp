// SPDX-License-Identifier: MIT
#pragma once

#include <doctest/doctest.h>

#include "lbib/error.hpp"

// Checks that `expr` throws lbib::Error with `exit_code` and a message containing `part`.
#define CHECK_LBIB_ERROR(expr, exit_code, part)                                 \
  do {                                                                          \
    try {                                                                       \
      expr;                                                                     \
      FAIL("expected lbib::Error");                                             \
    } catch (const lbib::Error& lbib_error_) {                                  \
      CHECK(lbib_error_.code() == (exit_code));                                 \
      CHECK_MESSAGE(std::string(lbib_error_.what()).find(part) != std::string::npos, \
                    "message was: " << std::string(lbib_error_.what()));        \
    }                                                                           \
  } while (false)

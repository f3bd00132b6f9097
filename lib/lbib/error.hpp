// SPDX-License-Identifier: MIT
#pragma once

#include <fmt/format.h>

#include <stdexcept>
#include <string>
#include <utility>

#include "lbib/text/i18n.hpp"

namespace lbib {

/// Process exit codes, taken from sysexits.h. The README and `lbib --help` document them.
enum class ExitCode : int {
  ok = 0,
  usage = 64,        // EX_USAGE: wrong command-line syntax
  data = 65,         // EX_DATAERR: invalid input data, or a file that is not a usable register
  no_input = 66,     // EX_NOINPUT: no such record or file
  software = 70,     // EX_SOFTWARE: a bug in lbib
  os_error = 71,     // EX_OSERR: the system ran out of memory (or another resource)
  cant_create = 73,  // EX_CANTCREAT: refusing to create or overwrite an output
  io = 74,           // EX_IOERR: reading or writing failed (disk full, read-only)
  temp_fail = 75,    // EX_TEMPFAIL: the database is busy; try again later
  no_perm = 77,      // EX_NOPERM: unsafe file permissions
  config = 78,       // EX_CONFIG: configuration error
};

/// The exception for every expected failure. It carries the exit code; `main` catches it
/// once and prints `lbib: error: <message>`. Messages never contain personal data.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, const std::string& message) : std::runtime_error(message), m_code(code) {}

  /// The exit code the process ends with.
  ExitCode code() const noexcept { return m_code; }

 private:
  ExitCode m_code;
};

/// Builds an Error from a fmt format string, checked at compile time in English and
/// translated at run time (i18n::tr_format, which falls back to the English text if a
/// translation does not fit the arguments).
template <typename... Args>
Error make_error(ExitCode code, fmt::format_string<Args...> format, Args&&... args) {
  return Error(code, i18n::tr_format(format, std::forward<Args>(args)...));
}

}  // namespace lbib

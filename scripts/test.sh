#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what lbib needs, builds it with warnings as errors, and runs the tests through CTest.
#
#   scripts/test.sh           the whole default suite, what CI runs (14 minutes here):
#     1. build/test: gcc, optimised; the unit tests, the reliability harnesses, the benchmarks
#        as smoke tests and the Debian package (which builds its own tree, beside the others)
#     2. build/sanitize: clang with AddressSanitizer, UndefinedBehaviorSanitizer and
#        libFuzzer's coverage; the unit and end-to-end tests (with Chromium for the pages), then
#        each libFuzzer target for 15 s over its corpus (scripts/fuzz.sh, which builds its
#        targets in the same tree). The end-to-end tests run once, here, under the sanitizers.
#   scripts/test.sh --quick   the inner loop: step 1's build, the unit and end-to-end tests
#                             only (under three minutes once built)
#   LBIB_SKIP_SANITIZERS=1 / LBIB_SKIP_FUZZ=1   leave out step 2 (the end-to-end tests then run
#                             in step 1, after the package test) / step 2's fuzz runs
#
# Labelled runs kept out of the default suite: `ctest -L long` (2,000 crash trials) and
# `ctest -L valgrind` (the end-to-end tests under memcheck); docs/reliability.md has figures.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0
case "${1:-}" in
  --quick) quick=1 ;;
  "") ;;
  *)
    echo "usage: scripts/test.sh [--quick]" >&2
    exit 2
    ;;
esac

scripts/install-deps.sh
jobs=$(nproc)

build() {
  local dir=$1
  shift
  echo "== building $dir"
  cmake -S . -B "$dir" -DLBIB_WERROR=ON "$@" >/dev/null
  # Progress lines are noise; errors and warnings are not. pipefail keeps the build's status.
  cmake --build "$dir" -j "$jobs" 2>&1 | { grep -Ev '^\[ *[0-9]+%\]|^(Consolidate|Scanning)' || true; }
}

run_tests() {
  local dir=$1
  shift
  echo "== testing $dir"
  ctest --test-dir "$dir" --output-on-failure -j "$jobs" "$@"
}

build build/test -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "$quick" = 1 ]; then
  run_tests build/test -L "unit|cli"
  exit 0
fi
# The package test installs /usr/bin/lbib for a while: it runs beside the tests that name
# their binary (unit, reliability, bench), never beside the end-to-end tests, which run scripts.
run_tests build/test -LE "long|valgrind|cli"

if [ "${LBIB_SKIP_SANITIZERS:-0}" = 1 ]; then
  run_tests build/test -L cli
  exit 0
fi

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
# The same tree as scripts/fuzz.sh: one clang build serves both.
CXX=clang++-14 build build/sanitize -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLBIB_FUZZ=ON
# The reliability and benchmark harnesses time and kill processes; the sanitizers only slow
# them down, so they run in step 1 alone.
run_tests build/sanitize -L "unit|cli"
if [ "${LBIB_SKIP_FUZZ:-0}" != 1 ]; then
  LBIB_FUZZ_SECONDS=${LBIB_FUZZ_SECONDS:-15} scripts/fuzz.sh
fi

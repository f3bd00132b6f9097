#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs what lbib needs, builds it with warnings as errors, and runs every test through
# CTest: once on a normal build and once under AddressSanitizer + UndefinedBehaviorSanitizer.
#   scripts/test.sh            the whole default suite
#   LBIB_SKIP_SANITIZERS=1 scripts/test.sh   only the normal build (quicker while developing)
#   LBIB_SKIP_FUZZ=1 scripts/test.sh         without the brief libFuzzer runs (scripts/fuzz.sh)
# Labelled runs kept out of the default suite: `ctest -L long` (2,000 crash trials) and
# `ctest -L valgrind` (the end-to-end tests under memcheck); docs/reliability.md has figures.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
jobs=$(nproc)

run_suite() {
  local name=$1
  shift
  echo "== building build/$name"
  cmake -S . -B "build/$name" -DLBIB_WERROR=ON "$@" >/dev/null
  # Progress lines are noise; errors and warnings are not. pipefail keeps the build's status.
  cmake --build "build/$name" -j "$jobs" 2>&1 | { grep -Ev '^\[ *[0-9]+%\]|^(Consolidate|Scanning)' || true; }
  echo "== testing build/$name"
  ctest --test-dir "build/$name" --output-on-failure -j "$jobs" -LE "long|valgrind"
}

run_suite test -DCMAKE_BUILD_TYPE=RelWithDebInfo
if [ "${LBIB_SKIP_SANITIZERS:-0}" != 1 ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1:strict_string_checks=1
  export LSAN_OPTIONS=suppressions=$PWD/tests/lsan.supp:print_suppressions=0
  export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
  run_suite asan -DCMAKE_BUILD_TYPE=Debug -DLBIB_SANITIZE=ON
fi
if [ "${LBIB_SKIP_FUZZ:-0}" != 1 ]; then
  # Each fuzz target briefly over its seed corpus; a longer run is in docs/reliability.md.
  LBIB_FUZZ_SECONDS=${LBIB_FUZZ_SECONDS:-15} scripts/fuzz.sh
fi

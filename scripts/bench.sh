#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Benchmarks lbib beside the sqlite3 shell and taskwarrior on synthetic registers (tests/bench/).
#   scripts/bench.sh [SIZE...]     default: 1000 10000 100000
# Prints the Markdown table docs/performance.md shows. CI runs `scripts/bench.sh 1000` as a
# smoke test that it still works; timings are never asserted in tests.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
lbib=$(scripts/build.sh release)
sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(1000 10000 100000)
exec /usr/bin/python3 tests/bench/bench.py --lbib "$lbib" --sizes "${sizes[@]}"

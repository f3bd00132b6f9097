#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds the libFuzzer targets (tests/fuzz) with clang and runs each over its seed corpus.
#   scripts/fuzz.sh              each target for 20 s (what scripts/test.sh runs)
#   LBIB_FUZZ_SECONDS=600 scripts/fuzz.sh   a longer run; the figures go to docs/reliability.md
# A broken invariant or a sanitizer finding stops the run with the input saved under
# build/sanitize/findings/<target>/ and a non-zero exit.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${LBIB_FUZZ_SECONDS:-20}
targets=${LBIB_FUZZ_TARGETS:-"fuzz_mail fuzz_csv fuzz_config fuzz_import fuzz_inbox"}

# The sanitizer tree of scripts/test.sh: when that has run, the targets are already built.
tree=build/sanitize
echo "== building the fuzz targets in $tree (clang, libFuzzer, ASan+UBSan)"
CXX=clang++-14 cmake -S . -B "$tree" -DLBIB_FUZZ=ON -DLBIB_WERROR=ON \
  -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$tree" --target fuzz -j "$(nproc)" 2>&1 | { grep -Ev '^\[ *[0-9]+%\]|^(Consolidate|Scanning)' || true; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
status=0
for target in $targets; do
  name=${target#fuzz_}
  work=$tree/corpus/$name        # grows as the fuzzer learns; the seeds stay in tests/
  findings=$tree/findings/$name
  mkdir -p "$work" "$findings"
  log=$tree/$target.log
  echo "== $target for ${seconds}s"
  seeds=("tests/fuzz/corpus/$name")
  if [ "$name" = config ]; then
    seeds+=(config)  # the shipped configuration is a seed too, without a copy to drift
  fi
  if ! "$tree/tests/fuzz/$target" "$work" "${seeds[@]}" \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
      -artifact_prefix="$findings/" -print_final_stats=1 >"$log" 2>&1; then
    status=1
    grep -E "ERROR|invariant|SUMMARY|Test unit written" "$log" | head -20 >&2
  fi
  # One line of figures per target: executions, speed, coverage, corpus size.
  runs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  speed=$(grep -oE 'stat::average_exec_per_sec: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo 0)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
  echo "   $target: $runs executions, $speed/s, coverage $cov, corpus $(ls "$work" | wc -l) files, crashes $(ls "$findings" | wc -l)"
done
exit $status

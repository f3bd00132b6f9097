#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Writes the yearly statistics into a folder: Figure 3 as CSV and SVG, Table 1 and the other
# tables as CSV, and a self-contained HTML report (Figure 3, Table 1, pool gaps, follow-up
# outcomes) that prints on A4.
#
#   scripts/yearly-stats.sh OUTDIR [--from YEAR|DATE] [--to YEAR|DATE]
#
# Environment: LBIB (the lbib binary, default lbib on PATH), LBIB_DB, LBIB_CONFIG.
# Exit codes: 0 written; 64 usage; 73 OUTDIR cannot be created or written; otherwise lbib's own.
set -euo pipefail

. "$(dirname "$0")/lib/find-lbib.sh"  # sets $lbib
if [ $# -lt 1 ] || [ "${1#-}" != "$1" ]; then
  echo "usage: yearly-stats.sh OUTDIR [--from YEAR|DATE] [--to YEAR|DATE]" >&2
  exit 64
fi
out=$1
shift

umask 077
if ! mkdir -p -- "$out" 2>/dev/null || [ ! -w "$out" ]; then
  echo "yearly-stats: error: cannot write to the folder $out; give a folder you can write to" >&2
  exit 73
fi

# Each file is written beside its final name and renamed, so a failure leaves no half file.
write() {
  local name=$1
  shift
  "$lbib" "$@" > "$out/.$name.tmp"
  mv -f -- "$out/.$name.tmp" "$out/$name"
}
trap 'rm -f -- "$out"/.*.tmp' EXIT

write figure3.csv report yearly --format csv "$@"
write figure3.svg report yearly --format svg "$@"
# Kept outside the register: no free text (an erasure could not reach it here).
write table1.csv report requests --format csv --no-free-text "$@"
write followups.csv report followups --format csv "$@"
write recruitment.csv report recruitment --format csv "$@"
write pool.csv report pool --format csv
write experts.csv report experts --format csv
write report.html report annual --format html --no-free-text "$@"
echo "$out"

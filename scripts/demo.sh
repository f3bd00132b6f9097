#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command: installs what lbib needs, builds it, and runs the main job on a
# demo library in an SQLite file under demo/ (recreated on every run). Every person in it is
# invented.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
lbib=$(scripts/build.sh release)
demo=${LBIB_DEMO_DIR:-$PWD/demo}
rm -rf "$demo"
mkdir -p "$demo"
export LBIB_DB="$demo/lbib.sqlite"
unset LBIB_CONFIG

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }

say "lbib init"
"$lbib" init

say "lbib recruit (three invented experts after their interviews)"
"$lbib" recruit --name "Astrid Påhittad" --email astrid@example.se --municipality Eskilstuna \
  --birth-year 1952 --retired yes --channel personal-contact --interviewed 2026-09-02 \
  --experience relative:dementia:2019:major --experience patient:dental-care::everyday \
  --consent register,mailing
"$lbib" recruit --name "Bengt Exempelsson" --email bengt@example.se --municipality Nyköping \
  --birth-year 1979 --channel relatives-centre --interviewed 2026-09-10 \
  --experience patient:cancer-care:2021:major --experience relative:elderly-care \
  --consent register,mailing,website
"$lbib" recruit --name "Cilla Testdotter" --email cilla@example.se --municipality Katrineholm \
  --birth-year 1995 --born-abroad yes --channel social-media --interviewed 2026-10-01 \
  --experience client:social-services:2015:major --consent register

say "lbib expert list"
"$lbib" expert list

say "lbib expert list --area dementia --format json"
"$lbib" expert list --area dementia --format json

say "lbib check"
"$lbib" check

printf '\nThe demo register is %s\n' "$LBIB_DB"

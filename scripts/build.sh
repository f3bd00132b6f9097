#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Builds lbib into build/<name> (default build/release) and prints the binary's path.
#   scripts/build.sh [name] [extra cmake arguments...]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:-release}
shift || true
cmake -S . -B "build/$name" -DCMAKE_BUILD_TYPE=RelWithDebInfo "$@" >/dev/null
cmake --build "build/$name" -j "$(nproc)" >/dev/null
echo "$PWD/build/$name/cmd/lbib"

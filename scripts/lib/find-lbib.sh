#!/bin/bash
# SPDX-License-Identifier: MIT
# Sourced (not run) by lbib's scripts: sets $lbib to the lbib binary they run.
#   1. $LBIB when set (cron lines and systemd units may set it);
#   2. run from lbib's source tree (scripts/ beside CMakeLists.txt): the tree's own build,
#      build/release/cmd/lbib (what scripts/build.sh and scripts/demo.sh build), when it exists;
#   3. otherwise `lbib` on PATH: installed, the scripts live in /usr/libexec/lbib and the
#      binary in /usr/bin, which cron's and systemd's PATH both hold.
# $1 is the directory of the script that sources this file.
lbib_find_binary() {
  local here=$1 tree
  if [ -n "${LBIB:-}" ]; then
    printf '%s\n' "$LBIB"
    return
  fi
  for tree in "$here/.." "$here/../.."; do
    if [ -f "$tree/CMakeLists.txt" ] && [ -d "$tree/scripts" ] && [ -x "$tree/build/release/cmd/lbib" ]; then
      printf '%s\n' "$(cd "$tree" && pwd)/build/release/cmd/lbib"
      return
    fi
  done
  printf 'lbib\n'
}
lbib=$(lbib_find_binary "$(dirname "${BASH_SOURCE[1]:-$0}")")

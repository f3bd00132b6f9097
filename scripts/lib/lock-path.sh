#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sourced by the scripts that hold a lock on a register (cron-remind.sh, mail-and-record.sh).
#
#   lock_path BESIDE ELSEWHERE
#
# prints where the lock lives: beside $LBIB_DB as .NAME.sqliteBESIDE when LBIB_DB is set (so
# every colleague using that register shares it), else, one per configuration (and so per
# register it names), $XDG_RUNTIME_DIR/lbib-ELSEWHERE-KEY.lock or, without a private runtime
# folder, ~/.local/state/lbib/ELSEWHERE-KEY.lock. The caller checks the lock file itself.
lock_path() {
  local beside=$1 elsewhere=$2 key state
  if [ -n "${LBIB_DB:-}" ]; then
    printf '%s\n' "$(dirname -- "$LBIB_DB")/.$(basename -- "$LBIB_DB")$beside"
    return
  fi
  key=$(printf '%s' "${LBIB_CONFIG:-default}" | sha256sum | cut -c1-16)
  if [ -n "${XDG_RUNTIME_DIR:-}" ] && [ -d "$XDG_RUNTIME_DIR" ] && [ -O "$XDG_RUNTIME_DIR" ]; then
    printf '%s\n' "$XDG_RUNTIME_DIR/lbib-${elsewhere/KEY/$key}.lock"
  else
    state="${XDG_STATE_HOME:-${HOME:?set HOME, LBIB_DB or the lock variable}/.local/state}/lbib"
    mkdir -p -- "$state"
    chmod 700 -- "$state"
    printf '%s\n' "$state/${elsewhere/KEY/$key}.lock"
  fi
}

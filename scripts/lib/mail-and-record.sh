#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Shared by send-request.sh and send-followup.sh: compose messages with an lbib command, show
# them and ask on a terminal, hand each to sendmail, and record each only after sendmail
# accepted it.
#
#   mail-and-record.sh "COMMAND WORDS" [--yes] REQ [options for the lbib command]
#
# The lbib command must take REQ, --out DIR (prints the .eml paths), --preview, and
# --record FILE (e.g. "dispatch" or "followup summary").
#
# Environment: LBIB (the lbib binary, default: lbib on PATH), LBIB_DB, LBIB_CONFIG, SENDMAIL
# (a command, with arguments if needed, e.g. "msmtp --file=/etc/lbib/msmtprc").
# At a terminal, lbib asks the question (`lbib __confirm-send COUNT`), in the language lbib
# speaks (LANG, or the configuration's library.language).
# Exit codes: 0 sent and recorded; 1 not sent (declined at the question); 3 a message was sent
# but could not be recorded, even after waiting for a busy register: it is kept in
# ~/.local/state/lbib/unrecorded and the error says the command that records it;
# 69 sendmail failed (that message and later ones were not recorded); 75 another run kept the
# send lock longer than LBIB_SEND_WAIT seconds (default 600), or the lock cannot be trusted;
# otherwise lbib's own code.
#
# Compose, send and record run under a lock (flock) per register and request, so two runs for
# the same request (two terminals, two colleagues) never mail anyone twice: the second waits
# for the first, then composes for whoever is left, and says so when nobody is. The lock lies
# beside the register ($LBIB_DB's folder, as .NAME.send-KIND-REQ.lock, with the register's
# permissions so colleagues of its group share it) when LBIB_DB is set, else in
# $XDG_RUNTIME_DIR or ~/.local/state/lbib; LBIB_SEND_LOCK names another file.
set -euo pipefail

read -r -a command <<< "$1"
shift
. "$(dirname "$0")/find-lbib.sh"  # sets $lbib
. "$(dirname "$0")/lock-path.sh"  # lock_path
read -r -a sendmail <<< "${SENDMAIL:-/usr/sbin/sendmail}"
assume_yes=0
if [ "${1:-}" = "--yes" ]; then
  assume_yes=1
  shift
fi
if [ $# -lt 1 ]; then
  echo "usage: $(basename "$0") [--yes] REQ [options]" >&2
  exit 64
fi
request=$1
shift

umask 077

# The send lock: see the header.
refuse_lock() {
  echo "$(basename "$0"): error: $1; nothing was sent" >&2
  exit 75
}
kind=$(IFS=-; printf '%s' "${command[*]}")-${request//[^A-Za-z0-9-]/_}
if [ -n "${LBIB_SEND_LOCK:-}" ]; then
  lock=$LBIB_SEND_LOCK
else
  lock=$(lock_path ".send-$kind.lock" "send-KEY-$kind")
fi
lockdir=$(dirname -- "$lock")
[ -d "$lockdir" ] || refuse_lock "the folder of the lock $lock does not exist"
if (( (8#$(stat -L -c '%a' -- "$lockdir") & 8#002) != 0 )); then  # -L: a linked folder's own
  refuse_lock "the lock's folder $lockdir can be written by anyone"
fi
[ -L "$lock" ] && refuse_lock "the lock $lock is a symbolic link"
if [ ! -e "$lock" ]; then
  : >> "$lock"
  if [ -n "${LBIB_DB:-}" ] && [ -f "$LBIB_DB" ] && [ -z "${LBIB_SEND_LOCK:-}" ]; then
    chmod --reference="$LBIB_DB" -- "$lock" 2>/dev/null || true
  fi
fi
# Read-only is enough for flock, so a colleague's lock file serves too.
exec 9<"$lock" || refuse_lock "the lock $lock cannot be opened"
if ! flock -n 9; then
  echo "$(basename "$0"): another run is sending request $request; waiting for it to finish" >&2
  flock -w "${LBIB_SEND_WAIT:-600}" 9 ||
    refuse_lock "another run kept the lock $lock for more than ${LBIB_SEND_WAIT:-600} seconds"
fi

# The messages hold the experts' addresses: never leave them behind. A run that was killed
# (SIGKILL, a power cut) could not remove its folder: remove this user's folders whose run
# no longer exists (the name holds its process id), and older unnamed ones after a day.
tmp=${TMPDIR:-/tmp}
for old in "$tmp"/lbib-outbox.*; do
  [ -d "$old" ] && [ ! -L "$old" ] && [ -O "$old" ] || continue
  if [[ $old =~ /lbib-outbox\.([0-9]+)\.[^/]*$ ]]; then
    kill -0 "${BASH_REMATCH[1]}" 2>/dev/null && continue
    rm -rf -- "$old"
  elif [ -n "$(find "$old" -maxdepth 0 -mmin +1440)" ]; then
    rm -rf -- "$old"
  fi
done
work=$(mktemp -d "$tmp/lbib-outbox.$$.XXXXXX")
trap 'rm -rf "$work"' EXIT

interactive=0
if [ -t 0 ] && [ -t 2 ] && [ "$assume_yes" = 0 ]; then
  interactive=1
fi

preview=()
[ "$interactive" = 1 ] && preview=(--preview)
status=0
messages=$("$lbib" "${command[@]}" "$request" --out "$work" "${preview[@]}" "$@") || status=$?
if [ "$status" != 0 ]; then
  exit "$status"
fi

# Only the .eml files are mailed; any other file printed is a call list (people without e-mail,
# to telephone), shown at the end since the folder is removed.
calls=$(printf '%s\n' "$messages" | grep -v '\.eml$' | grep . || true)
messages=$(printf '%s\n' "$messages" | grep '\.eml$' || true)

if [ "$interactive" = 1 ]; then
  count=$(printf '%s\n' "$messages" | grep -c . || true)
  # lbib asks, in the language it speaks (LANG or the configuration's library.language).
  rc=0
  "$lbib" __confirm-send "$count" || rc=$?
  [ "$rc" = 0 ] || exit "$rc"
fi

# A message that went out but could not be recorded is kept where it can be recorded later.
keep_unrecorded() {
  local keep="${XDG_STATE_HOME:-$HOME/.local/state}/lbib/unrecorded"
  mkdir -p -m 700 -- "$keep"
  mv -- "$message" "${message%.eml}.json" "$keep/"
  echo "$(basename "$0"): error: $(basename "$message") WAS SENT, but recording it failed" \
    "(lbib exit $1); it is kept in $keep: record it with" \
    "lbib ${command[*]} $request --record $keep/$(basename "$message")" >&2
  exit 3
}

while IFS= read -r message; do
  [ -n "$message" ] || continue
  # What recording would refuse now (a colleague cancelled the request while this run waited at
  # the question, ...) stops the run before the message leaves.
  rc=0
  "$lbib" "${command[@]}" "$request" --record "$message" --check || rc=$?
  if [ "$rc" != 0 ]; then
    echo "$(basename "$0"): $(basename "$message") was not sent: lbib would not record it" >&2
    exit "$rc"
  fi
  rc=0
  "${sendmail[@]}" -t -i < "$message" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "$(basename "$0"): sendmail failed (exit $rc); $(basename "$message") was not recorded" >&2
    exit 69
  fi
  # Sent: record it, waiting out a colleague's long write (exit 75) rather than losing it.
  for attempt in 1 2 3 4 5 6; do
    rc=0
    "$lbib" "${command[@]}" "$request" --record "$message" || rc=$?
    [ "$rc" = 75 ] && [ "$attempt" -lt 6 ] || break
    sleep 2
  done
  [ "$rc" = 0 ] || keep_unrecorded "$rc"
done <<< "$messages"

while IFS= read -r list; do
  [ -n "$list" ] || continue
  echo
  cat "$list"
done <<< "$calls"

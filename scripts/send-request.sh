#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mails a request to matching experts by BCC, and records who received it.
#
#   scripts/send-request.sh [--yes] REQ [lbib dispatch options, e.g. --limit 8 or --experts 3,7]
#
# Composes the messages with `lbib dispatch REQ --out DIR`, shows a preview and asks before
# sending when run on a terminal (--yes skips the question), hands each message to
# ${SENDMAIL:-/usr/sbin/sendmail} -t -i, and records it with `lbib dispatch REQ --record`
# only after sendmail accepted it. Running it again after a failure sends only to the experts
# who have not received the request yet.
#
# Environment: LBIB (the lbib binary, default: lbib on PATH), LBIB_DB, LBIB_CONFIG, SENDMAIL
# (a command, with arguments if needed, e.g. "msmtp --file=/etc/lbib/msmtprc").
# Exit codes: 0 sent and recorded; 1 not sent (declined at the question);
# 69 sendmail failed (that message and later ones were not recorded); otherwise lbib's own code.
set -euo pipefail

lbib=${LBIB:-lbib}
read -r -a sendmail <<< "${SENDMAIL:-/usr/sbin/sendmail}"
assume_yes=0
if [ "${1:-}" = "--yes" ]; then
  assume_yes=1
  shift
fi
if [ $# -lt 1 ]; then
  echo "usage: send-request.sh [--yes] REQ [lbib dispatch options]" >&2
  exit 64
fi
request=$1
shift

umask 077
work=$(mktemp -d "${TMPDIR:-/tmp}/lbib-dispatch.XXXXXX")
# The messages hold the experts' addresses: never leave them behind.
trap 'rm -rf "$work"' EXIT

interactive=0
if [ -t 0 ] && [ -t 2 ] && [ "$assume_yes" = 0 ]; then
  interactive=1
fi

preview=()
[ "$interactive" = 1 ] && preview=(--preview)
status=0
messages=$("$lbib" dispatch "$request" --out "$work" "${preview[@]}" "$@") || status=$?
if [ "$status" != 0 ]; then
  exit "$status"
fi

if [ "$interactive" = 1 ]; then
  count=$(printf '%s\n' "$messages" | grep -c .)
  read -r -p "Skicka förfrågan ($count meddelande(n))? [j/N] " answer
  case "$answer" in
    j|J|ja|Ja|y|Y|yes) ;;
    *) echo "Inget skickades." >&2; exit 1 ;;
  esac
fi

while IFS= read -r message; do
  [ -n "$message" ] || continue
  rc=0
  "${sendmail[@]}" -t -i < "$message" || rc=$?
  if [ "$rc" != 0 ]; then
    echo "send-request: sendmail failed (exit $rc); $(basename "$message") was not recorded" >&2
    exit 69
  fi
  "$lbib" dispatch "$request" --record "$message"
done <<< "$messages"

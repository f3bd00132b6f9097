#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mails a request to matching experts by BCC, and records who received it.
#
#   scripts/send-request.sh [--yes] REQ [--limit N | --experts ID,...]
#
# Composes with `lbib dispatch REQ --out DIR`, shows a preview and asks before sending on a
# terminal (--yes skips the question), hands each message to ${SENDMAIL:-/usr/sbin/sendmail}
# -t -i, and records it with `lbib dispatch REQ --record` only after sendmail accepted it.
# Running it again after a failure sends only to experts who have not received the request.
# Environment and exit codes: see scripts/lib/mail-and-record.sh and docs/lending.md.
exec "$(dirname "$0")/lib/mail-and-record.sh" "dispatch" "$@"

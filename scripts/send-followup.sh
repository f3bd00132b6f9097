#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mails the follow-up summary of a loan by BCC to the experts who took part, and records it.
#
#   scripts/send-followup.sh [--yes] REQ
#
# Composes with `lbib followup summary REQ --out DIR`, then works as send-request.sh does:
# preview and question on a terminal, sendmail, record only what sendmail accepted.
# Environment and exit codes: see scripts/lib/mail-and-record.sh and docs/followup.md.
exec "$(dirname "$0")/lib/mail-and-record.sh" "followup summary" "$@"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mails a closing mailing by BCC and records who received it:
#
#   scripts/send-closing.sh [--yes] notice|survey-experts|survey-borrowers
#
# Works as send-request.sh does (preview and question on a terminal, sendmail, record only
# what sendmail accepted). Environment and exit codes: see scripts/lib/mail-and-record.sh.
exec "$(dirname "$0")/lib/mail-and-record.sh" "close mail" "$@"

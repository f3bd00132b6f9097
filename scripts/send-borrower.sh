#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mails the borrower's contact person about a request, To them alone, and records it:
#
#   scripts/send-borrower.sh [--yes] conditions|feedback-reminder|summary|survey REQ
#
# conditions: the three conditions in writing with the request as recorded (after the
# pre-meeting); feedback-reminder: the borrower's own feedback duty (once, from `lbib remind`,
# so cron can run it); summary: the summary of the follow-up meeting; survey: the borrower's
# survey after the loan finished. Each goes once. Works as send-request.sh does (preview and
# question on a terminal, sendmail, record only what sendmail accepted). Environment and exit
# codes: see scripts/lib/mail-and-record.sh.
set -euo pipefail
yes=()
if [ "${1:-}" = "--yes" ]; then
  yes=(--yes)
  shift
fi
usage() {
  echo "usage: $(basename "$0") [--yes] conditions|feedback-reminder|summary|survey REQ" >&2
  exit 64
}
[ $# -ge 2 ] || usage
kind=$1
shift
case "$kind" in
  conditions|feedback-reminder|summary|survey) ;;
  *) usage ;;
esac
exec "$(dirname "$0")/lib/mail-and-record.sh" "followup borrower $kind" "${yes[@]}" "$@"

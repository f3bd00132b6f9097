#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Mails the experts' questionnaire after a loan, one message to each expert who took part (never
# with anyone else), and records it; with --reminder, the one reminder to those who have not
# answered after reminders.questionnaire_days (each expert is reminded once, never again).
#
#   scripts/send-questionnaire.sh [--reminder] [--yes] REQ
#
# Works as send-request.sh does (preview and question on a terminal, sendmail, record only
# what sendmail accepted). Environment and exit codes: see scripts/lib/mail-and-record.sh.
command="followup questionnaire"
if [ "${1:-}" = "--reminder" ]; then
  command="followup questionnaire-reminder"
  shift
fi
exec "$(dirname "$0")/lib/mail-and-record.sh" "$command" "$@"

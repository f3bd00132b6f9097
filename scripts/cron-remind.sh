#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# For cron: mails the contact persons what is due (lbib remind), and nothing when nothing is.
#
#   scripts/cron-remind.sh [--today YYYY-MM-DD]
#
# Takes a lock with flock so two runs never overlap (a second run exits 0 at once), runs
# `lbib remind --mail`, and hands the message to ${SENDMAIL:-/usr/sbin/sendmail} -t -i only
# when something is due. Cron sets almost no environment: set LBIB (the lbib binary), LBIB_DB,
# LBIB_CONFIG (whose library.contact_persons receive the mail) and SENDMAIL in the crontab;
# docs/followup.md shows the line. Exit codes: 0 done (or another run holds the lock);
# 69 sendmail failed; otherwise lbib's own code.
set -euo pipefail

. "$(dirname "$0")/lib/find-lbib.sh"  # sets $lbib
read -r -a sendmail <<< "${SENDMAIL:-/usr/sbin/sendmail}"
lock=${LBIB_REMIND_LOCK:-${XDG_RUNTIME_DIR:-/tmp}/lbib-remind-$(id -u).lock}

umask 077
exec 9>>"$lock"
if ! flock -n 9; then
  exit 0  # another run is busy; it will send what is due
fi

message=$("$lbib" remind --mail "$@")
if [ -z "$message" ]; then
  exit 0
fi
rc=0
printf '%s\n' "$message" | "${sendmail[@]}" -t -i || rc=$?
if [ "$rc" != 0 ]; then
  echo "cron-remind: sendmail failed (exit $rc); the reminders were not sent" >&2
  exit 69
fi

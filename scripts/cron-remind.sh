#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# For cron: mails the contact persons what is due (lbib remind), and nothing when nothing is;
# and reminds each borrower whose feedback to the experts is due (send-borrower.sh
# feedback-reminder, once per request).
#
#   scripts/cron-remind.sh [--today YYYY-MM-DD]
#
# Takes a lock with flock so two runs for the same register never overlap, runs
# `lbib remind --mail`, and hands the message to ${SENDMAIL:-/usr/sbin/sendmail} -t -i only
# when something is due. Cron sets almost no environment: set LBIB (the lbib binary), LBIB_DB,
# LBIB_CONFIG (whose library.contact_persons receive the mail) and SENDMAIL in the crontab;
# docs/followup.md shows the line.
#
# The lock is per register and only its owner can write where it lies: beside the register
# ($LBIB_DB's folder, as .NAME.remind-lock) when LBIB_DB is set, else in $XDG_RUNTIME_DIR,
# else in a private folder ${XDG_STATE_HOME:-~/.local/state}/lbib (mode 0700); never in a
# shared folder such as /tmp. LBIB_REMIND_LOCK names another file. A lock file that is a
# symbolic link, belongs to another user, or lies in a folder others may write is refused.
#
# Exit codes: 0 done; 69 sendmail failed (a borrower's reminder failing exits with
# send-borrower.sh's code, after the digest was sent); 75 another run holds the lock, or the lock
# cannot be trusted (said on stderr: nothing was sent, cron mails the message);
# otherwise lbib's own code.
set -euo pipefail

. "$(dirname "$0")/lib/find-lbib.sh"  # sets $lbib
. "$(dirname "$0")/lib/lock-path.sh"  # lock_path
read -r -a sendmail <<< "${SENDMAIL:-/usr/sbin/sendmail}"

umask 077
if [ -n "${LBIB_REMIND_LOCK:-}" ]; then
  lock=$LBIB_REMIND_LOCK
else
  lock=$(lock_path .remind-lock remind-KEY)
fi

refuse_lock() {
  echo "cron-remind: error: $1; no reminders were sent" >&2
  exit 75
}
lockdir=$(dirname -- "$lock")
[ -d "$lockdir" ] || refuse_lock "the folder of the lock $lock does not exist"
# Only the owner (and root) may be able to replace the lock: no folder others can write.
perm=$(stat -L -c '%a' -- "$lockdir")  # -L: the folder a link points to
owner=$(stat -L -c '%u' -- "$lockdir")
if [ "$owner" != "$(id -u)" ] && [ "$owner" != 0 ]; then
  refuse_lock "the lock's folder $lockdir belongs to another user"
fi
if (( (8#$perm & 8#022) != 0 )) && [ "$lock" != "${LBIB_REMIND_LOCK:-}" ]; then
  refuse_lock "the lock's folder $lockdir can be written by others"
fi
if [ -L "$lock" ]; then
  refuse_lock "the lock $lock is a symbolic link"
fi
if [ -e "$lock" ] && [ ! -O "$lock" ]; then
  refuse_lock "the lock $lock belongs to another user ($(stat -c '%U' -- "$lock"))"
fi
exec 9>>"$lock"
if ! flock -n 9; then
  refuse_lock "another run holds the lock $lock (it sends what is due)"
fi

# The borrower's own feedback duty is reminded to the borrower itself, by mail and once: each
# request `lbib remind --all` lists for it (its command, the CSV's last column, is send-borrower.sh
# feedback-reminder REQ) gets its letter first, so the digest below no longer lists it; a
# letter that could not be sent stays in the digest for the contact persons.
borrowers=$("$lbib" remind --all --format csv "$@" |
  sed -n 's/.*;scripts\/send-borrower\.sh feedback-reminder \([0-9][0-9]*\)\r\{0,1\}$/\1/p')
borrower_failed=0
for request in $borrowers; do
  rc=0
  "$(dirname "$0")/send-borrower.sh" --yes feedback-reminder "$request" > /dev/null || rc=$?
  if [ "$rc" != 0 ]; then
    echo "cron-remind: the borrower of request $request was not reminded of its feedback" \
      "(exit $rc); the contact persons' reminder names it" >&2
    borrower_failed=$rc
  fi
done

message=$("$lbib" remind --mail "$@")
if [ -z "$message" ]; then
  exit "$borrower_failed"
fi
rc=0
printf '%s\n' "$message" | "${sendmail[@]}" -t -i || rc=$?
if [ "$rc" != 0 ]; then
  echo "cron-remind: sendmail failed (exit $rc); the reminders were not sent" >&2
  exit 69
fi
exit "$borrower_failed"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes an encrypted backup of the register and keeps the newest few.
#
#   scripts/backup.sh [DESTDIR]      (default: $LBIB_BACKUP_DIR, as the systemd unit uses it)
#
# Takes an online copy with `lbib backup -` (safe while others use the register) and encrypts
# it on the fly with age to LBIB_BACKUP_RECIPIENT (an age public key "age1...", or a file of
# recipients): the unencrypted copy only ever exists in lbib's memory and the pipe, never in a
# file. The encrypted copy is written as DESTDIR/.lbib-STAMP.sqlite.age.partial and renamed to
# DESTDIR/lbib-YYYYmmddTHHMMSSZ.sqlite.age once age succeeded and the file starts with age's
# header; a partial file a killed run left is removed by the next run.
#
# Rotation keeps the newest ${LBIB_BACKUP_KEEP:-14} backups and deletes only files it can prove
# are its own complete backups: a regular file (not a link) owned by this user, named exactly
# lbib-YYYYmmddTHHMMSSZ.sqlite.age, starting with the age header, dated no later than now.
# It never deletes the backup it just made. A backup dated in the future (a clock that was
# once wrong) is never deleted and never counted; the script names it on stderr.
# Restoring: docs/gdpr.md ("Restore drill").
#
# Environment: LBIB (the lbib binary), LBIB_BACKUP_DIR, LBIB_DB, LBIB_CONFIG, LBIB_BACKUP_RECIPIENT,
# LBIB_BACKUP_KEEP. Exit codes: 0 written; 64 usage; 73 DESTDIR not writable;
# 78 no recipient; 74 age's output is not a complete age file; otherwise lbib's or age's own.
set -euo pipefail

. "$(dirname "$0")/lib/find-lbib.sh"  # sets $lbib
keep=${LBIB_BACKUP_KEEP:-14}
if [ $# -gt 1 ] || { [ $# -eq 0 ] && [ -z "${LBIB_BACKUP_DIR:-}" ]; }; then
  echo "usage: backup.sh DESTDIR (or set LBIB_BACKUP_DIR)" >&2
  exit 64
fi
dest=${1:-$LBIB_BACKUP_DIR}
recipient=${LBIB_BACKUP_RECIPIENT:-}
if [ -z "$recipient" ]; then
  echo "backup: error: set LBIB_BACKUP_RECIPIENT to an age public key (age1...) or a recipients file" >&2
  exit 78
fi
case "$keep" in
  ''|*[!0-9]*|0) echo "backup: error: LBIB_BACKUP_KEEP must be a whole number from 1" >&2; exit 64 ;;
esac

umask 077
if ! mkdir -p -- "$dest" 2>/dev/null || [ ! -w "$dest" ]; then
  echo "backup: error: cannot write to the folder $dest" >&2
  exit 73
fi

age_header='age-encryption.org/v1'
# True when FILE is a complete backup of this script's making (see the header comment).
own_backup() {
  local f=$1
  [ -f "$f" ] && [ ! -L "$f" ] && [ -O "$f" ] && [ -s "$f" ] &&
    [ "$(head -c ${#age_header} -- "$f" 2>/dev/null)" = "$age_header" ]
}

# Encrypted leftovers of runs that were killed (never plaintext: that stays in memory).
find "$dest" -maxdepth 1 -type f -user "$(id -u)" -name '.lbib-*.sqlite.age.partial' \
  -mmin +60 -delete 2>/dev/null || true

stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="lbib-$stamp.sqlite.age"
partial="$dest/.lbib-$stamp.$$.sqlite.age.partial"
trap 'rm -f -- "$partial"' EXIT
if [ -f "$recipient" ]; then
  recipients=(-R "$recipient")
else
  recipients=(-r "$recipient")
fi
"$lbib" backup - | age "${recipients[@]}" -o "$partial"
if ! own_backup "$partial"; then
  echo "backup: error: age did not write a complete encrypted file; nothing was kept" >&2
  exit 74
fi
if [ -e "$dest/$name" ]; then
  echo "backup: error: $dest/$name already exists; not overwritten" >&2
  exit 73
fi
mv -- "$partial" "$dest/$name"

# Rotation, among this script's own complete backups dated up to now.
mapfile -t backups < <(find "$dest" -maxdepth 1 -name 'lbib-*.sqlite.age' -printf '%f\n' | sort)
ours=()
for f in "${backups[@]}"; do
  [[ $f =~ ^lbib-([0-9]{8}T[0-9]{6}Z)\.sqlite\.age$ ]] || continue
  if [[ ${BASH_REMATCH[1]} > $stamp ]]; then
    echo "backup: warning: $dest/$f is dated in the future (a clock that was wrong?); it is kept and not counted in the rotation" >&2
    continue
  fi
  if ! own_backup "$dest/$f"; then
    echo "backup: warning: $dest/$f is not a complete backup of this user's (not age, empty, a link or another owner's); left alone" >&2
    continue
  fi
  ours+=("$f")
done
excess=$(( ${#ours[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
  [ "${ours[$i]}" = "$name" ] && continue  # never the one just made
  rm -f -- "${dest:?}/${ours[$i]}"
done
echo "$dest/$name"

#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Makes an encrypted backup of the register and keeps the newest few.
#
#   scripts/backup.sh [DESTDIR]      (default: $LBIB_BACKUP_DIR, as the systemd unit uses it)
#
# Takes an online copy with `lbib backup` (safe while others use the register), encrypts it
# with age to LBIB_BACKUP_RECIPIENT (an age public key "age1...", or a file of recipients),
# writes DESTDIR/lbib-YYYYmmddTHHMMSSZ.sqlite.age, and deletes all but the newest
# ${LBIB_BACKUP_KEEP:-14}. The unencrypted copy never leaves a private temporary directory,
# which is removed. Restoring: docs/gdpr.md ("Restore drill").
#
# Environment: LBIB (the lbib binary), LBIB_BACKUP_DIR, LBIB_DB, LBIB_CONFIG, LBIB_BACKUP_RECIPIENT,
# LBIB_BACKUP_KEEP. Exit codes: 0 written; 64 usage; 73 DESTDIR not writable;
# 78 no recipient; otherwise lbib's or age's own.
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
work=$(mktemp -d "${TMPDIR:-/tmp}/lbib-backup.XXXXXX")
trap 'rm -rf "$work"' EXIT

stamp=$(date -u +%Y%m%dT%H%M%SZ)
name="lbib-$stamp.sqlite"
"$lbib" backup "$work/$name" >/dev/null
if [ -f "$recipient" ]; then
  recipients=(-R "$recipient")
else
  recipients=(-r "$recipient")
fi
age "${recipients[@]}" -o "$work/$name.age" "$work/$name"
mv -- "$work/$name.age" "$dest/$name.age"

# Rotation: names sort by time, so everything but the newest $keep goes.
mapfile -t old < <(find "$dest" -maxdepth 1 -name 'lbib-*.sqlite.age' -printf '%f\n' | sort | head -n -"$keep")
for f in "${old[@]}"; do
  rm -f -- "$dest/$f"
done
echo "$dest/$name.age"

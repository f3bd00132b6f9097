#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The Debian package, end to end, on this machine (as root): build it from the tree with
# dpkg-buildpackage, lint it with lintian (no error or warning), install it with dpkg, run
# the README's workflow against the installed /usr/bin/lbib and /usr/libexec/lbib scripts in a
# clean HOME (Swedish messages, bash completion, doctor), verify the systemd units, then
# `dpkg -r` and check that only the conffile and the register are left. Always purges the
# package again, also on failure, so no /usr/bin/lbib is left on the machine.
#
#   tests/package/test_package.sh SOURCE_DIR WORK_DIR
#
# WORK_DIR keeps the package build tree between runs (WORK_DIR/src/obj-*), so a second run
# only rebuilds what changed. Exit 0 passed, 1 failed, 77 skipped (not root, or an lbib not
# from this test is installed).
set -euo pipefail

src=$(cd "$1" && pwd)
work=$2
mkdir -p "$work"
work=$(cd "$work" && pwd)

if [ "$(id -u)" != 0 ]; then
  echo "SKIP: installing a package needs root"
  exit 77
fi
if [ -e /usr/bin/lbib ] && ! dpkg -S /usr/bin/lbib >/dev/null 2>&1; then
  echo "SKIP: /usr/bin/lbib exists and no package owns it; not touching it"
  exit 77
fi

home=$(mktemp -d /tmp/lbib-package-home.XXXXXX)
cleanup() {
  local rc=$?
  rm -f /etc/systemd/system/timers.target.wants/lbib-remind@root.timer \
    /etc/systemd/system/timers.target.wants/lbib-backup@root.timer
  dpkg --purge lbib >/dev/null 2>&1 || true
  rm -rf "$home"
  [ "$rc" = 0 ] && echo "PASS: package" || echo "FAIL: package (exit $rc)"
}
trap cleanup EXIT

step() { printf '== %s\n' "$*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# dpkg refuses while another dpkg or apt holds its lock: wait for it a while.
dpkg_locked() {
  local i
  for i in $(seq 60); do
    if "$@"; then return 0; fi
    fuser /var/lib/dpkg/lock-frontend /var/lib/dpkg/lock >/dev/null 2>&1 || return 1
    sleep 2
  done
  return 1
}

# --- build: a copy of the tree, keeping the previous build folder obj-* -------------------
step "building the package"
start=$(date +%s)
mkdir -p "$work/src"
find "$work/src" -mindepth 1 -maxdepth 1 ! -name 'obj-*' -exec rm -rf {} +
rm -f "$work"/lbib_*
# Files keep their times (tar), so an unchanged source is not compiled again. The test builds
# with `noopt` (-O0): what is checked here is the packaging (files, lintian, maintainer scripts,
# the installed workflow), and an unoptimised compile takes half the time in CI.
tar -C "$src" --exclude=./build --exclude=./.git --exclude=./demo --exclude='./build-*' \
  --exclude=__pycache__ -cf - . | tar -C "$work/src" -xf -
(cd "$work/src" && DEB_BUILD_OPTIONS="nocheck noopt parallel=$(nproc)" \
  dpkg-buildpackage -b -us -uc -nc >"$work/build.log" 2>&1) || {
  tail -40 "$work/build.log"
  fail "dpkg-buildpackage failed (log: $work/build.log)"
}
deb=$(ls "$work"/lbib_*_*.deb)
echo "built $(basename "$deb") in $(($(date +%s) - start)) s"

step "lintian"
start=$(date +%s)
lintian --fail-on error,warning --display-info "$work"/lbib_*.changes | tee "$work/lintian.log" ||
  fail "lintian found errors or warnings"
echo "lintian: $(grep -c . "$work/lintian.log" || true) tag(s) shown, in $(($(date +%s) - start)) s"

step "installing"
dpkg_locked dpkg -i "$deb" >/dev/null || fail "dpkg -i failed"
for f in /usr/bin/lbib /usr/share/man/man1/lbib.1.gz /usr/share/locale/sv/LC_MESSAGES/lbib.mo \
  /usr/share/bash-completion/completions/lbib /usr/share/zsh/vendor-completions/_lbib \
  /usr/share/doc/lbib/examples/lbib.toml /etc/lbib/config.toml \
  /usr/libexec/lbib/send-request.sh /usr/libexec/lbib/send-followup.sh \
  /usr/libexec/lbib/send-closing.sh /usr/libexec/lbib/cron-remind.sh \
  /usr/libexec/lbib/backup.sh /usr/libexec/lbib/yearly-stats.sh \
  /usr/libexec/lbib/lib/mail-and-record.sh /usr/libexec/lbib/lib/find-lbib.sh \
  /usr/libexec/lbib/lib/lock-path.sh \
  /lib/systemd/system/lbib-remind@.service /lib/systemd/system/lbib-remind@.timer \
  /lib/systemd/system/lbib-backup@.service /lib/systemd/system/lbib-backup@.timer; do
  [ -e "$f" ] || fail "the package did not install $f"
done
dpkg-query -W -f='${Conffiles}\n' lbib | grep -q '/etc/lbib/config.toml' ||
  fail "/etc/lbib/config.toml is not a conffile"
# Nothing of the build machine is compiled in: no path of the build tree in the binary.
if grep -q -a -F "$work/src" /usr/bin/lbib; then
  fail "/usr/bin/lbib contains the build path $work/src"
fi

step "systemd units"
if command -v systemd-analyze >/dev/null; then
  units=$(mktemp -d "$home/units.XXXXXX")
  # Templates are verified as instances, for an existing user.
  for u in lbib-remind@.service lbib-remind@.timer lbib-backup@.service lbib-backup@.timer; do
    cp "/lib/systemd/system/$u" "$units/${u/@/@root}"
  done
  (cd "$units" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no ./*.service ./*.timer) \
    2>&1 | tee "$home/verify.log"
  if grep -v -e 'Failed to connect' -e '^$' "$home/verify.log" | grep -q .; then
    fail "systemd-analyze verify complained"
  fi
  systemd-analyze calendar '*-*-* 07:00' '*-*-* 02:30' >/dev/null || fail "calendar"
else
  echo "systemd-analyze not installed: units not verified"
fi

# --- the README's workflow, in a clean HOME, against the installed lbib ---------------------
step "the README's workflow with /usr/bin/lbib"
mkdir -p "$home/bin" "$home/mail" "$home/backups"
cat >"$home/bin/sendmail" <<'SH'
#!/bin/sh
# Keeps each message in $HOME/mail instead of sending it.
cat > "$(mktemp "$HOME/mail/msg.XXXXXX")"
SH
chmod 755 "$home/bin/sendmail"
run() { env -i HOME="$home" PATH=/usr/bin:/bin LC_ALL=C.UTF-8 TZ=UTC SENDMAIL="$home/bin/sendmail" "$@"; }
[ "$(run sh -c 'command -v lbib')" = /usr/bin/lbib ] || fail "lbib on PATH is not /usr/bin/lbib"
run lbib init
run lbib recruit --name "Astrid Påhittad" --email astrid@example.se --municipality Eskilstuna \
  --birth-year 1952 --channel personal-contact --interviewed 2026-09-02 \
  --experience relative:dementia:2019:major --consent register,mailing >/dev/null
run lbib recruit --name "Bertil Exempel" --email bertil@example.se --channel website \
  --interviewed 2026-09-03 --experience relative:dementia:2020 --consent register,mailing >/dev/null
run lbib expert list --area dementia --format csv | grep -q "Påhittad" || fail "expert list"
run lbib borrower add --organisation "Region Exempel" --unit Utvecklingsenheten \
  --contact-name "Kim Låntagare" --contact-email kim@region.example.se >/dev/null
run lbib request new --borrower 1 --purpose "Digitala kallelser" --form focus-group \
  --want relative:dementia --experts 2 --time "3 dec kl. 13-15" --digital --reply-by "$(date -d "+14 days" +%F)" >/dev/null
run lbib request premeeting 1 --told-compensation --told-two-experts --told-feedback
run lbib match 1 >/dev/null
run /usr/libexec/lbib/send-request.sh --yes 1 </dev/null
[ "$(ls "$home/mail" | wc -l)" -ge 1 ] || fail "send-request.sh sent nothing"
# An expert's reply in a Maildir: `lbib inbox` loads GMime's module from /usr/lib/*/lbib.
id=$(grep -h -m1 '^Message-ID:' "$home"/mail/* | head -1 | sed 's/^Message-ID: *//; s/\r$//')
mkdir -p "$home/Maildir/new" "$home/Maildir/cur" "$home/Maildir/tmp"
printf 'From: astrid@example.se\r\nTo: kim@region.example.se\r\nSubject: Re: Förfrågan\r\nIn-Reply-To: %s\r\n\r\nJa, jag kommer.\r\n' \
  "$id" >"$home/Maildir/new/1.reply"
run lbib inbox "$home/Maildir" --format json | grep -q '"answer": *"yes"' ||
  fail "lbib inbox did not record the reply (MIME module: $(ls /usr/lib/*/lbib/ 2>&1))"
today=$(date +%F)
run lbib loan 1 --date "$today" --expert 1,2
run lbib followup book 1 --date "$today"
run lbib followup record 1 --date "$today" --satisfaction 5 --new-insights yes --compensation arranged \
  --answer how-it-went=Bra --answer contribution=Ja --answer insights=Nya \
  --answer use-of-results=Riktlinjer --answer feedback-plan=Brev
run /usr/libexec/lbib/send-followup.sh --yes 1 </dev/null
run lbib followup feedback 1 --date "$today"
run lbib pay 1 --expert 1 --unit half-day --status paid
run /usr/libexec/lbib/cron-remind.sh
run lbib report yearly --format csv >/dev/null
run /usr/libexec/lbib/yearly-stats.sh "$home/stats" >/dev/null
[ -s "$home/stats/report.html" ] || fail "yearly-stats.sh wrote no report.html"
if command -v age-keygen >/dev/null; then
  key=$(run age-keygen 2>/dev/null | grep -o 'age1[0-9a-z]*')
  run env LBIB_BACKUP_RECIPIENT="$key" LBIB_BACKUP_DIR="$home/backups" /usr/libexec/lbib/backup.sh >/dev/null
  ls "$home/backups" | grep -q '\.sqlite\.age$' || fail "backup.sh wrote no .age file"
fi
register="$home/.local/share/lbib/lbib.sqlite"
[ -f "$register" ] || fail "no register at $register"
[ -f "$register.last-remind" ] || fail "cron-remind.sh left no stamp for lbib doctor"

step "Swedish messages and the manual page"
out=$(run env LANGUAGE=sv lbib expert show 99 2>&1) && fail "expert show 99 succeeded"
echo "$out"
case "$out" in *"finns inte"*|*"ingen"*|*"Ingen"*) ;; *) fail "not Swedish: $out" ;; esac
# A fresh deployment: doctor names what is still to do (exit 2), in Swedish.
doctor=$(run env LANGUAGE=sv lbib doctor) && fail "doctor said all is ok on an unconfigured machine"
echo "$doctor"
grep -qx 'ok       svenska meddelanden i /usr/share/locale' <<<"$doctor" ||
  fail "doctor does not find the installed Swedish messages"
grep -qx 'ok       påminnelserna kördes senast .*' <<<"$doctor" && fail "no reminder job, yet ok"
grep -q '^problem  inget påminnelsejobb är installerat: ' <<<"$doctor" ||
  fail "doctor does not say that no reminder job is installed"
run man -w lbib >/dev/null 2>&1 || fail "man lbib: no manual page"

step "a complete deployment: timers enabled, doctor says ok on every line"
# What README's "Installing on a server" says, in the test's HOME: the settings, a private
# msmtp configuration with TLS, the two timers enabled. systemd is not PID 1 here, so
# `systemctl --root=/ enable` only makes the links (removed again below and in cleanup);
# the jobs themselves already ran above (cron-remind.sh, backup.sh).
mkdir -p "$home/.config/lbib"
cat >"$home/.config/lbib/config.toml" <<TOML
[library]
email = "lb@region.example.se"
contact_persons = [ { name = "Kim Kontakt", email = "kim@region.example.se" } ]
[gdpr]
controller = "Region Exempel"
contact = "registrator@region.example.se"
dpo = "dataskyddsombud@region.example.se"
[jobs]
backup_dir = "$home/backups"
TOML
printf 'defaults\ntls on\naccount default\nhost smtp.region.example.se\nport 587\n' >"$home/.msmtprc"
chmod 600 "$home/.msmtprc"
systemctl --root=/ enable lbib-remind@root.timer lbib-backup@root.timer >/dev/null 2>&1 ||
  fail "systemctl enable of the timers failed"
# The machine's disk is not encrypted: a fake sysfs says the register's device is LUKS.
dev=$(stat -c '%Hd:%Ld' "$register")
mkdir -p "$home/sys/dev/block/$dev/dm"
echo "CRYPT-LUKS2-0123-luks" >"$home/sys/dev/block/$dev/dm/uuid"
doctor=$(env -i HOME="$home" PATH=/usr/bin:/bin:/usr/sbin LC_ALL=C.UTF-8 TZ=UTC \
  LBIB_SYSFS="$home/sys" lbib doctor) || { echo "$doctor"; fail "doctor did not exit 0"; }
echo "$doctor"
grep -v '^ok       ' <<<"$doctor" && fail "a line that is not ok"
grep -qx 'ok       the reminders last ran .* (lbib-remind@root.timer)' <<<"$doctor" ||
  fail "doctor did not see the enabled timer"
systemctl --root=/ disable lbib-remind@root.timer lbib-backup@root.timer >/dev/null 2>&1

step "bash completion"
[ "$(run bash -c 'source /usr/share/bash-completion/completions/lbib && complete -p lbib')" != "" ] ||
  fail "the completion does not load in bash"
words=$(run bash -c 'source /usr/share/bash-completion/completions/lbib
  COMP_WORDS=(lbib exp); COMP_CWORD=1; COMP_LINE="lbib exp"; COMP_POINT=${#COMP_LINE}
  fn=$(complete -p lbib | sed -E "s/.*-F ([^ ]+).*/\1/"); "$fn" lbib exp lbib; echo "${COMPREPLY[*]}"')
case "$words" in *expert*) ;; *) fail "bash completion of 'lbib exp' gave: $words" ;; esac

step "removing (dpkg -r): only the conffile and the register stay"
dpkg_locked dpkg -r lbib >/dev/null || fail "dpkg -r failed"
[ ! -e /usr/bin/lbib ] || fail "/usr/bin/lbib is still there"
[ ! -e /usr/libexec/lbib ] || fail "/usr/libexec/lbib is still there"
[ ! -e /lib/systemd/system/lbib-remind@.timer ] || fail "the units are still there"
[ -f /etc/lbib/config.toml ] || fail "the conffile /etc/lbib/config.toml went with dpkg -r"
[ -f "$register" ] || fail "the register went with dpkg -r"
[ "$(dpkg-query -W -f='${db:Status-Status}' lbib)" = config-files ] || fail "not config-files"
dpkg_locked dpkg --purge lbib >/dev/null
[ ! -e /etc/lbib/config.toml ] || fail "/etc/lbib/config.toml stayed after purge"

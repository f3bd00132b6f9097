#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The README's first command: installs what lbib needs, builds it, and runs the main job on a
# demo library in an SQLite file under demo/ (recreated on every run): recruitment, a
# borrower's request, the pre-meeting, matching, the BCC mailing through real msmtp to a
# local SMTP server on 127.0.0.1, and the loan. Every person in it is invented.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

scripts/install-deps.sh
lbib=$(scripts/build.sh release)
demo=${LBIB_DEMO_DIR:-$root/demo}
rm -rf "$demo"
mkdir -p "$demo"
chmod 700 "$demo"
export LBIB_DB="$demo/lbib.sqlite"
unset LBIB_CONFIG

if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold=$'\033[1m' plain=$'\033[0m'; else bold='' plain=''; fi
say() { printf '\n%s== %s%s\n' "$bold" "$*" "$plain"; }
run() { printf '%s$ lbib %s%s\n' "$bold" "$*" "$plain"; "$lbib" "$@"; }

# A local SMTP server that stores what it receives, and msmtp set up to deliver to it.
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
/usr/bin/python3 -m aiosmtpd -n -l "127.0.0.1:$port" -c aiosmtpd.handlers.Mailbox "$demo/maildir" &
smtp_pid=$!
trap 'kill $smtp_pid 2>/dev/null || true' EXIT
cat > "$demo/msmtprc" <<RC
account default
host 127.0.0.1
port $port
auth off
tls off
from levande.bibliotek@example.se
RC
chmod 600 "$demo/msmtprc"
export SENDMAIL="/usr/bin/msmtp --file=$demo/msmtprc"
export LBIB="$lbib"

say "Part 1: Sörmlands Levande Bibliotek 2019-2022, replayed from the final report"
printf 'tests/fixtures/sormland.sh replays the report'"'"'s history with invented people...\n'
LBIB="$lbib" LBIB_DB="$demo/sormland.sqlite" "$root/tests/fixtures/sormland.sh"
(
  export LBIB_DB="$demo/sormland.sqlite" LBIB_CONFIG="$root/tests/fixtures/sormland.toml"
  say "Figure 3"
  run report yearly --from 2019 --to 2022
  say "Table 1"
  run report requests --format md
  LBIB="$lbib" "$root/scripts/yearly-stats.sh" "$demo/stats" --from 2019 --to 2022 >/dev/null
  printf '\nThe chart: %s\nThe HTML report (A4): %s\n' "$demo/stats/figure3.svg" "$demo/stats/report.html"
)

say "Part 2: a loan today, from request to finished, with real mail"
# The story ends today: the scripts record mail as sent today, and nothing can precede that.
day() { date -d "$1 days" +%F; }
today=$(day 0)

say "Set up the register"
run init

say "Recruitment: four invented experts after their interviews"
run recruit --name "Astrid Påhittad" --email astrid@example.se --municipality Eskilstuna \
  --birth-year 1952 --retired yes --channel personal-contact --interviewed 2026-09-02 \
  --experience relative:dementia:2019:major --experience patient:dental-care::everyday \
  --consent register,mailing
run recruit --name "Bengt Exempelsson" --email bengt@example.se --municipality Nyköping \
  --birth-year 1979 --channel relatives-centre --interviewed 2026-09-10 \
  --experience relative:dementia:2022:major --experience patient:cancer-care:2021:major \
  --consent register,mailing,website
run recruit --name "Cilla Testdotter" --email cilla@example.se --municipality Katrineholm \
  --birth-year 1995 --born-abroad yes --channel social-media --interviewed 2026-10-01 \
  --experience client:social-services:2015:major --consent register,mailing
run recruit --name "Dagny Prövare" --email dagny@example.se --municipality Flen \
  --birth-year 1948 --channel website --interviewed 2026-10-05 \
  --experience relative:dementia:2024:everyday --consent register
run expert list

say "A borrower sends a request"
run borrower add --organisation "Region Exempel" --unit "Utvecklingsenheten" \
  --contact-name "Kim Låntagare" --contact-email kim@region.example.se
run request new --borrower 1 --received "$(day -30)" \
  --purpose "Utveckla digitala kallelser så att de fungerar för anhöriga" \
  --form focus-group --want relative:dementia --experts 2

say "The digital pre-meeting; the borrower is told the library's three conditions"
run request premeeting 1 --date "$(day -23)" --told-compensation --told-two-experts --told-feedback
run request edit 1 --time "$today kl. 13.00–15.30" --digital --reply-by "$today"

say "Who matches (Dagny has not consented to mailing, so she is never sent requests)"
run match 1

say "The BCC mailing through msmtp to the local SMTP server"
"$root/scripts/send-request.sh" --yes 1
/usr/bin/python3 - "$demo/maildir" <<'PY'
import email.policy, mailbox, sys
for key, msg in sorted(mailbox.Maildir(sys.argv[1], factory=None).items()):
    m = email.message_from_bytes(msg.as_bytes(), policy=email.policy.default)
    print(f"delivered to {m['X-RcptTo'] or 'the Bcc recipients'}: Subject: {m['Subject']}")
    print(f"  Reply-To: {m['Reply-To']}   Bcc header present: {m['Bcc'] is not None}")
PY

say "The loan is carried out"
run loan 1 --date "$today" --expert 1,2

say "What cron would remind the contact persons of a week later"
run remind --today "$(day 7)"

say "The follow-up meeting with the borrower"
run followup book 1 --date "$today"
run followup record 1 --date "$today" --satisfaction 5 --new-insights yes \
  --compensation arranged \
  --answer "how-it-went=Livliga diskussioner, alla bidrog." \
  --answer "contribution=De erfarna höjde nivån: de kom inte från verksamheten." \
  --answer "insights=Kallelsen måste gå att läsa även för den som följer med en anhörig." \
  --answer "use-of-results=Tas in i förstudien om digitala kallelser." \
  --answer "feedback-plan=Uppdragsgivaren mejlar de erfarna när förstudien är klar."
run pay 1 --expert 1 --unit half-day --status paid --date "$today"
run pay 1 --expert 2 --unit half-day --status declined --date "$today"

say "The summary to the experts who took part, by BCC through msmtp"
"$root/scripts/send-followup.sh" --yes 1

say "The borrower confirms its own feedback: the loan is finished"
run followup feedback 1 --date "$today"
run request show 1
run expert show 1
run report payments --all

say "Integrity"
run check
printf '\nThe demo register is %s\n' "$LBIB_DB"

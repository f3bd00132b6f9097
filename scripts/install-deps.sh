#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs every Debian package lbib needs to build, test and run.
# Idempotent: packages already present are skipped by apt-get itself.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config
  # libraries (all found with find_package, nothing vendored)
  libcli11-dev libsqlitecpp-dev libsqlite3-dev libfmt-dev
  libtomlplusplus-dev nlohmann-json3-dev doctest-dev nettle-dev libicu-dev
  # MIME parsing of replies read by lbib inbox (found with pkg-config)
  libgmime-3.0-dev
  # runtime tools used by the scripts and end-to-end tests
  sqlite3 msmtp msmtp-mta python3 python3-aiosmtpd util-linux strace
  # the peer tool in the benchmark (tests/bench/bench.py)
  taskwarrior
  # shells the completion scripts are tested in (bash is always there)
  zsh
  # rendering the HTML report, the catalogue and the Figure 3 chart in tests (headless
  # Chromium, PDF text); npm installs axe-core into tests/web/ below
  chromium poppler-utils fonts-dejavu-core
  # the manual page (docs/lbib.1.scd) and reading it in a test
  scdoc man-db groff-base
  # encrypted backups (scripts/backup.sh)
  age
  # the Debian package (debian/) and its test: build, lint, install (tests/package/)
  debhelper dpkg-dev fakeroot lintian gettext
  # reliability: libFuzzer targets (scripts/fuzz.sh) and the valgrind-labelled run
  clang-14 libclang-rt-14-dev valgrind
)

if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "install-deps: need root or sudo to install packages" >&2
  exit 77
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# npm may come with node from elsewhere; Debian's package only where there is none.
command -v npm >/dev/null 2>&1 || missing+=(npm)

if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# axe-core for the accessibility tests (tests/cli/test_pages.py), at the version the lock file
# pins; skipped when that version is already there.
web="$(dirname "$0")/../tests/web"
if ! cmp -s "$web/package-lock.json" "$web/node_modules/.lbib-installed-lock" 2>/dev/null ||
  [ ! -f "$web/node_modules/axe-core/axe.min.js" ]; then
  npm ci --prefix "$web" --no-audit --no-fund --loglevel=error >/dev/null
  cp "$web/package-lock.json" "$web/node_modules/.lbib-installed-lock"
fi

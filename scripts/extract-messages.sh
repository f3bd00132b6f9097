#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Extracts lbib's translatable messages into a .pot file with xgettext: errors (make_error),
# help texts (add_subcommand, add_option, add_flag, and the helpers in cmd/ that call them with a
# help text: add_report, add_step, add_followup_command) and everything wrapped in tr().
#   scripts/extract-messages.sh po/lbib.pot
# Then merge into the Swedish catalogue: msgmerge --update po/sv.po po/lbib.pot
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-po/lbib.pot}
mapfile -t sources < <(find cmd lib -name '*.cpp' -o -name '*.hpp' | LC_ALL=C sort)
LC_ALL=C.UTF-8 xgettext --language=C++ --from-code=UTF-8 --no-location --sort-output --package-name=lbib \
  --keyword= --keyword=make_error:2 --keyword=tr --keyword=tr_format --keyword=tr_in:2 --keyword=tr_in_context:2c,3 --keyword=tr_format_in:2 --keyword=tr_nformat:2,3 --keyword=tr_nformat_in:3,4 --keyword=N_ --keyword=add_subcommand:2 \
  --keyword=add_option:3 --keyword=add_flag:3 --keyword=add_flag_callback:3 --keyword=add:3 --keyword=add_keyed:3 --keyword=footer \
  --keyword=add_report:3 --keyword=add_step:3 --keyword=add_followup_command:3 \
  --output="$out" "${sources[@]}"

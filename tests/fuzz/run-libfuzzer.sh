#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-libfuzzer.sh TARGET CORPUS RUNS — a short, deterministic libFuzzer run
# for the test suite (-Dfuzzing=true): the corpus is replayed, then RUNS
# mutations with seed 1; new inputs go to a throw-away directory, never
# into the committed corpus. Prints TAP.
target="$1"; corpus="$2"; runs="$3"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cumulus-libfuzzer.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/new"
echo "1..1"
if "$target" -seed=1 -runs="$runs" -max_len=65536 -timeout=20 -rss_limit_mb=2048 \
     -artifact_prefix="$tmp/" -print_final_stats=1 "$tmp/new" "$corpus" 2>"$tmp/log"; then
  sed 's/^/# /' "$tmp/log" | tail -n 15
  echo "ok 1 - $(basename "$target") ($runs runs)"
else
  sed 's/^/# /' "$tmp/log" | tail -n 60
  for f in "$tmp"/crash-* "$tmp"/leak-* "$tmp"/timeout-* "$tmp"/oom-*; do
    [ -f "$f" ] && echo "# artifact: $(basename "$f") $(od -An -c "$f" | head -c 300 | tr -s ' \n' ' ')"
  done
  echo "not ok 1 - $(basename "$target")"
fi
exit 0

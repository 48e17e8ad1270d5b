#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# tap-run.sh NAME PROGRAM [ARGS…] — run one validator and report it as TAP
name="$1"; shift
if ! command -v "$1" >/dev/null 2>&1; then
  echo "1..0 # SKIP $1 is not installed"
  exit 0
fi
echo "1..1"
out=$("$@" 2>&1)
status=$?
if [ -n "$out" ]; then
  printf '%s\n' "$out" | sed 's/^/# /'
fi
if [ $status -eq 0 ]; then
  echo "ok 1 - $name"
else
  echo "not ok 1 - $name (exit $status)"
fi
exit 0

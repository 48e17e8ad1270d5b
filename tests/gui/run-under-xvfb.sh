#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-under-xvfb.sh PROGRAM [ARGS…] — run a GUI test on a private X server
# and session bus, or report it skipped (TAP) when those are missing.
for tool in xvfb-run dbus-run-session; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done
exec xvfb-run -a -s "-screen 0 1600x4000x24 -nolisten tcp" \
  dbus-run-session -- "$@"

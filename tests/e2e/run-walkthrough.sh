#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-walkthrough.sh CUMULUS WALKTHROUGH_PY — run the end-to-end walkthrough
# on a private X server (Xvfb), session bus and accessibility bus, or report
# it skipped (TAP) when those are missing.
set -u

skip () {
  echo "1..0 # SKIP $1"
  exit 0
}

if [ "${CUMULUS_E2E_INSIDE:-}" != 1 ]; then
  for tool in xvfb-run xauth dbus-run-session; do
    command -v "$tool" >/dev/null 2>&1 || skip "$tool is not installed"
  done
  [ -x /usr/libexec/at-spi-bus-launcher ] || skip "at-spi2-core is not installed"
  /usr/bin/python3 -c 'import pyatspi' >/dev/null 2>&1 \
    || skip "pyatspi is not installed (python3-pyatspi gir1.2-atspi-2.0)"
  CUMULUS_E2E_INSIDE=1
  export CUMULUS_E2E_INSIDE
  exec xvfb-run -a -s "-screen 0 1280x900x24 -nolisten tcp" \
    dbus-run-session -- "$0" "$@"
fi

# test_env turns the accessibility bridge off for the in-process GUI tests;
# this test is about the bridge.
unset NO_AT_BRIDGE

tmp=$(mktemp -d "${TMPDIR:-/tmp}/cumulus-e2e.XXXXXX")
XDG_DATA_HOME=$tmp/data
XDG_CONFIG_HOME=$tmp/config
XDG_CACHE_HOME=$tmp/cache
GSETTINGS_BACKEND=memory
CUMULUS_TODAY=2026-11-01
export XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME GSETTINGS_BACKEND CUMULUS_TODAY
mkdir -p "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME"

/usr/libexec/at-spi-bus-launcher --launch-immediately >"$tmp/at-spi.log" 2>&1 &
bus=$!

# python3 from Debian (pyatspi lives there, not in another python on PATH).
# G_DEBUG (fatal warnings) is for the app, not for pyatspi's own GLib:
# walkthrough.py hands it back to the app.
CUMULUS_E2E_APP_G_DEBUG=${G_DEBUG:-} env -u G_DEBUG \
  /usr/bin/python3 "$2" "$1" "$tmp"
rc=$?

kill "$bus" 2>/dev/null
wait "$bus" 2>/dev/null
rm -rf "$tmp"
exit "$rc"

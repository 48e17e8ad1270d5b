#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# keyring-run.sh [--xvfb] PROGRAM [ARGS…] — run a test inside a private
# D-Bus session with a freshly unlocked gnome-keyring, and with HOME and the
# XDG data, config, cache and runtime dirs in a throw-away directory (tests
# grep them for secrets). With --xvfb, on a private X server as well, for
# GUI tests. Prints a TAP skip when a tool is missing.
xvfb=
if [ "$1" = "--xvfb" ]; then
  xvfb=1
  shift
fi
tools="dbus-run-session gnome-keyring-daemon"
[ -n "$xvfb" ] && tools="xvfb-run $tools"
for tool in $tools; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cumulus-keyring.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
HOME="$tmp/home"
XDG_DATA_HOME="$tmp/data"
XDG_CONFIG_HOME="$tmp/config"
XDG_CACHE_HOME="$tmp/cache"
XDG_RUNTIME_DIR="$tmp/runtime"
CUMULUS_TEST_KEYRING=1
export HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR CUMULUS_TEST_KEYRING
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS
unlock='printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"'
if [ -n "$xvfb" ]; then
  xvfb-run -a -s "-screen 0 1600x1200x24 -nolisten tcp" dbus-run-session -- sh -c "$unlock" sh "$@"
else
  dbus-run-session -- sh -c "$unlock" sh "$@"
fi

#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# keyring-run.sh PROGRAM [ARGS…] — run a test inside a private D-Bus session
# with a freshly unlocked gnome-keyring, and with HOME and the XDG data,
# config, cache and runtime dirs in a throw-away directory (the test greps
# them for secrets). Prints a TAP skip when the tools are missing.
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "1..0 # SKIP dbus-run-session or gnome-keyring-daemon is not installed"
  exit 0
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cumulus-keyring.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
HOME="$tmp/home"
XDG_DATA_HOME="$tmp/data"
XDG_CONFIG_HOME="$tmp/config"
XDG_CACHE_HOME="$tmp/cache"
XDG_RUNTIME_DIR="$tmp/runtime"
export HOME XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
unset DBUS_SESSION_BUS_ADDRESS
dbus-run-session -- sh -c 'printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"
rc=$?
exit $rc

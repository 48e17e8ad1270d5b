#!/bin/sh
# run-gui-keyring.sh PROGRAM [ARGS…] — run a GUI test on a private X server
# (Xvfb) inside a private D-Bus session with a freshly unlocked
# gnome-keyring, with HOME and the XDG dirs in a throw-away directory.
# Prints a TAP skip when a tool is missing.
for tool in xvfb-run dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cumulus-accounts.XXXXXX") || exit 1
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
xvfb-run -a -s "-screen 0 1600x1200x24 -nolisten tcp" \
  dbus-run-session -- sh -c 'printf %s test | gnome-keyring-daemon --unlock --components=secrets >/dev/null; exec "$@"' sh "$@"

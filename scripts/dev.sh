#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Set up, build, and then run the app or the test suite.
#   scripts/dev.sh run    install missing Debian packages, build, launch Cumulus
#   scripts/dev.sh test   install missing Debian packages, build, run every test
set -euo pipefail

cd "$(dirname "$0")/.."

packages=(
  meson ninja-build pkg-config gcc gettext
  libglib2.0-dev libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev
  libsqlite3-dev libsecret-1-dev libplplot-dev plplot-driver-cairo zlib1g-dev
  desktop-file-utils appstream libglib2.0-bin
  xvfb xauth dbus dbus-x11 gnome-keyring at-spi2-core python3-pyatspi gir1.2-atspi-2.0
  adwaita-icon-theme librsvg2-common fonts-cantarell fonts-dejavu-core
  sqlite3 python3 time gzip
  clang libclang-rt-14-dev
)

install_missing () {
  local missing=()
  for p in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      missing+=("$p")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi
  echo "Installing Debian packages: ${missing[*]}"
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    sudo=(sudo)
  fi
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${missing[@]}"
}

build () {
  if [ ! -f build/build.ninja ]; then
    meson setup build -Dwerror=true
  fi
  meson compile -C build
}

case "${1:-}" in
  run)
    install_missing
    build
    shift
    exec ./build/src/cumulus "$@"
    ;;
  test)
    install_missing
    build
    shift
    exec meson test -C build --print-errorlogs "$@"
    ;;
  *)
    echo "usage: scripts/dev.sh run|test" >&2
    exit 2
    ;;
esac

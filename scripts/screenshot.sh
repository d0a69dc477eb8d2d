#!/bin/sh
# Starts the desktop app under xvfb-run with a fixture open (a copy, in a temporary folder) and
# saves docs/screenshot.png (the app grabs its own window: --screenshot).
#   scripts/screenshot.sh [BUILD_DIR] [OUT.png]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/docs/screenshot.png}
app=$build/app/sessiondesk
[ -x "$app" ] || { echo "no $app: build the sessiondesk target first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp "$here/tests/data/telethon/basic.session" "$tmp/basic.session"
chmod 600 "$tmp/basic.session"
mkdir -p "$(dirname "$out")"
# A private HOME/XDG so the user's settings and recent files are not touched.
HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp QT_QPA_PLATFORM=xcb \
  xvfb-run -a -s "-screen 0 1280x800x24" \
  "$app" --tab 2 --screenshot "$out" "$tmp/basic.session"
echo "wrote $out"

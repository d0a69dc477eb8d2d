#!/bin/sh
# Runs the desktop app under Xvfb with a private D-Bus session and the AT-SPI bus, and drives it
# through AT-SPI (tests/a11y-smoke.py). Everything started here is stopped by PID.
# Usage: a11y-smoke.sh APP FIXTURE. Skips (ctest SKIP) when a tool is missing.
set -eu
app=$1
fixture=$2
here=$(cd "$(dirname "$0")" && pwd)
skip() { echo "SKIP   : $*"; exit 0; }
[ -x "$app" ] || skip "$app is not built"
command -v Xvfb >/dev/null 2>&1 || skip "Xvfb is not installed (apt-get install xvfb)"
command -v dbus-run-session >/dev/null 2>&1 || skip "dbus-run-session is not installed"
[ -x /usr/libexec/at-spi-bus-launcher ] || skip "at-spi2-core is not installed"
/usr/bin/python3 -c 'import pyatspi' 2>/dev/null || skip "python3-pyatspi is not installed"

tmp=$(mktemp -d)
cp "$fixture" "$tmp/session.session"
chmod 600 "$tmp/session.session"
export SD_A11Y_APP="$app" SD_A11Y_TMP="$tmp" SD_A11Y_HERE="$here"
set +e
HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp dbus-run-session -- sh -c '
    Xvfb -displayfd 3 -screen 0 1280x800x24 -nolisten tcp 3>"$SD_A11Y_TMP/display" 2>"$SD_A11Y_TMP/xvfb.log" &
    xvfb=$!
    for i in $(seq 50); do [ -s "$SD_A11Y_TMP/display" ] && break; sleep 0.1; done
    export DISPLAY=":$(cat "$SD_A11Y_TMP/display")"
    /usr/libexec/at-spi-bus-launcher --launch-immediately >"$SD_A11Y_TMP/atspi.log" 2>&1 &
    bus=$!
    sleep 1
    QT_QPA_PLATFORM=xcb QT_ACCESSIBILITY=1 QT_LINUX_ACCESSIBILITY_ALWAYS_ON=1 \
        "$SD_A11Y_APP" "$SD_A11Y_TMP/session.session" >"$SD_A11Y_TMP/app.log" 2>&1 &
    appid=$!
    timeout 90 /usr/bin/python3 "$SD_A11Y_HERE/a11y-smoke.py"
    rc=$?
    kill $appid 2>/dev/null; wait $appid 2>/dev/null
    kill $bus 2>/dev/null; wait $bus 2>/dev/null
    kill $xvfb 2>/dev/null; wait $xvfb 2>/dev/null
    [ $rc -eq 0 ] || cat "$SD_A11Y_TMP/app.log"
    exit $rc'
rc=$?
rm -rf "$tmp"
exit $rc

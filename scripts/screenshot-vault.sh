#!/bin/sh
# Pictures of the Vault window and of its "Send to another machine" dialog for docs/, made by the
# GUI test that drives them (tests/tst_gui_vault.cpp) under Xvfb with a throwaway vault.
#   scripts/screenshot-vault.sh [BUILD_DIR] [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
out=${2:-$here/docs}
test=$build/tests/tst_gui_vault
[ -x "$test" ] || { echo "no $test: build the tst_gui_vault target first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$out"
HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_RUNTIME_DIR=$tmp QT_QPA_PLATFORM=xcb SD_SCREENSHOT_DIR=$out \
  xvfb-run -a -s "-screen 0 1280x800x24" "$test" sendToARecipientAndRemoveHere
echo "wrote $out/vault-window.png $out/send-dialog.png"

#!/bin/sh
# Screenshots for docs/ (the app grabs its own windows: --scene NAME --screenshot OUT), under Xvfb,
# with copies of the test fixtures in a temporary folder and a private HOME:
#   docs/screenshots/main-light.png, main-dark.png   the main window (light and dark palette)
#   docs/screenshots/overview.png                    the folder overview
#   docs/screenshots/audit.png                       the audit with findings
#   docs/screenshots/{import,export,prune,vault,send,receive,peer,connect}.png   each dialog
# scripts/screenshot.sh [BUILD_DIR] [OUT_DIR]
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build}
outdir=${2:-$here/docs/screenshots}
app=$build/app/sessiondesk
cli=$build/app/sessiondesk-cli
[ -x "$app" ] || { echo "no $app: build the sessiondesk target first" >&2; exit 1; }
[ -x "$cli" ] || { echo "no $cli: build the sessiondesk-cli target first" >&2; exit 1; }
command -v xvfb-run >/dev/null || { echo "xvfb-run is missing (apt-get install xvfb)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$outdir" "$tmp/tree/bots"
data=$here/tests/data
cp "$data/telethon/basic.session" "$tmp/basic.session"
# A folder with something for every part of the overview and the audit: two copies of one key, a
# file open to everyone, a string session pasted into .env, sessions of several libraries.
cp "$data/telethon/basic.session" "$tmp/tree/main.session"
cp "$data/telethon/basic.session" "$tmp/tree/bots/copy.session"
cp "$data/telethon/state.session" "$tmp/tree/state.session"
for f in "$data"/pyrogram/*.session "$data"/mtcute/*.sqlite; do
    [ -f "$f" ] && cp "$f" "$tmp/tree/$(basename "$(dirname "$f")")-$(basename "$f")"
done
chmod 600 "$tmp"/*.session "$tmp"/tree/*.session "$tmp"/tree/bots/*.session
chmod 644 "$tmp/tree/state.session"
printf 'API_ID=12345\nSESSION=%s\n' "$("$cli" convert "$data/telethon/state.session" --to telethon-string)" >"$tmp/tree/.env"

shot() { # NAME SCENE PATH [extra args]
    name=$1 scene=$2 path=$3
    shift 3
    HOME=$tmp XDG_CONFIG_HOME=$tmp/config XDG_DATA_HOME=$tmp/data XDG_RUNTIME_DIR=$tmp QT_QPA_PLATFORM=xcb \
        xvfb-run -a -s "-screen 0 1280x800x24" \
        "$app" --scene "$scene" --screenshot "$outdir/$name.png" "$@" "$path"
    echo "wrote $outdir/$name.png"
}
shot main-light main "$tmp/basic.session" --tab 2
shot main-dark main "$tmp/basic.session" --tab 2 --palette dark
shot overview overview "$tmp/tree"
shot audit audit "$tmp/tree"
for d in import export prune vault send receive peer connect; do
    shot "$d" "$d" "$tmp/basic.session"
done

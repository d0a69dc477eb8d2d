#!/usr/bin/env bash
# Installs what SessionDesk needs on Debian 12. With --test, also what the tests use (gnome-keyring,
# dbus, Xvfb, clang for the sanitizer/fuzz builds, python3-telethon and the npm packages of the
# interop tier). Skips apt when everything is already present.
set -euo pipefail
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

pkgs=(build-essential cmake ninja-build ccache pkg-config qt6-base-dev qt6-base-dev-tools libqt6sql6-sqlite
      qtkeychain-qt6-dev libssl-dev libsqlite3-dev libgl-dev sqlite3 libqt6sql6-psql libhiredis-dev)
if [ $want_test = 1 ]; then
    pkgs+=(gnome-keyring dbus libsecret-tools xvfb xauth python3-telethon clang libclang-rt-14-dev nodejs npm imagemagick
          golang-go golang-github-coreos-bbolt-dev postgresql redis-server redis-tools age telegram-desktop
          util-linux python3-pyatspi at-spi2-core lintian appstream qrencode bash-completion zsh)
fi

missing=()
for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    SUDO=""
    [ "$(id -u)" = 0 ] || SUDO="sudo"
    # node/npm may come from another source on developer machines: do not fight over them.
    if command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1; then
        filtered=()
        for p in "${missing[@]}"; do [ "$p" = nodejs ] || [ "$p" = npm ] || filtered+=("$p"); done
        missing=("${filtered[@]}")
    fi
    if [ ${#missing[@]} -gt 0 ]; then
        $SUDO apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
fi

if [ $want_test = 1 ]; then
    # The interop tier's npm packages, outside the source tree (never committed).
    dir="${SD_INTEROP_DIR:-$HOME/.cache/sessiondesk-interop}"
    mkdir -p "$dir"
    if [ ! -f "$dir/.installed-v1" ]; then
        (cd "$dir" && [ -f package.json ] || echo '{"name":"sessiondesk-interop","private":true}' > "$dir/package.json"
         cd "$dir" && npm install --no-audit --no-fund --loglevel=error \
             @mtcute/convert@0.29.7 @mtcute/node@0.29.7 telegram@2.26.22 >/dev/null) \
            && touch "$dir/.installed-v1" \
            || echo "install-deps: npm packages for the interop tier could not be installed; those tests will skip" >&2
    fi
fi

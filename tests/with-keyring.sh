#!/bin/sh
# Runs a command inside a private D-Bus session with a freshly unlocked gnome-keyring and a
# throwaway HOME, so keychain tests write to a real Secret Service without touching the user's.
# Usage: with-keyring.sh COMMAND [ARGS...]
set -eu
if [ -z "${SD_IN_KEYRING:-}" ]; then
    if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
        echo "SKIP   : dbus-run-session or gnome-keyring-daemon missing" >&2
        exec "$@"
    fi
    home=$(mktemp -d)
    trap 'rm -rf "$home"' EXIT INT TERM
    status=0
    SD_IN_KEYRING=1 HOME="$home" XDG_DATA_HOME="$home/.local/share" XDG_CONFIG_HOME="$home/.config" \
        dbus-run-session -- "$0" "$@" || status=$?
    exit $status
fi
# A non-empty password, and --replace in case something already activated org.freedesktop.secrets
# (an empty password or a stale keyring makes writes fail). If this fails the test still runs with SD_KEYRING_AVAILABLE=1, so its
# probe write fails loudly (QFAIL) instead of skipping.
if ! "$(dirname "$0")/keyring-up.sh" "sessiondesk-test-keyring"; then
    echo "with-keyring.sh: gnome-keyring-daemon --replace --unlock failed (or never owned org.freedesktop.secrets)" >&2
fi
export SD_KEYRING_AVAILABLE=1
exec "$@"

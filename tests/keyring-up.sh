#!/bin/sh
# Starts gnome-keyring's Secret Service on the current (private) D-Bus session, unlocked with the
# password $1, and waits until it owns org.freedesktop.secrets. gnome-keyring-daemon returns before
# its daemon has claimed the name; a client asking in that window makes D-Bus activate a second,
# locked daemon, whose login keyring cannot be created without a prompt (the keychain tests then
# fail at random). Exit 1 when the service does not appear within 5 s.
printf '%s' "$1" | gnome-keyring-daemon --replace --unlock --components=secrets >/dev/null 2>&1 || exit 1
i=0
while [ $i -lt 100 ]; do
    if dbus-send --session --print-reply --dest=org.freedesktop.DBus /org/freedesktop/DBus \
        org.freedesktop.DBus.NameHasOwner string:org.freedesktop.secrets 2>/dev/null | grep -q 'boolean true'; then
        exit 0
    fi
    i=$((i + 1))
    sleep 0.05
done
exit 1

#!/bin/sh
# The command line links core only: no QtGui/QtWidgets among the libraries sessiondesk-cli loads,
# nor in sessiondesk_core's link libraries (passed by CMake).
# Usage: check-core-deps.sh CLI_BINARY "CORE_LINK_LIBRARIES"
set -eu
cli=$1
corelibs=$2
echo "sessiondesk_core links: $corelibs"
case "$corelibs" in
    *Gui*|*Widgets*) echo "FAIL: sessiondesk_core links QtGui/QtWidgets" >&2; exit 1 ;;
esac
loaded=$(ldd "$cli")
echo "sessiondesk-cli loads: $(echo "$loaded" | grep -o 'libQt6[A-Za-z]*' | sort -u | tr '\n' ' ')"
if echo "$loaded" | grep -qE 'libQt6(Gui|Widgets)'; then
    echo "FAIL: sessiondesk-cli loads QtGui/QtWidgets" >&2
    exit 1
fi

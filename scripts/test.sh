#!/usr/bin/env bash
# Builds and runs every test: the normal build (warnings are errors), then the ASan+UBSan build.
# Usage: scripts/test.sh [--quick]   (--quick: skip the sanitizer build)
set -euo pipefail
cd "$(dirname "$0")/.."
jobs=$(nproc)
export SD_INTEROP_DIR="${SD_INTEROP_DIR:-$HOME/.cache/sessiondesk-interop}"

cmake -S . -B build-test -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSESSIONDESK_WERROR=ON >/dev/null
cmake --build build-test -j"$jobs"
(cd build-test && ctest --output-on-failure -j"$jobs")

if [ "${1:-}" != "--quick" ]; then
    cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DSESSIONDESK_SANITIZE=ON -DSESSIONDESK_WERROR=ON >/dev/null
    cmake --build build-asan -j"$jobs"
    export ASAN_OPTIONS=detect_leaks=0:abort_on_error=1
    export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
    (cd build-asan && ctest --output-on-failure -j"$jobs" -LE 'interop|bench')
fi

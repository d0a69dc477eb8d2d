#!/usr/bin/env bash
# Builds and runs every test: the normal build (warnings are errors), then the ASan+UBSan build.
# Then the libFuzzer targets (clang, ASan+UBSan), each for a short bounded time (SD_FUZZ_SECONDS).
# Usage: scripts/test.sh [--quick]   (--quick: skip the sanitizer and fuzz builds)
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
    (cd build-asan && ctest --output-on-failure -j"$jobs")
fi

if [ "${1:-}" != "--quick" ] && command -v clang++ >/dev/null 2>&1; then
    CC=clang CXX=clang++ cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSESSIONDESK_FUZZ=ON \
        -DSESSIONDESK_GUI=OFF -DSESSIONDESK_TESTS=OFF -DSD_FUZZ_SECONDS="${SD_FUZZ_SECONDS:-5}" >/dev/null
    cmake --build build-fuzz -j"$jobs"
    (cd build-fuzz && SD_FUZZ_RUNS="${SD_FUZZ_RUNS:-20000}" ctest --output-on-failure -j"$jobs" -L fuzz)
fi

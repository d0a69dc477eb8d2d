#!/usr/bin/env bash
# Runs every libFuzzer target longer than CI does, one after another (or N at a time), and prints the
# executions each one ran. Crashing inputs land in build-fuzz/fuzz/corpus/crash-<target>-*; copy the
# ones you fix into tests/fuzz-regressions/<target>/ so CI and tst_fuzzregressions replay them.
# Usage: scripts/fuzz.sh [SECONDS_PER_TARGET=300] [TARGET...]   (env JOBS=N runs N targets at once)
set -uo pipefail
cd "$(dirname "$0")/.."
secs=${1:-300}
shift || true
build=${SD_FUZZ_BUILD:-build-fuzz}
if [ ! -f "$build/build.ninja" ]; then
    CC=clang CXX=clang++ cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DSESSIONDESK_FUZZ=ON \
        -DSESSIONDESK_GUI=OFF -DSESSIONDESK_TESTS=OFF >/dev/null
fi
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    mapfile -t targets < <(cd "$build" && ctest -N -L fuzz | sed -n 's/^ *Test *#[0-9]*: \(fuzz_[a-z0-9_]*\)$/\1/p')
fi
# Format targets are symlinks to fuzz_format; inner targets have their own fuzz/<target>.cpp.
build_targets=(fuzz_format)
for t in "${targets[@]}"; do [ -f "fuzz/$t.cpp" ] && build_targets+=("$t"); done
cmake --build "$build" -j"${JOBS:-2}" --target "${build_targets[@]}" >/dev/null || exit 1
log=$(mktemp -d)
run() { # target -> prints "target executions status"
    local t=$1 name=${1#fuzz_}
    name=${name//_/-}
    local out="$log/$t.log" status=0
    # A fresh random seed each run (CI replays seed 1 only).
    SD_FUZZ_SEED="${SD_FUZZ_SEED:-$RANDOM$RANDOM}" fuzz/run-one.sh "$build/fuzz/$t" "$name" "$PWD" "$PWD/$build/fuzz/corpus/$name" "$secs" >"$out" 2>&1 || status=$?
    local execs
    execs=$(grep -oE '^(#[0-9]+|Done [0-9]+)' "$out" | tail -1 | tr -dc '0-9')
    printf '%-28s %12s  %s\n' "$t" "${execs:-?}" "$([ $status -eq 0 ] && echo ok || echo "FAILED (see $out)")"
    return $status
}
printf '%-28s %12s  %s\n' target executions result
failed=0 running=0
for t in "${targets[@]}"; do
    run "$t" &
    running=$((running + 1))
    if [ "$running" -ge "${JOBS:-1}" ]; then wait -n || failed=1; running=$((running - 1)); fi
done
while [ "$running" -gt 0 ]; do wait -n || failed=1; running=$((running - 1)); done
exit $failed

#!/bin/sh
# run-one.sh FUZZER FORMAT SOURCE_DIR CORPUS_DIR SECONDS [MAX_LEN]
# Seeds the corpus from tests/data and tests/fuzz-regressions, replays every kept crashing input
# (regression), then fuzzes for SECONDS. Prints the executions run.
# The seed is fixed (SD_FUZZ_SEED, default 1) and SD_FUZZ_RUNS caps the executions, so a CI run
# replays a prefix of an input sequence that was already run locally: it cannot fail on a new
# random path (scripts/fuzz.sh explores with random seeds and longer times).
set -eu
# UBSan in the fuzz build is recoverable: halt on the first report so that UB is a finding.
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
fuzzer=$1 fmt=$2 src=$3 corpus=$4 secs=$5
# Targets whose inputs matter by their size (containers, caches, databases, snapshots, text scans)
# also run on inputs up to 5 MiB, beyond the 4 MiB where whole-file reads used to be tolerated.
case "$fmt" in
    gob|bbolt|tdata-blocks|sqlite-snapshot|audit-text|gotd-bbolt|gogram-cache|ferogram-binary|sessiondesk-json|\
    telethon-sqlite|mtcute-sqlite) maxlen=${6:-5242880} ;;
    *) maxlen=${6:-65536} ;;
esac
mkdir -p "$corpus"
"$src/fuzz/seed-corpus.sh" "$fmt" "$src" "$corpus"
reg="$src/tests/fuzz-regressions/$fmt"
if [ -d "$reg" ] && [ -n "$(ls -A "$reg" 2>/dev/null)" ]; then
    ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$fuzzer" -runs=0 "$reg"/* >/dev/null 2>&1 || { echo "regression input crashes $fmt"; "$fuzzer" -runs=0 "$reg"/*; exit 1; }
fi
out=$(mktemp)
status=0
ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 "$fuzzer" -seed="${SD_FUZZ_SEED:-1}" ${SD_FUZZ_RUNS:+-runs=$SD_FUZZ_RUNS} -max_total_time="$secs" -max_len="$maxlen" -rss_limit_mb=2048 \
    -timeout=10 -artifact_prefix="$corpus/../crash-$fmt-" "$corpus" >"$out" 2>&1 || status=$?
grep -E '^(#[0-9]+ +DONE|Done [0-9]+ runs)' "$out" | tail -1 || true
if [ $status -ne 0 ]; then tail -60 "$out"; fi
rm -f "$out"
exit $status

#!/usr/bin/env bash
# Issue 17, class 7: each libFuzzer target (Fuzz/Targets) in turn for SECONDS, on one core, from
# the committed corpus. Records executions, exec/s, coverage (cov and ft of libFuzzer's last status
# line) and crashes per target in $RESULTS/fuzz/<target>.json, and every target's last run in
# $RESULTS/fuzz.md and fuzz.json, so a run of some targets updates their rows only. After a crash
# the fuzzer is started again for the time left, so one bug does not end the run. Afterwards the
# committed corpus Fuzz/Corpus/<target>/ is the seeds, every crash found (crash-*, timeout-*,
# oom-*) and the smallest set of inputs, each up to 16 KB, with all the coverage reached
# (libFuzzer's -set_cover_merge=1); commit it, and the corpus tests replay it.
#
#   benchmarks/fuzz.sh [SECONDS] [TARGET...]   SECONDS per target (default 600), all targets by default
#   RESULTS=DIR   where fuzz.md and fuzz.json go (default benchmarks/results)
#   SCRATCH=DIR   build folder (default .build-fuzz; never the normal .build)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
seconds=${1:-600}
shift $(( $# > 0 ? 1 : 0 ))
targets=("$@")
(( ${#targets[@]} > 0 )) || targets=(reader template queue-item outbox register)
results=${RESULTS:-benchmarks/results}
scratch=${SCRATCH:-.build-fuzz}
mkdir -p "$results"
say() { echo "fuzz.sh: $*" >&2; }

BLANKETT_FUZZ=1 swift build -c release --scratch-path "$scratch" --product fuzz-blankett -Xswiftc -sanitize=fuzzer,address >&2
fuzzer=$scratch/release/fuzz-blankett
work=$(mktemp -d "${TMPDIR:-/tmp}/blankett-fuzz-XXXXXX")
trap 'rm -rf "$work"' EXIT
# One core: the reader's BLAS and Tesseract would otherwise start a thread per core. Leak checks
# are off because the Swift runtime's and Foundation's one-time caches, kept to the end, look like
# leaks to LeakSanitizer; growing memory still ends a run at -rss_limit_mb. The Swift runtime's
# own crash handler is off: under AddressSanitizer it faults while reading the crashed process,
# hiding the Swift error that libFuzzer would otherwise report.
export OPENBLAS_NUM_THREADS=1 OMP_THREAD_LIMIT=1 ASAN_OPTIONS=detect_leaks=0 SWIFT_BACKTRACE=enable=no
commit="$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- Sources Fuzz || echo ' (with uncommitted changes)')"

cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')
toolchain=$(swift --version 2>&1 | head -1 | sed 's/"/\\"/g')
mkdir -p "$results/fuzz"
for target in "${targets[@]}"; do
    corpus=Fuzz/Corpus/$target
    [[ -d $corpus ]] || { say "no corpus folder $corpus"; exit 1; }
    found=$work/$target/found crashes=$work/$target/crashes
    mkdir -p "$found" "$crashes"
    say "$target: ${seconds} s from $(ls "$corpus" | wc -l) committed inputs"
    executions=0 restarts=0 start=${EPOCHREALTIME%.*}
    while (( ${EPOCHREALTIME%.*} - start < seconds )); do
        left=$(( seconds - (${EPOCHREALTIME%.*} - start) ))
        log=$work/$target/run-$restarts.log
        BLANKETT_FUZZ_TARGET=$target "$fuzzer" -max_total_time="$left" -print_final_stats=1 -timeout=30 \
            -rss_limit_mb=3072 -artifact_prefix="$crashes/" "$found" "$corpus" > "$log" 2>&1 || true
        runs=$(grep -m1 '^stat::number_of_executed_units:' "$log" | awk '{print $2}')
        # A crash ends libFuzzer before its final stats: its last status line has the count.
        [[ -n $runs ]] || runs=$(grep -o '^#[0-9]*' "$log" | tail -1 | tr -d '#')
        executions=$(( executions + ${runs:-0} ))
        restarts=$(( restarts + 1 ))
        grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|Fatal error' "$log" && say "$target: a crash, see $(ls -t "$crashes" | head -1)"
        grep -q 'ERROR: libFuzzer\|ERROR: AddressSanitizer\|Fatal error\|ALARM\|out-of-memory' "$log" || break
    done
    elapsed=$(( ${EPOCHREALTIME%.*} - start ))
    status=$(grep -h ' cov: ' "$work/$target"/run-*.log | tail -1)
    cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<< "$status")
    ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<< "$status")
    crash_files=$(ls "$crashes")
    crash_count=$(grep -c . <<< "$crash_files" || true)
    # The committed corpus becomes: seeds, crashes, and the minimal set covering everything reached.
    merged=$work/$target/merged
    mkdir -p "$merged"
    BLANKETT_FUZZ_TARGET=$target "$fuzzer" -set_cover_merge=1 -timeout=30 -rss_limit_mb=3072 -artifact_prefix="$work/$target/merge-" \
        "$merged" "$corpus" "$found" \
        > "$work/$target/merge.log" 2>&1 || say "$target: merge failed, corpus left as it was"
    # Kept inputs are at most 16 KB: the larger ones are a seed page with a few bytes changed, and
    # a few hundred of those would make the repository heavy for little coverage.
    if grep -q 'MERGE-OUTER: .* new files' "$work/$target/merge.log"; then
        find "$corpus" -type f ! -name 'seed-*' ! -name 'crash-*' ! -name 'timeout-*' ! -name 'oom-*' -delete
        find "$merged" -type f -size -16385c -exec cp -n {} "$corpus/" \;
        # The merge names what it keeps by SHA-1, so a seed it kept is there twice: drop the copy.
        for s in "$corpus"/seed-*; do rm -f "$corpus/$(sha1sum < "$s" | cut -c1-40)"; done
    fi
    cp -n "$crashes"/* "$corpus/" 2>/dev/null || true
    files=$(ls "$corpus" | wc -l)
    bytes=$(du -sb "$corpus" | cut -f1)
    rate=$(awk -v e="$executions" -v s="$elapsed" 'BEGIN { printf "%.1f", (s > 0 ? e / s : 0) }')
    names=$(grep . <<< "$crash_files" | sed 's/.*/"&"/' | paste -sd, - || true)
    echo "{\"date\": \"$(date -u +%Y-%m-%dT%H:%M:%SZ)\", \"commit\": \"$commit\", \"seconds\": $elapsed, \"executions\": $executions, \"exec_per_s\": $rate, \"cov\": ${cov:-0}, \"ft\": ${ft:-0}, \"crashes\": $crash_count, \"crash_files\": [$names], \"fuzzer_starts\": $restarts, \"corpus_files\": $files, \"corpus_bytes\": $bytes, \"cpu\": \"$cpu\", \"toolchain\": \"$toolchain\"}" > "$results/fuzz/$target.json"
    echo "| $target | $(date -u +%Y-%m-%d) $commit | $elapsed | $executions | $rate | ${cov:-0} | ${ft:-0} | $crash_count${crash_files:+ ($(paste -sd' ' <<< "$crash_files"))} | $files ($(( bytes / 1024 )) KB) |" > "$results/fuzz/$target.md"
    say "$target: $executions executions, cov ${cov:-0}, ft ${ft:-0}, $crash_count crashes"
    # What the target wrote as files (Fuzz/Targets/Scratch.swift).
    rm -rf /dev/shm/blankett-fuzz-scratch-* "${TMPDIR:-/tmp}"/blankett-fuzz-scratch-*
done

all=(reader template queue-item outbox register)
{
    echo "{"
    for target in "${all[@]}"; do
        [[ -f $results/fuzz/$target.json ]] && echo "  \"$target\": $(cat "$results/fuzz/$target.json"),"
    done | sed '$s/,$//'
    echo "}"
} > "$results/fuzz.json"
cat > "$results/fuzz.md" <<EOF
# Fuzzing: libFuzzer with AddressSanitizer, one target at a time on one core

The last run of each target (\`benchmarks/fuzz.sh SECONDS TARGET\`; $(nproc --all) cores, $cpu, shared
with other work), each started from its committed corpus in \`Fuzz/Corpus/\`.

| target | date, commit | seconds | executions | exec/s | cov | ft | crashes | corpus after |
| --- | --- | --- | --- | --- | --- | --- | --- | --- |
$(for target in "${all[@]}"; do [[ -f $results/fuzz/$target.md ]] && cat "$results/fuzz/$target.md"; done)

cov: code edges reached (libFuzzer's last status line); ft: features (edges with hit counts). The
targets: reader (a scan's bytes through PNG decoding and the whole reader, once as given and once
with every chunk's CRC made right), template (template.json loaded; a template that loads builds a
reader that reads a real page), queue-item (an item's JSON as content, as a robot's output and as
an outbox file, claimed and read back), outbox (a folder of arbitrary files, names and temporaries
that the store recovers, counts, lists, claims from and inserts into), register (the mailing
register file parsed; one that parses holds every number line and the decoder walks it as a prior).
EOF
cat "$results/fuzz.md"

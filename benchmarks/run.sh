#!/usr/bin/env bash
# The standard benchmark: 2,000 synthetic PM 7001 pages (seed 20261125, scan date 2025-11-20,
# 2 threads), read and scored in one run; the report, its error–reject plot and every figure as
# JSON go to benchmarks/results/latest.{md,svg,json}, and the machine and code measured to
# latest.machine.txt. Extra arguments are passed on to `blankett bench` (e.g. --peer-forms 50).
# SCRATCH picks the build folder (default .build), so a run need not disturb another build.
#
# The pages are synthesised once into benchmarks/.cache (about 13 minutes on 2 cores; git
# ignores it) and reused while the synthesiser's code is unchanged: its git tree hash is part of
# the folder's name, so changed synthesis code makes new pages.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH:-.build}
results=benchmarks/results
count=2000 seed=20261125 scan_date=2025-11-20
mkdir -p "$results"
swift build -c release --scratch-path "$scratch" --product blankett
blankett="$scratch/release/blankett"

synth_code=$(git rev-parse --short HEAD:Sources/Synth 2>/dev/null || echo unversioned)
pages="benchmarks/.cache/synth-$count-$seed-$scan_date-$synth_code"
if [ ! -f "$pages/truth.jsonl" ]; then
    rm -rf "$pages.partial"
    "$blankett" synth --count "$count" --seed "$seed" --scan-date "$scan_date" --out "$pages.partial" --threads 2
    mv "$pages.partial" "$pages"
fi
{
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cores:   $(nproc)"
    echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory:  $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
    echo "kernel:  $(uname -sr)"
    echo "swift:   $(swift --version 2>&1 | head -1)"
    echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- . ':!benchmarks/results' 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "pages:   $count synthetic, seed $seed, scan date $scan_date (blankett synth, Sources/Synth tree $synth_code)"
} > "$results/latest.machine.txt"
"$blankett" bench --scans "$pages" --scan-date "$scan_date" --threads 2 \
    --json "$results/latest.json" --report "$results/latest.md" "$@"

#!/usr/bin/env bash
# The standard benchmark: 2,000 synthetic PM 7001 pages (seed 20261125, 2 threads), read and
# scored in one run; the report, its error–reject plot and every figure as JSON go to
# benchmarks/results/latest.{md,svg,json}, and the machine and code measured to latest.machine.txt.
# Extra arguments are passed on to `blankett bench` (e.g. --peer-forms 50 for a quicker run).
# SCRATCH picks the build folder (default .build), so a run need not disturb another build.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH:-.build}
results=benchmarks/results
mkdir -p "$results"
swift build -c release --scratch-path "$scratch" --product blankett
{
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cores:   $(nproc)"
    echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory:  $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
    echo "kernel:  $(uname -sr)"
    echo "swift:   $(swift --version 2>&1 | head -1)"
    echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
} > "$results/latest.machine.txt"
"$scratch/release/blankett" bench --synth 2000 --seed 20261125 --threads 2 \
    --json "$results/latest.json" --report "$results/latest.md" "$@"

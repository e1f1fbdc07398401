#!/usr/bin/env bash
# The standard benchmark, two runs side by side on 2,000 synthetic PM 7001 pages each (seed
# 20261125, scan date 2025-11-20, 2 threads):
# - plain: no campaign knowledge (no register, no mailing date), to benchmarks/results/latest.*;
# - campaign: the blank mailed on 2025-10-15 to a register of 100,000 people, 3 % of the valid
#   applicants outside it, read with that register and window, to benchmarks/results/campaign.*.
# Each run writes its report, error–reject plot and every figure as JSON ({md,svg,json}); the
# machine and code measured go to latest.machine.txt. Extra arguments are passed on to both
# `blankett bench` runs (e.g. --peer-forms 50).
# SCRATCH picks the build folder (default .build), so a run need not disturb another build.
#
# The pages are synthesised once into benchmarks/.cache (about 13 minutes on 2 cores; git
# ignores it) and reused while the synthesiser's code is unchanged: its git tree hash is part of
# the folder's name, so changed synthesis code makes new pages.
set -euo pipefail
cd "$(dirname "$0")/.."
scratch=${SCRATCH:-.build}
results=benchmarks/results
count=2000 seed=20261125 scan_date=2025-11-20 mailing_date=2025-10-15 register_size=100000
mkdir -p "$results"
swift build -c release --scratch-path "$scratch" --product blankett
blankett="$scratch/release/blankett"

synth_code=$(git rev-parse --short HEAD:Sources/Synth 2>/dev/null || echo unversioned)
# synthesise NAME [campaign options]: the pages, once, into benchmarks/.cache/NAME-<synth code>.
synthesise() {
    local dir="benchmarks/.cache/$1-$count-$seed-$scan_date-$synth_code"
    shift
    if [ ! -f "$dir/truth.jsonl" ]; then
        rm -rf "$dir.partial"
        "$blankett" synth --count "$count" --seed "$seed" --scan-date "$scan_date" --out "$dir.partial" --threads 2 "$@" >&2
        mv "$dir.partial" "$dir"
    fi
    echo "$dir"
}
pages=$(synthesise synth)
campaign=$(synthesise campaign --mailing-date "$mailing_date" --register-size "$register_size")
{
    echo "date:    $(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "cores:   $(nproc)"
    echo "cpu:     $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory:  $(awk '/MemTotal/ {printf "%.1f GB", $2 / 1048576}' /proc/meminfo)"
    echo "kernel:  $(uname -sr)"
    echo "swift:   $(swift --version 2>&1 | head -1)"
    echo "commit:  $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- . ':!benchmarks/results' 2>/dev/null || echo ' (with uncommitted changes)')"
    echo "pages:   $count synthetic, seed $seed, scan date $scan_date (blankett synth, Sources/Synth tree $synth_code)"
    echo "campaign: the same count and seed, mailed $mailing_date to a register of $register_size"
} > "$results/latest.machine.txt"
"$blankett" bench --scans "$pages" --scan-date "$scan_date" --threads 2 \
    --json "$results/latest.json" --report "$results/latest.md" "$@"
"$blankett" bench --scans "$campaign" --scan-date "$scan_date" --mailing-date "$mailing_date" \
    --register "$campaign/register.txt" --threads 2 \
    --json "$results/campaign.json" --report "$results/campaign.md" "$@"

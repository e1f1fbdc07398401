#!/usr/bin/env bash
# The daemon figure of issue 5 and the soak of issue 17: sustained pages/s of `blankett watch
# --workers 2` on N scans dropped into its inbox at once, beside `blankett bench --threads 2` on
# the same pages, and the daemon's resident memory and open file descriptors as the pages go by.
# Writes $RESULTS/daemon-N.md and daemon-N.json and exits 1 when a check fails (exit status after
# SIGTERM, every scan exactly once: archived and queued, or quarantined; the rejected ones in
# quarantine, nothing left behind).
#
#   benchmarks/daemon.sh [N]   N scans (default 1000), seed $SEED (default 20261126)
#   PAGES=M       distinct synthetic pages (default N, at most 1000), synthesised once into
#                 benchmarks/.cache like run.sh's; beyond M, each page enters again as a copy that
#                 differs by a PNG text chunk: another file (SHA-256) with the same pixels, so a soak
#                 of 10,000 scans does not need 80 minutes of synthesis
#   RESULTS=DIR   where the results go (default benchmarks/results)
#   WORK=DIR      scratch folder: copies, inbox, queue, logs (default a new temporary folder,
#                 removed at the end unless KEEP=1)
#   SCANS=DIR     measure on these `blankett synth` scans (with truth.jsonl) instead of synthetic ones
#   SCRATCH=DIR   build folder (default .build); SETTLE_MS the daemon's settle time (default 500)
#
# Only bash, coreutils, grep, sed, awk and gzip (for a CRC-32): nothing the README's setup does
# not already bring.
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
n=${1:-1000}
seed=${SEED:-20261126}
scan_date=2025-11-20
workers=2
settle_ms=${SETTLE_MS:-500}
results=${RESULTS:-benchmarks/results}
scratch=${SCRATCH:-.build}
work=${WORK:-$(mktemp -d "${TMPDIR:-/tmp}/blankett-daemon-XXXXXX")}
mkdir -p "$work" "$results"
[[ -n ${WORK:-} || ${KEEP:-0} == 1 ]] || trap 'rm -rf "$work"' EXIT

swift build -c release --scratch-path "$scratch" --product blankett >&2
blankett=$scratch/release/blankett
say() { echo "daemon.sh: $*" >&2; }
number() { grep -m1 "\"$1\" *:" "$2" | sed 's/.*: *//; s/,$//'; }
load() { cut -d' ' -f1 /proc/loadavg; }

pages=${PAGES:-$(( n < 1000 ? n : 1000 ))}
base=${SCANS:-benchmarks/.cache/synth-$pages-$seed-$scan_date-$(git rev-parse --short HEAD:Sources/Synth 2>/dev/null || echo unversioned)}
if [[ -z ${SCANS:-} && ! -f $base/truth.jsonl ]]; then
    say "synthesising $pages scans, seed $seed, scan date $scan_date"
    rm -rf "$base.partial"
    "$blankett" synth --count "$pages" --seed "$seed" --scan-date "$scan_date" --out "$base.partial" >&2
    mv "$base.partial" "$base"
fi
pages=$(grep -c . "$base/truth.jsonl")
source="$pages synthetic scans (seed $seed, scan date $scan_date)"
[[ -z ${SCANS:-} ]] || source="the $pages scans in $SCANS (read with scan date $scan_date)"
scans=$base bench_scans=$base
if (( n > pages )); then
    scans=$work/scans
    say "making $n scans from the $pages: copies with a text chunk"
    benchmarks/copies.sh "$base" "$scans" "$n"
    source="$n scans: $source, each again as copies that differ by a PNG text chunk"
fi
n=$(grep -c . "$scans/truth.jsonl")

# Every scan's sha256, and those of the files the answer key says must be rejected.
(cd "$scans" && sha256sum -- *.png) | sort -k2 > "$work/inputs.sha256"
awk '{print $1}' "$work/inputs.sha256" | sort -u > "$work/expected.txt"
awk 'match($0, /"file":"[^"]+"/) { f = substr($0, RSTART + 8, RLENGTH - 9) }
     /"expected_status":"rejected"/ { print f }' "$scans/truth.jsonl" | sort > "$work/rejected-files.txt"
join -1 1 -2 2 "$work/rejected-files.txt" "$work/inputs.sha256" | awk '{print $2}' | sort -u > "$work/expected-rejected.txt"
distinct=$(wc -l < "$work/expected.txt")
expected_rejected=$(wc -l < "$work/expected-rejected.txt")

# Bench reads the distinct pages only: a copy reads the same, and bench's four passes (decoding
# and reading, on 1 and 2 threads) over 10,000 files would take an hour.
bench_pages=$(grep -c . "$bench_scans/truth.jsonl")
say "bench: --threads $workers on the $bench_pages distinct pages (load $(load))"
"$blankett" bench --scans "$bench_scans" --threads "$workers" --peer-forms 0 --scan-date "$scan_date" \
    --json "$work/bench.json" > "$work/bench.md" 2> "$work/bench.log"
bench_raw=$(number pages_per_s "$work/bench.json")
bench_pps=$(printf '%.2f' "$bench_raw")
bench_rss=$(printf '%.1f' "$(number peak_rss_mb "$work/bench.json")")
# Files bench saw rejected: the "rejected" column of its status matrix.
bench_rejected=$(awk '/"status_matrix"/ { m = 1; next } m && /^  }/ { exit }
    m && /"rejected" *: *[0-9]/ { gsub(/[^0-9]/, ""); s += $0 } END { print s + 0 }' "$work/bench.json")

# The drop comes from a folder on the same file system, so it is N renames. Hard links where they
# can be made (no second copy of the scans); bench has just read every file, so the page cache is
# as warm for the daemon as it was for bench.
inbox=$work/inbox
rm -rf "$inbox" "$work/staging" "$work/queue.sqlite"*
mkdir -p "$work/staging" "$inbox"
cp -l -- "$scans"/*.png "$work/staging/" 2>/dev/null || cp -- "$scans"/*.png "$work/staging/"
load_before=$(load)
"$blankett" watch --inbox "$inbox" --store "sqlite:$work/queue.sqlite" --workers "$workers" \
    --settle-ms "$settle_ms" --scan-date "$scan_date" 2> "$work/daemon.log" &
pid=$!
trap 'kill -9 $pid 2>/dev/null || true; [[ -n ${WORK:-} || ${KEEP:-0} == 1 ]] || rm -rf "$work"' EXIT
until grep -q watching "$work/daemon.log"; do
    kill -0 "$pid" 2>/dev/null || { cat "$work/daemon.log" >&2; exit 1; }
    sleep 0.05
done

shopt -s nullglob
done_count() {
    local archived=("$inbox"/archive/*) quarantined=("$inbox"/quarantine/*) records=("$inbox"/quarantine/*.json)
    echo $(( ${#archived[@]} + ${#quarantined[@]} - ${#records[@]} ))
}
rss_kb() { local key value rest; while read -r key value rest; do [[ $key == "$1:" ]] && { echo "$value"; return; }; done < "/proc/$pid/status"; }
open_fds() { local fds=("/proc/$pid/fd/"*); echo "${#fds[@]}"; }

say "dropping $n files into the inbox"
t_drop=$EPOCHREALTIME
mv -- "$work/staging/"*.png "$inbox/"
# First pick-up: the first file in processing/ (or already past it), polled every 20 ms.
while :; do
    claimed=("$inbox"/processing/*)
    (( ${#claimed[@]} > 0 || $(done_count) > 0 )) && break
    sleep 0.02
done
t_first=$EPOCHREALTIME
# Resident memory and open file descriptors every 0.5 s with how many pages were done, until
# every distinct scan is.
deadline=$(( ${EPOCHREALTIME%.*} + 120 + 2 * n ))
: > "$work/rss.tsv"
while :; do
    kill -0 "$pid" 2>/dev/null || { say "the daemon died"; tail -20 "$work/daemon.log" >&2; exit 1; }
    finished=$(done_count)
    printf '%s\t%s\t%s\t%s\n' "$EPOCHREALTIME" "$finished" "$(rss_kb VmRSS)" "$(open_fds)" >> "$work/rss.tsv"
    (( finished >= distinct )) && break
    (( ${EPOCHREALTIME%.*} < deadline )) || { say "not done after $(( 120 + 2 * n )) s"; exit 1; }
    sleep 0.5
done
peak_kb=$(rss_kb VmHWM)
kill -TERM "$pid"
status=0
wait "$pid" || status=$?
trap '[[ -n ${WORK:-} || ${KEEP:-0} == 1 ]] || rm -rf "$work"' EXIT
load_after=$(load)
# The last file done: the newest ctime in archive/ and quarantine/ (the move into them sets it).
t_last=$(find "$inbox/archive" "$inbox/quarantine" -type f -printf '%C@\n' | sort -n | tail -1)

# Where every scan ended.
"$blankett" queue export --store "sqlite:$work/queue.sqlite" --format jsonl \
    | { grep -o '"reference":"[0-9a-f]*"' || true; } | cut -d'"' -f4 | sort > "$work/queued.txt"
(cd "$inbox/quarantine" && ls) | { grep -v '\.json$' || true; } | cut -c1-64 | sort > "$work/quarantined.txt"
(cd "$inbox/archive" && ls) | cut -c1-64 | sort > "$work/archived.txt"
left=$( (find "$inbox" -maxdepth 1 -type f; find "$inbox/processing" -type f) | wc -l)
duplicates=$(sort "$work/queued.txt" "$work/quarantined.txt" | uniq -d | wc -l)
sort -u "$work/queued.txt" "$work/quarantined.txt" > "$work/ended.txt"
check() { if eval "$1"; then echo true; else echo false; fi; }
ok_exit=$(check "(( status == 0 ))")
# Once: every distinct scan queued or quarantined, never both, never twice; and a queued scan is
# the one archived (archive/<sha256>.png), a quarantined one never is.
ok_once=$(check "cmp -s '$work/ended.txt' '$work/expected.txt' && (( duplicates == 0 )) && cmp -s '$work/archived.txt' '$work/queued.txt'")
ok_rejected=$(check "cmp -s '$work/quarantined.txt' '$work/expected-rejected.txt'")
ok_left=$(check "(( left == 0 ))")
queued=$(wc -l < "$work/queued.txt")
archived=$(wc -l < "$work/archived.txt")
quarantined=$(wc -l < "$work/quarantined.txt")

# Figures.
read -r sustained_s e2e_s sustained_pps e2e_pps ratio < <(awk -v d="$distinct" -v a="$t_drop" -v f="$t_first" -v l="$t_last" -v b="$bench_raw" \
    'BEGIN { s = l - f; e = l - a; printf "%.3f %.3f %.2f %.2f %.3f\n", s, e, d / s, d / e, d / s / b }')
within=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.85) ? "true" : "false" }')
# Resident memory at the first sample with 10 %, 50 %, 90 % of the pages done.
rss_at() { awk -v p="$1" -v d="$distinct" '$2 >= p * d / 100 { printf "%.1f", $3 / 1024; exit }' "$work/rss.tsv"; }
rss10=$(rss_at 10) rss50=$(rss_at 50) rss90=$(rss_at 90)
fds_at() { awk -v p="$1" -v d="$distinct" '$2 >= p * d / 100 { print $4; exit }' "$work/rss.tsv"; }
fds10=$(fds_at 10) fds50=$(fds_at 50) fds90=$(fds_at 90)
read -r fds_min fds_max < <(awk 'NR == 1 || $4 < lo { lo = $4 } $4 > hi { hi = $4 } END { print lo, hi }' "$work/rss.tsv")
# Growth per page: the least-squares slope of RSS over pages done, from 10 % of the pages on.
slope=$(awk -v d="$distinct" '$2 >= d / 10 { n++; x += $2; y += $3; xx += $2 * $2; xy += $2 * $3 }
    END { v = n * xx - x * x; printf "%.1f", (n > 1 && v > 0) ? (n * xy - x * y) / v : 0 }' "$work/rss.tsv")
rss_max=$(awk '$3 > m { m = $3 } END { printf "%.1f", m / 1024 }' "$work/rss.tsv")
peak=$(awk -v k="$peak_kb" 'BEGIN { printf "%.1f", k / 1024 }')
samples=$(awk -v f="$t_first" '{ printf "%s[%.2f, %d, %.1f, %d]", (NR > 1 ? ", " : ""), $1 - f, $2, $3 / 1024, $4 }' "$work/rss.tsv")
commit="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD 2>/dev/null || echo ' (with uncommitted changes)')"
cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')

cat > "$results/daemon-$n.json" <<EOF
{
  "date": "$(date -u +%Y-%m-%dT%H:%M:%SZ)", "commit": "$commit", "cores": $(nproc), "cpu": "$cpu",
  "scans": $n, "distinct_scans": $distinct, "seed": $seed, "scan_date": "$scan_date", "workers": $workers,
  "settle_ms": $settle_ms, "load_before": $load_before, "load_after": $load_after,
  "bench_pages": $bench_pages, "bench_pages_per_s": $bench_pps, "bench_peak_rss_mb": $bench_rss,
  "daemon_sustained_pages_per_s": $sustained_pps, "daemon_sustained_seconds": $sustained_s,
  "daemon_end_to_end_pages_per_s": $e2e_pps, "daemon_end_to_end_seconds": $e2e_s,
  "sustained_over_bench": $ratio, "within_15_percent": $within,
  "source": "$source", "rss_mb_at_10_50_90_percent": [$rss10, $rss50, $rss90], "rss_kb_per_page": $slope, "rss_mb_max_sampled": $rss_max, "peak_rss_mb": $peak,
  "open_fds_at_10_50_90_percent": [$fds10, $fds50, $fds90], "open_fds_min_max": [$fds_min, $fds_max],
  "samples_seconds_done_rss_mb_fds": [$samples],
  "queued": $queued, "archived": $archived, "quarantined": $quarantined, "expected_rejected": $expected_rejected,
  "bench_rejected": $bench_rejected, "duplicates": $duplicates, "files_left": $left, "exit_status": $status,
  "checks": {"exit_0_after_sigterm": $ok_exit, "each_scan_exactly_once": $ok_once,
             "rejected_exactly_in_quarantine": $ok_rejected, "nothing_left": $ok_left}
}
EOF
mark() { [[ $1 == true ]] && echo "yes" || echo "**NO**"; }
cat > "$results/daemon-$n.md" <<EOF
# Daemon throughput: \`blankett watch --workers $workers\` vs \`blankett bench --threads $workers\`

$source: $distinct distinct files, dropped into the inbox at once by renaming.
SQLite queue, settle time $settle_ms ms. $(date -u +%Y-%m-%d), commit $commit, $(nproc) cores ($cpu),
load $load_before before the drop, $load_after after.

| figure | value |
| --- | --- |
| bench, reading on $workers threads ($bench_pages distinct pages, page cache warm) | $bench_pps pages/s |
| daemon, sustained: first file claimed → last file moved to archive/ or quarantine/ | **$sustained_pps pages/s** ($sustained_s s) |
| daemon ÷ bench | $ratio (within 15 %: $(mark "$within")) |
| daemon, end to end: drop → last file moved (includes the $settle_ms ms settle time) | $e2e_pps pages/s ($e2e_s s) |
| daemon RSS at 10 % / 50 % / 90 % of the pages | $rss10 / $rss50 / $rss90 MB |
| daemon RSS growth per page (least squares, from 10 % of the pages on) | $slope KB |
| daemon RSS, largest sample / peak (VmHWM) | $rss_max / $peak MB (bench: $bench_rss MB) |
| daemon open file descriptors at 10 % / 50 % / 90 % of the pages; fewest / most sampled | $fds10 / $fds50 / $fds90; $fds_min / $fds_max |
| queued (and archived) / quarantined (answer key: $expected_rejected rejected; bench rejected $bench_rejected of its $bench_pages) | $queued ($archived) / $quarantined |
| exit status 0 after SIGTERM | $(mark "$ok_exit") |
| every scan exactly once: queued and archived, or quarantined | $(mark "$ok_once") |
| quarantine = the files the answer key rejects | $(mark "$ok_rejected") |
| nothing left in the inbox or processing/ | $(mark "$ok_left") |

The first claim is seen by polling processing/ every 20 ms; the last move is the newest ctime in
archive/ and quarantine/. RSS (VmRSS) and the entries of /proc/PID/fd are sampled every 0.5 s;
every sample is in daemon-$n.json.
EOF
cat "$results/daemon-$n.md"
[[ $ok_exit == true && $ok_once == true && $ok_rejected == true && $ok_left == true ]]

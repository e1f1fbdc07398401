#!/usr/bin/env bash
# The verification station's figures (issue 15): the server time of Next and of settling with
# 10,000 forms waiting, and the server's memory. The queue is the real reader's: four SampleScans
# read with an accept threshold no reading meets (their personnummer in doubt), the first of them
# copied into 10,000 items that differ by their reference. One clerk then takes and settles forms as
# the browser would: POST /next, GET the item page, POST its settling with the personnummer keyed.
# Times are round trips on loopback measured by curl. Writes $RESULTS/verify.md and verify.json.
#
#   benchmarks/verify.sh [N]   N forms settled (default 300)
#   ITEMS=M      forms waiting (default 10000)      RESULTS=DIR   (default benchmarks/results)
#   SCRATCH=DIR  build folder (default .build)
#
# Needs bash, coreutils, curl and python3 (its sqlite3 module copies the items and sums up).
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
n=${1:-300}
items=${ITEMS:-10000}
results=${RESULTS:-benchmarks/results}
scratch=${SCRATCH:-.build}
work=$(mktemp -d "${TMPDIR:-/tmp}/blankett-verify-XXXXXX")
trap 'kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT
server=
mkdir -p "$results"
say() { echo "verify.sh: $*" >&2; }

swift build -c release --scratch-path "$scratch" --product blankett >&2
blankett=$scratch/release/blankett
queue=$work/queue.sqlite
"$blankett" read --accept-threshold 0.99999999 --scan-date 2025-11-20 --store "sqlite:$queue" SampleScans/scan-00001.png >/dev/null
number=$(grep '"scan-00001.png"' SampleScans/truth.jsonl | sed 's/.*"personnummer":"\([0-9]*\)".*/\1/')

say "copying item 1 into $items waiting forms"
python3 - "$queue" "$items" <<'PY'
import hashlib, sqlite3, sys
db = sqlite3.connect(sys.argv[1])
row = db.execute("SELECT priority, specific_content, created_at FROM queue_items WHERE id = 1").fetchone()
pictures = db.execute("SELECT name, png FROM queue_attachments WHERE item_id = 1").fetchall()
for i in range(2, int(sys.argv[2]) + 1):
    reference = hashlib.sha256(b"verify bench %d" % i).hexdigest()
    cur = db.execute("INSERT INTO queue_items (queue, reference, priority, status, specific_content, created_at) "
                     "VALUES ('verification', ?, ?, 'New', ?, ?)", (reference, row[0], row[1], row[2]))
    db.executemany("INSERT INTO queue_attachments VALUES (?, ?, ?)", [(cur.lastrowid, name, png) for name, png in pictures])
db.commit()
PY

echo "a bench password 1" | "$blankett" verify add-user --users "$work/users" clerk >/dev/null
"$blankett" verify serve --store "sqlite:$queue" --users "$work/users" --listen 127.0.0.1:0 --log-level warning >"$work/serve.out" &
server=$!
for _ in $(seq 100); do grep -q "^verification station on" "$work/serve.out" && break; sleep 0.1; done
base=$(sed -n 's/^verification station on \(.*\)\/$/\1/p' "$work/serve.out")
jar=$work/cookies
curl -s -c "$jar" -b "$jar" "$base/login" -o "$work/page.html"
token() { sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p' "$work/page.html" | head -1; }
curl -s -c "$jar" -b "$jar" -o /dev/null --data "csrf=$(token)&name=clerk&password=a+bench+password+1" "$base/login"
curl -s -c "$jar" -b "$jar" -o "$work/page.html" "$base/"
csrf=$(token)
rss_start=$(awk '/VmRSS/ {print $2}' /proc/$server/status)

say "settling $n forms"
: >"$work/times"
for i in $(seq "$n"); do
    next=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{time_total} %{redirect_url}' --data "csrf=$csrf" "$base/next")
    item=${next##*/}
    page=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{time_total}' "$base/items/$item")
    settle=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{time_total} %{http_code}' \
        --data "csrf=$csrf&f.personnummer=$number&keystrokes=%7B%22total%22%3A13%7D" "$base/items/$item/settle")
    [[ ${settle#* } == 303 ]] || { say "settling item $item answered ${settle#* }"; exit 1; }
    echo "${next%% *} $page ${settle%% *}" >>"$work/times"
done
list=$(curl -s -c "$jar" -b "$jar" -o /dev/null -w '%{time_total}' "$base/")
rss_end=$(awk '/VmRSS/ {print $2}' /proc/$server/status)
hwm=$(awk '/VmHWM/ {print $2}' /proc/$server/status)

python3 - "$work/times" "$queue" "$n" "$items" "$rss_start" "$rss_end" "$hwm" "$list" "$results" <<'PY'
import json, sqlite3, sys
times, queue, n, items, rss0, rss1, hwm, listing, results = sys.argv[1:]
rows = [list(map(float, line.split())) for line in open(times)]
def pct(values, p):
    values = sorted(values); return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000
figures = {name: {"p50_ms": round(pct(col, 50), 2), "p95_ms": round(pct(col, 95), 2), "p99_ms": round(pct(col, 99), 2)}
           for name, col in zip(["next", "item_page", "settle_and_next"], zip(*rows))}
db = sqlite3.connect(queue)
applications = db.execute("SELECT count(*) FROM queue_items WHERE queue = 'applications'").fetchone()[0]
verified = db.execute("SELECT count(*) FROM queue_items WHERE queue = 'applications' AND specific_content LIKE '%\"source\":\"verified\"%'").fetchone()[0]
out = {"forms_settled": int(n), "forms_waiting_at_start": int(items), "applications": applications, "verified": verified,
       "server_rss_kb": {"start": int(rss0), "end": int(rss1), "peak": int(hwm)}, "list_page_ms": round(float(listing) * 1000, 1),
       **figures}
json.dump(out, open(f"{results}/verify.json", "w"), indent=2)
with open(f"{results}/verify.md", "w") as f:
    f.write(f"# Verification station: {n} forms settled with {items} waiting\n\n")
    f.write("Round trips on loopback (curl), one clerk, SQLite store, release build; `benchmarks/verify.sh {}`.\n\n".format(n))
    f.write("| request | p50 ms | p95 ms | p99 ms |\n| --- | --- | --- | --- |\n")
    for name, label in [("next", "Next (claim the oldest form)"), ("item_page", "the item page"), ("settle_and_next", "settle (and claim the next)")]:
        f.write(f"| {label} | {figures[name]['p50_ms']} | {figures[name]['p95_ms']} | {figures[name]['p99_ms']} |\n")
    f.write(f"\nThe list page with {int(items) - int(n)} waiting: {out['list_page_ms']} ms. Server memory: RSS {int(rss0)//1024} MB after log-in, "
            f"{int(rss1)//1024} MB at the end, peak {int(hwm)//1024} MB. Applications written: {applications} ({verified} verified), one per settled form.\n")
print(json.dumps(out))
if applications != int(n) or verified != int(n): sys.exit("verify.sh: not one application per settled form")
PY

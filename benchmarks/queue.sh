#!/usr/bin/env bash
# The queue figures of issue 16: `blankett queue bench` (S stations delivering N items while 4
# robots claim and complete them, each a thread with its own connection) against SQLite and
# against PostgreSQL on this machine, with 1 and 3 stations; then once more on PostgreSQL with the
# server restarted (pg_ctl restart -m fast) two seconds into the run, whose longest stall is the
# recovery time. The PostgreSQL server is a throwaway one (initdb in the scratch folder, a
# loopback port, the `postgres` user when run as root) with its default durability (fsync on,
# synchronous_commit on), as SQLite runs with synchronous=FULL: a delivery returns once on disk.
# Writes $RESULTS/queue.md and queue.json.
#
#   benchmarks/queue.sh [N]   N items per run (default 2000)
#   RESULTS=DIR   where the results go (default benchmarks/results)
#   SCRATCH=DIR   build folder (default .build)
set -euo pipefail
export LC_ALL=C
cd "$(dirname "$0")/.."
n=${1:-2000}
results=${RESULTS:-benchmarks/results}
scratch=${SCRATCH:-.build}
work=$(mktemp -d "${TMPDIR:-/tmp}/blankett-queue-bench-XXXXXX")
mkdir -p "$results"
say() { echo "queue.sh: $*" >&2; }

swift build -c release --scratch-path "$scratch" --product blankett >&2
blankett=$scratch/release/blankett
bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
[[ -x $bin/initdb ]] || { say "no PostgreSQL server: run scripts/setup.sh"; exit 1; }
as_pg=()
if [[ $(id -u) == 0 ]]; then as_pg=(runuser -u postgres --); chown postgres "$work"; fi
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
password=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
echo "$password" > "$work/pwfile" && chmod 644 "$work/pwfile"
pg_ctl() { "${as_pg[@]}" "$bin/pg_ctl" -D "$work/data" -l "$work/server.log" -w -t 60 "$@" >&2; }
"${as_pg[@]}" "$bin/initdb" -D "$work/data" -U postgres --pwfile "$work/pwfile" --auth-local=trust \
    --auth-host=scram-sha-256 --encoding=UTF8 --locale=C >/dev/null
pg_ctl -o "-p $port -k $work -c listen_addresses=127.0.0.1" start
trap 'pg_ctl -m immediate stop || true; rm -rf "$work"' EXIT
psql() { "${as_pg[@]}" /usr/bin/psql -X -q -v ON_ERROR_STOP=1 -h "$work" -p "$port" -U postgres -d postgres -c "$1"; }
psql "CREATE ROLE blankett LOGIN PASSWORD '$password'"
export PGPASSWORD=$password

runs=()
bench() {  # NAME STORE STATIONS [restart]
    local name=$1 store=$2 stations=$3
    say "$name: $store, $stations stations, 4 robots, $n items"
    "$blankett" queue bench --store "$store" --stations "$stations" --robots 4 --items "$n" --json "$work/$name.json" >&2
    runs+=("$name")
}
fresh_db() { psql "CREATE DATABASE $1 OWNER blankett"; echo "postgres://blankett@127.0.0.1:$port/$1?sslmode=disable"; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
bench sqlite-1 "sqlite:$work/q1.sqlite" 1
bench sqlite-3 "sqlite:$work/q3.sqlite" 3
bench postgres-1 "$(fresh_db q1)" 1
bench postgres-3 "$(fresh_db q3)" 3
restart_store=$(fresh_db qr)
( sleep 2; t0=$(date +%s.%N); pg_ctl -m fast restart; echo "$t0 $(date +%s.%N)" > "$work/restart.times" ) &
bench postgres-3-restart "$restart_store" 3
wait
read -r t0 t1 < "$work/restart.times"
restart_s=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.2f", b - a }')
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

field() { grep -o "\"$2\":[^,}]*" "$work/$1.json" | head -1 | cut -d: -f2; }
fmt() { awk -v v="$1" -v d="$2" 'BEGIN { printf "%." d "f", v }'; }
{
    echo "{\"items\":$n,\"load_before\":\"$load_before\",\"load_after\":\"$load_after\",\"pg_ctl_restart_s\":$restart_s,\"runs\":{"
    first=1
    for r in "${runs[@]}"; do
        (( first )) || echo ","
        first=0
        printf '"%s":%s' "$r" "$(cat "$work/$r.json")"
    done
    echo "}}"
} > "$results/queue.json"
{
    echo "# The work queue: SQLite and PostgreSQL on one machine"
    echo
    echo "\`benchmarks/queue.sh $n\` on $(nproc) cores, $(git rev-parse --short HEAD), $(date -u +%Y-%m-%d); load average $load_before before, $load_after after."
    echo "Each run: S stations deliver $n items (every fifth to verification with a 2 KB crop) while 4 robots claim and"
    echo "complete them; every station and robot is a thread with its own connection. PostgreSQL $("$bin/postgres" --version | awk '{print $3}')"
    echo "on loopback with its default durability, SQLite in WAL mode with synchronous=FULL."
    echo
    echo "| run | deliveries/s | claims/s | claim p50 / p99 (ms) | delivery p50 / p99 (ms) | longest stall (s) | lost claims | errors |"
    echo "| --- | --- | --- | --- | --- | --- | --- | --- |"
    for r in "${runs[@]}"; do
        errors=$(grep -o '"errors":{[^}]*}' "$work/$r.json" | sed 's/"errors"://; s/[{}"]//g')
        echo "| $r | $(fmt "$(field "$r" deliveries_per_s)" 0) | $(fmt "$(field "$r" claims_per_s)" 0) |" \
             "$(fmt "$(field "$r" claim_ms_p50)" 2) / $(fmt "$(field "$r" claim_ms_p99)" 2) |" \
             "$(fmt "$(field "$r" delivery_ms_p50)" 2) / $(fmt "$(field "$r" delivery_ms_p99)" 2) |" \
             "$(fmt "$(field "$r" longest_stall_s)" 2) | $(field "$r" lost_claims) | ${errors:-none} |"
    done
    echo
    echo "Recovery: in postgres-3-restart the server was restarted 2 s into the run (\`pg_ctl restart -m fast\`, which took"
    echo "${restart_s} s: shut down, then up again); the longest stall, the time in which nothing was delivered or claimed,"
    echo "is the time from the shutdown until the stations and robots had reconnected and went on. A lost claim is one whose"
    echo "answer the restart swallowed; the item waits for its lease to end and is then Abandoned, as a robot's crash leaves it."
} > "$results/queue.md"
cat "$results/queue.md"

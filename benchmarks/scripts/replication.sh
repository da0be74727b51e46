#!/usr/bin/env bash
# replication.sh [KEYS] [REQUESTS]
#
# Replication of Peregrine against redis-server on this machine, side by side in one run. The primary is always
# a redis-server (diskless sync, repl-diskless-sync-delay 0); the replica is either a redis-server or Peregrine:
#   1. full sync: the primary holds KEYS keys (DEBUG POPULATE KEYS, default 1000000, 100-byte values); the
#      replica runs REPLICAOF; time until its master_link_status is up (polled every 20 ms). Also the way back:
#      a redis-server replica of a Peregrine primary holding the same dataset, against redis of redis.
#   2. lag: a fresh primary and replica; redis-benchmark -t set -r 1000000 -d 100 -c 50 -n REQUESTS (default
#      2000000) on the primary. Every 100 ms the replica's slave_repl_offset, then the primary's INFO
#      replication (master_repl_offset and the replica's acknowledged offset= in slave0) are read; lag in bytes
#      = primary offset - replica offset (the replica's is read first, so a sample never shows it ahead), and
#      the acknowledged lag (what WAIT / min-replicas see, the replica ACKs every second). Catch-up: time from
#      the load's end until the replica's offset equals the primary's (polled every 10 ms).
# Builds nothing: expects server/target/peregrine-server.jar. Read the ratios, not absolute figures: the servers
# and the load share this machine's CPUs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

keys="${1:-1000000}"
requests="${2:-2000000}"
need redis-server
need redis-cli
need redis-benchmark

work=$(mktemp -d)
trap 'stop_all; rm -rf "$work"' EXIT

now_ms() { date +%s%3N; }

cli() { local port=$1; shift; redis-cli -h 127.0.0.1 -p "$port" "$@"; }

field() { # PORT NAME: a field of INFO replication
  cli "$1" INFO replication | tr -d '\r' | awk -F: -v f="$2" '$1 == f {print $2}'
}

stop_one() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

# start NAME PORT [args...]: NAME is redis or peregrine; sets started_pid. Each server gets its own dir.
start() {
  local name=$1 port=$2; shift 2
  mkdir -p "$work/$port"
  if [ "$name" = redis ]; then
    start_redis "$port" --dir "$work/$port" --enable-debug-command yes "$@"
    started_pid=$redis_pid
  else
    start_peregrine "$port" --dir "$work/$port" --enable-debug-command yes "$@"
    started_pid=$peregrine_pid
  fi
}

wait_link_up() { # PORT
  until [ "$(field "$1" master_link_status)" = "up" ]; do sleep 0.02; done
}

# full_sync PRIMARY_NAME REPLICA_NAME: prints the milliseconds from REPLICAOF to link up
full_sync() {
  local pport rport ppid rpid t0 t1
  pport=$(free_port)
  start "$1" "$pport" --repl-diskless-sync yes --repl-diskless-sync-delay 0
  ppid=$started_pid
  cli "$pport" DEBUG POPULATE "$keys" key 100 >/dev/null
  rport=$(free_port)
  start "$2" "$rport"
  rpid=$started_pid
  [ "$2" = peregrine ] && echo "peregrine runs on: $(readlink -f "/proc/$rpid/exe")" >&2
  t0=$(now_ms)
  cli "$rport" REPLICAOF 127.0.0.1 "$pport" >/dev/null
  wait_link_up "$rport"
  t1=$(now_ms)
  [ "$(cli "$pport" DBSIZE)" = "$(cli "$rport" DBSIZE)" ] || die "$2 replica of $1: DBSIZE differs after sync"
  stop_one "$rpid"
  stop_one "$ppid"
  echo $((t1 - t0))
}

# lag REPLICA_NAME: sets lag_mean, lag_max, ack_mean, ack_max (bytes), catchup (ms), rate (requests/s)
lag() {
  local pport rport ppid rpid bpid t0 t1 t2 r line p a samples="$work/samples.$1"
  pport=$(free_port)
  start redis "$pport" --repl-diskless-sync yes --repl-diskless-sync-delay 0 --repl-backlog-size 256mb
  ppid=$started_pid
  rport=$(free_port)
  start "$1" "$rport"
  rpid=$started_pid
  cli "$rport" REPLICAOF 127.0.0.1 "$pport" >/dev/null
  wait_link_up "$rport"
  : >"$samples"
  t0=$(now_ms)
  redis-benchmark -h 127.0.0.1 -p "$pport" -t set -r 1000000 -d 100 -c 50 -n "$requests" -q >/dev/null 2>&1 &
  bpid=$!
  while kill -0 "$bpid" 2>/dev/null; do
    r=$(field "$rport" slave_repl_offset)
    line=$(cli "$pport" INFO replication | tr -d '\r')
    p=$(awk -F: '$1 == "master_repl_offset" {print $2}' <<<"$line")
    a=$(sed -n 's/^slave0:.*offset=\([0-9]*\).*/\1/p' <<<"$line")
    echo "$p $r ${a:-0}" >>"$samples"
    sleep 0.1
  done
  wait "$bpid" || true
  t1=$(now_ms)
  p=$(field "$pport" master_repl_offset)
  until [ "$(field "$rport" slave_repl_offset)" = "$p" ]; do sleep 0.01; done
  t2=$(now_ms)
  catchup=$((t2 - t1))
  rate=$((requests * 1000 / (t1 - t0)))
  read -r lag_mean lag_max ack_mean ack_max < <(awk '
    NR > 1 { d = $1 - $2; if (d < 0) d = 0; s += d; if (d > m) m = d;
             e = $1 - $3; if (e < 0) e = 0; sa += e; if (e > ma) ma = e; n++ }
    END { if (n == 0) n = 1; printf "%.0f %d %.0f %d\n", s / n, m, sa / n, ma }' "$samples")
  echo "$1 replica: $(($(wc -l <"$samples") - 1)) samples, $rate SET/s on the primary," \
    "lag mean $lag_mean max $lag_max bytes, acknowledged lag mean $ack_mean max $ack_max, catch-up $catchup ms" >&2
  stop_one "$rpid"
  stop_one "$ppid"
}

[ -f "$jar" ] || die "$jar not found: build it first with ./mvnw -q -pl server -am package -DskipTests"
machine_summary
echo "dataset: $keys keys of 100 bytes; load: $requests SETs, -c 50"
echo

declare -A sync_ms
for pair in redis:redis redis:peregrine peregrine:redis; do
  sync_ms[$pair]=$(full_sync "${pair%%:*}" "${pair##*:}")
  echo "full sync, ${pair##*:} replica of ${pair%%:*}: ${sync_ms[$pair]} ms"
done

declare -A lmean lmax amean amax cup rps
for name in redis peregrine; do
  lag "$name"
  lmean[$name]=$lag_mean; lmax[$name]=$lag_max; amean[$name]=$ack_mean; amax[$name]=$ack_max
  cup[$name]=$catchup; rps[$name]=$rate
done
echo

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
row() { printf '%-44s %12s %12s %10s\n' "$1" "$2" "$3" "$(ratio "$2" "$3")"; }
printf '%-44s %12s %12s %10s\n' "" redis peregrine "p/r"
row "full sync ms, replica of redis" "${sync_ms[redis:redis]}" "${sync_ms[redis:peregrine]}"
row "full sync ms, redis replica of (primary)" "${sync_ms[redis:redis]}" "${sync_ms[peregrine:redis]}"
row "primary SET/s during the lag run" "${rps[redis]}" "${rps[peregrine]}"
row "lag mean (bytes)" "${lmean[redis]}" "${lmean[peregrine]}"
row "lag max (bytes)" "${lmax[redis]}" "${lmax[peregrine]}"
row "acknowledged lag mean (bytes)" "${amean[redis]}" "${amean[peregrine]}"
row "acknowledged lag max (bytes)" "${amax[redis]}" "${amax[peregrine]}"
row "catch-up after the load (ms)" "${cup[redis]}" "${cup[peregrine]}"

#!/usr/bin/env bash
# persistence.sh [KEYS] [VALUE_BYTES]
#
# Persistence of Peregrine against redis-server on this machine, side by side in one run (both with the same
# dataset: DEBUG POPULATE KEYS, default 1000000 keys of VALUE_BYTES, default 100):
#   1. save   : SAVE on each, file size / time in MB/s;
#   2. load   : a restart on that file, file size / "DB loaded from disk" time in MB/s (both servers log it);
#   3. memory : a write load (redis-benchmark SET over the same keys, -c 25) and a read load (GET, -c 25) run
#               together (50% writes); during it a BGSAVE; the proportional set size (Pss, /proc/<pid>/smaps_rollup,
#               summed over redis-server and its fork child) is sampled every 50 ms: peak during the BGSAVE minus
#               the level just before it, also as a share of that level;
#   4. latency: SET p99 (redis-benchmark --csv) over a run with BGSAVEs started back to back, and without.
# Builds nothing: expects server/target/peregrine-server.jar. Read the ratios, not absolute figures: the servers
# and the load share this machine's CPUs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

keys="${1:-1000000}"
size="${2:-100}"
need redis-server
need redis-cli
need redis-benchmark
trap stop_all EXIT

work=$(mktemp -d)
trap 'stop_all; rm -rf "$work"' EXIT
mkdir -p "$work/redis" "$work/peregrine"

now_ms() { date +%s%3N; }

pss_kb() { # PID [PID...]: Pss summed, in KB
  local total=0 p v
  for p in "$@"; do
    v=$(awk '/^Pss:/ {print $2}' "/proc/$p/smaps_rollup" 2>/dev/null || echo 0)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}

children_of() { pgrep -P "$1" 2>/dev/null || true; }

in_progress() { redis-cli -h 127.0.0.1 -p "$1" INFO persistence | tr -d '\r' | awk -F: '/^rdb_bgsave_in_progress/ {print $2}'; }

wait_bgsave() {
  while [ "$(in_progress "$1")" = "1" ]; do sleep 0.05; done
}

# start NAME PORT: the server named NAME (redis|peregrine) with its own dir, debug on, log to $work/NAME.log
start() {
  local name=$1 port=$2
  if [ "$name" = redis ]; then
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no \
      --logfile "$work/redis.log" --dir "$work/redis" --enable-debug-command yes >/dev/null 2>&1 &
    redis_pid=$!
    pids+=("$redis_pid")
    wait_ping "$port" "$redis_pid"
  else
    "$root/bin/peregrine-server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no \
      --dir "$work/peregrine" --enable-debug-command yes >"$work/peregrine.log" 2>&1 &
    peregrine_pid=$!
    pids+=("$peregrine_pid")
    wait_ping "$port" "$peregrine_pid"
  fi
}

stop_one() {
  kill "$1" 2>/dev/null || true
  wait "$1" 2>/dev/null || true
}

[ -f "$jar" ] || die "$jar not found: build it first with ./mvnw -q -pl server -am package -DskipTests"
machine_summary
echo "dataset: $keys keys of $size bytes"
echo

declare -A save_mbs load_mbs mem_over mem_base p99_with p99_without

for name in redis peregrine; do
  port=$(free_port)
  start "$name" "$port"
  pid=$([ "$name" = redis ] && echo "$redis_pid" || echo "$peregrine_pid")
  [ "$name" = peregrine ] && echo "peregrine runs on: $(readlink -f "/proc/$pid/exe")"
  redis-cli -h 127.0.0.1 -p "$port" DEBUG POPULATE "$keys" key "$size" >/dev/null

  # 1. save
  t0=$(now_ms)
  redis-cli -h 127.0.0.1 -p "$port" SAVE >/dev/null
  t1=$(now_ms)
  bytes=$(stat -c %s "$work/$name/dump.rdb")
  save_mbs[$name]=$(awk -v b="$bytes" -v ms=$((t1 - t0)) 'BEGIN {printf "%.0f", b / 1048576 / (ms / 1000)}')
  echo "$name: SAVE $bytes bytes in $((t1 - t0)) ms"

  # 3. memory during BGSAVE under 50% writes
  redis-benchmark -h 127.0.0.1 -p "$port" -t set -c 25 -d "$size" -r "$keys" -n 100000000 -q >/dev/null 2>&1 &
  wpid=$!
  redis-benchmark -h 127.0.0.1 -p "$port" -t get -c 25 -r "$keys" -n 100000000 -q >/dev/null 2>&1 &
  rpid=$!
  sleep 3
  base=$(pss_kb "$pid")
  redis-cli -h 127.0.0.1 -p "$port" BGSAVE >/dev/null
  peak=$base
  sleep 0.02
  while [ "$(in_progress "$port")" = "1" ]; do
    # shellcheck disable=SC2046
    cur=$(pss_kb "$pid" $(children_of "$pid"))
    [ "$cur" -gt "$peak" ] && peak=$cur
    sleep 0.05
  done
  kill "$wpid" "$rpid" 2>/dev/null || true
  wait "$wpid" "$rpid" 2>/dev/null || true
  mem_base[$name]=$((base / 1024))
  mem_over[$name]=$(((peak - base) / 1024))
  echo "$name: Pss before BGSAVE $((base / 1024)) MB, peak during it $((peak / 1024)) MB"

  # 4. latency with and without BGSAVE
  p99() {
    redis-benchmark -h 127.0.0.1 -p "$port" -t set -c 50 -d "$size" -r "$keys" -n 300000 --csv 2>/dev/null \
      | awk -F'","' '/^"SET"/ {gsub(/"/, "", $7); print $7}'
  }
  p99_without[$name]=$(p99)
  (for _ in $(seq 1 200); do
     redis-cli -h 127.0.0.1 -p "$port" BGSAVE >/dev/null 2>&1 || true
     wait_bgsave "$port"
   done) &
  loop=$!
  p99_with[$name]=$(p99)
  kill "$loop" 2>/dev/null || true
  wait "$loop" 2>/dev/null || true
  wait_bgsave "$port"
  echo "$name: SET p99 ${p99_without[$name]} ms without BGSAVE, ${p99_with[$name]} ms during BGSAVEs"

  # 2. load: restart on the file written by SAVE
  redis-cli -h 127.0.0.1 -p "$port" SAVE >/dev/null
  bytes=$(stat -c %s "$work/$name/dump.rdb")
  stop_one "$pid"
  : >"$work/$name.log"
  start "$name" "$port"
  secs=$(grep -o 'DB loaded from disk: [0-9.]* seconds' "$work/$name.log" | tail -1 | awk '{print $5}')
  load_mbs[$name]=$(awk -v b="$bytes" -v s="$secs" 'BEGIN {printf "%.0f", b / 1048576 / s}')
  echo "$name: loaded $bytes bytes in $secs s"
  pid=$([ "$name" = redis ] && echo "$redis_pid" || echo "$peregrine_pid")
  stop_one "$pid"
  echo
done

printf '%-34s %12s %12s %10s\n' "" redis peregrine "p/r"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0) printf "%.2f", b / a; else print "-" }'; }
printf '%-34s %12s %12s %10s\n' "SAVE MB/s" "${save_mbs[redis]}" "${save_mbs[peregrine]}" \
  "$(ratio "${save_mbs[redis]}" "${save_mbs[peregrine]}")"
printf '%-34s %12s %12s %10s\n' "load MB/s" "${load_mbs[redis]}" "${load_mbs[peregrine]}" \
  "$(ratio "${load_mbs[redis]}" "${load_mbs[peregrine]}")"
printf '%-34s %12s %12s\n' "Pss before BGSAVE (MB)" "${mem_base[redis]}" "${mem_base[peregrine]}"
printf '%-34s %12s %12s\n' "extra Pss during BGSAVE (MB)" "${mem_over[redis]}" "${mem_over[peregrine]}"
printf '%-34s %12s %12s %10s\n' "SET p99 ms, no BGSAVE" "${p99_without[redis]}" "${p99_without[peregrine]}" \
  "$(ratio "${p99_without[redis]}" "${p99_without[peregrine]}")"
printf '%-34s %12s %12s %10s\n' "SET p99 ms, during BGSAVEs" "${p99_with[redis]}" "${p99_with[peregrine]}" \
  "$(ratio "${p99_with[redis]}" "${p99_with[peregrine]}")"

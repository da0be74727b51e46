#!/usr/bin/env bash
# throughput.sh [N]
#
# Throughput of Peregrine against redis-server on this machine, side by side in one run: starts both on free
# loopback ports (persistence off), runs
#   redis-benchmark -t <tests> -c 50 -d 16 -n N -P 1      and      ... -P 16
# against each (redis first, then Peregrine, per pipeline depth), and prints ops/sec and Peregrine/Redis.
# Builds nothing: expects server/target/peregrine-server.jar (./mvnw -q -pl server -am package -DskipTests).
#
# Environment:
#   TESTS           redis-benchmark -t list (default set,get,incr,lpush,mset)
#   PEREGRINE_ARGS  extra server options for Peregrine, e.g. "--io-threads 2"
#   WARMUP          requests per test sent to each server before measuring, for the JIT (default N/2; 0 = none)
# Both servers and the clients share this machine's CPUs: read the ratio, not the absolute figures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n="${1:-100000}"
tests="${TESTS:-set,get,incr,lpush,mset}"
warmup="${WARMUP:-$((n / 2))}"
need redis-server
need redis-benchmark
need redis-cli
trap stop_all EXIT

redis_port=$(free_port)
start_redis "$redis_port"
peregrine_port=$(free_port)
# shellcheck disable=SC2086
start_peregrine "$peregrine_port" ${PEREGRINE_ARGS:-}

# bench PORT PIPELINE REQUESTS TEST -> ops/sec, or "failed" (the reason goes to stderr). One test per run, so a
# command a server lacks fails only its own row.
bench() {
  local out
  if out=$(timeout 600 redis-benchmark -h 127.0.0.1 -p "$1" -t "$4" -c 50 -d 16 -n "$3" -P "$2" --csv 2>&1); then
    echo "$out" | awk -F'","' '/^"[^"]+","[0-9.]+"/ { gsub(/"/, "", $2); print $2; exit }'
  else
    echo "redis-benchmark -t $4 -P $2 failed on port $1: $(echo "$out" | grep -m1 -iE 'error|refused' || true)" >&2
    echo failed
  fi
}

IFS=, read -r -a test_list <<< "$tests"
if [ "$warmup" -gt 0 ]; then
  for t in "${test_list[@]}"; do
    bench "$redis_port" 16 "$warmup" "$t" >/dev/null 2>&1
    bench "$peregrine_port" 16 "$warmup" "$t" >/dev/null 2>&1
    bench "$peregrine_port" 1 "$warmup" "$t" >/dev/null 2>&1
  done
fi

echo "redis-benchmark -t $tests -c 50 -d 16 -n $n -P {1,16}; redis-server :$redis_port, Peregrine :$peregrine_port"
machine_summary "$peregrine_pid"
echo
printf '%-12s %3s %15s %15s %9s\n' test P redis-ops/s peregrine-ops/s ratio
for p in 1 16; do
  for t in "${test_list[@]}"; do
    r=$(bench "$redis_port" "$p" "$n" "$t")
    g=$(bench "$peregrine_port" "$p" "$n" "$t")
    ratio=$(awk -v g="$g" -v r="$r" 'BEGIN { if (r + 0 > 0 && g + 0 > 0) printf "%.2f", g / r; else print "n/a" }')
    printf '%-12s %3s %15s %15s %9s\n' "$t" "$p" "$r" "$g" "$ratio"
  done
done

#!/usr/bin/env bash
# bitcount.sh [N] [BYTES]
#
# BITCOUNT of one large random string on Peregrine against redis-server, side by side: starts both on free
# loopback ports (persistence off), stores the same BYTES random bytes (default 1 MiB) under one key in each,
# checks both count the same bits, then runs
#   redis-benchmark -c 4 -n N BITCOUNT bits      (N default 20000)
# against each and prints requests/sec and Peregrine/Redis. Builds nothing: expects
# server/target/peregrine-server.jar (./mvnw -q -pl server -am package -DskipTests).
# Both servers and the clients share this machine's CPUs: read the ratio, not the absolute figures.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n="${1:-20000}"
bytes="${2:-1048576}"
need redis-server
need redis-benchmark
need redis-cli
trap 'stop_all; rm -f "$data"' EXIT
data=$(mktemp)
head -c "$bytes" /dev/urandom > "$data"

redis_port=$(free_port)
start_redis "$redis_port"
peregrine_port=$(free_port)
start_peregrine "$peregrine_port"

for port in "$redis_port" "$peregrine_port"; do
  redis-cli -h 127.0.0.1 -p "$port" -x SET bits < "$data" >/dev/null
done
r_count=$(redis-cli -h 127.0.0.1 -p "$redis_port" BITCOUNT bits)
p_count=$(redis-cli -h 127.0.0.1 -p "$peregrine_port" BITCOUNT bits)
[ "$r_count" = "$p_count" ] || die "BITCOUNT differs: redis $r_count, Peregrine $p_count"

rps() {
  redis-benchmark -h 127.0.0.1 -p "$1" -c 4 -n "$2" --csv BITCOUNT bits 2>/dev/null \
    | awk -F'","' '/^"[^"]+","[0-9.]+"/ { gsub(/"/, "", $2); print $2; exit }'
}

rps "$peregrine_port" $((n / 2)) >/dev/null # JIT warm-up
echo "BITCOUNT of $bytes random bytes ($r_count bits set), redis-benchmark -c 4 -n $n"
machine_summary "$peregrine_pid"
r=$(rps "$redis_port" "$n")
g=$(rps "$peregrine_port" "$n")
printf '%-10s %15s %15s %9s\n' test redis-req/s peregrine-req/s ratio
printf '%-10s %15s %15s %9s\n' BITCOUNT "$r" "$g" "$(awk -v g="$g" -v r="$r" 'BEGIN { printf "%.2f", g / r }')"

#!/usr/bin/env bash
# datatypes.sh [N]
#
# Streams, HyperLogLog, bitmaps and geo against redis-server, side by side in one run (redis-benchmark -c 50,
# N requests per test, default 100000; Peregrine warmed up with N/2 first):
#   XADD s * f v                         appends (generated IDs)
#   XREADGROUP GROUP g c COUNT 1 STREAMS s >   over a stream of 2N entries (each call takes the next one)
#   PFADD h <random element> / PFCOUNT h (after the PFADDs)
#   BITCOUNT on a 64 MiB string (fewer requests: N/1000, at least 20)
#   GEOSEARCH over 1,000,000 points: FROMLONLAT <random> BYRADIUS 50 km ASC COUNT 10
# Prints requests/s and Peregrine/Redis. Builds nothing: expects server/target/peregrine-server.jar.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n="${1:-100000}"
need redis-server
need redis-cli
need redis-benchmark
need awk
trap stop_all EXIT

redis_port=$(free_port)
start_redis "$redis_port"
peregrine_port=$(free_port)
start_peregrine "$peregrine_port"
machine_summary "$peregrine_pid"

rps() { # PORT REQUESTS CLIENTS ARGS... -> requests per second
  local port=$1 req=$2 c=$3
  shift 3
  redis-benchmark -h 127.0.0.1 -p "$port" -c "$c" -n "$req" -r 1000000 --csv "$@" 2>/dev/null \
    | awk -F'","' 'NR > 1 && /^"/ { gsub(/"/, "", $2); print $2; exit }'
}
cli() { redis-cli -h 127.0.0.1 -p "$@"; }

printf '%-40s %14s %14s %8s\n' test redis-req/s peregrine-req/s ratio
row() {
  printf '%-40s %14s %14s %8s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", b / a }')"
}

# setup PORT: the data every test reads
setup() {
  local port=$1
  cli "$port" FLUSHALL >/dev/null
  # a 64 MiB string of varied bits: 1 MiB pattern appended 64 times
  head -c 1048576 /dev/urandom >"$tmp/pattern"
  for _ in $(seq 1 64); do cli "$port" -x APPEND bits <"$tmp/pattern" >/dev/null; done
  # 1,000,000 geo points spread over the globe, 1000 per GEOADD through --pipe
  awk 'BEGIN { srand(7); for (i = 0; i < 1000000; i += 1000) { printf "*%d\r\n$6\r\nGEOADD\r\n$3\r\ngeo\r\n", 2 + 3000;
         for (j = i; j < i + 1000; j++) { lon = sprintf("%.6f", rand() * 360 - 180); lat = sprintf("%.6f", rand() * 170 - 85);
           m = "p" j; printf "$%d\r\n%s\r\n$%d\r\n%s\r\n$%d\r\n%s\r\n", length(lon), lon, length(lat), lat, length(m), m } } }' \
    | cli "$port" --pipe >/dev/null
  # a stream of 2N entries and a group to read them
  awk -v n=$((2 * n)) 'BEGIN { for (i = 1; i <= n; i++) printf "*5\r\n$4\r\nXADD\r\n$2\r\nrs\r\n$%d\r\n%d-1\r\n$1\r\nf\r\n$1\r\nv\r\n", length(i "-1"), i }' \
    | cli "$port" --pipe >/dev/null
  cli "$port" XGROUP CREATE rs g 0 >/dev/null
}
tmp=$(mktemp -d)
trap 'stop_all; rm -rf "$tmp"' EXIT

setup "$redis_port"
setup "$peregrine_port"
[ "$(cli "$redis_port" ZCARD geo)" = "$(cli "$peregrine_port" ZCARD geo)" ] || die "geo sets differ"

bitreq=$((n / 1000 < 20 ? 20 : n / 1000))
declare -a tests=(
  "XADD|$n|50|XADD s * f v"
  "XREADGROUP COUNT 1|$n|50|XREADGROUP GROUP g c COUNT 1 STREAMS rs >"
  "PFADD|$n|50|PFADD h __rand_int__"
  "PFCOUNT|$n|50|PFCOUNT h"
  "BITCOUNT 64 MiB|$bitreq|4|BITCOUNT bits"
  "GEOSEARCH 1M points|$((n / 10))|50|GEOSEARCH geo FROMLONLAT 13.4 52.5 BYRADIUS 500 km ASC COUNT 10"
)
set -f # the commands hold "*" and ">", not file patterns
for t in "${tests[@]}"; do
  IFS='|' read -r name req c cmd <<<"$t"
  # shellcheck disable=SC2086
  rps "$peregrine_port" $((req / 2 > 0 ? req / 2 : 1)) "$c" $cmd >/dev/null # warm-up
  # shellcheck disable=SC2086
  r=$(rps "$redis_port" "$req" "$c" $cmd)
  # shellcheck disable=SC2086
  q=$(rps "$peregrine_port" "$req" "$c" $cmd)
  row "$name" "$r" "$q"
done

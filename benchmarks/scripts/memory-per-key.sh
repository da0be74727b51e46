#!/usr/bin/env bash
# memory-per-key.sh [KEYS]
#
# Resident memory per key of Peregrine and redis-server: starts both on free loopback ports (persistence off,
# DEBUG enabled), reads VmRSS from /proc/<pid>/status, runs DEBUG POPULATE KEYS (default 1000000: keys
# "key:<n>", values "value:<n>"), reads VmRSS again, and prints (after - before) / KEYS for each and the ratio.
# For the JVM a full GC (jcmd <pid> GC.run) precedes each reading, and the live heap after GC
# (jcmd GC.heap_info) is printed as well: RSS also counts heap the collector keeps committed but unused.
# Builds nothing: expects server/target/peregrine-server.jar.
#
# Environment: PEREGRINE_ARGS (extra server options), PEREGRINE_JAVA_OPTS (JVM options, e.g. -Xmx4g).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

keys="${1:-1000000}"
need redis-server
need redis-cli
need jcmd
trap stop_all EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

jvm_gc() {
  jcmd "$1" GC.run >/dev/null
  sleep 1
}

# Heap in use after GC, in KB, from the first "used N[KMG]" of jcmd GC.heap_info (G1, ZGC and Parallel all
# print one; ZGC rounds to MB).
heap_used_kb() {
  jcmd "$1" GC.heap_info | awk '
    /used/ { for (i = 1; i <= NF; i++) if ($i == "used") {
      v = $(i + 1); sub(/,$/, "", v); u = substr(v, length(v)); n = v + 0
      if (u == "M") n *= 1024; else if (u == "G") n *= 1048576; else if (u == "B") n /= 1024
      printf "%d\n", n; exit } }'
}

populate() {
  local reply
  reply=$(redis-cli -h 127.0.0.1 -p "$1" DEBUG POPULATE "$keys")
  [ "$reply" = "OK" ] || die "DEBUG POPULATE on port $1 answered: $reply"
  local size
  size=$(redis-cli -h 127.0.0.1 -p "$1" DBSIZE)
  [ "$size" = "$keys" ] || die "DBSIZE on port $1 is $size after DEBUG POPULATE $keys"
}

redis_port=$(free_port)
start_redis "$redis_port" --enable-debug-command yes
peregrine_port=$(free_port)
# shellcheck disable=SC2086
start_peregrine "$peregrine_port" --enable-debug-command yes ${PEREGRINE_ARGS:-}

r0=$(rss_kb "$redis_pid")
populate "$redis_port"
r1=$(rss_kb "$redis_pid")

jvm_gc "$peregrine_pid"
p0=$(rss_kb "$peregrine_pid")
h0=$(heap_used_kb "$peregrine_pid")
populate "$peregrine_port"
jvm_gc "$peregrine_pid"
p1=$(rss_kb "$peregrine_pid")
h1=$(heap_used_kb "$peregrine_pid")

echo "DEBUG POPULATE $keys; redis-server :$redis_port (pid $redis_pid), Peregrine :$peregrine_port (pid $peregrine_pid)"
machine_summary "$peregrine_pid"
echo
awk -v k="$keys" -v r0="$r0" -v r1="$r1" -v p0="$p0" -v p1="$p1" -v h0="$h0" -v h1="$h1" 'BEGIN {
  rb = (r1 - r0) * 1024 / k; pb = (p1 - p0) * 1024 / k; hb = (h1 - h0) * 1024 / k
  printf "%-34s %12s %12s %10s\n", "", "before KB", "after KB", "bytes/key"
  printf "%-34s %12d %12d %10.1f\n", "redis-server VmRSS", r0, r1, rb
  printf "%-34s %12d %12d %10.1f\n", "Peregrine VmRSS (after GC.run)", p0, p1, pb
  printf "%-34s %12d %12d %10.1f\n", "Peregrine live heap (GC.heap_info)", h0, h1, hb
  printf "ratio Peregrine/Redis (RSS): %.2f   (live heap): %.2f\n", pb / rb, hb / rb
}'

#!/usr/bin/env bash
# memory-per-element.sh [ELEMENTS]
#
# Resident memory per element of one big aggregate in Peregrine and redis-server: for a hash of ELEMENTS fields
# (default 1000000; "field:<n>" -> "value:<n>"), a set of ELEMENTS members ("member:<n>"), a list of ELEMENTS
# elements ("element:<n>") and, when both servers know ZADD, a sorted set of ELEMENTS members ("member:<n>",
# score n), each server is started fresh per type (persistence off), VmRSS is read from /proc/<pid>/status, the
# key is filled through pipelined commands of 1000 elements each (RESP generated with awk and sent with
# redis-cli --pipe), VmRSS is read again, and (after - before) / ELEMENTS is printed for each, with the ratio.
# For the JVM a full GC (jcmd <pid> GC.run) precedes each reading, and the live heap after GC (jcmd
# GC.heap_info) is printed as well: RSS also counts heap the collector keeps committed but unused.
# Builds nothing: expects server/target/peregrine-server.jar.
#
# Environment: PEREGRINE_ARGS (extra server options), PEREGRINE_JAVA_OPTS (JVM options, e.g. -Xmx4g).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n="${1:-1000000}"
batch=1000
need redis-server
need redis-cli
need jcmd
need awk
tmp="$(mktemp -d)"
trap 'stop_all; rm -rf "$tmp"' EXIT

rss_kb() { awk '/^VmRSS:/ {print $2}' "/proc/$1/status"; }

jvm_gc() {
  jcmd "$1" GC.run >/dev/null
  sleep 1
}

# Heap in use after GC, in KB, from the first "used N[KMG]" of jcmd GC.heap_info.
heap_used_kb() {
  jcmd "$1" GC.heap_info | awk '
    /used/ { for (i = 1; i <= NF; i++) if ($i == "used") {
      v = $(i + 1); sub(/,$/, "", v); u = substr(v, length(v)); n = v + 0
      if (u == "M") n *= 1024; else if (u == "G") n *= 1048576; else if (u == "B") n /= 1024
      printf "%d\n", n; exit } }'
}

# gen TYPE: RESP commands filling key "big" with N elements, BATCH per command, on stdout.
gen() {
  awk -v type="$1" -v n="$n" -v batch="$batch" '
    function bulk(s) { printf "$%d\r\n%s\r\n", length(s), s }
    BEGIN {
      if (type == "hash") { cmd = "HSET"; per = 2 } else if (type == "set") { cmd = "SADD"; per = 1 }
      else if (type == "list") { cmd = "RPUSH"; per = 1 } else { cmd = "ZADD"; per = 2 }
      for (i = 0; i < n; i += batch) {
        m = (n - i < batch) ? n - i : batch
        printf "*%d\r\n", 2 + m * per; bulk(cmd); bulk("big")
        for (j = i; j < i + m; j++) {
          if (type == "hash") { bulk("field:" j); bulk("value:" j) }
          else if (type == "set") bulk("member:" j)
          else if (type == "list") bulk("element:" j)
          else { bulk(j); bulk("member:" j) }
        }
      }
    }'
}

# fill PORT TYPE: pipes the generated commands, then checks the element count.
fill() {
  local out count
  out=$(redis-cli -h 127.0.0.1 -p "$1" --pipe < "$tmp/$2.resp" 2>&1)
  echo "$out" | grep -q "errors: 0," || die "redis-cli --pipe to port $1 ($2): $out"
  case "$2" in
    hash) count=$(redis-cli -h 127.0.0.1 -p "$1" HLEN big) ;;
    set) count=$(redis-cli -h 127.0.0.1 -p "$1" SCARD big) ;;
    list) count=$(redis-cli -h 127.0.0.1 -p "$1" LLEN big) ;;
    zset) count=$(redis-cli -h 127.0.0.1 -p "$1" ZCARD big) ;;
  esac
  [ "$count" = "$n" ] || die "port $1 holds $count elements of $2 after filling $n"
}

has_zadd() { [ "$(redis-cli -h 127.0.0.1 -p "$1" COMMAND INFO zadd | head -1)" = "zadd" ]; }

types=(hash set list)
port=$(free_port)
start_peregrine "$port" ${PEREGRINE_ARGS:-}
if has_zadd "$port"; then types+=(zset); else zset_note="sorted set skipped: Peregrine has no ZADD"; fi
machine_summary "$peregrine_pid"
stop_all

printf '\n%-6s %-34s %12s %12s %12s %8s\n' "type" "measure" "before KB" "after KB" "bytes/elem" "enc"
for t in "${types[@]}"; do
  gen "$t" > "$tmp/$t.resp"

  port=$(free_port)
  start_redis "$port"
  r0=$(rss_kb "$redis_pid")
  fill "$port" "$t"
  r1=$(rss_kb "$redis_pid")
  renc=$(redis-cli -h 127.0.0.1 -p "$port" OBJECT ENCODING big)
  stop_all

  port=$(free_port)
  # shellcheck disable=SC2086
  start_peregrine "$port" ${PEREGRINE_ARGS:-}
  jvm_gc "$peregrine_pid"
  p0=$(rss_kb "$peregrine_pid")
  h0=$(heap_used_kb "$peregrine_pid")
  fill "$port" "$t"
  jvm_gc "$peregrine_pid"
  p1=$(rss_kb "$peregrine_pid")
  h1=$(heap_used_kb "$peregrine_pid")
  penc=$(redis-cli -h 127.0.0.1 -p "$port" OBJECT ENCODING big)
  stop_all
  rm -f "$tmp/$t.resp"

  awk -v t="$t" -v k="$n" -v r0="$r0" -v r1="$r1" -v p0="$p0" -v p1="$p1" -v h0="$h0" -v h1="$h1" \
      -v renc="$renc" -v penc="$penc" 'BEGIN {
    rb = (r1 - r0) * 1024 / k; pb = (p1 - p0) * 1024 / k; hb = (h1 - h0) * 1024 / k
    printf "%-6s %-34s %12d %12d %12.1f %8s\n", t, "redis-server VmRSS", r0, r1, rb, renc
    printf "%-6s %-34s %12d %12d %12.1f %8s\n", t, "Peregrine VmRSS (after GC.run)", p0, p1, pb, penc
    printf "%-6s %-34s %12d %12d %12.1f\n", t, "Peregrine live heap (GC.heap_info)", h0, h1, hb
    printf "%-6s ratio Peregrine/Redis (RSS): %.2f   (live heap): %.2f\n", t, pb / rb, hb / rb
  }'
done
if [ -n "${zset_note:-}" ]; then echo "$zset_note"; fi
echo "$n elements per key, filled by $batch-element commands through redis-cli --pipe"

#!/usr/bin/env bash
# scripting-pubsub.sh [N]
#
# Lua scripting and Pub/Sub throughput of Peregrine against redis-server, side by side in one run:
#   - EVALSHA of   return redis.call('incr', KEYS[1])   (SCRIPT LOAD first), redis-benchmark -c 50 -n N, -P 1 and 16;
#   - PUBLISH of a 16-byte message to a channel with 1 and with 100 subscribers (connections held by a small
#     python3 reader that discards what it receives), redis-benchmark -c 50 -n N -P 1.
# Prints requests/s and Peregrine/Redis. Builds nothing: expects server/target/peregrine-server.jar.
# The servers, the load and the subscribers share this machine's CPUs: read the ratios.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

n="${1:-200000}"
need redis-server
need redis-cli
need redis-benchmark
need python3
sub_pid=""
trap 'stop_all; [ -n "$sub_pid" ] && kill "$sub_pid" 2>/dev/null || true' EXIT

redis_port=$(free_port)
start_redis "$redis_port"
peregrine_port=$(free_port)
start_peregrine "$peregrine_port"
machine_summary "$peregrine_pid"

# subscribers PORT COUNT: COUNT connections subscribed to channel "ch", reading and discarding (background)
subscribers() {
  python3 - "$1" "$2" <<'PY' &
import selectors, socket, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
sel = selectors.DefaultSelector()
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"SUBSCRIBE ch\r\n")
    s.setblocking(False)
    sel.register(s, selectors.EVENT_READ)
while True:
    for key, _ in sel.select():
        try:
            if not key.fileobj.recv(1 << 16):
                sys.exit(0)
        except BlockingIOError:
            pass
PY
  sub_pid=$!
  for _ in $(seq 1 100); do
    [ "$(redis-cli -h 127.0.0.1 -p "$1" PUBSUB NUMSUB ch | tail -1)" = "$2" ] && return 0
    sleep 0.1
  done
  die "subscribers did not subscribe on port $1"
}

rps() { # PORT PIPELINE ARGS... -> requests per second
  local port=$1 p=$2
  shift 2
  redis-benchmark -h 127.0.0.1 -p "$port" -c 50 -n "$n" -P "$p" --csv "$@" 2>/dev/null \
    | awk -F'","' 'NR > 1 && /^"/ { gsub(/"/, "", $2); print $2; exit }'
}

printf '%-34s %14s %14s %8s\n' test redis-req/s peregrine-req/s ratio
row() {
  printf '%-34s %14s %14s %8s\n' "$1" "$2" "$3" "$(awk -v a="$2" -v b="$3" 'BEGIN { printf "%.2f", b / a }')"
}

script="return redis.call('incr', KEYS[1])"
for p in 1 16; do
  r_sha=$(redis-cli -h 127.0.0.1 -p "$redis_port" SCRIPT LOAD "$script")
  p_sha=$(redis-cli -h 127.0.0.1 -p "$peregrine_port" SCRIPT LOAD "$script")
  rps "$peregrine_port" "$p" EVALSHA "$p_sha" 1 counter >/dev/null # warm-up (JIT)
  r=$(rps "$redis_port" "$p" EVALSHA "$r_sha" 1 counter)
  q=$(rps "$peregrine_port" "$p" EVALSHA "$p_sha" 1 counter)
  row "EVALSHA incr -P $p" "$r" "$q"
done

for subs in 1 100; do
  for port in "$redis_port" "$peregrine_port"; do
    subscribers "$port" "$subs"
    [ "$port" = "$peregrine_port" ] && rps "$port" 1 PUBLISH ch 0123456789abcdef >/dev/null # warm-up
    v=$(rps "$port" 1 PUBLISH ch 0123456789abcdef)
    kill "$sub_pid" 2>/dev/null || true
    wait "$sub_pid" 2>/dev/null || true
    sub_pid=""
    if [ "$port" = "$redis_port" ]; then r=$v; else q=$v; fi
  done
  row "PUBLISH, $subs subscriber(s)" "$r" "$q"
done

# Shared helpers for the benchmark scripts (sourced, not run).
# Servers started here are children of the calling script and are stopped by its EXIT trap.

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
jar="$root/server/target/peregrine-server.jar"
pids=()

die() { echo "$(basename "$0"): $*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 not found on PATH (Debian: apt-get install redis-server redis-tools)"
}

# A loopback TCP port nobody listens on (random in 20000-59999).
free_port() {
  local p
  for _ in $(seq 1 50); do
    p=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  die "no free port found"
}

# wait_ping PORT PID: until the server answers PING (30 s at most).
wait_ping() {
  for _ in $(seq 1 300); do
    kill -0 "$2" 2>/dev/null || die "server on port $1 exited during start-up"
    [ "$(redis-cli -h 127.0.0.1 -p "$1" PING 2>/dev/null)" = "PONG" ] && return 0
    sleep 0.1
  done
  die "server on port $1 did not answer PING within 30 s"
}

# start_redis PORT [extra args...]: sets redis_pid.
start_redis() {
  local port=$1; shift
  redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize no --logfile "" \
    "$@" >/dev/null 2>&1 &
  redis_pid=$!
  pids+=("$redis_pid")
  wait_ping "$port" "$redis_pid"
}

# start_peregrine PORT [extra args...]: sets peregrine_pid (the JVM's pid: bin/peregrine-server execs java).
start_peregrine() {
  local port=$1; shift
  [ -f "$jar" ] || die "$jar not found: build it first with ./mvnw -q -pl server -am package -DskipTests"
  "$root/bin/peregrine-server" --port "$port" --bind 127.0.0.1 --save "" --appendonly no "$@" \
    >/dev/null 2>&1 &
  peregrine_pid=$!
  pids+=("$peregrine_pid")
  wait_ping "$port" "$peregrine_pid"
}

stop_all() {
  local p
  for p in "${pids[@]}"; do
    kill "$p" 2>/dev/null || true
  done
  for p in "${pids[@]}"; do
    for _ in $(seq 1 100); do
      kill -0 "$p" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$p" 2>/dev/null || true
    wait "$p" 2>/dev/null || true
  done
  pids=()
}

# machine_summary [JVM_PID]: CPUs, CPU model, memory, redis version, and the JDK (the one the server runs on).
machine_summary() {
  echo "machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
  echo "memory:  $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)"
  echo "redis:   $(redis-server --version | head -1)"
  local java_bin
  if [ -n "${1:-}" ] && [ -e "/proc/$1/exe" ]; then
    java_bin="$(readlink -f "/proc/$1/exe")"
  else
    java_bin="${PEREGRINE_JAVA:-$(command -v java)}"
  fi
  echo "java:    $("$java_bin" -version 2>&1 | head -1) ($java_bin)"
}

# Shared helpers for caulk's benchmarks (sourced, not run).
# Benchmarks are not tests: they print figures beside a baseline measured in the same run.
set -euo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CAULK="$BENCH_ROOT/caulk"

# Builds the CLI jar when it is missing or stale, the way the launcher does (one recipe for both).
bench_build_caulk() {
  "$CAULK" --version >/dev/null
}

# A free loopback TCP port.
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# Starts Debian's docker-registry on a free port with storage under $1; sets REGISTRY_PORT and
# REGISTRY_PID (call it directly, not in $(...), so the variables reach the caller).
start_registry() {
  local dir="$1" port
  port="$(free_port)"
  mkdir -p "$dir/storage"
  cat >"$dir/config.yml" <<YML
version: 0.1
log:
  level: error
  accesslog:
    disabled: ${REGISTRY_ACCESSLOG_OFF:-true}
storage:
  filesystem:
    rootdirectory: $dir/storage
  delete:
    enabled: true
http:
  addr: 127.0.0.1:$port
YML
  docker-registry serve "$dir/config.yml" >"$dir/registry.log" 2>&1 &
  REGISTRY_PID=$!
  for _ in $(seq 1 100); do
    if curl -fsS "http://127.0.0.1:$port/v2/" >/dev/null 2>&1; then REGISTRY_PORT=$port; return 0; fi
    sleep 0.1
  done
  echo "registry did not start; see $dir/registry.log" >&2
  return 1
}

# Runs a command under /usr/bin/time and records wall seconds and peak RSS (KiB) in
# the variables named by $1 (wall) and $2 (rss).
measure() {
  local wall_var="$1" rss_var="$2"; shift 2
  local tf; tf="$(mktemp)"
  /usr/bin/time -f '%e %M' -o "$tf" "$@" >/dev/null
  read -r w r <"$tf"; rm -f "$tf"
  printf -v "$wall_var" '%s' "$w"
  printf -v "$rss_var" '%s' "$r"
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

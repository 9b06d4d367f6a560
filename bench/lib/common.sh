# Shared helpers for caulk's benchmarks (sourced, not run).
# Benchmarks are not tests: they print figures beside a baseline measured in the same run.
set -eEuo pipefail
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CAULK="$BENCH_ROOT/caulk"
BENCH_NAME="bench/$(basename "$(dirname "$0")")"
# A step that fails says which one, in one line (set -e alone would exit silently).
trap 'echo "$BENCH_NAME: failed (exit $?) at line $LINENO: $BASH_COMMAND" >&2' ERR

# QUICK=1: small inputs and one run of each measurement, so every benchmark runs to the end in well under
# a minute (CI runs them this way from a fresh clone). A knob given explicitly still wins. The figures are
# printed as always; at this size they show that the benchmark works, not how fast caulk is.
if [ "${QUICK:-0}" = 1 ]; then
  : "${SIZE_MB:=20}" "${RUNS:=1}" "${SERVICES:=3}" "${MB:=2}"
  BENCH_MODE=" [QUICK=1: small inputs, one run; it shows the benchmark works, not how fast caulk is]"
else
  BENCH_MODE=""
fi

# Builds the CLI jar when it is missing or stale, the way the launcher does (one recipe for both).
bench_build_caulk() {
  "$CAULK" --version >/dev/null
}

# The Debian root the image benchmarks start from, in BASE: the tarball the tests cache
# (debootstrap --variant=minbase --include=ca-certificates,tzdata bookworm), or made here the same way
# (once) with the machine's apt mirror. $1 is a scratch folder.
bench_debian_base() {
  local scratch="$1" mirror
  BASE="${CAULK_DEBIAN_CACHE:-/var/tmp/caulk-test-debian-minbase.tar}"
  if [ -f "$BASE" ] && [ -f "$BASE.sha256" ]; then return 0; fi
  command -v debootstrap >/dev/null || [ -x /usr/sbin/debootstrap ] || { echo "debootstrap is not installed" >&2; return 1; }
  mirror="$(sed -n 's/^URIs:[[:space:]]*\(http[^[:space:]]*debian\)[[:space:]]*$/\1/p' /etc/apt/sources.list.d/*.sources 2>/dev/null | grep -v security | head -1 || true)"
  [ -n "$mirror" ] || mirror="$(awk '$1=="deb" {for (i=2;i<=NF;i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null | grep -v security | head -1 || true)"
  mirror="${mirror:-http://deb.debian.org/debian}"
  echo "debootstrap minbase bookworm from $mirror (once; cached at $BASE) …" >&2
  PATH="$PATH:/usr/sbin" debootstrap --variant=minbase --include=ca-certificates,tzdata bookworm "$scratch/debian" "$mirror" >"$scratch/debootstrap.log" 2>&1 \
    || { tail -5 "$scratch/debootstrap.log" >&2; return 1; }
  tar --numeric-owner -C "$scratch/debian" -cf "$BASE.tmp" .
  sha256sum "$BASE.tmp" | cut -c1-64 >"$BASE.sha256"
  mv "$BASE.tmp" "$BASE"
  rm -rf "$scratch/debian"
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

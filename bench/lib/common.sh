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
# the variables named by $1 (wall) and $2 (rss); BENCH_CPU holds its CPU seconds (user + system, the
# command and its children), which a loaded machine disturbs less than wall time.
measure() {
  local wall_var="$1" rss_var="$2"; shift 2
  local _tf _wall _rss _user _sys; _tf="$(mktemp)"
  /usr/bin/time -f '%e %M %U %S' -o "$_tf" "$@" >/dev/null
  read -r _wall _rss _user _sys <"$_tf"; rm -f "$_tf"
  printf -v "$wall_var" '%s' "$_wall"
  printf -v "$rss_var" '%s' "$_rss"
  BENCH_CPU="$(python3 -c 'import sys; print(f"{float(sys.argv[1]) + float(sys.argv[2]):.2f}")' "$_user" "$_sys")"
}

# bench_best NAME CMD...: measures CMD and keeps, over repeated calls, the lowest wall in NAME_wall, the lowest
# CPU in NAME_cpu and the highest peak RSS (KiB) in NAME_rss (each unset or empty before the first call).
bench_best() {
  local name="$1" w r cur; shift
  measure w r "$@"
  cur="$(eval echo "\${${name}_wall:-}")"
  if [ -z "$cur" ] || awk -v a="$w" -v b="$cur" 'BEGIN { exit !(a < b) }'; then printf -v "${name}_wall" '%s' "$w"; fi
  cur="$(eval echo "\${${name}_cpu:-}")"
  if [ -z "$cur" ] || awk -v a="$BENCH_CPU" -v b="$cur" 'BEGIN { exit !(a < b) }'; then printf -v "${name}_cpu" '%s' "$BENCH_CPU"; fi
  cur="$(eval echo "\${${name}_rss:-0}")"
  if [ "$r" -gt "${cur:-0}" ]; then printf -v "${name}_rss" '%s' "$r"; fi
}

# The JVM options that log caulk's collections and its heap at exit to FILE (cheap: a few lines per run),
# for heap_peak_mb. Add them to CAULK_JAVA_OPTS.
gc_log_opts() { echo "-Xlog:gc,gc+heap+exit:file=$1"; }

# heap_peak_mb FILE...: the most Java heap caulk had in use in those runs, in MB: the larger of the heap
# before any collection ("Pause Young (…) 60M->3M(247M)") and the generations' use at exit (metaspace is
# not heap). The GC logs come from gc_log_opts; 0 when none was written.
heap_peak_mb() {
  python3 - "$@" <<'PY'
import re, sys
peak = 0.0
units = {"K": 1 / 1024, "M": 1, "G": 1024}
for name in sys.argv[1:]:
    try:
        lines = open(name, errors="replace").read().splitlines()
    except OSError:
        continue
    at_exit = 0.0
    for line in lines:
        m = re.search(r"\) (\d+)([KMG])->\d+[KMG]\(\d+[KMG]\)", line)
        if m and "[gc]" in line:
            peak = max(peak, int(m.group(1)) * units[m.group(2)])
        m = re.search(r"(def new|tenured|young|old|PSYoungGen|ParOldGen) generation +total \d+K, used (\d+)K", line) \
            or re.search(r"(garbage-first) heap +total \d+K, used (\d+)K", line)
        if m and "gc,heap,exit" in line:
            at_exit += int(m.group(2)) / 1024
    peak = max(peak, at_exit)
print(f"{peak:.0f}")
PY
}

# The summary table (bench/summary): when BENCH_RESULTS names a file (`make bench` sets it), each call
# appends one tab-separated row to it; without it, nothing is written (a benchmark run alone).
#   bench_row MEASURE CAULK UNIT [PEER_FIGURE PEER_NAME [TARGET]]
# CAULK and PEER_FIGURE are numbers in UNIT (s, ms, MB, ...), PEER_FIGURE "-" when there is none (then
# PEER_NAME says why, e.g. "trivy not on PATH"). TARGET, from issue 16 or the benchmark's own: "ratio<=X"
# (caulk / peer at most X), "ratio>=X", "<=X" (caulk's figure at most X UNIT) or empty. The table
# shows the ratio and whether each target was met; nothing fails on it (benchmarks never assert times).
bench_row() {
  [ -n "${BENCH_RESULTS:-}" ] || return 0
  local measure="$1" caulk="$2" unit="$3" peer="${4:--}" peer_name="${5:-}" target="${6:-}"
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$BENCH_NAME" "$measure" "$caulk" "$unit" "$peer" "$peer_name" \
    "$target" "${QUICK:-0}" "$(cut -d' ' -f1 /proc/loadavg)" >>"$BENCH_RESULTS"
}

ratio() { python3 -c "import sys; print(f'{float(sys.argv[1])/float(sys.argv[2]):.2f}')" "$1" "$2"; }

#!/usr/bin/env bash
# CPU an idle PoolMTA uses: `poolmta demo --keep-running` (server, pools, routes, the simulated
# providers in the same JVM) after its 80 messages are delivered, nothing queued, no client
# connected. Loopback only.
#
#   bench/idle-cpu.sh [--settle SECONDS] [--seconds SECONDS] [--runs R]
#
# Defaults: 45 s after start (the demo's sends and their deliveries are done by then), then CPU
# time (utime + stime of the JVM, /proc/PID/stat) over 60 s, R=2 runs; prints CPU-ms per second
# for each run and the busiest threads of the last one.
set -euo pipefail
SETTLE=45; SECONDS_MEASURED=60; RUNS=2
while [ $# -gt 0 ]; do
  case "$1" in
    --settle) SETTLE="$2"; shift 2 ;;
    --seconds) SECONDS_MEASURED="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "idle-cpu: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
./poolmta --version >/dev/null   # builds the jar when needed
TICK=$(getconf CLK_TCK)
threads() {  # PID: "tid name ticks" per thread
  for t in /proc/"$1"/task/*; do
    printf '%s %s %s\n' "${t##*/}" "$(tr ' ' _ < "$t/comm")" "$(awk '{print $14+$15}' "$t/stat")"
  done | sort
}
for run in $(seq 1 "$RUNS"); do
  dir="$(mktemp -d /tmp/poolmta-idle.XXXXXX)"
  ./poolmta demo --data "$dir/data" --keep-running > "$dir/log" 2>&1 &
  pid=$!
  sleep "$SETTLE"
  jvm="$(pgrep -P "$pid" java || echo "$pid")"
  threads "$jvm" > "$dir/before"; a=$(awk '{print $14+$15}' "/proc/$jvm/stat")
  sleep "$SECONDS_MEASURED"
  threads "$jvm" > "$dir/after"; b=$(awk '{print $14+$15}' "/proc/$jvm/stat")
  awk -v d=$((b - a)) -v t="$TICK" -v s="$SECONDS_MEASURED" -v r="$run" \
    'BEGIN {printf "run %d: %.1f CPU-ms per second idle\n", r, d * 1000 / t / s}'
  if [ "$run" = "$RUNS" ]; then
    join "$dir/before" "$dir/after" | awk -v t="$TICK" -v s="$SECONDS_MEASURED" \
      '$5 > $3 {printf "  %-24s %.2f ms/s\n", $2, ($5 - $3) * 1000 / t / s}' | sort -k2 -rn | head -5
  fi
  kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
done

#!/usr/bin/env bash
# PoolMTA's CPU per message from a cold start, window by window: how long a freshly started (or
# deployed) server pays more than its steady-state CPU per message while the JIT compiles it, with
# and without the optional ahead-of-time cache (POOLMTA_AOT=1, see README). Loopback only.
#
#   bench/warmup-curve.sh [--windows K] [--window N] [--size BYTES] [--concurrency C]
#                         [--starttls 0|1] [--aot 0|1|both] [--keep]
#
# Defaults: K=8 windows of N=5000 messages (2 KB bodies) through SMTP submission with STARTTLS and
# AUTH PLAIN, C=16 concurrent client sessions (one connection each), --aot both (a cold server
# without the cache, then a cold server with it; the cache is trained first when it is missing or
# older than the jar). Each mode starts a new server on a new data directory and a new load
# generator JVM, so both start cold alike.
#
# CPU per message of a window = the server's cgroup CPU (v2 cpu.stat usage_usec, else v1
# cpuacct.usage) from the start of the window's injection until smtp-sink has all of its messages
# and has been quiet for 1 s, over N: compilation between windows is counted in the window before.
# Postfix needs no warm-up (C) and is not run here; its steady CPU per message is in the
# e2e-throughput table of BENCHMARKS.md.
#
# Needs root (cgroups; apt-get install postfix for smtp-sink when missing).
set -euo pipefail

WINDOWS=8
WINDOW=5000
SIZE=2048
CONCURRENCY=16
STARTTLS=1
AOT=both
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --windows) WINDOWS="$2"; shift 2 ;;
    --window) WINDOW="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --starttls) STARTTLS="$2"; shift 2 ;;
    --aot) AOT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "warmup-curve: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in WINDOWS WINDOW SIZE CONCURRENCY; do
  case "${!v}" in ''|*[!0-9]*) echo "warmup-curve: $v must be a number" >&2; exit 2 ;; esac
done
case "$STARTTLS" in 0|1) ;; *) echo "warmup-curve: --starttls is 0 or 1" >&2; exit 2 ;; esac
case "$AOT" in 0) MODES=(0) ;; 1) MODES=(1) ;; both) MODES=(0 1) ;; *) echo "warmup-curve: --aot is 0, 1 or both" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "warmup-curve: run as root (cgroups, smtp-sink)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NAME=warmup-curve
source "$REPO/bench/lib/common.sh"
prepare_tools

WORK="$(mktemp -d /tmp/poolmta-curve.XXXXXX)"; chmod 755 "$WORK"
SINK_PID=""; SINK_DIR=""; PM_PID=""; GEN_PID=""; CG=""
stop_mode() {
  exec 7>&- 8<&-
  # The generator exits on its own once its command pipe closes, or of the TERM (status 143): either
  # is its end, and under set -e a non-zero wait would end the script before its report.
  if [ -n "$GEN_PID" ]; then kill -TERM "$GEN_PID" 2>/dev/null; wait "$GEN_PID" 2>/dev/null || true; GEN_PID=""; fi
  stop_pid "$PM_PID"; PM_PID=""
  cgroup_remove "$CG"; CG=""
}
cleanup() {
  set +e
  stop_mode
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  [ -n "$SINK_DIR" ] && rm -rf "$SINK_DIR"
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" bench/src/PoolMtaBench.java
free_port; SINK_PORT=$PORT
SINK_DIR="$(mktemp -d /dev/shm/poolmta-curve-sink.XXXXXX)"; chown postfix "$SINK_DIR"
COUNTER="$SINK_DIR/counter"
smtp-sink -u postfix -c "127.0.0.1:$SINK_PORT" 1024 > "$COUNTER" 2>"$SINK_DIR/stderr" &
SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink
sink_count() { tail -c 512 "$COUNTER" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -1; }
settle() {
  local last now stable=0
  last="$(sink_count)"
  for _ in $(seq 1 150); do
    sleep 0.2; now="$(sink_count)"
    if [ "$now" = "$last" ]; then stable=$((stable + 1)); [ "$stable" -ge 5 ] && return 0; else stable=0; last="$now"; fi
  done
}
cg_usec() {  # CPU microseconds used so far by the cgroup (or the server's process tree)
  if [ -f "$CG/cpu.stat" ]; then awk '/^usage_usec/ {print $2}' "$CG/cpu.stat"
  elif [ -f "$CG/cpuacct.usage" ]; then echo $(( $(cat "$CG/cpuacct.usage") / 1000 ))
  else awk -v t="$(getconf CLK_TCK)" '{printf "%d\n", ($14+$15)*1000000/t}' "/proc/$PM_PID/stat"; fi
}

json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
CURVE="$WORK/curve.tsv"
if printf '%s\n' "${MODES[@]}" | grep -qx 1; then
  log "AOT cache: trained now if missing or older than the jar"
  POOLMTA_AOT=1 ./poolmta --version >/dev/null
fi
for mode in "${MODES[@]}"; do
  PM="$WORK/poolmta-aot$mode"; mkdir -p "$PM"
  free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT
  CG="$(cgroup_make "$NAME-$$-aot$mode")"
  CLEARTEXT=(); [ "$STARTTLS" = 0 ] && CLEARTEXT=(--smtp-allow-cleartext-auth)
  log "cold start (AOT cache: $([ "$mode" = 1 ] && echo on || echo off))"
  ( cgroup_enter "$CG"
    POOLMTA_AOT=$mode exec ./poolmta serve --data "$PM/data" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" \
      ${CLEARTEXT[@]+"${CLEARTEXT[@]}"} ) > "$PM/serve.log" 2>&1 &
  PM_PID=$!
  wait_port "$API_PORT" 60 "PoolMTA API"; wait_port "$SMTP_PORT" 10 "PoolMTA SMTP"
  D=(--data "$PM/data")
  ./poolmta account create bench "${D[@]}" > "$PM/account.json"
  ./poolmta account production-access bench --max-24h -1 --max-rate -1 "${D[@]}" >/dev/null
  ./poolmta ip add 127.0.0.11 127.0.0.12 127.0.0.21 127.0.0.22 --account bench "${D[@]}" >/dev/null
  ./poolmta route set bench.test "127.0.0.1:$SINK_PORT" "${D[@]}" >/dev/null
  ./poolmta smtp-credentials create --account bench "${D[@]}" > "$PM/smtp.json"
  KEY="$(json AccessKeyId "$PM/account.json")"; SECRET="$(json SecretAccessKey "$PM/account.json")"
  SMTP_USER="$(json Username "$PM/smtp.json")"; SMTP_PASS="$(json Password "$PM/smtp.json")"
  mkfifo "$PM/commands" "$PM/statuses"
  "$JAVA" -XX:+UseSerialGC -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench serve "$PM/commands" "$PM/statuses" &
  GEN_PID=$!
  exec 7<>"$PM/commands" 8<>"$PM/statuses"
  # bench: one command to it (bench/lib/common.sh)
  bench setup --api "http://127.0.0.1:$API_PORT" --key "$KEY" --secret "$SECRET" \
    --pool pool-a=127.0.0.11,127.0.0.12 --pool pool-b=127.0.0.21,127.0.0.22 --set set-a=pool-a --set set-b=pool-b \
    --identity bench-sender.test --dkim-signing off
  ./poolmta identity verify bench-sender.test --account bench "${D[@]}" >/dev/null
  for w in $(seq 1 "$WINDOWS"); do
    settle
    before="$(cg_usec)"
    bench measure --label "aot$mode" --run "$w" --messages "$WINDOW" --sink-counter "$COUNTER" --size "$SIZE" \
      --timeout 300 --results "$WORK/windows.tsv" \
      smtp "127.0.0.1:$SMTP_PORT" "$SMTP_USER" "$SMTP_PASS" "$CONCURRENCY" set-a,set-b 0 "$STARTTLS" >&2
    settle
    after="$(cg_usec)"
    printf '%s\t%s\t%s\n' "$mode" "$w" "$(awk -v d=$((after - before)) -v n="$WINDOW" 'BEGIN {printf "%.3f", d / 1000 / n}')" >> "$CURVE"
    log "AOT $mode window $w: $(tail -1 "$CURVE" | cut -f3) CPU-ms/msg"
  done
  stop_mode
done

# ---------------------------------------------------------------- report
echo
echo "## Warm-up curve, $(date -u '+%Y-%m-%d %H:%M UTC')"
echo
echo "- Command: \`bench/warmup-curve.sh --windows $WINDOWS --window $WINDOW --size $SIZE --concurrency $CONCURRENCY --starttls $STARTTLS --aot $AOT\`"
echo "- Machine: $(nproc) cores, JDK $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'); load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo
awk -F'\t' -v modes="${MODES[*]}" -v n="$WINDOW" '
  { cpu[$1, $2] = $3; if ($2 > last) last = $2 }
  END {
    split(modes, m, " ")
    printf "| messages |"; for (i = 1; i <= length(m); i++) printf " CPU-ms/msg, AOT cache %s | × last window |", (m[i] == 1 ? "on" : "off"); print ""
    printf "|---:|"; for (i = 1; i <= length(m); i++) printf "---:|---:|"; print ""
    for (w = 1; w <= last; w++) {
      printf "| %d–%d |", (w - 1) * n + 1, w * n
      for (i = 1; i <= length(m); i++) printf " %s | %.2f× |", cpu[m[i], w], cpu[m[i], w] / cpu[m[i], last]
      print ""
    }
  }' "$CURVE"

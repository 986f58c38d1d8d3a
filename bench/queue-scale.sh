#!/usr/bin/env bash
# A large queue while the receiver is down, and the restart after it. Loopback only (127.0.0.x).
#
#   bench/queue-scale.sh [--messages N] [--body BYTES] [--down SECONDS] [--keep]
#
# Defaults: N=1000000 messages of 2 KB, --down 60 (seconds the server runs with the receiver down
# before it is restarted). Takes about 10 minutes on 2 cores for the default N.
#
#  1. Starts `./poolmta serve` on a fresh data directory, creates an account, two dedicated IPs
#     (127.0.0.11-12, warm-up at 100 %) in pool scale-pool, configuration set scale-set -> scale-pool,
#     and a static route scale.test -> 127.0.0.1:<port> where nothing listens yet; stops the server.
#  2. Puts N accepted messages for user@scale.test into its spool (bench/src/QueueScaleBench.java,
#     through FileSpool.store, the call acceptance makes).
#  3. "Down": starts the server with the receiver still down. Measures the time until its API
#     answers (recovery done, every message queued), then lets it try (and defer) for --down
#     seconds, sampling its RSS every second; at the end reads the heap (jcmd GC.heap_info) before
#     and after a full GC (live set). Stops it (SIGTERM).
#  4. "Restart": starts smtp-sink on the route's port, starts the server again, and measures the
#     time from exec until the API answers, until the first message reaches smtp-sink, and until all
#     N have (the drain rate), with the peak RSS (VmHWM). Checks that smtp-sink got N messages and
#     that the server's spool has none pending.
# Needs root only to install Postfix (for smtp-sink) when it is missing. Everything it started is
# stopped on exit (trap); the temp dir is removed unless --keep.
set -euo pipefail

MESSAGES=1000000; BODY=2048; DOWN=60; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --body) BODY="$2"; shift 2 ;;
    --down) DOWN="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "queue-scale: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in MESSAGES BODY DOWN; do
  case "${!v}" in ''|*[!0-9]*) echo "queue-scale: $v must be a number" >&2; exit 2 ;; esac
done

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
if ! command -v smtp-sink >/dev/null; then
  [ "$(id -u)" -eq 0 ] || { echo "queue-scale: smtp-sink (Debian postfix) is missing; run as root to install it" >&2; exit 2; }
  log "installing postfix for smtp-sink (debconf: No configuration; no service is started)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends postfix >/dev/null
fi
source "$REPO/.ci/find-java"
JAVA="$JAVA_HOME/bin/java"; JCMD="$JAVA_HOME/bin/jcmd"
log "building PoolMTA if needed"
POOLMTA_JAVA_OPTS= ./poolmta --version >/dev/null

WORK="$(mktemp -d /tmp/poolmta-scale.XXXXXX)"
chmod 755 "$WORK"
SINK_PID=""; PM_PID=""
stop_server() {
  [ -n "$PM_PID" ] || return 0
  if kill -0 "$PM_PID" 2>/dev/null; then
    kill -TERM "$PM_PID"; for _ in $(seq 1 300); do kill -0 "$PM_PID" 2>/dev/null || break; sleep 0.1; done
    kill -0 "$PM_PID" 2>/dev/null && kill -KILL "$PM_PID"
  fi
  wait "$PM_PID" 2>/dev/null || true
  PM_PID=""
}
cleanup() {
  set +e
  stop_server
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" bench/src/PoolMtaBench.java bench/src/QueueScaleBench.java

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() {
  for _ in $(seq 1 200); do
    PORT=$(( 20000 + RANDOM % 12000 ))
    if ! listening "$PORT" && [ "$PORT" != "${USED:-}" ]; then USED="${USED:-} $PORT"; return 0; fi
  done
  echo "queue-scale: no free port" >&2; exit 1
}
now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
rss_kb() { sed -n 's/^VmRSS:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }
hwm_kb() { sed -n 's/^VmHWM:[^0-9]*\([0-9]*\).*/\1/p' "/proc/$1/status" 2>/dev/null || echo 0; }
mib() { echo $(( $1 / 1024 )); }
free_port; SINK_PORT=$PORT; free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT
DATA="$WORK/data"; D=(--data "$DATA")
serve() {  # LOGFILE: starts the server in the background, sets PM_PID
  ./poolmta serve --data "$DATA" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" > "$1" 2>&1 &
  PM_PID=$!
}
wait_api() {  # SECONDS: until the API answers; prints the time it took since T0 in ms
  local deadline=$(( $(now_ms) + $1 * 1000 ))
  while ! listening "$API_PORT"; do
    [ "$(now_ms)" -lt "$deadline" ] || { echo "queue-scale: the API did not come up" >&2; exit 1; }
    kill -0 "$PM_PID" 2>/dev/null || { echo "queue-scale: the server died" >&2; exit 1; }
    sleep 0.02
  done
  echo $(( $(now_ms) - T0 ))
}
status_field() { ./poolmta status --json "${D[@]}" | sed -n "s/.*\"$1\" *: *\([0-9]*\).*/\1/p" | head -1; }
json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
heap_used_kb() { "$JCMD" "$PM_PID" GC.heap_info 2>/dev/null | sed -n 's/.*total reserved [0-9]*K, committed \([0-9]*\)K, used \([0-9]*\)K.*/\2 \1/p;s/.*garbage-first heap *total \([0-9]*\)K, used \([0-9]*\)K.*/\2 \1/p' | head -1; }

# ---------------------------------------------------------------- 1. set-up
log "set-up: account, IPs, pool, configuration set, route scale.test -> 127.0.0.1:$SINK_PORT (receiver down)"
serve "$WORK/setup.log"; T0=$(now_ms); wait_api 60 >/dev/null
./poolmta account create scale "${D[@]}" > "$WORK/account.json"
./poolmta account production-access scale --max-24h -1 --max-rate -1 "${D[@]}" >/dev/null
./poolmta ip add 127.0.0.11 127.0.0.12 --account scale "${D[@]}" >/dev/null
./poolmta route set scale.test "127.0.0.1:$SINK_PORT" "${D[@]}" >/dev/null
KEY="$(json AccessKeyId "$WORK/account.json")"; SECRET="$(json SecretAccessKey "$WORK/account.json")"
ACCOUNT_ID="$(json AccountId "$WORK/account.json")"
"$JAVA" -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench setup --api "http://127.0.0.1:$API_PORT" --key "$KEY" \
  --secret "$SECRET" --pool scale-pool=127.0.0.11,127.0.0.12 --set scale-set=scale-pool >&2
stop_server

# ---------------------------------------------------------------- 2. fill
log "filling the spool with $MESSAGES messages of $BODY bytes"
FILL="$("$JAVA" -cp "target/poolmta.jar:$WORK/classes" QueueScaleBench fill --spool "$DATA/spool" --messages "$MESSAGES" \
  --account "$ACCOUNT_ID" --pool scale-pool --set scale-set --from sender@scale-sender.test --to user@scale.test --body "$BODY")"
log "$FILL"
SPOOL_MB=$(( $(du -sk "$DATA/spool" | cut -f1) / 1024 ))

# ---------------------------------------------------------------- 3. down
log "start with the receiver down"
serve "$WORK/down.log"; T0=$(now_ms)
DOWN_READY_MS=$(wait_api 120)
log "API answers after $DOWN_READY_MS ms; running $DOWN s with the receiver down"
MAX_RSS=0
for _ in $(seq 1 "$DOWN"); do
  sleep 1
  r=$(rss_kb "$PM_PID"); [ "$r" -gt "$MAX_RSS" ] && MAX_RSS=$r
done
DOWN_RSS=$(rss_kb "$PM_PID"); DOWN_HWM=$(hwm_kb "$PM_PID")
read -r HEAP_USED HEAP_COMMITTED <<<"$(heap_used_kb)"
"$JCMD" "$PM_PID" GC.run >/dev/null 2>&1 || true
read -r LIVE_USED LIVE_COMMITTED <<<"$(heap_used_kb)"
"$JCMD" "$PM_PID" GC.class_histogram 2>/dev/null | head -23 > "$WORK/histogram.txt" || true
log "largest live classes with the receiver down (jcmd GC.class_histogram):"; sed -n '1,23p' "$WORK/histogram.txt" >&2
DOWN_DEFERRED=$(status_field Deferred); DOWN_QUEUED=$(status_field Queued); DOWN_PENDING=$(status_field Pending)
RECOVERY_LINE="$(grep -o 'pending messages recovered from [0-9]* segments in [0-9]* ms' "$WORK/down.log" | head -1 || true)"
log "down: RSS $(mib "$DOWN_RSS") MiB (peak $(mib "$DOWN_HWM") MiB), heap used $(mib "${HEAP_USED:-0}") MiB of $(mib "${HEAP_COMMITTED:-0}") MiB committed, live after a full GC $(mib "${LIVE_USED:-0}") MiB; deferred $DOWN_DEFERRED, queued $DOWN_QUEUED, pending $DOWN_PENDING"
T_STOP=$(now_ms); stop_server; STOP_MS=$(( $(now_ms) - T_STOP ))

# ---------------------------------------------------------------- 4. restart with the receiver up
COUNTER="$WORK/counter"
SINK_USER=(); [ "$(id -u)" -eq 0 ] && SINK_USER=(-u postfix)   # smtp-sink refuses to run as root
smtp-sink "${SINK_USER[@]}" -c "127.0.0.1:$SINK_PORT" 1024 > "$COUNTER" 2>"$WORK/sink.err" &
SINK_PID=$!
for _ in $(seq 1 100); do listening "$SINK_PORT" && break; sleep 0.1; done
listening "$SINK_PORT" || { echo "queue-scale: smtp-sink did not start: $(cat "$WORK/sink.err")" >&2; exit 1; }
sink_count() { tail -c 512 "$COUNTER" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -1; }
log "restart with the receiver up"
serve "$WORK/up.log"; T0=$(now_ms)
UP_READY_MS=$(wait_api 120)
FIRST_MS=""
DEADLINE=$(( $(now_ms) + 3600 * 1000 ))
while :; do
  c=$(sink_count); c=${c:-0}
  if [ -z "$FIRST_MS" ] && [ "$c" -gt 0 ]; then FIRST_MS=$(( $(now_ms) - T0 )); log "first message delivered $FIRST_MS ms after the restart"; fi
  [ "$c" -ge "$MESSAGES" ] && break
  [ "$(now_ms)" -lt "$DEADLINE" ] || { echo "queue-scale: only $c of $MESSAGES delivered after an hour" >&2; exit 1; }
  kill -0 "$PM_PID" 2>/dev/null || { echo "queue-scale: the server died" >&2; exit 1; }
  sleep 0.05
done
ALL_MS=$(( $(now_ms) - T0 ))
UP_HWM=$(hwm_kb "$PM_PID")
sleep 2
FINAL_SINK=$(sink_count); UP_PENDING=$(status_field Pending); UP_DELIVERED=$(status_field Delivered)
DRAIN_RATE=$(( MESSAGES * 1000 / (ALL_MS - FIRST_MS > 0 ? ALL_MS - FIRST_MS : 1) ))

cat <<REPORT

## Queue scale: bench/queue-scale.sh --messages $MESSAGES --body $BODY --down $DOWN

- Run: $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); JVM: $("$JAVA" -version 2>&1 | head -1)
- Fill: $FILL; spool on disk: $SPOOL_MB MiB

| phase | figure |
|---|---|
| receiver down: start until the API answers (spool recovered, all queued) | $DOWN_READY_MS ms |
| receiver down: spool recovery (server log) | ${RECOVERY_LINE:-n/a} |
| receiver down after $DOWN s: RSS (peak) | $(mib "$DOWN_RSS") MiB ($(mib "$DOWN_HWM") MiB) |
| receiver down: heap used / committed | $(mib "${HEAP_USED:-0}") / $(mib "${HEAP_COMMITTED:-0}") MiB |
| receiver down: heap live after a full GC | $(mib "${LIVE_USED:-0}") MiB |
| receiver down: deferred attempts, queued tasks, pending in the spool | $DOWN_DEFERRED, $DOWN_QUEUED, $DOWN_PENDING |
| SIGTERM until the process is gone | $STOP_MS ms |
| restart: start until the API answers | $UP_READY_MS ms |
| restart: start until the first message reaches smtp-sink | $FIRST_MS ms |
| restart: start until all $MESSAGES have reached smtp-sink | $ALL_MS ms (drain $DRAIN_RATE msg/s) |
| restart: peak RSS while draining | $(mib "$UP_HWM") MiB |
| check: smtp-sink received / server delivered / pending in the spool | $FINAL_SINK / $UP_DELIVERED / $UP_PENDING |
REPORT
[ "$FINAL_SINK" -ge "$MESSAGES" ] && [ "$UP_PENDING" = 0 ] || { echo "queue-scale: CHECK FAILED" >&2; exit 1; }

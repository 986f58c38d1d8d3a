#!/usr/bin/env bash
# Latency of PoolMTA at fixed offered rates, against Postfix (the peer) on this machine, in this run;
# and the latency of SES v2 control-plane calls. Loopback only (127.0.0.x).
#
#   bench/latency.sh [--rates R1,R2,...] [--duration S] [--warmup S] [--initial-warmup S]
#                    [--connections C] [--control-rounds N] [--control-rate R] [--control-load-rate R]
#                    [--dkim 0|1] [--keep]
#
# Defaults: --rates 100,300,600 (msg/s offered), --duration 20 (s recorded per rate and path),
# --warmup 5 (s sent before each recording, not recorded), --initial-warmup 15 (s per path at the
# middle rate before the first rate, not recorded; the JVM needs it), --connections 32 (per
# generator), --control-rounds 500 (calls per control-plane operation), --control-rate 200 (control-
# plane calls started per second, one after another on one connection; 0: back to back, as fast as
# the answers come), --control-load-rate = the middle rate (the control plane is measured idle, then
# again with SendEmail at this rate; 0 skips the second pass), --dkim 1 (PoolMTA DKIM-signs every
# message, RSA-2048, as a verified sender's mail is; 0 = signing off for the senders' domain, to
# compare CPU with a Postfix that signs nothing). The default run takes about 6-7 minutes on 2 cores.
#
# CPU per message at a fixed rate (the figure throughput runs cannot give: at saturation an MTA
# batches more per fsync and per wake-up than at the rates it mostly runs at):
#   bench/latency.sh --rates 500,2000 --dkim 0 --initial-warmup 20 --control-load-rate 0
#
# For a quick check: bench/latency.sh --rates 100 --duration 5 --initial-warmup 5 --control-rounds 100
#
# What it measures (bench/src/LatencyBench.java has the exact timing contract):
#   1. For each rate, in this order (so background load hits all three alike):
#        Postfix       open-loop SMTP client -> a throwaway Postfix on 127.0.0.1 (no AUTH; mynetworks)
#        PoolMTA SMTP  open-loop SMTP client (STARTTLS and AUTH PLAIN once per connection) -> PoolMTA submission
#        PoolMTA API   open-loop SES v2 SendEmail (SigV4, Simple content) -> PoolMTA API
#      2 KB messages through pool A (127.0.0.11-12) to smtp-sink on 127.0.0.1 (PoolMTA: configuration
#      set set-a -> pool-a; Postfix: sender-dependent transports bound to those IPs). Requests are
#      due at fixed intervals whatever the answers; latency = answer (HTTP 200, or the SMTP 250
#      after ".") - due time, so no coordinated omission. Connections are opened (and AUTH'd)
#      before the clock starts and reused. Reports p50/p90/p99/p99.9/max, errors, messages delivered
#      to the sink, PoolMTA's GC pauses in the window (from -Xlog:gc), each MTA's CPU per message
#      over the recorded window (from its own cgroup, as bench/e2e-throughput.sh measures it), and
#      PoolMTA/Postfix ratios.
#   2. Control plane, one client, sequential calls paced at --control-rate, each timed: CreateDedicatedIpPool,
#      DeleteDedicatedIpPool, PutDedicatedIpInPool (an IP moved between two pools), GetDedicatedIps
#      (PoolName), GetDedicatedIp, CreateConfigurationSet, PutConfigurationSetDeliveryOptions,
#      DeleteConfigurationSet, ListConfigurationSets, GetAccount: idle, then again while another
#      process offers SendEmail at --control-load-rate (whose latency is reported too).
#
# Needs root (apt-get install postfix when smtp-sink is missing; Postfix's master runs as root).
# Installs Postfix with debconf "No configuration" and starts no system service; the throwaway
# Postfix, smtp-sink and PoolMTA it starts are stopped on exit (trap), and the temp dir removed
# unless --keep. POOLMTA_JAVA_OPTS goes to the PoolMTA server only (after -Xlog:gc, which this adds).
set -euo pipefail

RATES=100,300,600
DURATION=20
WARMUP=5
INITIAL_WARMUP=15
CONNECTIONS=32
CONTROL_ROUNDS=500
CONTROL_RATE=200
CONTROL_LOAD_RATE=""
DKIM=1
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --rates) RATES="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --initial-warmup) INITIAL_WARMUP="$2"; shift 2 ;;
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --control-rounds) CONTROL_ROUNDS="$2"; shift 2 ;;
    --control-rate) CONTROL_RATE="$2"; shift 2 ;;
    --control-load-rate) CONTROL_LOAD_RATE="$2"; shift 2 ;;
    --dkim) DKIM="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "latency: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
case "$RATES" in ''|*[!0-9,]*|,*|*,|*,,*) echo "latency: --rates is a comma-separated list of msg/s, e.g. 100,300,600" >&2; exit 2 ;; esac
IFS=, read -r -a RATE_LIST <<< "$RATES"
MIDDLE_RATE="${RATE_LIST[$(( ${#RATE_LIST[@]} / 2 ))]}"
CONTROL_LOAD_RATE="${CONTROL_LOAD_RATE:-$MIDDLE_RATE}"
for v in DURATION WARMUP INITIAL_WARMUP CONNECTIONS CONTROL_ROUNDS CONTROL_RATE CONTROL_LOAD_RATE; do
  case "${!v}" in ''|*[!0-9]*) echo "latency: $v must be a whole number" >&2; exit 2 ;; esac
done
case "$DKIM" in 0|1) ;; *) echo "latency: --dkim is 0 or 1" >&2; exit 2 ;; esac
for r in "${RATE_LIST[@]}"; do [ "$r" -ge 1 ] || { echo "latency: rates must be >= 1" >&2; exit 2; }; done
[ "$DURATION" -ge 1 ] && [ "$CONNECTIONS" -ge 1 ] && [ "$CONTROL_ROUNDS" -ge 1 ] \
  || { echo "latency: need --duration >= 1, --connections >= 1, --control-rounds >= 1" >&2; exit 2; }
[ $(( WARMUP + DURATION )) -le 600 ] || { echo "latency: --warmup + --duration must be <= 600 s" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "latency: run as root (installs postfix, runs a Postfix master)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NAME=latency
source "$REPO/bench/lib/common.sh"

# ---------------------------------------------------------------- what it needs
prepare_tools

WORK="$(mktemp -d /tmp/poolmta-latency.XXXXXX)"
chmod 755 "$WORK"
SINK_PID=""; PF_ETC=""; PM_PID=""; CHILD=""; LOAD_PID=""; CG_POSTFIX=""; CG_POOLMTA=""
cleanup() {
  set +e
  if [ -n "$CHILD" ]; then kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
  if [ -n "$LOAD_PID" ]; then kill -TERM "$LOAD_PID" 2>/dev/null; wait "$LOAD_PID" 2>/dev/null; fi
  stop_pid "$PM_PID"
  stop_postfix
  cgroup_remove "$CG_POSTFIX"; cgroup_remove "$CG_POOLMTA"
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- a cgroup per MTA, for its CPU
mta_cgroups

# javac once, so no measurement pays for compiling (LatencyBench reuses PoolMtaBench's helpers)
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" bench/src/PoolMtaBench.java bench/src/LatencyBench.java
# the Java side runs in the background and is waited for, so a TERM or INT is acted on at once
run_java() {  # CLASS ARGS...
  local rc=0
  "$JAVA" -cp "target/poolmta.jar:$WORK/classes" "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

free_port; SINK_PORT=$PORT; free_port; PF_PORT=$PORT; free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT

# ---------------------------------------------------------------- smtp-sink, the receiving side
mkdir -p "$WORK/sink"; chown postfix "$WORK/sink"
COUNTER="$WORK/sink/counter"
# -c: running counters (the generator waits on them for "delivered"); no dump: nothing reads one here
smtp-sink -u postfix -c "127.0.0.1:$SINK_PORT" 1024 > "$COUNTER" 2>"$WORK/sink/stderr" &
SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink

# ---------------------------------------------------------------- the peer: a throwaway Postfix
# The same configuration as bench/e2e-throughput.sh's, with pool A's two transports only; started
# from a subshell inside its cgroup: the master and every process it forks stay in it.
PF_ETC="$WORK/postfix/etc"   # for cleanup, should the start fail half way
( cgroup_enter "$CG_POSTFIX"
  start_postfix "$PF_PORT" "$SINK_PORT" \
    "pool_a1 a1@pool-a.bench-sender.test 127.0.0.11" \
    "pool_a2 a2@pool-a.bench-sender.test 127.0.0.12" ) || exit 1
PF_MASTER="$(tr -d ' ' < "$WORK/postfix/queue/pid/master.pid")"

# ---------------------------------------------------------------- PoolMTA
PM="$WORK/poolmta"; mkdir -p "$PM"
GC_LOG="$PM/gc.log"
SERVER_JAVA_OPTS="${POOLMTA_JAVA_OPTS:-}"   # the caller's, shown in the report
# gc: one line per pause (read by the generator); gc+cpu: each pause's User/Sys/Real time (for --keep readers:
# Real far above (User+Sys)/2 means the GC threads were waiting for a CPU, not working)
export POOLMTA_JAVA_OPTS="-Xlog:gc,gc+cpu:file=$GC_LOG:time,uptime${SERVER_JAVA_OPTS:+ $SERVER_JAVA_OPTS}"
log "starting PoolMTA: POOLMTA_JAVA_OPTS='$POOLMTA_JAVA_OPTS' ./poolmta serve --data $PM/data --api 127.0.0.1:$API_PORT --smtp 127.0.0.1:$SMTP_PORT"
( cgroup_enter "$CG_POOLMTA"
  exec ./poolmta serve --data "$PM/data" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" ) > "$PM/serve.log" 2>&1 &
PM_PID=$!   # the subshell and then the launcher exec java: this is the server's pid
unset POOLMTA_JAVA_OPTS
wait_port "$API_PORT" 60 "PoolMTA API"; wait_port "$SMTP_PORT" 10 "PoolMTA SMTP"
D=(--data "$PM/data")
json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
./poolmta account create bench "${D[@]}" > "$PM/account.json"
./poolmta account production-access bench --max-24h -1 --max-rate -1 "${D[@]}" >/dev/null
# pool A sends; .31 is moved back and forth between lat-x and lat-y by the control-plane rounds
./poolmta ip add 127.0.0.11 127.0.0.12 127.0.0.31 --account bench "${D[@]}" >/dev/null
./poolmta route set bench.test "127.0.0.1:$SINK_PORT" "${D[@]}" >/dev/null
./poolmta smtp-credentials create --account bench "${D[@]}" > "$PM/smtp.json"
KEY="$(json AccessKeyId "$PM/account.json")"; SECRET="$(json SecretAccessKey "$PM/account.json")"
SMTP_USER="$(json Username "$PM/smtp.json")"; SMTP_PASS="$(json Password "$PM/smtp.json")"
API="http://127.0.0.1:$API_PORT"
# .31 goes to lat-y, then to lat-x: both pools exist, .31 is in lat-x
run_java PoolMtaBench setup --api "$API" --key "$KEY" --secret "$SECRET" --pool pool-a=127.0.0.11,127.0.0.12 \
  --pool lat-y=127.0.0.31 --pool lat-x=127.0.0.31 --set set-a=pool-a --identity bench-sender.test \
  --dkim-signing "$([ "$DKIM" = 1 ] && echo on || echo off)" >&2
./poolmta identity verify bench-sender.test --account bench "${D[@]}" >/dev/null   # the operator vouches

# ---------------------------------------------------------------- measurements
RESULTS="$WORK/results.tsv"; WARM_RESULTS="$WORK/warmup.tsv"
LABEL_PF="Postfix (peer), SMTP submission"
LABEL_SMTP="PoolMTA, SMTP submission"
LABEL_API="PoolMTA, SES API SendEmail"
# each MTA's CPU: its cgroup, or else its process tree
PF_CPU=(--cpu-tree "$PF_MASTER"); PM_CPU=(--cpu-tree "$PM_PID")
[ -n "$CG_POSTFIX" ] && PF_CPU=(--cpu-cgroup "$CG_POSTFIX") && PM_CPU=(--cpu-cgroup "$CG_POOLMTA")
measure() {  # PATH RATE WARMUP DURATION RESULTS
  local path="$1" common=(--rate "$2" --warmup "$3" --duration "$4" --connections "$CONNECTIONS" --results "$5" --sink-counter "$COUNTER")
  case "$path" in
    postfix) run_java LatencyBench smtp --label "$LABEL_PF" --server "127.0.0.1:$PF_PORT" \
               --sender a1@pool-a.bench-sender.test,a2@pool-a.bench-sender.test "${PF_CPU[@]}" "${common[@]}" ;;
    smtp) run_java LatencyBench smtp --label "$LABEL_SMTP" --server "127.0.0.1:$SMTP_PORT" --user "$SMTP_USER" --pass "$SMTP_PASS" \
            --set set-a --sender sender@bench-sender.test --gc-log "$GC_LOG" "${PM_CPU[@]}" "${common[@]}" ;;
    api) run_java LatencyBench api --label "$LABEL_API" --url "$API" --key "$KEY" --secret "$SECRET" --set set-a \
           --gc-log "$GC_LOG" "${PM_CPU[@]}" "${common[@]}" ;;
  esac
}
# After a step an MTA that fell behind (Postfix past its rate) may still hold messages whose client
# gave up waiting for the answer: they reach the sink later, and that delivery must not land in the
# next step's CPU and latency. So the next step waits until the sink has been quiet for 3 s.
sink_count() { tail -c 512 "$COUNTER" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -1; }
sink_quiet() {
  local last now still=0
  last="$(sink_count)"
  for _ in $(seq 1 600); do   # at most 5 minutes
    sleep 0.5; now="$(sink_count)"
    if [ "$now" = "$last" ]; then still=$((still + 1)); [ "$still" -ge 6 ] && return 0; else still=0; last="$now"; fi
  done
  log "the sink was still receiving 5 minutes after the step"
}
control() {  # LABEL
  run_java LatencyBench control --label "$1" --url "$API" --key "$KEY" --secret "$SECRET" --results "$RESULTS" \
    --rounds "$CONTROL_ROUNDS" --rate "$CONTROL_RATE" --warmup-rounds 50 --pool pool-a --ip 127.0.0.11 --move-ip 127.0.0.31 --move-pools lat-y,lat-x
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "$INITIAL_WARMUP" -gt 0 ]; then
  log "initial warm-up: $INITIAL_WARMUP s per path at $MIDDLE_RATE msg/s (not recorded)"
  for path in postfix smtp api; do measure "$path" "$MIDDLE_RATE" 0 "$INITIAL_WARMUP" "$WARM_RESULTS" >&2; sink_quiet; done
fi
for rate in "${RATE_LIST[@]}"; do
  log "$rate msg/s offered: $WARMUP s warm-up + $DURATION s recorded per path"
  for path in postfix smtp api; do measure "$path" "$rate" "$WARMUP" "$DURATION" "$RESULTS" >&2; sink_quiet; done
done
log "control plane, idle: $CONTROL_ROUNDS rounds at $CONTROL_RATE calls/s"
control idle >&2
if [ "$CONTROL_LOAD_RATE" -gt 0 ]; then
  # SendEmail load in its own process: past its warm-up it creates READY and records until STOP exists
  log "control plane with SendEmail at $CONTROL_LOAD_RATE msg/s: $CONTROL_ROUNDS rounds at $CONTROL_RATE calls/s"
  READY="$WORK/load.ready"; STOP="$WORK/load.stop"
  "$JAVA" -cp "target/poolmta.jar:$WORK/classes" LatencyBench api --label "PoolMTA, SES API SendEmail, during the control-plane calls" \
    --url "$API" --key "$KEY" --secret "$SECRET" --set set-a --gc-log "$GC_LOG" --rate "$CONTROL_LOAD_RATE" --warmup "$WARMUP" \
    --duration 0 --stop-file "$STOP" --ready-file "$READY" --connections "$CONNECTIONS" --results "$RESULTS" \
    --sink-counter "$COUNTER" >&2 &
  LOAD_PID=$!
  for _ in $(seq 1 $(( (WARMUP + 30) * 10 ))); do
    [ -e "$READY" ] && break
    kill -0 "$LOAD_PID" 2>/dev/null || { echo "latency: the SendEmail load generator stopped early" >&2; exit 1; }
    sleep 0.1
  done
  [ -e "$READY" ] || { echo "latency: the SendEmail load generator did not start recording" >&2; exit 1; }
  control "SendEmail at $CONTROL_LOAD_RATE msg/s" >&2
  touch "$STOP"
  wait "$LOAD_PID" || { echo "latency: the SendEmail load generator failed" >&2; exit 1; }
  LOAD_PID=""
fi
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
END="$(date -u '+%H:%M UTC')"
GC_ALL="$(grep -c 'Pause' "$GC_LOG" 2>/dev/null || true)"
GC_NAME="$(sed -n 's/.*Using \(.*\)$/\1/p' "$GC_LOG" | head -1)"

# ---------------------------------------------------------------- report
cat <<EOF

## Latency, $START – $END

- Command: \`bench/latency.sh --rates $RATES --duration $DURATION --warmup $WARMUP --initial-warmup $INITIAL_WARMUP --connections $CONNECTIONS --control-rounds $CONTROL_ROUNDS --control-rate $CONTROL_RATE --control-load-rate $CONTROL_LOAD_RATE --dkim $DKIM\`
- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(df -T "$WORK" | awk 'NR==2 {print $2}') disk; JDK $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'); Postfix $(postconf -d -h mail_version); load average before $LOAD_BEFORE, after $LOAD_AFTER
- Open loop: requests due every 1/rate s; latency = answer - due time; $CONNECTIONS connections per generator, opened (and AUTH'd) before the clock; $WARMUP s unrecorded before each $DURATION s recording; $INITIAL_WARMUP s per path at $MIDDLE_RATE msg/s first. 2 KB messages, pool A (127.0.0.11-12), delivered to smtp-sink; PoolMTA's SMTP clients say STARTTLS, then AUTH PLAIN, Postfix is fed in clear text without AUTH; $([ "$DKIM" = 1 ] && echo "PoolMTA DKIM-signs every message (RSA-2048), Postfix signs nothing" || echo "DKIM signing off (--dkim 0)").
- MTA CPU from $CPU_METHOD: CPU over the recorded window per message accepted in it (the MTA delivers what it accepts within the window when it keeps up; a row where the sink's count in the window differs by more than 5 % is marked not steady).
- PoolMTA JVM: ${GC_NAME:-?}, ${SERVER_JAVA_OPTS:-no options} (plus -Xlog:gc,gc+cpu); $GC_ALL GC pauses over the whole run

$(run_java LatencyBench report --results "$RESULTS")

Service time = from writing the request (SMTP: MAIL FROM) to the answer, without the wait for a free connection. Generator lag = how late the scheduler handed requests out (counted in the latency). Delivered / accepted = messages smtp-sink received after the step / accepted during it (warm-up included). GC pauses = PoolMTA's pauses that ended in the recorded window; "time of ≥ p99 requests in GC" = of the time the slowest 1 % took (due → answer), the share during which PoolMTA was in a GC pause. Machine CPU busy = both cores, all processes (other users' included), during the recorded window; load avg = 1-minute, at its end.
EOF

#!/usr/bin/env bash
# End-to-end throughput of PoolMTA against Postfix (the peer) and against the ceiling, on this machine,
# in this run. Loopback only (127.0.0.x).
#
#   bench/e2e-throughput.sh [--messages N] [--size BYTES] [--runs R] [--concurrency C] [--warmup W]
#                           [--per-connection 0|1] [--starttls 0|1] [--bulk 0|1] [--dkim 0|1] [--timeout SECONDS] [--keep]
#
# Defaults: N=10000 messages with a 2 KB body per measurement (--size 2048; --size 51200 for the
# 50 KB run), R=5 runs, C=20 concurrent clients, W=40000 warm-up messages per MTA path (not
# measured), --per-connection 0 (each SMTP client session sends message after message over one
# connection, smtp-source -d; 1 = a new connection, and for PoolMTA a new AUTH, per message; the
# API clients always keep their connections), --starttls 1 (PoolMTA's SMTP clients say STARTTLS,
# then AUTH, as mail clients do on a submission port; 0 = clear text; smtp-source, which feeds
# Postfix, has no STARTTLS), --bulk 0 (1 adds the two templated API paths below, warm-up
# included), --dkim 1 (PoolMTA DKIM-signs every message, RSA-2048, as a verified sender's mail
# is; 0 = signing off for the senders' domain), --timeout 300 s per measurement, --paths
# all (or a comma-separated list of the paths below, measured and warmed up alone, e.g.
# --paths poolmta-smtp to profile one path: POOLMTA_JAVA_OPTS reaches the server). The default run takes about
# 6 minutes on 2 cores.
# Why so much warm-up: PoolMTA is a JVM. After 5,000 messages per path its JIT compiler still spent
# about as much CPU as the server's own work during the first measured run (JFR, 2026-11-27). The
# warm-up goes in four rounds that alternate the paths as the runs do (the JIT recompiles code the
# paths share when the mix changes); even so the first measured run is often the slowest, which
# the medians absorb; with 20,000 per path the first one or two runs still carried compilation
# (PoolMTA CPU per message 0.21 and 0.17 ms, then 0.14-0.16), with 40,000 all five were within
# 0.147-0.168 ms. Postfix and smtp-source are C and need none, but get the same warm-up.
# (Until 2026-11-27 N and W were 2000, then W 5000, then 20000; one round per path until 06:00 UTC.)
#
# What it measures (messages/s from the start of injection until smtp-sink has received all N):
#   ceiling       smtp-source straight into smtp-sink
#   postfix       smtp-source -> a throwaway Postfix (sender-dependent transports, one per source IP,
#                 smtp_bind_address 127.0.0.11/.12/.21/.22) -> smtp-sink
#   poolmta-smtp  Java SMTP client (STARTTLS, AUTH PLAIN; smtp-source can do neither) -> PoolMTA submission -> smtp-sink
#   poolmta-api   Java SES v2 SendEmail clients (SigV4) -> PoolMTA API -> smtp-sink
# and with --bulk 1, through the same configuration sets and pools, with a template created in setup
# (subject "bench {{n}}", text "Dear {{name}}," and the --size body):
#   poolmta-template  SendEmail with Template content (TemplateName, TemplateData) -> PoolMTA API
#   poolmta-bulk      SendBulkEmail, 50 BulkEmailEntries a call (one destination each, its own
#                     ReplacementTemplateData) -> PoolMTA API; a message per entry
# Each MTA path sends half the messages through pool A (127.0.0.11-12) and half through pool B
# (127.0.0.21-22): PoolMTA by two configuration sets, Postfix by sender address. Runs are
# interleaved (ceiling, postfix, poolmta-smtp, poolmta-api[, poolmta-template, poolmta-bulk]; repeated R times) so that background
# load on the machine hits every path alike. Prints each run, a check that each message left from
# an IP of its pool (from smtp-sink's dump), and a markdown table of medians and ratios, with the
# CPU per message of the MTA, the load generator and smtp-sink. Each MTA runs in its own cgroup
# (v2 cpu.stat usage_usec, else v1 cpuacct.usage), so its CPU counts every process it forks however
# short-lived (Postfix's smtpd, cleanup, smtp); without cgroups, from /proc (the MTA's process and
# its children, reaped ones included). smtp-sink's dump and counter live
# on tmpfs (/dev/shm), so the receiver's own disk writes do not weigh on the MTAs' fsyncs.
#
# Environment: POOLMTA_JAVA_OPTS (the PoolMTA server's JVM options, e.g. a JFR recording),
# BENCH_GENERATOR_JAVA_OPTS (the JVM of the Java load generators, which lives for the whole run;
# by default the serial GC).
#
# Needs root (apt-get install postfix when smtp-sink is missing; Postfix's master runs as root).
# Installs Postfix with debconf "No configuration" and starts no system service; the throwaway
# Postfix, smtp-sink and PoolMTA it starts are stopped on exit (trap), and the temp dir removed
# unless --keep.
set -euo pipefail

MESSAGES=10000
SIZE=2048
RUNS=5
CONCURRENCY=20
WARMUP=40000
PER_CONNECTION=0
STARTTLS=1
BULK=0
DKIM=1
TIMEOUT=300
KEEP=0
PATHS=""
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --per-connection) PER_CONNECTION="$2"; shift 2 ;;
    --starttls) STARTTLS="$2"; shift 2 ;;
    --bulk) BULK="$2"; shift 2 ;;
    --dkim) DKIM="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --paths) PATHS="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "e2e-throughput: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in MESSAGES SIZE RUNS CONCURRENCY WARMUP TIMEOUT; do
  case "${!v}" in ''|*[!0-9]*) echo "e2e-throughput: $v must be a number" >&2; exit 2 ;; esac
done
[ "$MESSAGES" -ge 4 ] && [ "$CONCURRENCY" -ge 4 ] && [ "$RUNS" -ge 1 ] && [ "$SIZE" -ge 100 ] && [ "$SIZE" -le 5000000 ] \
  || { echo "e2e-throughput: need --messages >= 4, --concurrency >= 4, --runs >= 1, 100 <= --size <= 5000000" >&2; exit 2; }
case "$PER_CONNECTION" in 0|1) ;; *) echo "e2e-throughput: --per-connection is 0 or 1" >&2; exit 2 ;; esac
case "$STARTTLS" in 0|1) ;; *) echo "e2e-throughput: --starttls is 0 or 1" >&2; exit 2 ;; esac
case "$BULK" in 0|1) ;; *) echo "e2e-throughput: --bulk is 0 or 1" >&2; exit 2 ;; esac
case "$DKIM" in 0|1) ;; *) echo "e2e-throughput: --dkim is 0 or 1" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "e2e-throughput: run as root (installs postfix, runs a Postfix master)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NAME=e2e-throughput
source "$REPO/bench/lib/common.sh"

# ---------------------------------------------------------------- what it needs
prepare_tools

WORK="$(mktemp -d /tmp/poolmta-e2e.XXXXXX)"
chmod 755 "$WORK"
SINK_PID=""; SINK_DIR=""; PF_ETC=""; PM_PID=""; GEN_PID=""; CG_POSTFIX=""; CG_POOLMTA=""
cleanup() {
  set +e
  exec 7>&- 8<&-
  if [ -n "$GEN_PID" ]; then kill -TERM "$GEN_PID" 2>/dev/null; wait "$GEN_PID" 2>/dev/null; fi
  stop_pid "$PM_PID"
  stop_postfix
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  [ -n "$SINK_DIR" ] && rm -rf "$SINK_DIR"
  cgroup_remove "$CG_POSTFIX"; cgroup_remove "$CG_POOLMTA"
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- a cgroup per MTA, for its CPU
mta_cgroups

# javac once, so no measurement pays for compiling
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" bench/src/PoolMtaBench.java
free_port; SINK_PORT=$PORT; free_port; PF_PORT=$PORT; free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT

# ---------------------------------------------------------------- smtp-sink, the receiving side
# The sink's files live on tmpfs (/dev/shm): written to the disk the MTAs fsync their queues on,
# the dump (every message, hundreds of MB per run) cost smtp-sink 2-3x the CPU per message and
# competed with the MTAs' own writes (until 2026-11-27 it was in $WORK; see BENCHMARKS.md).
SINK_DIR="$(mktemp -d /dev/shm/poolmta-e2e-sink.XXXXXX)"; chown postfix "$SINK_DIR"
COUNTER="$SINK_DIR/counter"; DUMP="$SINK_DIR/dump"
# -c: running counters (read by the timer); -D: every message appended to one file (read by the pool
# check, then emptied: smtp-sink appends, so it goes on writing from the new end)
smtp-sink -u postfix -c -D "$DUMP" -m 512 "127.0.0.1:$SINK_PORT" 1024 > "$COUNTER" 2>"$SINK_DIR/stderr" &
SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink

# ---------------------------------------------------------------- the peer: a throwaway Postfix
# started from a subshell inside its cgroup: the master and every process it forks stay in it
PF_ETC="$WORK/postfix/etc"   # for cleanup, should the start fail half way
( cgroup_enter "$CG_POSTFIX"
  start_postfix "$PF_PORT" "$SINK_PORT" \
    "pool_a1 a1@pool-a.bench-sender.test 127.0.0.11" \
    "pool_a2 a2@pool-a.bench-sender.test 127.0.0.12" \
    "pool_b1 b1@pool-b.bench-sender.test 127.0.0.21" \
    "pool_b2 b2@pool-b.bench-sender.test 127.0.0.22" ) || exit 1
PF_MASTER="$(tr -d ' ' < "$WORK/postfix/queue/pid/master.pid")"

# ---------------------------------------------------------------- PoolMTA
PM="$WORK/poolmta"; mkdir -p "$PM"
# --starttls 0 needs AUTH in clear text, which the server allows only when told (loopback only)
CLEARTEXT=(); [ "$STARTTLS" = 0 ] && CLEARTEXT=(--smtp-allow-cleartext-auth)
log "starting PoolMTA: ./poolmta serve --data $PM/data --api 127.0.0.1:$API_PORT --smtp 127.0.0.1:$SMTP_PORT ${CLEARTEXT[*]:-}"
SERVER_JAVA_OPTS="${POOLMTA_JAVA_OPTS:-}"   # passed to the server only (e.g. a JFR recording), shown in the report
( cgroup_enter "$CG_POOLMTA"
  exec ./poolmta serve --data "$PM/data" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" ${CLEARTEXT[@]+"${CLEARTEXT[@]}"} ) > "$PM/serve.log" 2>&1 &
PM_PID=$!   # the subshell and then the launcher exec java: this is the server's pid
unset POOLMTA_JAVA_OPTS
wait_port "$API_PORT" 60 "PoolMTA API"; wait_port "$SMTP_PORT" 10 "PoolMTA SMTP"
# The Java side (setup, the load generators, the timer, the pool check, the report) is one JVM for
# the whole run, started here and fed one command at a time through a FIFO (PoolMtaBench serve):
# smtp-source is compiled C, and the Java clients that stand in for it where it cannot go (AUTH,
# SigV4) get compiled by C2 during the warm-up instead of paying, in every measurement, a fresh
# JVM's interpreter and C1 code on the cores the MTAs share. Until 2026-11-27 10:30 UTC each
# command was a fresh JVM (serial GC, C1 only below 16 KB bodies). The serial GC: the least CPU
# for a small heap. BENCH_GENERATOR_JAVA_OPTS replaces the options.
read -r -a GEN_JAVA_OPTS <<< "${BENCH_GENERATOR_JAVA_OPTS:--XX:+UseSerialGC}"
mkfifo "$WORK/generator.commands" "$WORK/generator.statuses"
"$JAVA" "${GEN_JAVA_OPTS[@]}" -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench serve \
  "$WORK/generator.commands" "$WORK/generator.statuses" &
GEN_PID=$!
# read-write opens of a FIFO do not wait for the other side, so a JVM that fails to start cannot hang the script
exec 7<>"$WORK/generator.commands" 8<>"$WORK/generator.statuses"
# bench: one command to it (bench/lib/common.sh)

D=(--data "$PM/data")
json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
./poolmta account create bench "${D[@]}" > "$PM/account.json"
./poolmta account production-access bench --max-24h -1 --max-rate -1 "${D[@]}" >/dev/null
./poolmta ip add 127.0.0.11 127.0.0.12 127.0.0.21 127.0.0.22 --account bench "${D[@]}" >/dev/null
./poolmta route set bench.test "127.0.0.1:$SINK_PORT" "${D[@]}" >/dev/null
./poolmta smtp-credentials create --account bench "${D[@]}" > "$PM/smtp.json"
KEY="$(json AccessKeyId "$PM/account.json")"; SECRET="$(json SecretAccessKey "$PM/account.json")"
SMTP_USER="$(json Username "$PM/smtp.json")"; SMTP_PASS="$(json Password "$PM/smtp.json")"
TEMPLATE=(); PM_PATHS=(poolmta-smtp poolmta-api)
[ "$BULK" = 1 ] && TEMPLATE=(--template bench-template --size "$SIZE") && PM_PATHS+=(poolmta-template poolmta-bulk)
WARM_PATHS=(postfix "${PM_PATHS[@]}"); RUN_PATHS=(ceiling postfix "${PM_PATHS[@]}")
if [ -n "$PATHS" ]; then   # --paths: only these, in this order (e.g. one path under a profiler)
  IFS=, read -r -a RUN_PATHS <<< "$PATHS"
  for label in "${RUN_PATHS[@]}"; do
    case " ceiling postfix ${PM_PATHS[*]} " in *" $label "*) ;;
      *) echo "e2e-throughput: --paths: no path $label here (ceiling postfix ${PM_PATHS[*]})" >&2; exit 2 ;; esac
  done
  WARM_PATHS=(); for label in "${RUN_PATHS[@]}"; do [ "$label" != ceiling ] && WARM_PATHS+=("$label"); done
fi
bench setup --api "http://127.0.0.1:$API_PORT" --key "$KEY" --secret "$SECRET" \
  --pool pool-a=127.0.0.11,127.0.0.12 --pool pool-b=127.0.0.21,127.0.0.22 --set set-a=pool-a --set set-b=pool-b \
  --identity bench-sender.test --dkim-signing "$([ "$DKIM" = 1 ] && echo on || echo off)" \
  ${TEMPLATE[@]+"${TEMPLATE[@]}"}
./poolmta identity verify bench-sender.test --account bench "${D[@]}" >/dev/null   # the operator vouches

# ---------------------------------------------------------------- measurements
RESULTS="$WORK/results.tsv"; WARM_RESULTS="$WORK/warmup.tsv"
sink_count() { tail -c 512 "$COUNTER" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -1; }
settle() {  # until the sink's count has not moved for 1 s (at most 30 s)
  local last now stable=0
  last="$(sink_count)"
  for _ in $(seq 1 150); do
    sleep 0.2; now="$(sink_count)"
    if [ "$now" = "$last" ]; then stable=$((stable + 1)); [ "$stable" -ge 5 ] && return 0; else stable=0; last="$now"; fi
  done
}
dump_size() { stat -c %s "$DUMP" 2>/dev/null || echo 0; }
D_FLAG=""; [ "$PER_CONNECTION" = 0 ] && D_FLAG="-d"
POOL_A=127.0.0.11,127.0.0.12; POOL_B=127.0.0.21,127.0.0.22
PF_CPU=(--cpu-tree "$PF_MASTER"); PM_CPU=(--cpu-tree "$PM_PID")
[ -n "$CG_POSTFIX" ] && PF_CPU=(--cpu-cgroup "$CG_POSTFIX") && PM_CPU=(--cpu-cgroup "$CG_POOLMTA")

measure() {  # LABEL RUN N RESULTS_FILE
  local label="$1" run="$2" n="$3" results="$4" from to i per extra sessions
  settle
  from="$(dump_size)"
  local common=(measure --label "$label" --run "$run" --messages "$n" --sink-counter "$COUNTER" --sink-pid "$SINK_PID" --size "$SIZE" --timeout "$TIMEOUT" --results "$results")
  case "$label" in
    ceiling)
      bench "${common[@]}" exec \
        "smtp-source $D_FLAG -s $CONCURRENCY -m $n -l $SIZE -f sender@bench-sender.test -t user@bench.test 127.0.0.1:$SINK_PORT" ;;
    postfix)
      # four senders (two per pool), a quarter of the messages and of the sessions each
      local cmds=() senders=(a1@pool-a a2@pool-a b1@pool-b b2@pool-b)
      per=$(( n / 4 )); extra=$(( n % 4 )); sessions=$(( CONCURRENCY / 4 ))
      for i in 0 1 2 3; do
        cmds+=("smtp-source $D_FLAG -s $sessions -m $(( per + (i < extra ? 1 : 0) )) -l $SIZE -f ${senders[$i]}.bench-sender.test -t user@bench.test 127.0.0.1:$PF_PORT")
      done
      bench "${common[@]}" "${PF_CPU[@]}" exec "${cmds[@]}" ;;
    poolmta-smtp)
      bench "${common[@]}" "${PM_CPU[@]}" \
        smtp "127.0.0.1:$SMTP_PORT" "$SMTP_USER" "$SMTP_PASS" "$CONCURRENCY" set-a,set-b "$PER_CONNECTION" "$STARTTLS" ;;
    poolmta-api)
      bench "${common[@]}" "${PM_CPU[@]}" \
        api "http://127.0.0.1:$API_PORT" "$KEY" "$SECRET" "$CONCURRENCY" set-a,set-b ;;
    poolmta-template|poolmta-bulk)
      bench "${common[@]}" "${PM_CPU[@]}" \
        api "http://127.0.0.1:$API_PORT" "$KEY" "$SECRET" "$CONCURRENCY" set-a,set-b "${label#poolmta-}" bench-template ;;
  esac
  settle
  to="$(dump_size)"
  case "$label" in
    postfix) bench verify --label "$label" --dump "$DUMP" --from "$from" --to "$to" --results "$results" \
               --sender a1=127.0.0.11 --sender a2=127.0.0.12 --sender b1=127.0.0.21 --sender b2=127.0.0.22 ;;
    poolmta-*) bench verify --label "$label" --dump "$DUMP" --from "$from" --to "$to" --results "$results" \
                 --pool-even "$POOL_A" --pool-odd "$POOL_B" ;;
    *) bench verify --label "$label" --dump "$DUMP" --from "$from" --to "$to" ;;
  esac
  : > "$DUMP"   # checked: keep tmpfs small (a 50 KB run would otherwise hold gigabytes)
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "$WARMUP" -gt 0 ]; then
  # in rounds that alternate the paths as the measured runs do: PoolMTA's JIT recompiles code
  # shared by both paths when the mix changes, and after one long round per path it was still
  # doing so (0.2-0.8 s compilations of the intake's methods) during the first measured runs
  ROUNDS=$(( WARMUP >= 4 ? 4 : 1 ))
  log "warm-up: $WARMUP messages through each MTA path in $ROUNDS alternating rounds (not measured)"
  for round in $(seq 1 "$ROUNDS"); do
    n=$(( WARMUP / ROUNDS + (round <= WARMUP % ROUNDS ? 1 : 0) ))
    for label in ${WARM_PATHS[@]+"${WARM_PATHS[@]}"}; do measure "$label" 0 "$n" "$WARM_RESULTS"; done
  done
fi
for run in $(seq 1 "$RUNS"); do
  log "run $run of $RUNS: $MESSAGES messages of $SIZE bytes per path, $CONCURRENCY concurrent clients"
  for label in "${RUN_PATHS[@]}"; do measure "$label" "$run" "$MESSAGES" "$RESULTS"; done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
CONN="one connection per client session (smtp-source -d; PoolMTA: one AUTH per session)"
[ "$PER_CONNECTION" = 1 ] && CONN="a new connection per message (PoolMTA: a new AUTH per message)"
DKIM_NOTE="PoolMTA DKIM-signs every message (RSA-2048, relaxed/relaxed)"
[ "$DKIM" = 0 ] && DKIM_NOTE="DKIM signing off (--dkim 0)"
TLS_NOTE="PoolMTA's SMTP clients say STARTTLS, then AUTH PLAIN; Postfix is fed in clear text (smtp-source has no STARTTLS, and the throwaway Postfix has no certificate)"
[ "$STARTTLS" = 0 ] && TLS_NOTE="every SMTP client in clear text (--starttls 0); PoolMTA's SMTP clients AUTH PLAIN"
CHECKED="$(wc -l < "$RESULTS.verify" 2>/dev/null || echo 0)"
POOLS_OK="$(grep -c $'\tpools OK\t' "$RESULTS.verify" 2>/dev/null || true)"
DUPS="$(awk -F'\t' '{s+=$3} END {print s+0}' "$RESULTS.verify" 2>/dev/null || echo 0)"
BULK_NOTE=""
[ "$BULK" = 1 ] && BULK_NOTE=" The templated API paths (--bulk 1) use one template made in setup (subject \"bench {{n}}\", text \"Dear {{name}},\" then the $SIZE-byte body): SendEmail with Template content, one message a call; SendBulkEmail with 50 BulkEmailEntries a call (one destination and its ReplacementTemplateData each), a message per entry, so its rate and CPU are per message, not per call."
cat <<EOF

## End-to-end throughput, $START

- Command: \`${BENCH_GENERATOR_JAVA_OPTS:+BENCH_GENERATOR_JAVA_OPTS='$BENCH_GENERATOR_JAVA_OPTS' }bench/e2e-throughput.sh --messages $MESSAGES --size $SIZE --runs $RUNS --concurrency $CONCURRENCY --warmup $WARMUP --per-connection $PER_CONNECTION --starttls $STARTTLS --dkim $DKIM$([ "$BULK" = 1 ] && echo ' --bulk 1')${PATHS:+ --paths $PATHS}\`
- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(df -T "$WORK" | awk 'NR==2 {print $2}') disk; JDK $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'); Postfix $(postconf -d -h mail_version); load average before $LOAD_BEFORE, after $LOAD_AFTER
- Load: $MESSAGES messages with a $SIZE-byte body per measurement, $CONCURRENCY concurrent clients, $CONN; $TLS_NOTE; $DKIM_NOTE; half through pool A (127.0.0.11-12), half through pool B (127.0.0.21-22); rate = messages / (first injection → smtp-sink has all of them); $WARMUP warm-up messages per MTA path first; the Java load generators run in one JVM for the whole run (warmed by the warm-up), with ${GEN_JAVA_OPTS[*]}.
- Pool check (smtp-sink's X-Client-Addr vs the message's pool): ${POOLS_OK:-0} of $CHECKED MTA measurements OK; duplicate deliveries: $DUPS${SERVER_JAVA_OPTS:+; PoolMTA JVM options: $SERVER_JAVA_OPTS}

$("$JAVA" -XX:+UseSerialGC -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench report --results "$RESULTS")

MTA CPU = CPU time of the MTA's processes during a measurement, per delivered message, from $CPU_METHOD (PoolMTA: its JVM, including delivery; Postfix: the master and every process it forks). Generator CPU = the load generator's (smtp-source or the Java clients) on the same 2 cores. smtp-sink CPU = the receiving smtp-sink's (one process, one thread), per message.$BULK_NOTE
EOF

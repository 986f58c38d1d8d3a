#!/usr/bin/env bash
# End-to-end throughput of PoolMTA against Postfix (the peer) and against the ceiling, on this machine,
# in this run. Loopback only (127.0.0.x).
#
#   bench/e2e-throughput.sh [--messages N] [--runs R] [--concurrency C] [--warmup W]
#                           [--per-connection 0|1] [--timeout SECONDS] [--keep]
#
# Defaults: N=10000 messages of 2 KB per measurement, R=5 runs, C=20 concurrent clients, W=5000
# warm-up messages per MTA path (not measured). (Until 2026-11-27 N and W were 2000: a measurement
# then lasted about a second, in which each fresh Java load generator's JIT warm-up (0.24 ms of CPU
# per message, against 0.07 over 20,000) and the start and tail of the run weighed heavily.) --per-connection 0 (each SMTP client session sends
# message after message over one connection, smtp-source -d; 1 = a new connection, and for
# PoolMTA a new AUTH, per message; the API clients always keep their connections),
# --timeout 300 s per measurement. The default run takes about 3-4 minutes on 2 cores.
#
# What it measures (messages/s from the start of injection until smtp-sink has received all N):
#   ceiling       smtp-source straight into smtp-sink
#   postfix       smtp-source -> a throwaway Postfix (sender-dependent transports, one per source IP,
#                 smtp_bind_address 127.0.0.11/.12/.21/.22) -> smtp-sink
#   poolmta-smtp  Java SMTP client (AUTH PLAIN; smtp-source cannot AUTH) -> PoolMTA submission -> smtp-sink
#   poolmta-api   Java SES v2 SendEmail clients (SigV4) -> PoolMTA API -> smtp-sink
# Each MTA path sends half the messages through pool A (127.0.0.11-12) and half through pool B
# (127.0.0.21-22): PoolMTA by two configuration sets, Postfix by sender address. Runs are
# interleaved (ceiling, postfix, poolmta-smtp, poolmta-api; repeated R times) so that background
# load on the machine hits every path alike. Prints each run, a check that each message left from
# an IP of its pool (from smtp-sink's dump), and a markdown table of medians and ratios.
#
# Needs root (apt-get install postfix when smtp-sink is missing; Postfix's master runs as root).
# Installs Postfix with debconf "No configuration" and starts no system service; the throwaway
# Postfix, smtp-sink and PoolMTA it starts are stopped on exit (trap), and the temp dir removed
# unless --keep.
set -euo pipefail

MESSAGES=10000
RUNS=5
CONCURRENCY=20
WARMUP=5000
PER_CONNECTION=0
TIMEOUT=300
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --per-connection) PER_CONNECTION="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "e2e-throughput: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in MESSAGES RUNS CONCURRENCY WARMUP TIMEOUT; do
  case "${!v}" in ''|*[!0-9]*) echo "e2e-throughput: $v must be a number" >&2; exit 2 ;; esac
done
[ "$MESSAGES" -ge 4 ] && [ "$CONCURRENCY" -ge 4 ] && [ "$RUNS" -ge 1 ] \
  || { echo "e2e-throughput: need --messages >= 4, --concurrency >= 4, --runs >= 1" >&2; exit 2; }
case "$PER_CONNECTION" in 0|1) ;; *) echo "e2e-throughput: --per-connection is 0 or 1" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "e2e-throughput: run as root (installs postfix, runs a Postfix master)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------- what it needs
if ! command -v smtp-sink >/dev/null || ! command -v smtp-source >/dev/null || ! command -v postfix >/dev/null; then
  log "installing postfix (debconf: No configuration; no service is started)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then   # keep invoke-rc.d from starting anything during the install
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt_ok=0
  for attempt in 1 2; do
    if apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends postfix >/dev/null; then apt_ok=1; break; fi
    apt-get update -q >/dev/null || true
  done
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  [ "$apt_ok" = 1 ] || { echo "e2e-throughput: apt-get install postfix failed" >&2; exit 1; }
fi
source "$REPO/.ci/find-java"
JAVA="$JAVA_HOME/bin/java"
log "building PoolMTA if needed"
POOLMTA_JAVA_OPTS= ./poolmta --version >/dev/null

WORK="$(mktemp -d /tmp/poolmta-e2e.XXXXXX)"
chmod 755 "$WORK"
SINK_PID=""; PF_ETC=""; PM_PID=""; CHILD=""
cleanup() {
  set +e
  if [ -n "$CHILD" ]; then kill -TERM "$CHILD" 2>/dev/null; wait "$CHILD" 2>/dev/null; fi
  if [ -n "$PM_PID" ] && kill -0 "$PM_PID" 2>/dev/null; then
    kill -TERM "$PM_PID"; for _ in $(seq 1 100); do kill -0 "$PM_PID" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$PM_PID" 2>/dev/null && kill -KILL "$PM_PID"
  fi
  if [ -n "$PF_ETC" ]; then
    local master
    master="$(cat "$WORK/postfix/queue/pid/master.pid" 2>/dev/null | tr -d ' ')"
    postfix -c "$PF_ETC" stop >/dev/null 2>&1
    for _ in $(seq 1 50); do [ -n "$master" ] && kill -0 "$master" 2>/dev/null || break; sleep 0.2; done
    [ -n "$master" ] && kill -0 "$master" 2>/dev/null && kill -KILL "$master"
  fi
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# javac once, so no measurement pays for compiling
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" bench/src/PoolMtaBench.java
# the Java side runs in the background and is waited for, so a TERM or INT is acted on at once
bench() {
  local rc=0
  "$JAVA" -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench "$@" &
  CHILD=$!
  wait "$CHILD" || rc=$?
  CHILD=""
  return "$rc"
}

listening() {  # PORT: is something listening on 127.0.0.1:PORT?
  if command -v ss >/dev/null; then [ -n "$(ss -Htln "sport = :$1" 2>/dev/null)" ]
  else (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; fi
}
in_use() {  # PORT: listening, or held by any TCP socket in any state
  if command -v ss >/dev/null; then [ -n "$(ss -Htan "sport = :$1" 2>/dev/null)" ]; else listening "$1"; fi
}
USED_PORTS=" "
free_port() {  # sets PORT to a free port below the ephemeral range that this script has not picked yet
  local low=20000 high
  high=$(( $(cut -f1 /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768) - 1 ))
  [ "$high" -gt "$low" ] || { low=1100; high=9999; }
  for _ in $(seq 1 200); do
    PORT=$(( low + RANDOM % (high - low) ))
    case "$USED_PORTS" in *" $PORT "*) continue ;; esac
    if ! in_use "$PORT"; then USED_PORTS="$USED_PORTS$PORT "; return 0; fi
  done
  echo "e2e-throughput: no free port" >&2; exit 1
}
wait_port() {  # PORT SECONDS WHAT
  for _ in $(seq 1 $(( $2 * 10 ))); do listening "$1" && return 0; sleep 0.1; done
  echo "e2e-throughput: $3 is not listening on 127.0.0.1:$1 after $2 s" >&2; exit 1
}
free_port; SINK_PORT=$PORT; free_port; PF_PORT=$PORT; free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT

# ---------------------------------------------------------------- smtp-sink, the receiving side
mkdir -p "$WORK/sink"; chown postfix "$WORK/sink"
COUNTER="$WORK/sink/counter"; DUMP="$WORK/sink/dump"
# -c: running counters (read by the timer); -D: every message appended to one file (read by the pool check)
smtp-sink -u postfix -c -D "$DUMP" -m 512 "127.0.0.1:$SINK_PORT" 1024 > "$COUNTER" 2>"$WORK/sink/stderr" &
SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink

# ---------------------------------------------------------------- the peer: a throwaway Postfix
PF="$WORK/postfix"; PF_ETC="$PF/etc"
mkdir -p "$PF_ETC" "$PF/queue" "$PF/data"; chown postfix:postfix "$PF/data"
transport() { echo "$1:[127.0.0.1]:$SINK_PORT"; }
cat > "$PF_ETC/main.cf" <<EOF
# Throwaway Postfix for bench/e2e-throughput.sh. Debian defaults, except: its own directories,
# loopback only, no local delivery, and IP pools the standard Postfix way (one smtp transport per
# source IP with smtp_bind_address, chosen by sender_dependent_default_transport_maps).
compatibility_level = 3.6
queue_directory = $PF/queue
data_directory = $PF/data
mail_owner = postfix
setgid_group = postdrop
myhostname = postfix-bench.localhost
mydomain = localhost
myorigin = \$myhostname
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
relay_domains =
smtpd_relay_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
local_recipient_maps =
smtputf8_enable = no
biff = no
maillog_file_prefixes = $PF
maillog_file = $PF/maillog
default_transport = error:5.7.1 only the benchmark senders are routed
sender_dependent_default_transport_maps = inline:{
  { a1@pool-a.bench-sender.test = $(transport pool_a1) },
  { a2@pool-a.bench-sender.test = $(transport pool_a2) },
  { b1@pool-b.bench-sender.test = $(transport pool_b1) },
  { b2@pool-b.bench-sender.test = $(transport pool_b2) } }
EOF
cat > "$PF_ETC/master.cf" <<EOF
127.0.0.1:$PF_PORT inet n - n - - smtpd
pickup     unix  n - n 60 1 pickup
cleanup    unix  n - n -  0 cleanup
qmgr       unix  n - n 300 1 qmgr
rewrite    unix  - - n -  - trivial-rewrite
bounce     unix  - - n -  0 bounce
defer      unix  - - n -  0 bounce
trace      unix  - - n -  0 bounce
verify     unix  - - n -  1 verify
flush      unix  n - n 1000? 0 flush
proxymap   unix  - - n -  - proxymap
proxywrite unix  - - n -  1 proxymap
smtp       unix  - - n -  - smtp
relay      unix  - - n -  - smtp
showq      unix  n - n -  - showq
error      unix  - - n -  - error
retry      unix  - - n -  - error
discard    unix  - - n -  - discard
anvil      unix  - - n -  1 anvil
scache     unix  - - n -  1 scache
postlog    unix-dgram n - n - 1 postlogd
pool_a1    unix  - - n -  - smtp -o smtp_bind_address=127.0.0.11 -o smtp_helo_name=pool-a1.bench
pool_a2    unix  - - n -  - smtp -o smtp_bind_address=127.0.0.12 -o smtp_helo_name=pool-a2.bench
pool_b1    unix  - - n -  - smtp -o smtp_bind_address=127.0.0.21 -o smtp_helo_name=pool-b1.bench
pool_b2    unix  - - n -  - smtp -o smtp_bind_address=127.0.0.22 -o smtp_helo_name=pool-b2.bench
EOF
log "starting Postfix $(postconf -d -h mail_version) on 127.0.0.1:$PF_PORT (config $PF_ETC)"
postfix -c "$PF_ETC" check >/dev/null 2>&1 || true   # creates the queue directories
postfix -c "$PF_ETC" start >/dev/null 2>&1 || { echo "e2e-throughput: Postfix did not start:" >&2; tail -5 "$PF/maillog" >&2; exit 1; }
wait_port "$PF_PORT" 30 Postfix
PF_MASTER="$(tr -d ' ' < "$PF/queue/pid/master.pid")"

# ---------------------------------------------------------------- PoolMTA
PM="$WORK/poolmta"; mkdir -p "$PM"
log "starting PoolMTA: ./poolmta serve --data $PM/data --api 127.0.0.1:$API_PORT --smtp 127.0.0.1:$SMTP_PORT"
SERVER_JAVA_OPTS="${POOLMTA_JAVA_OPTS:-}"   # passed to the server only (e.g. a JFR recording), shown in the report
./poolmta serve --data "$PM/data" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" > "$PM/serve.log" 2>&1 &
PM_PID=$!   # the launcher execs java: this is the server's pid
unset POOLMTA_JAVA_OPTS
wait_port "$API_PORT" 60 "PoolMTA API"; wait_port "$SMTP_PORT" 10 "PoolMTA SMTP"
D=(--data "$PM/data")
json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
./poolmta account create bench "${D[@]}" > "$PM/account.json"
./poolmta ip add 127.0.0.11 127.0.0.12 127.0.0.21 127.0.0.22 --account bench "${D[@]}" >/dev/null
./poolmta route set bench.test "127.0.0.1:$SINK_PORT" "${D[@]}" >/dev/null
./poolmta smtp-credentials create --account bench "${D[@]}" > "$PM/smtp.json"
KEY="$(json AccessKeyId "$PM/account.json")"; SECRET="$(json SecretAccessKey "$PM/account.json")"
SMTP_USER="$(json Username "$PM/smtp.json")"; SMTP_PASS="$(json Password "$PM/smtp.json")"
bench setup --api "http://127.0.0.1:$API_PORT" --key "$KEY" --secret "$SECRET" \
  --pool pool-a=127.0.0.11,127.0.0.12 --pool pool-b=127.0.0.21,127.0.0.22 --set set-a=pool-a --set set-b=pool-b >&2

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

measure() {  # LABEL RUN N RESULTS_FILE
  local label="$1" run="$2" n="$3" results="$4" from to i per extra sessions
  settle
  from="$(dump_size)"
  local common=(measure --label "$label" --run "$run" --messages "$n" --sink-counter "$COUNTER" --timeout "$TIMEOUT" --results "$results")
  case "$label" in
    ceiling)
      bench "${common[@]}" exec \
        "smtp-source $D_FLAG -s $CONCURRENCY -m $n -l 2048 -f sender@bench-sender.test -t user@bench.test 127.0.0.1:$SINK_PORT" ;;
    postfix)
      # four senders (two per pool), a quarter of the messages and of the sessions each
      local cmds=() senders=(a1@pool-a a2@pool-a b1@pool-b b2@pool-b)
      per=$(( n / 4 )); extra=$(( n % 4 )); sessions=$(( CONCURRENCY / 4 ))
      for i in 0 1 2 3; do
        cmds+=("smtp-source $D_FLAG -s $sessions -m $(( per + (i < extra ? 1 : 0) )) -l 2048 -f ${senders[$i]}.bench-sender.test -t user@bench.test 127.0.0.1:$PF_PORT")
      done
      bench "${common[@]}" --cpu-tree "$PF_MASTER" exec "${cmds[@]}" ;;
    poolmta-smtp)
      bench "${common[@]}" --cpu-tree "$PM_PID" \
        smtp "127.0.0.1:$SMTP_PORT" "$SMTP_USER" "$SMTP_PASS" "$CONCURRENCY" set-a,set-b "$PER_CONNECTION" ;;
    poolmta-api)
      bench "${common[@]}" --cpu-tree "$PM_PID" \
        api "http://127.0.0.1:$API_PORT" "$KEY" "$SECRET" "$CONCURRENCY" set-a,set-b ;;
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
}

LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
if [ "$WARMUP" -gt 0 ]; then
  log "warm-up: $WARMUP messages through each MTA path (not measured)"
  for label in postfix poolmta-smtp poolmta-api; do measure "$label" 0 "$WARMUP" "$WARM_RESULTS"; done
fi
for run in $(seq 1 "$RUNS"); do
  log "run $run of $RUNS: $MESSAGES messages of 2 KB per path, $CONCURRENCY concurrent clients"
  for label in ceiling postfix poolmta-smtp poolmta-api; do measure "$label" "$run" "$MESSAGES" "$RESULTS"; done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"

# ---------------------------------------------------------------- report
CONN="one connection per client session (smtp-source -d; PoolMTA: one AUTH per session)"
[ "$PER_CONNECTION" = 1 ] && CONN="a new connection per message (PoolMTA: a new AUTH per message)"
CHECKED="$(wc -l < "$RESULTS.verify" 2>/dev/null || echo 0)"
POOLS_OK="$(grep -c $'\tpools OK\t' "$RESULTS.verify" 2>/dev/null || true)"
DUPS="$(awk -F'\t' '{s+=$3} END {print s+0}' "$RESULTS.verify" 2>/dev/null || echo 0)"
cat <<EOF

## End-to-end throughput, $START

- Command: \`bench/e2e-throughput.sh --messages $MESSAGES --runs $RUNS --concurrency $CONCURRENCY --warmup $WARMUP --per-connection $PER_CONNECTION\`
- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(df -T "$WORK" | awk 'NR==2 {print $2}') disk; JDK $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'); Postfix $(postconf -d -h mail_version); load average before $LOAD_BEFORE, after $LOAD_AFTER
- Load: $MESSAGES messages of 2 KB body per measurement, $CONCURRENCY concurrent clients, $CONN; half through pool A (127.0.0.11-12), half through pool B (127.0.0.21-22); rate = messages / (first injection → smtp-sink has all of them); $WARMUP warm-up messages per MTA path first.
- Pool check (smtp-sink's X-Client-Addr vs the message's pool): ${POOLS_OK:-0} of $CHECKED MTA measurements OK; duplicate deliveries: $DUPS${SERVER_JAVA_OPTS:+; PoolMTA JVM options: $SERVER_JAVA_OPTS}

$(bench report --results "$RESULTS")

MTA CPU = CPU time of the MTA's processes during a measurement, per message (PoolMTA: its JVM, including delivery; Postfix: master and all its children). Generator CPU = the load generator's (smtp-source or the Java clients) on the same 2 cores.
EOF

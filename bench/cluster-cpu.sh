#!/usr/bin/env bash
# End-to-end throughput and CPU per message of PoolMTA as one node and as a three-node cluster on
# this machine, in one run. Loopback only (127.0.0.x).
#
#   bench/cluster-cpu.sh [--messages N] [--size BYTES] [--runs R] [--concurrency C] [--warmup W]
#                        [--dkim 0|1] [--timeout SECONDS] [--keep]
#
# Three setups run side by side for the whole run, each receiving mail from the same Java SMTP
# generator (STARTTLS, then AUTH PLAIN, one connection per session, as bench/e2e-throughput.sh's
# PoolMTA SMTP path) and delivering to the same smtp-sink:
#   h2-1   one node on the embedded H2 database (PoolMTA's default; e2e-throughput.sh's setup)
#   pg-1   one node on PostgreSQL
#   pg-3   three nodes (node-1..3) on one PostgreSQL, with node links and one cluster key; the
#          generator's sessions go round-robin to the three nodes' submission ports
# and, as in e2e-throughput.sh, the ceiling (smtp-source straight into smtp-sink). PostgreSQL is the
# embedded binaries the tests and `poolmta demo --nodes N` use (bench/src/BenchPostgres.java), on
# 127.0.0.1 with fsync, synchronous_commit and full_page_writes on (a durable server; the tests
# run it with them off), one database for pg-1 and one for pg-3.
#
# Pools. One node: pool A (127.0.0.11-12) takes the even messages, pool B (127.0.0.21-22) the odd
# ones, by configuration set. Three nodes: pool A has one IP on each node (.11 on node-1, .12 on
# node-2, .13 on node-3), so its half never moves; the odd half goes, by the configuration set its
# client picks for the node it talks to, to a pool whose two IPs are on the other two nodes (mail
# accepted by node-1: pool B1, .21 on node-2 and .22 on node-3; node-2: B2, .23 on node-1 and .24
# on node-3; node-3: B3, .25 on node-1 and .26 on node-2), so every odd message is handed over
# once over a node link: half the mail, each node accepting and delivering about a third.
#
# Reported per setup (medians over R interleaved runs, ceiling, h2-1, pg-1, pg-3 repeated R times):
# messages/s from the first injected message until smtp-sink has all N; the CPU per delivered
# message of the PoolMTA nodes together (each setup's nodes in a cgroup of their own) and,
# separately, of PostgreSQL (the postmaster and every backend, in their own cgroup); the share of
# messages handed over (a message left from an IP of another node than the one that accepted
# it, which its client marks with X-Bench-Via); and the checks of each measurement: every message
# received once (distinct subjects = N) and from an IP of its pool. Ends with a markdown table.
#
# Defaults: N=10000 messages with a 2 KB body per measurement, R=5, C=21 concurrent SMTP sessions
# (7 per node in the cluster), W=40000 warm-up messages per setup in four rounds alternating the
# setups (not measured: the method's 40,000 for each one-node setup, but each cluster node gets
# a third of its setup's, about 13,300, so the cluster's JVMs may still carry some compilation
# into the first runs, which the medians absorb), --dkim 0 (no DKIM signature: RSA-2048 signing
# costs about 1.1 ms a message, the same on one node or three, and would hide what the cluster
# costs; 1 signs every message, node-1's key copied to the other nodes as the README says),
# --timeout 300 s per measurement. Estimated at about 6 minutes on a quiet 2-core machine (start-up
# and set-up about a minute, then 240,000 messages and the ceiling); the script prints how long the
# warm-up and the runs took.
#
# Three nodes on two cores cannot show scale-out: their rate says how much the cluster's extra work
# costs on the same cores, and the CPU per message says what a message costs the cluster (and
# its database) compared with one node.
#
# Environment: POOLMTA_JAVA_OPTS (every PoolMTA node's JVM options), BENCH_GENERATOR_JAVA_OPTS (the
# generator's; by default the serial GC).
#
# Needs root and cgroups (v2, or v1 cpuacct): it installs Debian's postfix for smtp-sink and
# smtp-source when they are missing (debconf "No configuration", no service started). Everything
# it starts is stopped on exit (trap), and the temp dir removed unless --keep.
set -euo pipefail

MESSAGES=10000
SIZE=2048
RUNS=5
CONCURRENCY=21
WARMUP=40000
DKIM=0
TIMEOUT=300
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --messages) MESSAGES="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --concurrency) CONCURRENCY="$2"; shift 2 ;;
    --warmup) WARMUP="$2"; shift 2 ;;
    --dkim) DKIM="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "cluster-cpu: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in MESSAGES SIZE RUNS CONCURRENCY WARMUP TIMEOUT; do
  case "${!v}" in ''|*[!0-9]*) echo "cluster-cpu: $v must be a number" >&2; exit 2 ;; esac
done
[ "$MESSAGES" -ge 4 ] && [ "$CONCURRENCY" -ge 3 ] && [ "$RUNS" -ge 1 ] && [ "$SIZE" -ge 100 ] && [ "$SIZE" -le 5000000 ] \
  || { echo "cluster-cpu: need --messages >= 4, --concurrency >= 3, --runs >= 1, 100 <= --size <= 5000000" >&2; exit 2; }
case "$DKIM" in 0|1) ;; *) echo "cluster-cpu: --dkim is 0 or 1" >&2; exit 2 ;; esac
[ "$(id -u)" -eq 0 ] || { echo "cluster-cpu: run as root (installs postfix's tools, makes cgroups)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NAME=cluster-cpu
source "$REPO/bench/lib/common.sh"

# ---------------------------------------------------------------- what it needs
prepare_tools

WORK="$(mktemp -d /tmp/poolmta-cluster.XXXXXX)"
chmod 755 "$WORK"
SINK_PID=""; SINK_DIR=""; GEN_PID=""; PG_DATA=""
NODE_PIDS=(); CGROUPS=()
cleanup() {
  set +e
  exec 7>&- 8<&-
  if [ -n "$GEN_PID" ]; then kill -TERM "$GEN_PID" 2>/dev/null; wait "$GEN_PID" 2>/dev/null; fi
  for pid in ${NODE_PIDS[@]+"${NODE_PIDS[@]}"}; do stop_pid "$pid"; done
  stop_postgres
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  [ -n "$SINK_DIR" ] && rm -rf "$SINK_DIR"
  for cg in ${CGROUPS[@]+"${CGROUPS[@]}"}; do cgroup_remove "$cg"; done
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
stop_postgres() {  # SIGINT to the postmaster: PostgreSQL's fast shutdown; KILL after 20 s
  [ -n "$PG_DATA" ] && [ -f "$PG_DATA/postmaster.pid" ] || return 0
  local pm
  pm="$(head -1 "$PG_DATA/postmaster.pid")"
  [ -n "$pm" ] && kill -0 "$pm" 2>/dev/null || return 0
  kill -INT "$pm"; for _ in $(seq 1 100); do kill -0 "$pm" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$pm" 2>/dev/null && kill -KILL "$pm"
  return 0
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- a cgroup per setup, and one for PostgreSQL
new_cgroup() {  # SUFFIX: sets CG
  CG="$(cgroup_make "$NAME-$$-$1")"
  [ -n "$CG" ] || die "cannot make a cgroup (needs cgroup v2, or v1 cpuacct): the CPU per message comes from them"
  CGROUPS+=("$CG")
}
new_cgroup h2-1; CG_H2="$CG"; new_cgroup pg-1; CG_PG1="$CG"; new_cgroup pg-3; CG_PG3="$CG"
new_cgroup postgres; CG_DB="$CG"
CPU_METHOD="a cgroup per setup's PoolMTA nodes and one for PostgreSQL ($(cgroup_kind "$CG_DB"))"
log "CPU from $CPU_METHOD"

# javac once, so no measurement pays for compiling
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" \
  bench/src/PoolMtaBench.java bench/src/ClusterBench.java bench/src/BenchPostgres.java

# ---------------------------------------------------------------- smtp-sink, the receiving side (tmpfs, as in e2e-throughput.sh)
free_port; SINK_PORT=$PORT
SINK_DIR="$(mktemp -d /dev/shm/poolmta-cluster-sink.XXXXXX)"; chown postfix "$SINK_DIR"
COUNTER="$SINK_DIR/counter"; DUMP="$SINK_DIR/dump"
smtp-sink -u postfix -c -D "$DUMP" -m 512 "127.0.0.1:$SINK_PORT" 1024 > "$COUNTER" 2>"$SINK_DIR/stderr" &
SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink

# ---------------------------------------------------------------- PostgreSQL, in its own cgroup
# The launcher JVM halts once the server is up (the postmaster is not its child: pg_ctl starts it),
# so the cgroup then holds PostgreSQL's processes alone.
PG_DATA="$WORK/postgresql"
PG_PORT="$( ( cgroup_enter "$CG_DB"
  exec "$JAVA" -XX:+UseSerialGC -cp "target/poolmta.jar:$WORK/classes" BenchPostgres "$PG_DATA" "$WORK/postgresql.log" single cluster ) \
  2> "$WORK/postgresql-launcher.log" )" || { cat "$WORK/postgresql-launcher.log" >&2; die "PostgreSQL did not start"; }
log "$(tail -1 "$WORK/postgresql-launcher.log") (embedded binaries; postmaster pid $(head -1 "$PG_DATA/postmaster.pid"))"
PG_URL="postgresql://127.0.0.1:$PG_PORT"

# ---------------------------------------------------------------- the PoolMTA nodes
# start_node CGROUP DIR NAME [serve options...]: starts it (not waiting); sets SMTP_PORT and API_PORT.
# Nodes that need nothing from each other start together: h2-1, pg-1 and node-1, then node-2 and
# node-3 (they need the cluster key node-1 makes).
start_node() {
  local cg="$1" dir="$2" name="$3"; shift 3
  free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT
  mkdir -p "$dir"
  log "starting $name: ./poolmta serve --data $dir/data --api 127.0.0.1:$API_PORT --smtp 127.0.0.1:$SMTP_PORT $*"
  ( cgroup_enter "$cg"
    exec ./poolmta serve --data "$dir/data" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" "$@" ) > "$dir/serve.log" 2>&1 &
  NODE_PIDS+=($!)
}
wait_node() {  # NAME API_PORT SMTP_PORT [LINK_PORT]
  wait_port "$2" 120 "$1 API"; wait_port "$3" 10 "$1 SMTP"
  [ -z "${4:-}" ] || wait_port "$4" 10 "$1 node link"
}
SERVER_JAVA_OPTS="${POOLMTA_JAVA_OPTS:-}"
PG3_SMTP=(); PG3_API=(); PG3_LINK=()
start_cluster_node() {  # I
  free_port; PG3_LINK[$1]=$PORT
  start_node "$CG_PG3" "$WORK/pg-3/node-$1" "node-$1" --database "$PG_URL/cluster?user=postgres" --node "node-$1" \
    --node-link "127.0.0.1:${PG3_LINK[$1]}"
  PG3_SMTP[$1]=$SMTP_PORT; PG3_API[$1]=$API_PORT
}
start_node "$CG_H2" "$WORK/h2-1" h2-1; H2_SMTP=$SMTP_PORT; H2_API=$API_PORT
start_node "$CG_PG1" "$WORK/pg-1" pg-1 --database "$PG_URL/single?user=postgres" --node single
PG1_SMTP=$SMTP_PORT; PG1_API=$API_PORT
start_cluster_node 1
wait_node h2-1 "$H2_API" "$H2_SMTP"; wait_node pg-1 "$PG1_API" "$PG1_SMTP"
wait_node node-1 "${PG3_API[1]}" "${PG3_SMTP[1]}" "${PG3_LINK[1]}"
[ -f "$WORK/pg-3/node-1/data/tls/cluster.p12" ] || die "node-1 made no cluster key"
for i in 2 3; do   # the cluster key node-1 made, copied as an operator does
  mkdir -p "$WORK/pg-3/node-$i/data/tls"; chmod 700 "$WORK/pg-3/node-$i/data" "$WORK/pg-3/node-$i/data/tls"
  cp -p "$WORK/pg-3/node-1/data/tls/cluster.p12" "$WORK/pg-3/node-$i/data/tls/cluster.p12"
  start_cluster_node "$i"
done
for i in 2 3; do wait_node "node-$i" "${PG3_API[$i]}" "${PG3_SMTP[$i]}" "${PG3_LINK[$i]}"; done
PG3_ADDRESSES="127.0.0.1:${PG3_SMTP[1]},127.0.0.1:${PG3_SMTP[2]},127.0.0.1:${PG3_SMTP[3]}"
unset POOLMTA_JAVA_OPTS

# ---------------------------------------------------------------- the generator: one JVM for the whole run (as in e2e-throughput.sh)
read -r -a GEN_JAVA_OPTS <<< "${BENCH_GENERATOR_JAVA_OPTS:--XX:+UseSerialGC}"
mkfifo "$WORK/generator.commands" "$WORK/generator.statuses"
"$JAVA" "${GEN_JAVA_OPTS[@]}" -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench serve \
  "$WORK/generator.commands" "$WORK/generator.statuses" &
GEN_PID=$!
exec 7<>"$WORK/generator.commands" 8<>"$WORK/generator.statuses"
# bench: one command to it (bench/lib/common.sh)


# ---------------------------------------------------------------- the account, IPs, pools and sets of each setup
json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
SIGNING="$([ "$DKIM" = 1 ] && echo on || echo off)"
# set_up DIR API_URL DATA POOLS SETS IP_ADD...: the operator's and the account's part through one
# node (DATA: its data directory); each IP_ADD is "DATA IP..." (added through the node that holds
# them). POOLS and SETS as PoolMtaBench setup's --pool and --set, space-separated. Sets SMTP_USER, SMTP_PASS.
set_up() {
  local dir="$1" api="$2" d=(--data "$3") pools="$4" sets="$5" key secret spec args=() p
  shift 5
  ./poolmta account create bench "${d[@]}" > "$dir/account.json"
  ./poolmta account production-access bench --max-24h -1 --max-rate -1 "${d[@]}" >/dev/null
  for spec in "$@"; do
    read -r -a p <<< "$spec"
    ./poolmta ip add "${p[@]:1}" --account bench --data "${p[0]}" >/dev/null
  done
  ./poolmta route set bench.test "127.0.0.1:$SINK_PORT" "${d[@]}" >/dev/null
  ./poolmta smtp-credentials create --account bench "${d[@]}" > "$dir/smtp.json"
  key="$(json AccessKeyId "$dir/account.json")"; secret="$(json SecretAccessKey "$dir/account.json")"
  SMTP_USER="$(json Username "$dir/smtp.json")"; SMTP_PASS="$(json Password "$dir/smtp.json")"
  for spec in $pools; do args+=(--pool "$spec"); done
  for spec in $sets; do args+=(--set "$spec"); done
  bench setup --api "$api" --key "$key" --secret "$secret" "${args[@]}" \
    --identity bench-sender.test --dkim-signing "$SIGNING"
  ./poolmta identity verify bench-sender.test --account bench "${d[@]}" >/dev/null   # the operator vouches
}
POOL_A=127.0.0.11,127.0.0.12; POOL_B=127.0.0.21,127.0.0.22
ONE_NODE_POOLS="pool-a=$POOL_A pool-b=$POOL_B"; ONE_NODE_SETS="set-a=pool-a set-b=pool-b"
log "setting up h2-1"
set_up "$WORK/h2-1" "http://127.0.0.1:$H2_API" "$WORK/h2-1/data" "$ONE_NODE_POOLS" "$ONE_NODE_SETS" \
  "$WORK/h2-1/data 127.0.0.11 127.0.0.12 127.0.0.21 127.0.0.22"
H2_USER="$SMTP_USER"; H2_PASS="$SMTP_PASS"
log "setting up pg-1"
set_up "$WORK/pg-1" "http://127.0.0.1:$PG1_API" "$WORK/pg-1/data" "$ONE_NODE_POOLS" "$ONE_NODE_SETS" \
  "$WORK/pg-1/data 127.0.0.11 127.0.0.12 127.0.0.21 127.0.0.22"
PG1_USER="$SMTP_USER"; PG1_PASS="$SMTP_PASS"
# the cluster: pool A has one IP on each node; pool Bk (the odd mail node-k accepts) has its IPs on the other two
N1="$WORK/pg-3/node-1/data"; N2="$WORK/pg-3/node-2/data"; N3="$WORK/pg-3/node-3/data"
NODE1_IPS=127.0.0.11,127.0.0.23,127.0.0.25; NODE2_IPS=127.0.0.12,127.0.0.21,127.0.0.26; NODE3_IPS=127.0.0.13,127.0.0.22,127.0.0.24
C_POOL_A=127.0.0.11,127.0.0.12,127.0.0.13
C_POOL_B1=127.0.0.21,127.0.0.22; C_POOL_B2=127.0.0.23,127.0.0.24; C_POOL_B3=127.0.0.25,127.0.0.26
log "setting up pg-3 (through node-1; each IP added through the node that holds it)"
set_up "$WORK/pg-3" "http://127.0.0.1:${PG3_API[1]}" "$N1" \
  "pool-a=$C_POOL_A pool-b1=$C_POOL_B1 pool-b2=$C_POOL_B2 pool-b3=$C_POOL_B3" \
  "set-a=pool-a set-b1=pool-b1 set-b2=pool-b2 set-b3=pool-b3" \
  "$N1 ${NODE1_IPS//,/ }" "$N2 ${NODE2_IPS//,/ }" "$N3 ${NODE3_IPS//,/ }"
PG3_USER="$SMTP_USER"; PG3_PASS="$SMTP_PASS"
sleep 2   # the other nodes hear of the changes (the DKIM key too, sealed in the database) within a second
log "the cluster's IPs: $(./poolmta ip list --data "$N3" | tr -s ' ' | tr '\n' ';')"

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

measure() {  # LABEL RUN N RESULTS_FILE
  local label="$1" run="$2" n="$3" results="$4" from to
  settle
  from="$(dump_size)"
  local common=(measure --label "$label" --run "$run" --messages "$n" --sink-counter "$COUNTER" --sink-pid "$SINK_PID"
                --size "$SIZE" --timeout "$TIMEOUT" --results "$results" --db-cgroup "$CG_DB")
  case "$label" in
    ceiling) bench "${common[@]}" exec \
               "smtp-source -d -s $CONCURRENCY -m $n -l $SIZE -f sender@bench-sender.test -t user@bench.test 127.0.0.1:$SINK_PORT" ;;
    h2-1) bench "${common[@]}" --cpu-cgroup "$CG_H2" \
            smtp "127.0.0.1:$H2_SMTP" "$H2_USER" "$H2_PASS" "$CONCURRENCY" set-a,set-b 0 1 ;;
    pg-1) bench "${common[@]}" --cpu-cgroup "$CG_PG1" \
            smtp "127.0.0.1:$PG1_SMTP" "$PG1_USER" "$PG1_PASS" "$CONCURRENCY" set-a,set-b 0 1 ;;
    pg-3) bench "${common[@]}" --cpu-cgroup "$CG_PG3" \
            smtp "$PG3_ADDRESSES" "$PG3_USER" "$PG3_PASS" "$CONCURRENCY" "set-a,set-b1/set-a,set-b2/set-a,set-b3" 0 1 ;;
  esac
  settle
  to="$(dump_size)"
  case "$label" in
    ceiling) bench verify --label "$label" --dump "$DUMP" --from "$from" --to "$to" ;;
    pg-3) bench verify --label "$label" --dump "$DUMP" --from "$from" --to "$to" --results "$results" --expect "$n" \
            --pool-even "$C_POOL_A" --pool-odd "$C_POOL_B1,$C_POOL_B2,$C_POOL_B3" \
            --via-odd "1=$C_POOL_B1" --via-odd "2=$C_POOL_B2" --via-odd "3=$C_POOL_B3" \
            --node-ips "1=$NODE1_IPS" --node-ips "2=$NODE2_IPS" --node-ips "3=$NODE3_IPS" ;;
    *) bench verify --label "$label" --dump "$DUMP" --from "$from" --to "$to" --results "$results" --expect "$n" \
         --pool-even "$POOL_A" --pool-odd "$POOL_B" ;;
  esac
  : > "$DUMP"   # checked: keep tmpfs small
}

SETUPS=(h2-1 pg-1 pg-3)
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
START="$(date -u '+%Y-%m-%d %H:%M UTC')"
T0=$SECONDS
if [ "$WARMUP" -gt 0 ]; then
  # in rounds that alternate the setups as the measured runs do (see e2e-throughput.sh)
  ROUNDS=$(( WARMUP >= 4 ? 4 : 1 ))
  log "warm-up: $WARMUP messages through each setup in $ROUNDS alternating rounds (not measured; pg-3's nodes a third each)"
  for round in $(seq 1 "$ROUNDS"); do
    n=$(( WARMUP / ROUNDS + (round <= WARMUP % ROUNDS ? 1 : 0) ))
    for label in "${SETUPS[@]}"; do measure "$label" 0 "$n" "$WARM_RESULTS"; done
  done
fi
for run in $(seq 1 "$RUNS"); do
  log "run $run of $RUNS: $MESSAGES messages of $SIZE bytes per setup, $CONCURRENCY SMTP sessions"
  for label in ceiling "${SETUPS[@]}"; do measure "$label" "$run" "$MESSAGES" "$RESULTS"; done
done
LOAD_AFTER="$(cut -d' ' -f1-3 /proc/loadavg)"
ELAPSED="$(( SECONDS - T0 ))"

# ---------------------------------------------------------------- report
CHECKED="$(wc -l < "$RESULTS.verify" 2>/dev/null || echo 0)"
GOOD="$(awk -F'\t' '$2 == "pools OK" && $3 == 0 && $4 == 0' "$RESULTS.verify" 2>/dev/null | wc -l)"
COMMIT="$(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?')"
git -C "$REPO" diff --quiet HEAD -- 2>/dev/null || COMMIT="$COMMIT + uncommitted changes"
DKIM_NOTE="no DKIM signature (--dkim 0)"
[ "$DKIM" = 1 ] && DKIM_NOTE="every message DKIM-signed (RSA-2048; the key copied to every node)"
PG_VERSION="$(sed -n 's/.*PostgreSQL \([0-9][0-9.]*\) on .*/\1/p' "$WORK/postgresql.log" | head -1)"
cat <<EOF

## One node and three, $START

- Command: \`${BENCH_GENERATOR_JAVA_OPTS:+BENCH_GENERATOR_JAVA_OPTS='$BENCH_GENERATOR_JAVA_OPTS' }bench/cluster-cpu.sh --messages $MESSAGES --size $SIZE --runs $RUNS --concurrency $CONCURRENCY --warmup $WARMUP --dkim $DKIM\`, commit \`$COMMIT\`; warm-up and runs took $((ELAPSED / 60)) min $((ELAPSED % 60)) s
- Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')), $(free -g | awk '/^Mem:/ {print $2}') GiB RAM, $(df -T "$WORK" | awk 'NR==2 {print $2}') disk; JDK $("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.runtime.version = //p'); PostgreSQL ${PG_VERSION:-?} (the embedded binaries, fsync on); load average before $LOAD_BEFORE, after $LOAD_AFTER
- Load: $MESSAGES messages with a $SIZE-byte body per measurement, $CONCURRENCY SMTP sessions (STARTTLS, AUTH PLAIN, one connection each; to the cluster's nodes in turn), $DKIM_NOTE; half through a pool with an IP on every node, half (in the cluster) through a pool whose IPs are on the two nodes that did not accept the message; $WARMUP warm-up messages per setup first (a third to each cluster node); rate = messages / (first injection → smtp-sink has all of them); medians of $RUNS interleaved runs
- Checks (every message received once, from an IP of its pool): $GOOD of $CHECKED measurements OK${SERVER_JAVA_OPTS:+; PoolMTA JVM options: $SERVER_JAVA_OPTS}

$("$JAVA" -XX:+UseSerialGC -cp "target/poolmta.jar:$WORK/classes" ClusterBench --results "$RESULTS")

PoolMTA CPU: every node of the setup (one cgroup per setup); PostgreSQL CPU: the postmaster and its backends (their own cgroup); both during a measurement, per delivered message, from $CPU_METHOD. Together: the two added (H2: the node alone, PostgreSQL then only serving the other setups' idle nodes). Handed over: messages that left from an IP of another node than the one that accepted them.
EOF

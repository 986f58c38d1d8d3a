# Shared by the scripts in bench/ (sourced; not run). The caller sets NAME
# (its name in messages) and, before using the Postfix helpers, WORK (its temp dir).

log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { echo "$NAME: $*" >&2; exit 1; }

# Installs Debian's postfix (smtp-sink, smtp-source, postfix) when a tool is missing, with debconf
# "No configuration" and without starting any service.
ensure_postfix_tools() {
  command -v smtp-sink >/dev/null && command -v smtp-source >/dev/null && command -v postfix >/dev/null && return 0
  log "installing postfix (debconf: No configuration; no service is started)"
  echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
  local made_policy=0 apt_ok=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then   # keep invoke-rc.d from starting anything during the install
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; chmod 755 /usr/sbin/policy-rc.d; made_policy=1
  fi
  export DEBIAN_FRONTEND=noninteractive
  for _ in 1 2; do
    if apt-get install -y -q -o DPkg::Lock::Timeout=300 --no-install-recommends postfix >/dev/null; then apt_ok=1; break; fi
    apt-get update -q >/dev/null || true
  done
  if [ "$made_policy" = 1 ]; then rm -f /usr/sbin/policy-rc.d; trap - EXIT; fi
  [ "$apt_ok" = 1 ] || die "apt-get install postfix failed"
}

# What every benchmark needs before it starts anything: Postfix's tools, Java 25 (sets JAVA_HOME and
# JAVA) and target/poolmta.jar, built when the sources are newer. Run from the repository root.
prepare_tools() {
  ensure_postfix_tools
  source "$REPO/.ci/find-java"
  JAVA="$JAVA_HOME/bin/java"
  log "building PoolMTA if needed"
  POOLMTA_JAVA_OPTS= ./poolmta --version >/dev/null
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
  die "no free port"
}
wait_port() {  # PORT SECONDS WHAT
  for _ in $(seq 1 $(( $2 * 10 ))); do listening "$1" && return 0; sleep 0.1; done
  die "$3 is not listening on 127.0.0.1:$1 after $2 s"
}

stop_pid() {  # PID: TERM, up to 20 s for it to go, then KILL
  [ -n "$1" ] && kill -0 "$1" 2>/dev/null || return 0
  kill -TERM "$1"; for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || break; sleep 0.2; done
  kill -0 "$1" 2>/dev/null && kill -KILL "$1"
  return 0
}

# A throwaway Postfix in $WORK/postfix, listening on 127.0.0.1:PF_PORT and relaying to smtp-sink on
# 127.0.0.1:SINK_PORT: Debian defaults, except its own directories, loopback only, no local
# delivery, and IP pools the standard Postfix way (one smtp transport per source IP with
# smtp_bind_address, chosen by sender_dependent_default_transport_maps). Each TRANSPORT is
# "name sender bind-ip", e.g. "pool_a1 a1@pool-a.bench-sender.test 127.0.0.11". Sets PF_ETC.
start_postfix() {  # PF_PORT SINK_PORT TRANSPORT...
  local pf_port=$1 sink_port=$2; shift 2
  local pf="$WORK/postfix" senders="" transports="" name sender ip
  PF_ETC="$pf/etc"
  mkdir -p "$PF_ETC" "$pf/queue" "$pf/data"; chown postfix:postfix "$pf/data"
  for t in "$@"; do
    read -r name sender ip <<< "$t"
    senders="$senders${senders:+,
}  { $sender = $name:[127.0.0.1]:$sink_port }"
    transports="$transports$name    unix  - - n -  - smtp -o smtp_bind_address=$ip -o smtp_helo_name=${name//_/-}.bench
"
  done
  cat > "$PF_ETC/main.cf" <<CONF
# Throwaway Postfix for bench/$NAME.sh (bench/lib/common.sh, start_postfix).
compatibility_level = 3.6
queue_directory = $pf/queue
data_directory = $pf/data
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
maillog_file_prefixes = $pf
maillog_file = $pf/maillog
default_transport = error:5.7.1 only the benchmark senders are routed
sender_dependent_default_transport_maps = inline:{
$senders }
CONF
  cat > "$PF_ETC/master.cf" <<CONF
127.0.0.1:$pf_port inet n - n - - smtpd
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
$transports
CONF
  log "starting Postfix $(postconf -d -h mail_version) on 127.0.0.1:$pf_port (config $PF_ETC)"
  postfix -c "$PF_ETC" check >/dev/null 2>&1 || true   # creates the queue directories
  postfix -c "$PF_ETC" start >/dev/null 2>&1 || { tail -5 "$pf/maillog" >&2; die "Postfix did not start"; }
  wait_port "$pf_port" 30 Postfix
}

stop_postfix() {  # the one start_postfix started, if any
  [ -n "${PF_ETC:-}" ] || return 0
  local master
  master="$(cat "$WORK/postfix/queue/pid/master.pid" 2>/dev/null | tr -d ' ')"
  postfix -c "$PF_ETC" stop >/dev/null 2>&1
  for _ in $(seq 1 50); do [ -n "$master" ] && kill -0 "$master" 2>/dev/null || break; sleep 0.2; done
  [ -n "$master" ] && kill -0 "$master" 2>/dev/null && kill -KILL "$master"
  return 0
}

# A cgroup per process tree, for its CPU time (cgroup v2 cpu.stat usage_usec, else v1
# cpuacct.usage): every process started inside counts, however short-lived.
cgroup_make() {  # NAME: prints the new cgroup's directory, or nothing when none can be made
  local base=""
  if [ -f /sys/fs/cgroup/cgroup.controllers ]; then base=/sys/fs/cgroup            # v2 only
  elif [ -f /sys/fs/cgroup/cpuacct/cpuacct.usage ]; then base=/sys/fs/cgroup/cpuacct  # v1
  elif [ -f /sys/fs/cgroup/cpu,cpuacct/cpuacct.usage ]; then base=/sys/fs/cgroup/cpu,cpuacct
  fi
  [ -n "$base" ] && mkdir "$base/$1" 2>/dev/null \
    && { [ -f "$base/$1/cpu.stat" ] || [ -f "$base/$1/cpuacct.usage" ]; } && echo "$base/$1"
  return 0
}
cgroup_kind() {  # DIR: which counter it has
  if [ -f "$1/cpu.stat" ]; then echo "cgroup v2, cpu.stat usage_usec"; else echo "cgroup v1, cpuacct.usage"; fi
}
cgroup_enter() {  # DIR: moves the calling (sub)shell into it; nothing when DIR is empty
  [ -z "$1" ] || echo "$BASHPID" > "$1/cgroup.procs"
}
cgroup_remove() {  # DIR: removes it once its processes are gone (they are by then: waits up to 5 s)
  [ -n "$1" ] && [ -d "$1" ] || return 0
  for _ in $(seq 1 25); do rmdir "$1" 2>/dev/null && return 0; sleep 0.2; done
  log "could not remove the cgroup $1 (processes still in it: $(tr '\n' ' ' < "$1/cgroup.procs"))"
}
# A cgroup for each MTA of a comparison: sets CG_POSTFIX and CG_POOLMTA (both empty when either
# cannot be made; then the MTA's process tree is counted from /proc) and CPU_METHOD, which says so.
mta_cgroups() {
  CG_POSTFIX="$(cgroup_make "$NAME-$$-postfix")"; CG_POOLMTA="$(cgroup_make "$NAME-$$-poolmta")"
  if [ -n "$CG_POSTFIX" ] && [ -n "$CG_POOLMTA" ]; then
    CPU_METHOD="each MTA's own cgroup ($(cgroup_kind "$CG_POOLMTA"))"
  else
    cgroup_remove "$CG_POSTFIX"; cgroup_remove "$CG_POOLMTA"; CG_POSTFIX=""; CG_POOLMTA=""
    CPU_METHOD="/proc (no cgroup could be made: the MTA's process and its children, reaped ones included)"
  fi
  log "MTA CPU from $CPU_METHOD"
}

# One command to the Java load generator (PoolMtaBench serve), which the caller started with its
# pid in GEN_PID, reading commands from fd 7 and writing each one's exit status as a line to fd 8.
# Fails when the command failed. The read times out every 2 s, so that a trapped INT or TERM is
# acted on and a dead generator noticed; a timeout can fall between a status and its newline, and
# what it read is kept.
bench() {  # WORD...: the command, its words sent tab-separated
  local rc="" part
  (IFS=$'\t'; printf '%s\n' "$*") >&7
  until read -r -t 2 part <&8; do
    rc+=$part
    kill -0 "$GEN_PID" 2>/dev/null || { echo "$NAME: the Java generator stopped" >&2; return 1; }
  done
  rc+=$part
  return "$rc"
}

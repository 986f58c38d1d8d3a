#!/usr/bin/env bash
# Disk full, for real: PoolMTA's whole data directory (spool, database, event log) on a small tmpfs
# that fills up under load, with a slow receiver; then space comes back as mail drains.
#
#   bench/disk-full.sh                 # defaults: --disk-mb 40 --messages 1200 --size 51200 --clients 8 --spool-min-free-mb 0
#   bench/disk-full.sh --disk-mb 120 --messages 2400 --spool-min-free-mb 64   # with the spool's disk reserve
#   bench/disk-full.sh --help
#
# What it checks (exit status 1 when any fails), and prints as a markdown report:
#   - while the disk is full, SendEmail answers 429 (TooManyRequestsException) and SMTP 451 4.7.0,
#     nothing else: the load generator retries only 429 and counts every answer it got
#   - every message the API acknowledged reaches the receiver, once (smtp-sink's dump: distinct
#     subjects, duplicates), and the generator finishes: service comes back by itself as the spool
#     drains and its segments are deleted
#   - every delivered message has its Delivery event in events/events.jsonl (events that could not
#     be written while the disk was full are held and written later)
#   - SMTP submission accepts mail again afterwards
#   - the server log stays short: a spell of refused writes is one WARN plus a summary per 10 s
# With --spool-min-free-mb 0 (the default here; the server's own default is 64) the spool itself
# runs into ENOSPC. With a reserve, the spool refuses before the disk is full; the script then also
# kills the server with SIGKILL while it refuses and restarts it on that disk: it must come up
# (a server on a full disk cannot: its database cannot write) and the queue must drain.
# The receiver is Postfix's smtp-sink with -w 1 (one second before it answers DATA): with 10
# connections per source IP and two IPs, PoolMTA delivers about 20 messages/s, far slower than the
# clients send, so the spool fills the disk within a second or two.
#
# As root (mounts a tmpfs; installs Debian's postfix for smtp-sink when missing, like the other
# benchmarks). Only 127.0.0.x. Takes about 1-2 minutes with the defaults. --keep keeps the temp dir.
set -euo pipefail

DISK_MB=40
MESSAGES=1200
SIZE=51200
CLIENTS=8
MIN_FREE=0
TIMEOUT=600
KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --disk-mb) DISK_MB="$2"; shift 2 ;;
    --messages) MESSAGES="$2"; shift 2 ;;
    --size) SIZE="$2"; shift 2 ;;
    --clients) CLIENTS="$2"; shift 2 ;;
    --spool-min-free-mb) MIN_FREE="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "disk-full: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in DISK_MB MESSAGES SIZE CLIENTS MIN_FREE TIMEOUT; do
  case "${!v}" in ''|*[!0-9]*) echo "disk-full: $v must be a number" >&2; exit 2 ;; esac
done
[ "$DISK_MB" -ge 16 ] || { echo "disk-full: --disk-mb must be at least 16 (the database and certificates need room)" >&2; exit 2; }
[ $(( MESSAGES * SIZE / 1048576 )) -gt $(( DISK_MB - MIN_FREE )) ] \
  || { echo "disk-full: --messages x --size must exceed --disk-mb minus the reserve, or the disk never fills" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "disk-full: run as root (mounts a tmpfs)" >&2; exit 2; }

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NAME=disk-full
source "$REPO/bench/lib/common.sh"
prepare_tools

WORK="$(mktemp -d /tmp/poolmta-disk-full.XXXXXX)"
chmod 755 "$WORK"
DISK="$WORK/disk"; mkdir -p "$DISK"
SINK_PID=""; PROBE_SINK_PID=""; PM_PID=""; GEN_PID=""; MOUNTED=0
cleanup() {
  set +e
  [ -n "$GEN_PID" ] && kill "$GEN_PID" 2>/dev/null
  stop_pid "$PM_PID"
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null
  [ -n "$PROBE_SINK_PID" ] && kill "$PROBE_SINK_PID" 2>/dev/null
  wait 2>/dev/null
  [ "$MOUNTED" = 1 ] && umount "$DISK"
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

mount -t tmpfs -o "size=${DISK_MB}m,mode=0755" tmpfs "$DISK"; MOUNTED=1
mkdir -p "$WORK/classes"
"$JAVA_HOME/bin/javac" -nowarn -cp target/poolmta.jar -d "$WORK/classes" bench/src/PoolMtaBench.java
bench() { "$JAVA" -XX:+UseSerialGC -cp "target/poolmta.jar:$WORK/classes" PoolMtaBench "$@"; }

# two receivers: the slow one gets the load, a fast one the SMTP probes (so they do not count)
SINK_DIR="$WORK/sink"; mkdir -p "$SINK_DIR"; chown postfix "$SINK_DIR"
free_port; SINK_PORT=$PORT; free_port; PROBE_PORT=$PORT; free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT
smtp-sink -u postfix -c -w 1 -D "$SINK_DIR/dump" -m 512 "127.0.0.1:$SINK_PORT" 1024 > "$SINK_DIR/counter" 2>"$SINK_DIR/stderr" &
SINK_PID=$!
smtp-sink -u postfix -c -D "$SINK_DIR/probe-dump" "127.0.0.1:$PROBE_PORT" 64 > "$SINK_DIR/probe-counter" 2>/dev/null &
PROBE_SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink; wait_port "$PROBE_PORT" 10 smtp-sink

DATA="$DISK/data"
SERVE=(./poolmta serve --data "$DATA" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" --spool-min-free-mb "$MIN_FREE")
log "starting PoolMTA on a ${DISK_MB} MB tmpfs: ${SERVE[*]}"
"${SERVE[@]}" > "$WORK/serve.log" 2>&1 &
PM_PID=$!
wait_port "$API_PORT" 60 "PoolMTA API"; wait_port "$SMTP_PORT" 10 "PoolMTA SMTP"
D=(--data "$DATA")
json() { sed -n "s/.*\"$1\" *: *\"\\([^\"]*\\)\".*/\\1/p" "$2" | head -1; }
./poolmta account create bench "${D[@]}" > "$WORK/account.json"
./poolmta account production-access bench --max-24h -1 --max-rate -1 "${D[@]}" >/dev/null
./poolmta ip add 127.0.0.11 127.0.0.12 --account bench "${D[@]}" >/dev/null
./poolmta route set bench.test "127.0.0.1:$SINK_PORT" "${D[@]}" >/dev/null
./poolmta route set probe.test "127.0.0.1:$PROBE_PORT" "${D[@]}" >/dev/null
./poolmta smtp-credentials create --account bench "${D[@]}" > "$WORK/smtp.json"
KEY="$(json AccessKeyId "$WORK/account.json")"; SECRET="$(json SecretAccessKey "$WORK/account.json")"
SMTP_USER="$(json Username "$WORK/smtp.json")"; SMTP_PASS="$(json Password "$WORK/smtp.json")"
bench setup --api "http://127.0.0.1:$API_PORT" --key "$KEY" --secret "$SECRET" \
  --pool pool-a=127.0.0.11,127.0.0.12 --set set-a=pool-a --identity bench-sender.test >&2
./poolmta identity verify bench-sender.test --account bench "${D[@]}" >/dev/null   # the operator vouches

# one SMTP submission to probe.test; prints the server's final reply code and text
probe() {
  python3 - "$SMTP_PORT" "$SMTP_USER" "$SMTP_PASS" "$1" "$SIZE" <<'PY'
import smtplib, ssl, sys
port, user, password, subject = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
size = int(sys.argv[5])
body = "".join("probe line %06d %s\r\n" % (i, "x" * 60) for i in range(max(1, size // 80)))
msg = "From: <probe@bench-sender.test>\r\nTo: <u@probe.test>\r\nSubject: %s\r\nX-SES-CONFIGURATION-SET: set-a\r\n\r\n%s" % (subject, body)
try:
    s = smtplib.SMTP("127.0.0.1", port, timeout=30)
    s.starttls(context=ssl._create_unverified_context())  # PoolMTA's self-signed certificate
    s.login(user, password)
    s.sendmail("probe@bench-sender.test", ["u@probe.test"], msg)
    print("250 accepted")
    s.quit()
except smtplib.SMTPResponseException as e:
    print(e.smtp_code, e.smtp_error.decode(errors="replace"))
except smtplib.SMTPRecipientsRefused as e:
    code, text = list(e.recipients.values())[0]
    print(code, text.decode(errors="replace"))
except smtplib.SMTPException as e:
    print("error", e)
PY
}
sink_count() { tail -c 512 "$1" | tr '\r' '\n' | sed -n 's/.*mesg=\([0-9]*\).*/\1/p' | tail -1; }
used_pct() { df --output=pcent "$DISK" | tail -1 | tr -dc 0-9; }

# ---------------------------------------------------------------- the load
log "sending $MESSAGES messages of $SIZE bytes through SendEmail ($CLIENTS clients; the generator retries 429s)"
T0=$(date +%s.%N)
bench measure --label disk-full --run 1 --messages "$MESSAGES" --sink-counter "$SINK_DIR/counter" --size "$SIZE" \
  --timeout "$TIMEOUT" api "http://127.0.0.1:$API_PORT" "$KEY" "$SECRET" "$CLIENTS" set-a > "$WORK/generator.out" 2>&1 &
GEN_PID=$!

FULL_AT=""; for _ in $(seq 1 600); do
  if grep -q "spool write failed\|spool's disk reserve failed" "$WORK/serve.log"; then FULL_AT=$(date +%s.%N); break; fi
  kill -0 "$GEN_PID" 2>/dev/null || break
  sleep 0.1
done
[ -n "$FULL_AT" ] || die "the spool never failed a write: the disk did not fill (see $WORK/serve.log)"
log "the spool refused its first write $(printf %.1f "$(echo "$FULL_AT - $T0" | bc)") s after the start; disk $(used_pct)% used"
# SMTP probes of the same size while the API is being refused, until one is refused too (space
# comes and goes: a refused batch is cut off the segment again, so a probe can fit in between)
PROBES_ACCEPTED=0; PROBE_FULL=""; PROBE_REPLIES=""
for i in $(seq 1 20); do
  reply="$(probe "probe while full $i")"
  PROBE_REPLIES="$PROBE_REPLIES${PROBE_REPLIES:+; }${reply:0:3}"
  case "$reply" in 250*) PROBES_ACCEPTED=$((PROBES_ACCEPTED + 1)) ;; *) PROBE_FULL="$reply"; break ;; esac
  sleep 0.3
done
log "SMTP probes while the disk is full: $PROBE_REPLIES (last: ${PROBE_FULL:-accepted})"

RESTART=""
if [ "$MIN_FREE" -gt 0 ]; then
  # while it refuses: SIGKILL, and a restart on the same, nearly full disk
  kill -KILL "$PM_PID"; wait "$PM_PID" 2>/dev/null || true
  R0=$(date +%s.%N)
  "${SERVE[@]}" >> "$WORK/serve.log" 2>&1 &
  PM_PID=$!
  for _ in $(seq 1 600); do listening "$API_PORT" && break; kill -0 "$PM_PID" 2>/dev/null || break; sleep 0.1; done
  if listening "$API_PORT"; then RESTART="up $(printf %.1f "$(echo "$(date +%s.%N) - $R0" | bc)") s after the restart"
  else RESTART="DID NOT COME UP"; fi
  log "killed with SIGKILL while refusing, restarted: $RESTART; disk $(used_pct)% used"
fi

wait "$GEN_PID" || true; GEN_PID=""
T1=$(date +%s.%N)
GEN_LINE="$(grep '^disk-full' "$WORK/generator.out" | tail -1)"
log "generator: $GEN_LINE"
sleep 2   # the last Delivery events
PROBE_AFTER="$(probe "probe after")"
log "SMTP probe afterwards: $PROBE_AFTER"
case "$PROBE_AFTER" in 250*) PROBES_ACCEPTED=$((PROBES_ACCEPTED + 1)) ;; esac
for _ in $(seq 1 100); do [ "$(sink_count "$SINK_DIR/probe-counter")" = "$PROBES_ACCEPTED" ] && break; sleep 0.2; done

# ---------------------------------------------------------------- the checks
DELIVERED="$(sink_count "$SINK_DIR/counter")"
VERIFY="$(bench verify --label disk-full --dump "$SINK_DIR/dump" --from 0 --to "$(stat -c %s "$SINK_DIR/dump")")"
DISTINCT="$(sed -n 's/.*distinct subjects \([0-9]*\).*/\1/p' <<< "$VERIFY")"
DUPS="$(sed -n 's/.*DUPLICATES \([0-9]*\).*/\1/p' <<< "$VERIFY")"; DUPS="${DUPS:-0}"
EVENTS="$DATA/events/events.jsonl"
DELIVERY_EVENTS="$(grep -c '"eventType":"Delivery"' "$EVENTS" || true)"
DELIVERY_IDS="$(grep '"eventType":"Delivery"' "$EVENTS" | sed -n 's/.*"messageId":"\([^"]*\)".*/\1/p' | sort -u | wc -l)"
RETRIES="$(sed -n 's/.*retries [0-9]* (\([^)]*\)).*/\1/p' <<< "$GEN_LINE")"
FAILURES="$(sed -n 's/.*failures \([0-9]*\).*/\1/p' <<< "$GEN_LINE")"
SPOOL_LOG_LINES="$(grep -c "spool write\|spool's disk reserve" "$WORK/serve.log" || true)"
EVENT_LOG_LINES="$(grep -c 'appending to' "$WORK/serve.log" || true)"
LOG_LINES="$(wc -l < "$WORK/serve.log")"
PROBES_DELIVERED="$(sink_count "$SINK_DIR/probe-counter")"

ok=1; verdicts=()
check() { if eval "$2"; then verdicts+=("- OK: $1"); else verdicts+=("- **FAILED**: $1"); ok=0; fi; }
check "the generator finished: all $MESSAGES acknowledged and received (no failures)" \
  "! grep -q INCOMPLETE \"$WORK/generator.out\" && [ \"\${FAILURES:-1}\" = 0 ] && [ \"\${DELIVERED:-0}\" -ge $MESSAGES ]"
ALLOWED='^HTTP 429: [0-9]*$'; [ -n "$RESTART" ] && ALLOWED='^\(HTTP 429\|connection\): [0-9]*$'   # the restart drops connections
check "while full, the API refused with HTTP 429 only${RESTART:+ (and connections dropped by the kill)} (retried: ${RETRIES:-none})" \
  "[ -n \"\$RETRIES\" ] && ! grep -q -v \"\$ALLOWED\" <<< \"\$(tr ',' '\\n' <<< \"\$RETRIES\" | sed 's/^ //')\""
check "while full, SMTP refused with 451 4.7.0 (probes of $SIZE bytes: $PROBE_REPLIES; ${PROBE_FULL:-never refused})" \
  "grep -q '^451 4.7.0' <<< \"\$PROBE_FULL\""
MAX_DUPS=0; [ -n "$RESTART" ] && MAX_DUPS=20   # a SIGKILL may repeat what was in flight: 2 IPs x 10 connections
check "every acknowledged message arrived ($DISTINCT distinct of $DELIVERED received; $DUPS duplicates, at most $MAX_DUPS allowed)" \
  "[ \"\${DISTINCT:-0}\" = $MESSAGES ] && [ \"\$DUPS\" -le $MAX_DUPS ]"
[ -n "$RESTART" ] && check "the server came up again on the nearly full disk ($RESTART)" "[ \"\$RESTART\" != 'DID NOT COME UP' ]"
check "a Delivery event for every delivered message ($DELIVERY_IDS distinct message ids in $DELIVERY_EVENTS Delivery events)" \
  "[ \"\$DELIVERY_IDS\" -ge $MESSAGES ]"
check "SMTP accepts again afterwards ($PROBE_AFTER), and every accepted probe arrived ($PROBES_ACCEPTED accepted, ${PROBES_DELIVERED:-0} received)" \
  "grep -q '^250' <<< \"\$PROBE_AFTER\" && [ \"\${PROBES_DELIVERED:-0}\" = \"\$PROBES_ACCEPTED\" ]"
check "the server log stayed short: $SPOOL_LOG_LINES lines about spool writes or its reserve, $EVENT_LOG_LINES about event files, $LOG_LINES in all" \
  "[ \"\$SPOOL_LOG_LINES\" -le 40 ]"

cat <<EOF

## Disk full, $(date -u '+%Y-%m-%d %H:%M') UTC

- Command: \`bench/disk-full.sh --disk-mb $DISK_MB --messages $MESSAGES --size $SIZE --clients $CLIENTS --spool-min-free-mb $MIN_FREE\` (commit \`$(git rev-parse --short HEAD)$(git diff --quiet HEAD -- src bench || echo ', with local changes')\`)
- PoolMTA's data directory on a ${DISK_MB} MB tmpfs, spool reserve ${MIN_FREE} MiB${RESTART:+ (SIGKILL and restart while refusing: $RESTART)}; $MESSAGES SendEmail requests of $SIZE bytes from $CLIENTS clients (429 retried after 50 ms); receiver smtp-sink -w 1 (about 20 deliveries/s over 2 IPs x 10 connections)
- First refused spool write $(printf %.1f "$(echo "$FULL_AT - $T0" | bc)") s after the start; the generator done $(printf %.1f "$(echo "$T1 - $T0" | bc)") s after the start
- Generator: $(sed 's/^disk-full *run 1: //' <<< "$GEN_LINE")

$(printf '%s\n' "${verdicts[@]}")
EOF
[ "$ok" = 1 ]

#!/usr/bin/env bash
# Connection burst: N SMTP connections opened at the same moment against PoolMTA's submission port
# and against a throwaway Postfix, on loopback. Each client connects, reads the first reply line
# (the 220 greeting, or a 421 refusal), sends QUIT and closes. Reported per MTA and scenario:
# connections answered per second (N / time from the burst's start until the last first line),
# how many got 220, 421 or nothing within the timeout, and the time from the burst's start to each
# connection's first line (median, p99, max).
#
#   bench/connection-burst.sh [--connections N] [--rounds R] [--timeout S] [--keep]
#
# Scenarios: "3 addresses" spreads the N connections over 127.0.0.1-3 (each under PoolMTA's default
# per-address limit of 100 when N <= 300); "1 address" sends all from 127.0.0.1 (PoolMTA answers
# what is beyond 100 with 421 4.7.0; Postfix exempts $mynetworks from its per-client limits). Rounds
# alternate between the MTAs. The clients are Python threads (one per connection, started and
# waiting before the burst; the clock starts when they are released).
#
# Needs root (apt-get install postfix when smtp-sink is missing; Postfix's master runs as root).
# Postfix and PoolMTA are stopped on exit; the temp dir is removed unless --keep.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
NAME=connection-burst
source "$REPO/bench/lib/common.sh"

CONNECTIONS=300; ROUNDS=3; TIMEOUT=10; KEEP=0
while [ $# -gt 0 ]; do
  case "$1" in
    --connections) CONNECTIONS="$2"; shift 2 ;;
    --rounds) ROUNDS="$2"; shift 2 ;;
    --timeout) TIMEOUT="$2"; shift 2 ;;
    --keep) KEEP=1; shift ;;
    *) die "unknown argument $1 (see the comment at the top)" ;;
  esac
done
[ "$CONNECTIONS" -ge 1 ] && [ "$CONNECTIONS" -le 2000 ] || die "--connections must be 1-2000"
[ "$ROUNDS" -ge 1 ] && [ "$ROUNDS" -le 20 ] || die "--rounds must be 1-20"
command -v python3 >/dev/null || die "python3 is needed for the burst client"

prepare_tools
WORK="$(mktemp -d /tmp/poolmta-burst.XXXXXX)"
chmod 755 "$WORK"
PF_ETC=""; PM_PID=""; SINK_PID=""
cleanup() {
  set +e
  stop_pid "$PM_PID"
  stop_postfix
  [ -n "$SINK_PID" ] && kill "$SINK_PID" 2>/dev/null && wait "$SINK_PID" 2>/dev/null
  if [ "$KEEP" = 1 ]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port; SINK_PORT=$PORT; free_port; PF_PORT=$PORT; free_port; API_PORT=$PORT; free_port; SMTP_PORT=$PORT

# Postfix relays nowhere in this benchmark, but start_postfix wants a next hop: a small smtp-sink
smtp-sink -u postfix "127.0.0.1:$SINK_PORT" 64 >/dev/null 2>&1 &
SINK_PID=$!
wait_port "$SINK_PORT" 10 smtp-sink
start_postfix "$PF_PORT" "$SINK_PORT" "pool_a1 a1@pool-a.bench-sender.test 127.0.0.11"

PM="$WORK/poolmta"; mkdir -p "$PM"
log "starting PoolMTA: ./poolmta serve --data $PM/data --api 127.0.0.1:$API_PORT --smtp 127.0.0.1:$SMTP_PORT"
./poolmta serve --data "$PM/data" --api "127.0.0.1:$API_PORT" --smtp "127.0.0.1:$SMTP_PORT" > "$PM/serve.log" 2>&1 &
PM_PID=$!
wait_port "$API_PORT" 60 "PoolMTA API"; wait_port "$SMTP_PORT" 10 "PoolMTA SMTP"

cat > "$WORK/burst.py" <<'PY'
import socket, sys, threading, time
port, n, sources, timeout = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].split(","), float(sys.argv[4])
go = threading.Event()
ready = threading.Barrier(n + 1)
results = [None] * n
def client(i):
    s = socket.socket()
    s.bind((sources[i % len(sources)], 0))
    s.settimeout(timeout)
    ready.wait()
    go.wait()
    try:
        s.connect(("127.0.0.1", port))
        line = b""
        while not line.endswith(b"\n"):
            chunk = s.recv(512)
            if not chunk:
                break
            line += chunk
        results[i] = (time.perf_counter(), line.split(b"\r\n")[0].decode("ascii", "replace"))
        try:
            s.sendall(b"QUIT\r\n")
        except OSError:
            pass
    except OSError as e:
        results[i] = (None, "error " + type(e).__name__)
    finally:
        s.close()
threads = [threading.Thread(target=client, args=(i,)) for i in range(n)]
for t in threads:
    t.start()
ready.wait()
start = time.perf_counter()
go.set()
for t in threads:
    t.join()
answered = sorted(r[0] - start for r in results if r[0] is not None and r[1][:3] in ("220", "421"))
greeted = sum(1 for r in results if r[1].startswith("220"))
refused = sum(1 for r in results if r[1].startswith("421"))
def q(p):
    return answered[min(len(answered) - 1, int(p * len(answered)))] * 1000 if answered else float("nan")
rate = len(answered) / answered[-1] if answered else 0
print("%d %d %d %.0f %.1f %.1f %.1f" % (greeted, refused, n - greeted - refused, rate, q(0.5), q(0.99),
      answered[-1] * 1000 if answered else float("nan")))
PY

RESULTS="$WORK/results.txt"; : > "$RESULTS"
for round in $(seq 1 "$ROUNDS"); do
  for mta in poolmta postfix; do
    port=$SMTP_PORT; [ "$mta" = postfix ] && port=$PF_PORT
    for scenario in "3 addresses:127.0.0.1,127.0.0.2,127.0.0.3" "1 address:127.0.0.1"; do
      label="${scenario%%:*}"; sources="${scenario#*:}"
      sleep 2   # let the previous burst's sessions end
      line="$(python3 "$WORK/burst.py" "$port" "$CONNECTIONS" "$sources" "$TIMEOUT")"
      log "round $round $mta ($label): greeted refused unanswered rate/s median p99 max(ms) = $line"
      echo "$mta|$label|$line" >> "$RESULTS"
    done
  done
done

# medians over the rounds, one row per MTA and scenario
python3 - "$RESULTS" "$CONNECTIONS" "$ROUNDS" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    mta, label, values = line.strip().split("|")
    rows.setdefault((mta, label), []).append([float(v) for v in values.split()])
print("| MTA | sources | greeted (220) | refused (421) | unanswered | answered/s | to first line: median | p99 | max |")
print("|---|---|---|---|---|---|---|---|---|")
for (mta, label), runs in rows.items():
    med = [statistics.median(col) for col in zip(*runs)]
    print("| %s | %s | %.0f | %.0f | %.0f | %.0f | %.0f ms | %.0f ms | %.0f ms |" % (
        "PoolMTA" if mta == "poolmta" else "Postfix", label, *med))
print()
print("%s connections per burst, median of %s rounds per row; %s" % (sys.argv[2], sys.argv[3],
      "time from the burst's start (all client threads released) to each connection's first reply line"))
PY

#!/usr/bin/env bash
# Prints, every 200 ms, the CPU use (% of one core) of smtp-sink and of the PoolMTA server
# (`poolmta.jar serve`), from /proc/PID/stat. Run it beside a benchmark to see which side is busy:
#
#   bench/cpu-sampler.sh > /tmp/cpu.log & bench/e2e-throughput.sh --runs 2; kill %1
#
# Lines: "HH:MM:SS.mmm sink <cpu%> poolmta <cpu%>"; a process that is not running shows 0.
set -uo pipefail
hz=$(getconf CLK_TCK)
ticks() { [ -n "$1" ] && awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
prev_sink=0; prev_java=0; prev_t=$(date +%s.%N)
while true; do
  sink_pid=$(pgrep -x smtp-sink | head -1); java_pid=$(pgrep -f "poolmta.jar serve" | head -1)
  sink=$(ticks "$sink_pid"); java=$(ticks "$java_pid"); t=$(date +%s.%N)
  awk -v s="$sink" -v ps="$prev_sink" -v j="$java" -v pj="$prev_java" -v t="$t" -v pt="$prev_t" -v hz="$hz" \
      -v now="$(date +%H:%M:%S.%N | cut -c1-12)" \
      'BEGIN { dt = t - pt; ds = s - ps; dj = j - pj; if (ds < 0) ds = 0; if (dj < 0) dj = 0;
               printf "%s sink %.0f poolmta %.0f\n", now, ds * 100 / hz / dt, dj * 100 / hz / dt }'
  prev_sink=$sink; prev_java=$java; prev_t=$t
  sleep 0.2
done

#!/usr/bin/env bash
# Crash loop: kill -9 the real server under sustained load (SendEmail and SMTP) and restart it,
# CYCLES times (default 10); every acknowledged message must reach the sink, duplicates are counted.
#   bench/crash-loop.sh [CYCLES]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/find-java
cycles="${1:-10}"
./mvnw -B -ntp verify -Dtest=None -Dsurefire.failIfNoSpecifiedTests=false -Dit.test=CrashRecoveryIT \
  -Dpoolmta.crash.cycles="$cycles" > target/crash-loop.log 2>&1 || { tail -50 target/crash-loop.log; exit 1; }
grep -h "\[CrashRecoveryIT\]" target/failsafe-reports/*CrashRecoveryIT-output.txt
grep -h "Tests run" target/failsafe-reports/*CrashRecoveryIT.txt

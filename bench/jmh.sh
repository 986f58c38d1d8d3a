#!/usr/bin/env bash
# Micro-benchmarks of PoolMTA's hot code with JMH: source selection per message (1,000 IPs in
# 100 pools; goal < 1 µs), SigV4 verification per request, a Simple text message to MIME, a
# spooled message's content to its SMTP wire form, one durable store into the spool, the DKIM
# signature of one 2 KB message (RSA-2048, Ed25519), a typical email template rendered per
# message, the suppression-list check of one recipient against 1,000,000 listed addresses, and
# the From-identity check of one message, the console's Dedicated IPs page with 1,000 IPs, the
# intake steps from a client's bytes to the spool record (SMTP DATA and SendEmail), the DKIM body
# hash, the reputation check at acceptance, and SES control-plane calls through a node on H2 and
# on PostgreSQL (every io.poolmta.*Benchmark class).
#   bench/jmh.sh                 # all benchmarks, 1 fork, 3 warm-up and 5 measured iterations of 1 s
#   bench/jmh.sh SourceSelection # only those matching a pattern; further JMH options may follow
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/find-java
./mvnw -q -B -ntp test-compile dependency:build-classpath -Dmdep.outputFile=target/jmh.classpath -Dmdep.includeScope=test
pattern="${1:-io.poolmta.*Benchmark}"
shift || true
exec "$JAVA_HOME/bin/java" -cp "target/test-classes:target/classes:$(cat target/jmh.classpath)" \
  org.openjdk.jmh.Main "$pattern" -f 1 -wi 3 -w 1s -i 5 -r 1s "$@"

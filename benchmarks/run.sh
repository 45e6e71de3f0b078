#!/usr/bin/env bash
# Runs Keelson's JMH benchmarks and writes the results report.
#
#   benchmarks/run.sh [smoke|quick|full] [JMH include regex]
#
#   smoke  1 fork, 1 short iteration: proves every benchmark runs (CI). Report in
#          benchmarks/target/smoke/ so the committed one stays as it is.
#   quick  the whole suite in minutes: benchmarks/RESULTS.md and benchmarks/results/.
#   full   publishable numbers (several forks, longer iterations), same place as quick.
#
# Every mode also runs the retry storm simulation (STORM.md), measures memory per
# rate-limited key (KEYS.md), runs the in-process single-key benchmarks again in interleaved
# rounds (IN_PROCESS.md), Redis rate-limit decisions against PING and redis-benchmark
# (REDIS.md; quick and full install Debian's redis-tools when it is missing and they can) and
# the outbox's commit-to-publish latency (LATENCY.md), beside RESULTS.md.
#
# Redis (standalone and Cluster) and PostgreSQL come the way the tests get them: from
# KEELSON_REDIS_URI / KEELSON_REDIS_CLUSTER_URI / KEELSON_POSTGRES_URL when set, else Docker,
# else local server processes. Needs only a JDK 17+.
set -euo pipefail

mode=${1:-quick}
include=${2:-.*}
root=$(cd "$(dirname "$0")/.." && pwd)

case "$mode" in
  smoke) out="$root/benchmarks/target/smoke" ;;
  quick|full) out="$root/benchmarks" ;;
  *) echo "usage: benchmarks/run.sh [smoke|quick|full] [JMH include regex]" >&2; exit 2 ;;
esac

cd "$root"
echo "== building the benchmarks jar"
./mvnw -q -B -ntp -pl benchmarks -am package -DskipTests

echo "== running JMH ($mode, include '$include')"
java -jar benchmarks/target/benchmarks.jar "$mode" "$include" --out "$out"

echo "== retry storm simulation (virtual time, deterministic)"
java -cp benchmarks/target/benchmarks.jar dev.keelson.benchmarks.retry.StormReport "$out"

echo "== memory per rate-limited key (heap and Redis)"
java -cp benchmarks/target/benchmarks.jar dev.keelson.benchmarks.ratelimit.KeyMemoryReport "$out"

echo "== in-process rate limits, one key, in interleaved rounds"
case "$mode" in
  smoke) rounds=1; millis=100 ;; quick) rounds=5; millis=1000 ;; full) rounds=9; millis=2000 ;;
esac
java -cp benchmarks/target/benchmarks.jar dev.keelson.benchmarks.ratelimit.InProcessRoundsReport \
  "$out" "$rounds" "$millis"

echo "== Redis rate-limit decisions on one connection, one at a time and pipelined, against PING and redis-benchmark"
if ! command -v redis-benchmark >/dev/null && [ "$mode" != smoke ] \
    && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "   installing Debian's redis-tools for redis-benchmark"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y -qq redis-tools >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq redis-tools >/dev/null 2>&1; } \
    || echo "   could not install redis-tools: REDIS.md will say redis-benchmark did not run"
fi
case "$mode" in smoke) decisions=5000 ;; quick) decisions=100000 ;; full) decisions=500000 ;; esac
java -cp benchmarks/target/benchmarks.jar dev.keelson.benchmarks.ratelimit.RedisRoundTripReport "$out" "$decisions"

echo "== outbox commit-to-publish latency (LISTEN/NOTIFY and polling)"
case "$mode" in smoke) samples=20 ;; quick) samples=200 ;; full) samples=1000 ;; esac
java -cp benchmarks/target/benchmarks.jar dev.keelson.benchmarks.outbox.OutboxLatencyReport "$out" "$samples"
echo "== reports: $out/RESULTS.md, $out/STORM.md, $out/KEYS.md, $out/IN_PROCESS.md, $out/REDIS.md, $out/LATENCY.md"

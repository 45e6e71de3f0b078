#!/usr/bin/env bash
# Runs the payments demo: builds the examples jar, then starts Redis and PostgreSQL (or uses
# KEELSON_REDIS_URI / KEELSON_POSTGRES_URL), the service, its workers and relay, drives the
# scripted clients and prints the report. Exits 0 when nothing was charged twice and no event
# was lost. Needs only a JDK 17+.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
./mvnw -q -B -ntp -pl examples -am package -DskipTests
exec java -jar examples/target/examples.jar

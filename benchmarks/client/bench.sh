#!/usr/bin/env bash
# Service-client benchmark: slot use of the real pipeline (CLI in-process) against the simulator at the
# account's cap, and client CPU per item against a zero-latency simulator in its own JVM.
#
#   benchmarks/client/bench.sh [WORKDIR] [ITEMS]     (defaults: /tmp/glm-client-bench 500)
#
# Modes: slots (the whole CLI), client (GlmVoiceClient alone, simulator in-process), client-ext (the same
# with the simulator in a JVM of its own per row), cpu. Usage of each: the javadoc of ClientBenchmark.
# The pom pins exec:java's <mainClass> to ${main.class}, so -Dexec.mainClass is ignored: we set
# -Dmain.class instead. Arguments after the 6th of "slots" go to the CLI as they are. Results are printed as Markdown tables (current ones go in BENCHMARKS.md).
# The machine may be shared: each table row carries the 1-minute load average when it was measured.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKDIR="${1:-/tmp/glm-client-bench}"
ITEMS="${2:-500}"
mkdir -p "$WORKDIR"
run() {
  mvn -q -B exec:java -Dexec.classpathScope=test -Dmain.class=io.glmvoicebatch.bench.ClientBenchmark \
    -Dexec.args="$*" 2>&1 | grep -v '^\[main\] INFO\|^\[direct-runner\|SLF4J'
}

mvn -q -B test-compile
echo "== slot use, 10 s clips (44.1 kHz mono: decoded, resampled, normalized): cap 5 and 20 x 200 ms and 1 s"
run slots "$WORKDIR" "$ITEMS" 5,20 200,1000 10 44100
echo "== the same with 12 Direct-runner threads (more, smaller bundles overlapping)"
run slots "$WORKDIR" "$ITEMS" 5,20 200,1000 10 44100 --targetParallelism=12
echo "== slot use, 1 s clips at 16 kHz (no resampling: the prepare stage nearly free): the scheduling alone"
run slots "$WORKDIR" "$ITEMS" 5,20 200,1000 1 16000 --targetParallelism=3
run slots "$WORKDIR" "$ITEMS" 5,20 200,1000 1 16000 --targetParallelism=12
echo "== the client alone (no Beam, no ledger), steady state: 3000 (1000) warm-up items at the rows' own latency,"
echo "   then the rows; JVM options as the bulk presets start Java. The 'JIT ms in row' column shows what compiling still cost."
bulk_jvm="${MAVEN_OPTS:--Xms2g -XX:+AlwaysPreTouch}" # as pipelines/*/jvm.options, unless MAVEN_OPTS says otherwise
MAVEN_OPTS="$bulk_jvm" run client "$WORKDIR" 2000 5,20 200 10 3000
MAVEN_OPTS="$bulk_jvm" run client "$WORKDIR" 1000 5,20 1000 10 1000
echo "== a cold JVM's whole batch: 5000 items on tier V3 (cap 20) x 200 ms after 100 warm-up items"
MAVEN_OPTS="$bulk_jvm" run client "$WORKDIR" 5000 20 200 10 100
echo "== client CPU per item, 10 s clips, simulator in its own JVM with zero latency"
run cpu "$WORKDIR" 300 10
echo "== the client's own thread CPU per item (request body + reply parse, no network)"
mvn -q -B exec:java -Dexec.classpathScope=test -Dmain.class=io.glmvoicebatch.api.ClientOverheadBenchmark 2>&1 \
  | grep -v '^\[main\] INFO\|SLF4J'

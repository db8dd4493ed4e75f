#!/usr/bin/env bash
# Bulk benchmark: memory flat in the batch size, wall time linear, the launcher's footprint, and whole-pipeline
# slot use, each with the simulator in a JVM of its own (as the real service is).
#
#   benchmarks/bulk/bench.sh [WORKDIR] [SIZES]        (defaults: /tmp/glm-bulk-bench "1000 10000 50000")
#
# Sizes: the jar (java -Xmx512m) runs N items (the sample clips under distinct ids) at --maxInFlight=20
# against the simulator at normal(25 ms, 12 ms) latency (about 0-50 ms). Heap after GC is sampled by forcing a
# full GC (jcmd GC.run, logged as "Pause Full (Diagnostic Command)") every 5 s and reading its -Xlog:gc line: the live set, not G1's uncollected garbage.
# Slot use: 2000 items at cap 5 x 200 ms and cap 20 x 1 s (fixed latency), from the simulator's own
# slot-time count (slotSecondsHeld / (occupancyWindowSeconds x cap)). Launcher: LauncherFootprint.
# Hold the machine's build lock around the whole script: flock /work/build.lock benchmarks/bulk/bench.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKDIR="${1:-/tmp/glm-bulk-bench}"
SIZES="${2:-1000 10000 50000}"
SLOT_ITEMS="${SLOT_ITEMS:-2000}"
PARTS="${PARTS:-sizes slots launcher}" # which of the three to run
JAR=target/glm-voice-batch.jar
KEY="bulkbench.c2VjcmV0c2VjcmV0"
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
echo -n "$KEY" > "$WORKDIR/key"
mvn -q -B -o package -DskipTests
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (dirty)')"

SIM_PID=""
stop_sim() { if [ -n "$SIM_PID" ]; then kill "$SIM_PID" 2>/dev/null || true; wait "$SIM_PID" 2>/dev/null || true; SIM_PID=""; fi; }
trap stop_sim EXIT
start_sim() { # cap latency-spec
  java -Xmx1g -jar "$JAR" simulator --port=0 --maxInFlight="$1" --latency="$2" --apiKeyFile="$WORKDIR/key" \
    > "$WORKDIR/sim.out" 2>&1 &
  SIM_PID=$!
  for _ in $(seq 1 300); do
    BASE=$(grep -m1 '^http://' "$WORKDIR/sim.out" || true)
    STATS=$(grep -m1 '^stats: ' "$WORKDIR/sim.out" | cut -d' ' -f2 || true)
    [ -n "$BASE" ] && [ -n "$STATS" ] && return 0
    sleep 0.1
  done
  echo "simulator did not start"; cat "$WORKDIR/sim.out"; exit 1
}
manifest() { # n file
  python3 benchmarks/bulk/manifest.py "$1" "$2"
}
run_batch() { # n cap out gc-log -> prints summary lines
  ZHIPUAI_API_KEY="$KEY" java -Xmx512m -Xlog:gc:file="$4" -jar "$JAR" --manifest="$WORKDIR/m-$1.jsonl" \
    --outputDir="$3" --maxInFlight="$2" --endpoint="$BASE" --report=false --progressIntervalSeconds=60 \
    > "$3.log" 2>&1 &
  local pid=$!
  while kill -0 "$pid" 2>/dev/null; do
    sleep 5
    jcmd "$pid" GC.run > /dev/null 2>&1 || true
  done
  wait "$pid" || echo "exit code $?"
  grep -E '^items:|^this run:|^time:' "$3.log" || tail -20 "$3.log"
}
peak_after_gc() { # gc-log -> "peak_MB samples"
  grep 'Pause Full' "$1" | sed -E 's/.*->([0-9]+)M.*/\1/' | sort -n | awk '{a[NR]=$1} END {print a[NR] " MB max of " NR " forced full GCs (median " a[int((NR+1)/2)] " MB)"}'
}

if [[ " $PARTS " == *" sizes "* ]]; then
echo "== memory and wall time by batch size: -Xmx512m, cap 20, latency normal(25 ms, 12 ms)"
start_sim 20 normal:25,12
for n in $SIZES; do
  manifest "$n" "$WORKDIR/m-$n.jsonl"
  start=$(date +%s.%N)
  run_batch "$n" 20 "$WORKDIR/out-$n" "$WORKDIR/gc-$n.log"
  end=$(date +%s.%N)
  echo "N=$n: process wall $(echo "$end - $start" | bc) s; heap after forced full GC: $(peak_after_gc "$WORKDIR/gc-$n.log"); load $(cut -d' ' -f1 /proc/loadavg)"
done
stop_sim
fi

if [[ " $PARTS " == *" slots "* ]]; then
echo "== whole-pipeline slot use, $SLOT_ITEMS items, simulator in its own JVM"
manifest "$SLOT_ITEMS" "$WORKDIR/m-$SLOT_ITEMS.jsonl"
for row in "5 200" "20 1000"; do
  set -- $row
  start_sim "$1" "fixed:$2"
  run_batch "$SLOT_ITEMS" "$1" "$WORKDIR/slots-$1-$2" "$WORKDIR/gc-slots-$1-$2.log" > "$WORKDIR/slots-$1-$2.summary"
  stats=$(curl -s "$STATS")
  python3 - "$1" "$2" "$stats" "$WORKDIR/slots-$1-$2.summary" <<'PY'
import json, sys
cap, lat, s = int(sys.argv[1]), int(sys.argv[2]), json.loads(sys.argv[3])
summary = open(sys.argv[4]).read().strip().replace("\n", " / ")
use = s["slotSecondsHeld"] / (s["occupancyWindowSeconds"] * cap)
print(f"cap {cap} x {lat} ms: simulator slot use {use:.3f} (slot-s held {s['slotSecondsHeld']:.1f}, window "
      f"{s['occupancyWindowSeconds']:.1f} s, requests {s['requests']}, max in flight {s['maxInFlight']}, "
      f"1302s {s['tooManyRequestsSent']}); CLI: {summary}")
PY
  stop_sim
done
fi

if [[ " $PARTS " == *" launcher "* ]]; then
echo "== the launcher's footprint at pipeline submission, by manifest lines"
# The shaded jar carries every runtime library; the test classes add LauncherFootprint.
mvn -q -B -o test-compile
java -Xmx512m -cp target/test-classes:"$JAR" io.glmvoicebatch.bench.LauncherFootprint "$WORKDIR" 1000 100000 2>&1 | grep '^|'
fi

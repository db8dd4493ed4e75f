#!/usr/bin/env bash
# A/B of two builds on one batch: the same N items (the sample clips under distinct ids), each jar in turn,
# ROUNDS rounds, against one simulator process (cap 20, latency normal(25 ms, 12 ms)), so a slowdown between
# two commits can be told from the machine's swing between two runs of bench.sh.
#   benchmarks/bulk/ab.sh OLD_JAR NEW_JAR [N] [ROUNDS]      (defaults: 5000 items, 2 rounds)
# Build the old jar from a clone: git clone . /tmp/old && (cd /tmp/old && git checkout REV && mvn -q -o package -DskipTests)
set -euo pipefail
OLD="$(realpath "$1")"; NEW="$(realpath "$2")"; N="${3:-5000}"; ROUNDS="${4:-2}"
cd "$(dirname "$0")/../.."
WORK="$(mktemp -d /tmp/glm-ab.XXXXXX)"
KEY="bulkbench.c2VjcmV0c2VjcmV0"; echo -n "$KEY" > "$WORK/key"
python3 benchmarks/bulk/manifest.py "$N" "$WORK/m.jsonl"
java -Xmx1g -jar "$NEW" simulator --port=0 --maxInFlight=20 --latency=normal:25,12 --apiKeyFile="$WORK/key" \
  > "$WORK/sim.out" 2>&1 &
SIM=$!
trap 'kill $SIM 2>/dev/null || true' EXIT
for _ in $(seq 1 300); do BASE=$(grep -m1 '^http://' "$WORK/sim.out" || true); [ -n "$BASE" ] && break; sleep 0.1; done
for round in $(seq 1 "$ROUNDS"); do
  for v in old new; do
    jar="$OLD"; [ "$v" = new ] && jar="$NEW"
    rm -rf "$WORK/out-$v"
    /usr/bin/time -f "%e s process, %U s user, %S s sys" env ZHIPUAI_API_KEY="$KEY" java -Xmx512m -jar "$jar" \
      --manifest="$WORK/m.jsonl" --outputDir="$WORK/out-$v" --maxInFlight=20 --endpoint="$BASE" --report=false \
      --progressIntervalSeconds=600 > "$WORK/$v.log" 2>&1
    # older builds print "wall time X s" on the "this run" line, newer ones "time: wall X s"
    echo "round $round $v: run $(grep -oE 'wall( time)? [0-9.]+ s' "$WORK/$v.log" | head -1) | $(tail -1 "$WORK/$v.log")"
  done
done

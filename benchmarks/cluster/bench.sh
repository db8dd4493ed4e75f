#!/usr/bin/env bash
# The same batch on the Direct runner, FlinkRunner (embedded local cluster) and SparkRunner (local mode),
# each against a fresh standalone simulator process (so the simulator's reply synthesis does not share the
# batch JVM's CPU or heap). Prints one Markdown table row per run and keeps every log under $WORK.
#
#   benchmarks/cluster/bench.sh                      # 500 items, cap 20, fixed 200 ms latency, all runners
#   ITEMS=200 CAP=5 RUNNERS="direct flink" benchmarks/cluster/bench.sh
#
# Columns: wall = the batch JVM from start to exit (JVM start, pipeline build, run, summary);
# run = the summary's wall time (pipeline run only); slot use = requests/s x server latency / cap, over the
# run; peak heap = the largest heap occupancy before a GC (-Xlog:gc), committed heap in parentheses;
# max RSS = /usr/bin/time's maximum resident set size; batch CPU = its user + system seconds; load avg = the
# machine's 1-minute load when the run started (other jobs share the machine).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
ITEMS=${ITEMS:-500}
CAP=${CAP:-20}
LATENCY_MS=${LATENCY_MS:-200}
PARALLELISM=${PARALLELISM:-4}
HEAP=${HEAP:-2g}
RUNNERS=${RUNNERS:-"direct direct-noenforce flink spark"}
WORK=${WORK:-$ROOT/target/bench-cluster}
PORT=${PORT:-18765}
KEY="bench0001.c2VjcmV0c2VjcmV0YmVuY2g"

# shellcheck source=benchmarks/cluster/jvms.sh
. "$ROOT/benchmarks/cluster/jvms.sh" # JAVA17_OPENS: what the cluster jar's manifest carries (docs/cluster.md)

mkdir -p "$WORK"
echo "$KEY" > "$WORK/key.txt"
cd "$ROOT"
# One classpath with both runners and Spark itself (compile scope here, provided in the cluster jar).
mvn -q -B -ntp -Pcluster -Dspark.scope=compile compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime
CP="$ROOT/target/classes:$(cat "$WORK/cp.txt")"

# ITEMS items cycling over the 8 sample clips (8 WAV encodings), absolute paths, unique ids.
MANIFEST="$WORK/manifest-$ITEMS.jsonl"
SAMPLE="$ROOT/sample-data"
awk -v n="$ITEMS" -v dir="$SAMPLE" '
  /^[[:space:]]*$/ || /^#/ { next }
  { lines[c++] = $0 }
  END {
    for (i = 0; i < n; i++) {
      l = lines[i % c]
      sub(/"id": *"/, "\"id\": \"b" i "-", l)
      sub(/"audio": *"/, "\"audio\": \"" dir "/", l)
      print l
    }
  }' "$SAMPLE/manifest.jsonl" > "$MANIFEST"

runner_args() {
  case "$1" in
    direct) echo "--runner=DirectRunner" ;;
    direct-noenforce) echo "--runner=DirectRunner --enforceImmutability=false --enforceEncodability=false" ;;
    flink) echo "--runner=FlinkRunner --flinkMaster=[local] --parallelism=$PARALLELISM" ;;
    spark) echo "--runner=SparkRunner --sparkMaster=local[$PARALLELISM]" ;;
    *) echo "unknown runner $1" >&2; exit 2 ;;
  esac
}

echo "# $(date -u +%FT%TZ) $(nproc) cores; ITEMS=$ITEMS CAP=$CAP LATENCY_MS=$LATENCY_MS PARALLELISM=$PARALLELISM HEAP=$HEAP"
echo "| runner | items ok | wall s | run s | req/s | slot use | sim max in flight | 429s | peak heap MiB (committed) | max RSS MiB | batch CPU s | load avg |"
echo "|---|---|---|---|---|---|---|---|---|---|---|---|"
for r in $RUNNERS; do
  D="$WORK/$r"
  rm -rf "$D"; mkdir -p "$D"
  java -Xmx1g -cp "$CP" io.glmvoicebatch.cli.Main simulator --port="$PORT" --maxInFlight="$CAP" \
    --latency=fixed:"$LATENCY_MS" --apiKeyFile="$WORK/key.txt" > "$D/simulator.log" 2>&1 &
  SIM=$!
  for _ in $(seq 1 120); do
    curl -sf "http://127.0.0.1:$PORT/simulator/stats" > /dev/null && break
    sleep 0.5
  done
  load=$(cut -d' ' -f1 /proc/loadavg)
  start=$(date +%s.%N)
  # shellcheck disable=SC2046
  ZHIPUAI_API_KEY="$KEY" /usr/bin/time -f "%M %U %S" -o "$D/time.txt" \
    java -Xmx"$HEAP" -Xlog:gc:file="$D/gc.log" "${JAVA17_OPENS[@]}" -Dspark.ui.enabled=false -cp "$CP" \
    io.glmvoicebatch.cli.Main --manifest="$MANIFEST" --outputDir="$D/out" \
    --endpoint="http://127.0.0.1:$PORT/api/paas/v4" --maxInFlight="$CAP" $(runner_args "$r") \
    > "$D/batch.log" 2>&1 || echo "($r exited $?; see $D/batch.log)" >&2
  end=$(date +%s.%N)
  curl -sf "http://127.0.0.1:$PORT/simulator/stats" > "$D/stats.json" || echo '{}' > "$D/stats.json"
  kill "$SIM"; wait "$SIM" 2>/dev/null || true
  python3 - "$D" "$r" "$start" "$end" "$CAP" "$LATENCY_MS" "$load" <<'EOF'
import json, re, sys
d, r, start, end, cap, lat, load = sys.argv[1:]
wall = float(end) - float(start)
stats = json.load(open(d + "/stats.json"))
try:
    summary = json.load(open(d + "/out/summary.json"))
except OSError:
    summary = {}
def find(obj, *names):
    for n in names:
        if isinstance(obj, dict) and n in obj:
            return obj[n]
    return None
ok = find(summary, "ok", "items_ok")
run_s = find(summary, "wall_seconds", "wallSeconds", "wall_time_seconds")
if run_s is None:
    ms = find(summary, "wall_ms", "wallMillis")
    run_s = ms / 1000 if ms is not None else wall
reqs = stats.get("requests", 0)
rps = reqs / run_s if run_s else 0
slot = rps * int(lat) / 1000 / int(cap)
peak = committed = 0
for line in open(d + "/gc.log"):
    m = re.search(r"(\d+)M->(\d+)M\((\d+)M\)", line)
    if m:
        peak = max(peak, int(m.group(1)))
        committed = max(committed, int(m.group(3)))
t = open(d + "/time.txt").read().split()[-3:]
rss, cpu = int(t[0]) // 1024, float(t[1]) + float(t[2])
print(f"| {r} | {ok} | {wall:.1f} | {run_s:.1f} | {rps:.1f} | {slot:.2f} | {stats.get('maxInFlight')} | "
      f"{stats.get('tooManyRequestsSent')} | {peak} ({committed}) | {rss} | {cpu:.0f} | {load} |")
EOF
done

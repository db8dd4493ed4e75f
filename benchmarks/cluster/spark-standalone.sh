#!/usr/bin/env bash
# A Spark 3.2.2 standalone cluster on this machine: one master and two workers, each its own JVM, from a
# stock-like Spark jars/ folder that Maven assembles (benchmarks/cluster/spark/pom.xml; docs/cluster.md says how
# it differs from the tarball's). The workers start one executor JVM per application, as Spark does.
#
#   benchmarks/cluster/spark-standalone.sh start           # master spark://127.0.0.1:19780 + workers 1 and 2
#   benchmarks/cluster/spark-standalone.sh kill-worker 1   # SIGKILL worker 1 and its executors (a crashed host)
#   benchmarks/cluster/spark-standalone.sh start-worker 1  # start worker 1 again (what a cluster manager does)
#   benchmarks/cluster/spark-standalone.sh wait-workers 2  # until the master lists 2 live workers
#   benchmarks/cluster/spark-standalone.sh submit ARGS...  # what spark-submit runs: SparkSubmit, client mode,
#                                                          # the cluster jar, the Java 17 flags for driver and executors
#   benchmarks/cluster/spark-standalone.sh stop            # stop every JVM this script started
#
# Build the cluster jar first (mvn -Pcluster package -DskipTests). `submit` runs
#   java <Java 17 opens> -cp "$SPARK_HOME/jars/*" org.apache.spark.deploy.SparkSubmit \
#     --master spark://127.0.0.1:19780 --class io.glmvoicebatch.cli.Main --conf spark.executor.extraJavaOptions=... \
#     target/glm-voice-batch-cluster.jar --runner=SparkRunner ARGS...
# Every port is fixed and bound to 127.0.0.1 (SPARK_PORT_BASE moves them all, default 19780): master 19780, its
# UI 19781, worker n 19782+2n and its UI 19783+2n, driver 19790, driver block manager 19791, executors' block
# managers from 19792 (one port up per executor). Logs, SPARK_HOME and pid files are under $SPARK_WORK
# (default target/spark-standalone); executor logs under $SPARK_WORK/work/<app>/<executor>/stderr.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${SPARK_WORK:-$ROOT/target/spark-standalone}
BASE=${SPARK_PORT_BASE:-19780}
CORES=${SPARK_WORKER_CORES:-2}
JAR=${CLUSTER_JAR:-$ROOT/target/glm-voice-batch-cluster.jar}
MASTER="spark://127.0.0.1:$BASE"
export SPARK_HOME="$WORK/home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.12 SPARK_LOCAL_DIRS="$WORK/tmp"

# shellcheck source=benchmarks/cluster/jvms.sh
. "$ROOT/benchmarks/cluster/jvms.sh"

spark_home() { # $SPARK_HOME/jars: Spark 3.2.2 and its dependencies, as a distribution holds them
  if [ ! -s "$SPARK_HOME/jars/spark-core_2.12-3.2.2.jar" ]; then
    mkdir -p "$SPARK_HOME/jars" "$SPARK_HOME/conf"
    mvn -B -ntp -q -f "$ROOT/benchmarks/cluster/spark/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$SPARK_HOME/jars" >&2
  fi
  mkdir -p "$SPARK_HOME/conf" "$WORK/log" "$WORK/work" "$WORK/tmp"
  # A distribution's default: log4j 1.2 at INFO to the console (here the JVM's log file).
  cat > "$SPARK_HOME/conf/log4j.properties" <<'CONF'
log4j.rootCategory=INFO, console
log4j.appender.console=org.apache.log4j.ConsoleAppender
log4j.appender.console.target=System.err
log4j.appender.console.layout=org.apache.log4j.PatternLayout
log4j.appender.console.layout.ConversionPattern=%d{yy/MM/dd HH:mm:ss} %p %c{1}: %m%n
CONF
}

# A JVM left running must not keep a descriptor its caller holds open: run under `flock LOCK script start`, the
# daemons would otherwise hold that lock until they stop.
# Called with & (a subshell already), so exec makes the JVM the pid that $! names.
daemon() {
  local fd
  for fd in $(ls /proc/$BASHPID/fd); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
  exec "$@"
}

cp_spark() { echo "$SPARK_HOME/conf/:$SPARK_HOME/jars/*"; }

# spark.worker.timeout=10 on the master and the workers alike: the master drops a worker unheard of for 10 s
# (default 60), and a worker sends its heartbeat every timeout/4 s, so both must use the same value (a master
# at 10 s with workers at the default 60 s drops live workers every 15 s).

alive_workers() { # the master's count of ALIVE workers (its UI's JSON)
  curl -sf "http://127.0.0.1:$((BASE + 1))/json/" | grep -o '"aliveworkers" *: *[0-9]*' | grep -o '[0-9]*$' || echo 0
}

workers_at_least() { [ "$(alive_workers)" -ge "$1" ]; }

wait_for_workers() { # until the master lists $1 live workers, at most 120 s
  wait_for 120 "spark-standalone: the master did not list $1 live workers" workers_at_least "$1"
}

start_master() {
  running master && return 0
  daemon java -Xmx512m "${JAVA17_OPENS[@]}" -cp "$(cp_spark)" -Dspark.worker.timeout=10 \
    org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$BASE" --webui-port $((BASE + 1)) \
    > "$WORK/log/master.log" 2>&1 &
  echo $! > "$(pidfile master)"
}

start_worker() {
  local n=$1
  running "worker$n" && return 0
  # Each worker starts one executor JVM per application (its children); their logs stay under work/.
  daemon java -Xmx512m "${JAVA17_OPENS[@]}" -cp "$(cp_spark)" -Dspark.worker.timeout=10 \
    org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --port $((BASE + 2 * n + 2)) \
    --webui-port $((BASE + 2 * n + 3)) --cores "$CORES" --memory 2g --work-dir "$WORK/work" "$MASTER" \
    >> "$WORK/log/worker-$n.log" 2>&1 &
  echo $! > "$(pidfile "worker$n")"
}

executors_of() { # pids of the executor JVMs worker $1 started (its children)
  local w=$1
  pgrep -P "$w" -f CoarseGrainedExecutorBackend || true
}

case "${1:-}" in
  start)
    spark_home
    start_master
    start_worker 1
    start_worker 2
    wait_for_workers 2
    echo "Spark standalone cluster up: $MASTER (UI http://127.0.0.1:$((BASE + 1))), 2 workers x $CORES cores"
    ;;
  start-worker)
    start_worker "${2:?worker number}"
    ;;
  wait-workers)
    wait_for_workers "${2:?number of workers}"
    ;;
  kill-worker)
    n=${2:?worker number}
    if running "worker$n"; then
      w=$(cat "$(pidfile "worker$n")")
      ex=$(executors_of "$w")
      # The whole host dies: the worker and the executor JVM it started, both with SIGKILL.
      kill -9 "$w" $ex 2>/dev/null || true
    fi
    rm -f "$(pidfile "worker$n")"
    ;;
  submit)
    shift
    [ -s "$JAR" ] || { echo "spark-standalone: $JAR is missing: mvn -Pcluster package -DskipTests" >&2; exit 2; }
    exec java "${JAVA17_OPENS[@]}" -cp "$(cp_spark)" org.apache.spark.deploy.SparkSubmit --master "$MASTER" \
      --deploy-mode client --class io.glmvoicebatch.cli.Main \
      --conf spark.driver.host=127.0.0.1 --conf spark.driver.bindAddress=127.0.0.1 \
      --conf spark.driver.port=$((BASE + 10)) --conf spark.driver.blockManager.port=$((BASE + 11)) \
      --conf spark.blockManager.port=$((BASE + 12)) --conf spark.port.maxRetries=8 \
      --conf spark.ui.enabled=false --conf spark.executor.cores="$CORES" --conf spark.executor.memory=1g \
      --conf "spark.executor.extraJavaOptions=${JAVA17_OPENS[*]}" \
      "$JAR" --runner=SparkRunner --filesToStage="$JAR" "$@"
    ;;
  stop)
    for p in worker1 worker2; do
      if running "$p"; then
        for e in $(executors_of "$(cat "$(pidfile "$p")")"); do kill "$e" 2>/dev/null || true; done
      fi
      stop_one "$p"
    done
    stop_one master
    ;;
  *)
    echo "usage: $0 start | stop | kill-worker N | start-worker N | wait-workers N | submit ARGS..." >&2
    exit 2
    ;;
esac

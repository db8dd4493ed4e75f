#!/usr/bin/env bash
# A Flink 1.19 session cluster on this machine: one JobManager and two TaskManagers, each its own JVM, from
# the Flink jars Maven Central has (benchmarks/cluster/flink/pom.xml; Flink publishes no flink-dist jar there).
#
#   benchmarks/cluster/flink-session.sh start        # JobManager (REST 127.0.0.1:19701) + TaskManagers 1 and 2
#   benchmarks/cluster/flink-session.sh kill-tm 1    # SIGKILL TaskManager 1 (a crashed worker)
#   benchmarks/cluster/flink-session.sh start-tm 1   # start TaskManager 1 again (what a cluster manager does)
#   benchmarks/cluster/flink-session.sh wait-tm 2    # until the JobManager lists 2 TaskManagers
#   benchmarks/cluster/flink-session.sh stop         # stop every JVM this script started
#
# Then submit a batch over REST with the cluster jar (mvn -Pcluster package -DskipTests):
#   java -jar target/glm-voice-batch-cluster.jar --runner=FlinkRunner --flinkMaster=127.0.0.1:19701 \
#     --parallelism=4 --clusterWorkers=2 --manifest=M --outputDir=D ...
#
# FLINK_RESTART_ATTEMPTS=N (default 0: none) gives the cluster a fixed-delay restart strategy (N attempts, 2 s
# apart); with none a job fails when a TaskManager dies.
# Every port is fixed (19700-19729: base+0..5, TaskManager n base+10n and +1) and bound to 127.0.0.1;
# FLINK_PORT_BASE moves them all (FlinkSessionClusterTest reads it too and puts its simulator at base+29). Logs, config and
# pid files are under $FLINK_WORK (default target/flink-session).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${FLINK_WORK:-$ROOT/target/flink-session}
BASE=${FLINK_PORT_BASE:-19700}
SLOTS=${FLINK_SLOTS:-2}
REST=$((BASE + 1))

# shellcheck source=benchmarks/cluster/jvms.sh
. "$ROOT/benchmarks/cluster/jvms.sh"
# The exports and opens a Flink distribution passes to its JVMs on Java 17 (env.java.opts.all in its default
# config; its opens are a subset of JAVA17_OPENS).
JAVA17=(--add-exports=java.base/sun.net.util=ALL-UNNAMED --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED
  "${JAVA17_OPENS[@]}")

classpath() {
  if [ ! -s "$WORK/cp.txt" ]; then
    mkdir -p "$WORK"
    mvn -B -ntp -q -f "$ROOT/benchmarks/cluster/flink/pom.xml" dependency:build-classpath \
      -Dmdep.outputFile="$WORK/cp.txt" >&2
  fi
  cat "$WORK/cp.txt"
}

write_config() {
  mkdir -p "$WORK/conf" "$WORK/tmp" "$WORK/log"
  cat > "$WORK/conf/flink-conf.yaml" <<CONF
jobmanager.rpc.address: 127.0.0.1
jobmanager.bind-host: 127.0.0.1
jobmanager.rpc.port: $BASE
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $REST
blob.server.port: $((BASE + 2))
metrics.internal.query-service.port: $((BASE + 3))
taskmanager.bind-host: 127.0.0.1
taskmanager.host: 127.0.0.1
taskmanager.numberOfTaskSlots: $SLOTS
jobmanager.memory.process.size: 1024m
parallelism.default: $((2 * SLOTS))
io.tmp.dirs: $WORK/tmp
web.submit.enable: false
restart-strategy.type: $([ "${FLINK_RESTART_ATTEMPTS:-0}" -gt 0 ] && echo fixed-delay || echo none)
restart-strategy.fixed-delay.attempts: ${FLINK_RESTART_ATTEMPTS:-0}
restart-strategy.fixed-delay.delay: 2 s
heartbeat.timeout: 10000
heartbeat.interval: 2000
CONF
}

taskmanagers_at_least() { # the JobManager's REST API lists $1 TaskManagers or more
  local n
  n=$(curl -sf "http://127.0.0.1:$REST/taskmanagers" | grep -o '"id":' | wc -l || true)
  [ "${n:-0}" -ge "$1" ]
}

wait_for_taskmanagers() { # until the JobManager lists $1 TaskManagers, at most 120 s
  wait_for 120 "flink-session: the JobManager did not list $1 TaskManagers" taskmanagers_at_least "$1"
}

start_jm() {
  running jm && return 0
  java -Xmx700m "${JAVA17[@]}" -cp "$(classpath)" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$WORK/conf" \
    > "$WORK/log/jobmanager.log" 2>&1 &
  echo $! > "$(pidfile jm)"
}

start_tm() {
  local n=$1
  running "tm$n" && return 0
  # Flink's launcher scripts derive these memory sizes and the matching JVM flags (BashJavaUtils); a
  # TaskManagerRunner started by hand needs them spelled out: heap 128 + 384 MB, direct 128 + 64 MB.
  java -Xmx512m -Xms512m -XX:MaxDirectMemorySize=192m -XX:MaxMetaspaceSize=256m "${JAVA17[@]}" \
    -cp "$(classpath)" org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$WORK/conf" \
    -D taskmanager.resource-id="tm$n" -D taskmanager.rpc.port=$((BASE + 10 * n)) \
    -D taskmanager.data.port=$((BASE + 10 * n + 1)) -D metrics.internal.query-service.port=$((BASE + 3 + n)) \
    -D taskmanager.cpu.cores="$SLOTS" -D taskmanager.memory.framework.heap.size=128m \
    -D taskmanager.memory.task.heap.size=384m -D taskmanager.memory.managed.size=128m \
    -D taskmanager.memory.network.min=64m -D taskmanager.memory.network.max=64m \
    -D taskmanager.memory.framework.off-heap.size=128m -D taskmanager.memory.task.off-heap.size=0m \
    -D taskmanager.memory.jvm-metaspace.size=256m -D taskmanager.memory.jvm-overhead.min=192m \
    -D taskmanager.memory.jvm-overhead.max=192m >> "$WORK/log/taskmanager-$n.log" 2>&1 &
  echo $! > "$(pidfile "tm$n")"
}

case "${1:-}" in
  start)
    classpath > /dev/null
    write_config
    start_jm
    start_tm 1
    start_tm 2
    wait_for_taskmanagers 2
    echo "Flink session cluster up: REST http://127.0.0.1:$REST, 2 TaskManagers x $SLOTS slots"
    ;;
  start-tm)
    start_tm "${2:?TaskManager number}"
    ;;
  wait-tm)
    wait_for_taskmanagers "${2:?number of TaskManagers}"
    ;;
  kill-tm)
    n=${2:?TaskManager number}
    running "tm$n" && kill -9 "$(cat "$(pidfile "tm$n")")"
    rm -f "$(pidfile "tm$n")"
    ;;
  stop)
    for p in tm1 tm2 jm; do stop_one "$p"; done
    ;;
  *)
    echo "usage: $0 start | stop | kill-tm N | start-tm N | wait-tm N" >&2
    exit 2
    ;;
esac

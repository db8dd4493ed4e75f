# shellcheck shell=bash
# Sourced by the cluster scripts of benchmarks/cluster: the Java 17 flags of the JVMs they start, their pid
# files, and waiting for them.
# A script sets WORK (where its pid files live, and its logs under log/ unless LOGS names them) before it calls
# these functions.

# The opens Spark 3.3+'s launcher adds on Java 17 (JavaModuleOptions), plus java.text and java.time: Spark 3.2.2
# adds none, so every JVM of a cluster and of its job needs them (docs/cluster.md, "Java 17 flags"). A Flink
# distribution passes a subset. The same list as pom.xml's cluster.addOpens (the cluster profile's surefire
# argLine and the cluster jar's manifest).
JAVA17_OPENS=(--add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/java.text=ALL-UNNAMED
  --add-opens=java.base/java.time=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/sun.nio.cs=ALL-UNNAMED --add-opens=java.base/sun.security.action=ALL-UNNAMED
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --add-opens=java.security.jgss/sun.security.krb5=ALL-UNNAMED)

wait_for() { # wait_for SECONDS WHAT COMMAND...: run COMMAND every 0.5 s until it succeeds, else say WHAT failed
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  while [ $SECONDS -lt $deadline ]; do
    "$@" && return 0
    sleep 0.5
  done
  echo "$what within $limit s (logs: ${LOGS:-$WORK/log})" >&2
  return 1
}

pidfile() { echo "$WORK/$1.pid"; }

running() { [ -s "$(pidfile "$1")" ] && kill -0 "$(cat "$(pidfile "$1")")" 2>/dev/null; }

stop_one() { # SIGTERM the JVM named $1, SIGKILL it after 30 s, forget its pid file
  if running "$1"; then
    local pid deadline=$((SECONDS + 30))
    pid=$(cat "$(pidfile "$1")")
    kill "$pid"
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$(pidfile "$1")"
}

#!/usr/bin/env bash
# An S3-compatible object store on this machine (S3Proxy 2.4.1 over a local folder, from Maven Central), for
# trying s3:// manifests, audio and output folders without AWS:
#
#   benchmarks/cluster/s3proxy.sh start    # http://127.0.0.1:$S3PROXY_PORT (default 19860); no auth
#   benchmarks/cluster/s3proxy.sh stop
#
# Buckets are folders of $S3PROXY_WORK/blobs (default target/s3proxy/blobs): mkdir a bucket, copy files in.
# Then, with the cluster jar (mvn -Pcluster package -DskipTests):
#   AWS_ACCESS_KEY_ID=any AWS_SECRET_ACCESS_KEY=any AWS_REGION=us-east-1 java -jar target/glm-voice-batch-cluster.jar \
#     --manifest=s3://bucket/m.jsonl --outputDir=s3://bucket/out --s3Endpoint=http://127.0.0.1:19860
# S3Proxy refuses headers it does not know (Beam's S3 client sends x-amz-server-side-encryption-bucket-key-enabled
# on multipart uploads), so it runs with s3proxy.ignore-unknown-headers.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
WORK=${S3PROXY_WORK:-$ROOT/target/s3proxy}
PORT=${S3PROXY_PORT:-19860}
LOGS=$WORK/s3proxy.log
# shellcheck source=benchmarks/cluster/jvms.sh
. "$ROOT/benchmarks/cluster/jvms.sh"

answering() { # S3Proxy answers on its port; it exits the script if its JVM died instead
  curl -s -o /dev/null "http://127.0.0.1:$PORT/" && return 0
  running s3proxy || { echo "s3proxy died: $LOGS" >&2; exit 1; }
  return 1
}

case "${1:-}" in
  start)
    mkdir -p "$WORK/blobs"
    if [ ! -s "$WORK/cp.txt" ]; then
      mvn -B -ntp -q -f "$ROOT/benchmarks/cluster/s3proxy/pom.xml" dependency:build-classpath \
        -Dmdep.outputFile="$WORK/cp.txt" >&2
    fi
    cat > "$WORK/s3proxy.conf" <<CONF
s3proxy.endpoint=http://127.0.0.1:$PORT
s3proxy.authorization=none
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem
jclouds.filesystem.basedir=$WORK/blobs
CONF
    if ! running s3proxy; then
      java -Xmx256m -cp "$(cat "$WORK/cp.txt")" org.gaul.s3proxy.Main --properties "$WORK/s3proxy.conf" \
        > "$LOGS" 2>&1 &
      echo $! > "$(pidfile s3proxy)"
    fi
    wait_for 60 "s3proxy did not start" answering
    echo "s3proxy: http://127.0.0.1:$PORT (buckets under $WORK/blobs)"
    ;;
  stop)
    stop_one s3proxy
    ;;
  *)
    echo "usage: $0 start|stop" >&2
    exit 2
    ;;
esac

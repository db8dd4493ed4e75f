#!/usr/bin/env bash
# The launcher after the batch, by batch size: summary fold, report, dataset export and the dry-run listing
# over a synthesized output folder of N finished items (AfterRunFootprint), at a small heap so anything held
# per record would run out of it.
#
#   benchmarks/bulk/after-run.sh [WORKDIR] [SIZES] [XMX]   (defaults: /tmp/glm-after-run "10000 100000 1000000" 256m)
#
# Folders are synthesized once per size under WORKDIR (1,000,000 items: about 3 GB of directory entries and
# hard links, a few minutes) and reused by later runs. Hold the build lock: flock /work/build.lock ...
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKDIR="${1:-/tmp/glm-after-run}"
SIZES="${2:-10000 100000 1000000}"
XMX="${3:-256m}"
mkdir -p "$WORKDIR"
mvn -q -B -o test-compile
mvn -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$WORKDIR/cp.txt" > /dev/null
echo "commit: $(git rev-parse --short HEAD)$(git diff --quiet || echo ' (dirty)'), -Xmx$XMX"
# shellcheck disable=SC2086
java -Xmx"$XMX" -cp target/test-classes:target/classes:"$(cat "$WORKDIR/cp.txt")" \
  io.glmvoicebatch.cli.AfterRunFootprint "$WORKDIR" $SIZES

#!/usr/bin/env bash
# Audio preparation benchmark: speed vs sox, peak heap on a 60-minute file, resampler quality.
#
#   benchmarks/audio/bench.sh [WORKDIR]        (default WORKDIR: /tmp/glm-audio-bench)
#
# (The pom configures exec:java with mainClass=${main.class}, so the class is chosen with
# -Dmain.class; -Dexec.mainClass would be ignored.)
# Needs sox, /usr/bin/time and ffmpeg on PATH. Generates ~1.2 GB of WAV files in WORKDIR
# (kept between runs so the 60-minute file is only written once).
# Speed runs on one core (taskset -c 0) when taskset is available: our code and sox are
# both single-threaded, pinning keeps the JVM's GC/JIT threads from lending us a second core.
set -euo pipefail
cd "$(dirname "$0")/../.."
WORKDIR="${1:-/tmp/glm-audio-bench}"
mkdir -p "$WORKDIR"
PIN=()
if command -v taskset >/dev/null; then PIN=(taskset -c 0); fi

mvn -q -B test-compile
echo "== speed: 600 s 48 kHz 24-bit stereo -> 16 kHz mono (ours vs sox rate -v), best of 3"
"${PIN[@]}" mvn -q -B exec:java -Dexec.classpathScope=test \
  -Dmain.class=io.glmvoicebatch.audio.AudioBenchmark -Dexec.args="speed $WORKDIR 600"

echo "== speed: same at 44.1 kHz (rational 160/441 polyphase path)"
"${PIN[@]}" mvn -q -B exec:java -Dexec.classpathScope=test \
  -Dmain.class=io.glmvoicebatch.audio.AudioBenchmark -Dexec.args="speed $WORKDIR 600 44100"

echo "== peak heap: 60-minute 48 kHz 24-bit stereo file, in its own JVM capped at -Xmx512m"
# A separate plain JVM (not exec:java) so that -Xmx applies to our code alone, not to Maven.
java -Xmx512m -cp target/classes:target/test-classes \
  io.glmvoicebatch.audio.AudioBenchmark heap "$WORKDIR" 60

echo "== resampler and loudness quality"
java -cp target/classes:target/test-classes io.glmvoicebatch.audio.AudioBenchmark quality

#!/usr/bin/env bash
# A new user's nightly rehearsal: one day's folder of lesson recordings as recorders leave them (Chinese
# file names, a quiet lapel mic, a loud clip, one 25-minute lesson), run by the nightly preset exactly as
# cron runs it (`env -i`, no locale, no key: the embedded simulator). Needs sox and espeak-ng.
#   pipelines/nightly-lessons/rehearsal.sh [WORK_DIR]     (default /tmp/glm-nightly-rehearsal)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="${1:-/tmp/glm-nightly-rehearsal}"
day=rehearsal
lessons="$work/lessons/$day"
rm -rf "$work"
mkdir -p "$lessons"
clips="$root/sample-data/clips"

cp "$clips/zh-homework.wav" "$lessons/张三-提问.wav"
cp "$clips/en-sky-blue.wav" "$lessons/李四-英语.wav"
# A low-gain lapel mic: the same question 40 dB down (peaks near -40 dBFS).
sox -V1 "$clips/zh-photosynthesis.wav" "$lessons/王五-小声提问.wav" vol -40dB
# A loud recording: normalized to 0 dBFS.
sox -V1 "$clips/en-circle-area.wav" "$lessons/loud-question.wav" gain -n 0
# One 25-minute lesson: spoken sentences with pauses, 16 kHz mono.
sentences=(
  "今天我们学习光合作用。植物用阳光、水和二氧化碳制造养分。"
  "Please open your books to page twelve and read the first paragraph."
  "谁能告诉我，为什么天空是蓝色的？"
  "The area of a circle is pi times the radius squared."
)
parts=()
i=0
while [ "$i" -lt 100 ]; do
  s="${sentences[$((i % ${#sentences[@]}))]}"
  voice=$([[ "$s" =~ [a-zA-Z] ]] && echo en || echo cmn)
  espeak-ng -v "$voice" -w "$work/s$i.wav" "$s"
  sox -V1 "$work/s$i.wav" -r 16000 -c 1 -b 16 "$work/p$i.wav" pad 0 8
  parts+=("$work/p$i.wav")
  i=$((i + 1))
done
sox -V1 "${parts[@]}" "$work/lesson-raw.wav"
# Repeat to at least 25 minutes.
len=$(soxi -D "$work/lesson-raw.wav")
reps=$(awk -v l="$len" 'BEGIN { r = int(1500 / l); if (r * l < 1500) r++; print (r > 1 ? r - 1 : 0) }')
sox -V1 "$work/lesson-raw.wav" "$lessons/第三课-整节课.wav" repeat "$reps" trim 0 1500
rm -f "$work"/s*.wav "$work"/p*.wav "$work/lesson-raw.wav"

# As cron runs it: an empty environment but PATH and HOME.
set +e
env -i PATH=/usr/bin:/bin HOME="$HOME" LESSON_ROOT="$work/lessons" OUT_ROOT="$work/out" DAY="$day" \
  "$root/pipelines/run" nightly-lessons > "$work/nightly.log" 2>&1
code=$?
set -e
echo "exit code: $code (log: $work/nightly.log, outputs: $work/out/$day)"
grep -E '^(items:|this run:|time:|audio sent)' "$work/nightly.log" || true
exit "$code"

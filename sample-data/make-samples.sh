#!/usr/bin/env bash
# Regenerates the sample lesson clips in sample-data/clips/ from text.
#
# Requires espeak-ng and sox (Debian: apt-get install -y espeak-ng sox).
# Output is deterministic: espeak-ng is deterministic, and sox runs with -R
# ("repeatable" mode: dither and noise generators use a fixed seed, no
# timestamps), so re-running this script reproduces byte-identical WAVs.
#
# The clips deliberately use different WAV encodings (rates, channel counts,
# sample formats, WAVE_FORMAT_PCM vs. WAVE_FORMAT_EXTENSIBLE, µ-law, float,
# unsigned 8-bit) so that the tool's audio decoder is exercised.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")"
export LC_ALL=C.UTF-8

for tool in espeak-ng sox; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install -y espeak-ng sox)" >&2; exit 1; }
done

OUT=clips
mkdir -p "$OUT"
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

SOX=(sox -R -V1)

# speak ID VOICE WPM TEXT
#   -> $TMP/ID.wav: 22.05 kHz mono s16 speech, espeak's own leading/trailing
#      silence trimmed, peak-normalised to -3 dBFS.
speak() {
  local id=$1 voice=$2 wpm=$3 text=$4
  espeak-ng -v "$voice" -s "$wpm" -w "$TMP/$id.raw.wav" -- "$text"
  "${SOX[@]}" "$TMP/$id.raw.wav" "$TMP/$id.wav" \
    silence 1 0.02 -45d reverse silence 1 0.02 -45d reverse \
    pad 0.05 0.05 norm -3
}

# pad_quiet ID SECONDS: surround $TMP/ID.wav with SECONDS of near-silence
# (white noise at about -60 dBFS) at both ends, in place.
pad_quiet() {
  local id=$1 secs=$2
  "${SOX[@]}" -n -r 22050 -c 1 -b 16 "$TMP/quiet.wav" synth "$secs" whitenoise vol 0.001
  "${SOX[@]}" "$TMP/quiet.wav" "$TMP/$id.wav" "$TMP/quiet.wav" "$TMP/$id.padded.wav"
  mv "$TMP/$id.padded.wav" "$TMP/$id.wav"
}

# encode ID SOX-OUTPUT-OPTIONS...: write $OUT/ID.wav from $TMP/ID.wav
encode() {
  local id=$1; shift
  "${SOX[@]}" "$TMP/$id.wav" "$@" "$OUT/$id.wav"
}

# --- Chinese (espeak-ng voice cmn) -----------------------------------------

# Plain 16 kHz mono s16 PCM, with ~0.5 s near-silence before and after.
speak zh-photosynthesis cmn 210 "老师，光合作用需要哪些条件？"
pad_quiet zh-photosynthesis 0.5
encode zh-photosynthesis -r 16000 -c 1 -b 16 -e signed-integer

# 8 kHz mono G.711 µ-law (WAVE_FORMAT_MULAW).
speak zh-triangle-angles cmn 230 "请问三角形的内角和为什么是一百八十度？"
encode zh-triangle-angles -r 8000 -c 1 -b 8 -e u-law

# 48 kHz mono 24-bit PCM (sox writes WAVE_FORMAT_EXTENSIBLE for >16 bit).
speak zh-english-word cmn 240 "这个英语单词怎么读？"
encode zh-english-word -r 48000 -c 1 -b 24 -e signed-integer

# 22.05 kHz mono 32-bit IEEE float.
speak zh-homework cmn 200 "我们明天的作业是什么？"
encode zh-homework -r 22050 -c 1 -b 32 -e floating-point

# --- English (espeak-ng voices en-us / en-gb) --------------------------------

# 44.1 kHz stereo s16, the same speech on both channels.
speak en-sky-blue en-us 150 "Could you explain why the sky is blue?"
encode en-sky-blue -r 44100 -c 2 -b 16 -e signed-integer

# 11.025 kHz mono unsigned 8-bit PCM, with ~0.5 s near-silence before and after.
speak en-weather-climate en-gb 170 "What is the difference between weather and climate?"
pad_quiet en-weather-climate 0.5
encode en-weather-climate -r 11025 -c 1 -b 8 -e unsigned-integer

# 96 kHz stereo 24-bit PCM (WAVE_FORMAT_EXTENSIBLE), same speech on both channels.
speak en-circle-area en-us 160 "How do I find the area of a circle?"
encode en-circle-area -r 96000 -c 2 -b 24 -e signed-integer

# Stereo s16 with the speech on channel 2 ONLY; channel 1 is near-silence
# (about -60 dBFS noise). A decoder that just takes channel 1 hears nothing;
# a proper downmix (average of channels) keeps the speech.
# 32 kHz rather than 44.1 kHz to keep the sample folder under 3 MB.
speak en-check-answer en-gb 170 "Can you check my answer to question three?"
pad_quiet en-check-answer 0.5
len=$(soxi -s "$TMP/en-check-answer.wav")
"${SOX[@]}" -n -r 22050 -c 1 -b 16 "$TMP/ch1.wav" synth "${len}s" whitenoise vol 0.001
"${SOX[@]}" -M "$TMP/ch1.wav" "$TMP/en-check-answer.wav" "$TMP/en-check-answer.st.wav"
mv "$TMP/en-check-answer.st.wav" "$TMP/en-check-answer.wav"
encode en-check-answer -r 32000 -c 2 -b 16 -e signed-integer

# --- summary -----------------------------------------------------------------
printf '%-22s %6s %3s %4s %-28s %s\n' id rate ch bits encoding duration
for f in "$OUT"/*.wav; do
  printf '%-22s %6s %3s %4s %-28s %s\n' "$(basename "$f" .wav)" \
    "$(soxi -r "$f")" "$(soxi -c "$f")" "$(soxi -b "$f")" "$(soxi -e "$f")" "$(soxi -d "$f")"
done
du -sh .

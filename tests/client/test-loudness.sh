#!/bin/bash
# Levels (issue 13), TAP, through rawcdctl and the real rawcdd: each
# track's sample peak, true peak and integrated loudness, measured in the
# decoder helpers, against ffmpeg's ebur128 filter run on the very samples
# the disc holds (cut from the BIN rawcdctl wrote), and the sample peak
# against the largest sample computed here (loudness-check.py).  Files: a
# 16-bit sine (read by rawcdd itself, measured by a helper), 16-bit noise
# in FLAC, a float WAV that clips, a 48 kHz 24-bit FLAC (resampled and
# dithered), digital silence; `create --levels` and `info --levels`, text
# and --json; two tracks cut from one file by a CUE sheet, each measured
# on its own range; MeasureLevels and the Track properties over gdbus, and
# the errors a bad call gets.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CHECK=$(dirname "$0")/loudness-check.py
CLIP=$(dirname "$0")/levels-check.py
[ -x "$PY" ] || bail_out "$PY is not installed (see .ci/packages)"
command -v ffmpeg >/dev/null || bail_out "ffmpeg is not installed (see .ci/packages)"

# A long FLAC is decoded in segments by several helpers at once
# (rc-decoder-segments.h); forced here, so that the one measured below
# would be too if measuring did not keep its stream in one helper.
export RAWCD_PARALLEL_DECODING=3
if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
L=$T/loudness
mkdir -p "$L"
sox -n -r 44100 -c 2 -b 16 "$L/sine.wav" synth 8 sine 997 vol 0.5 &&
sox -R -n -r 44100 -c 2 -b 16 "$L/noise.flac" synth 8 whitenoise vol 0.25 &&
sox -n -r 48000 -c 2 -b 24 "$L/hires.flac" synth 8 sine 1000 vol 0.3 &&
"$PY" "$CLIP" make "$L/loud.wav" &&
"$PY" "$CHECK" silence "$L/silence.wav" ||
  bail_out "cannot make the test files"

# PASS/FAIL lines of loudness-check.py as TAP
tap_of() {
  while read -r verdict what; do
    case $verdict in
      PASS) ok "$what" ;;
      FAIL) not_ok "$what" ;;
      \#) echo "# $what" ;;
      *) echo "# $verdict $what" ;;
    esac
  done
}

# frames each file becomes at 44.1 kHz (48 kHz: round(n * 44100 / 48000))
frames_of() {
  local n rate
  n=$(soxi -s "$1") rate=$(soxi -r "$1")
  echo $(( (n * 44100 + rate / 2) / rate ))
}
files=("$L/sine.wav" "$L/noise.flac" "$L/loud.wav" "$L/hires.flac" "$L/silence.wav")
names=(sine noise:noise clipping-float 48kHz silence)

# ---- 1. create --levels --json: the result's levels against the BIN ----------

ctl create --levels --json --format cue -o "$L/disc.bin" "${files[@]}" >"$T/out" 2>"$T/err"
rc=$?
check "create --levels of five files exits 0" test $rc -eq 0
diag <"$T/err"
tail -n 1 "$T/out" >"$T/result.json"
ctl info --json "${files[@]}" >"$T/info.json"
"$PY" - "$T/result.json" "$T/levels.json" <<'PYEOF'
import json, sys
result = json.load(open(sys.argv[1]))
json.dump([t["levels"] for t in result["levels"]], open(sys.argv[2], "w"))
PYEOF
check "the --json result carries one levels object per track" \
  "$PY" -c "import json,sys; l=json.load(open(sys.argv[1])); sys.exit(len(l) != 5 or None in l)" \
  "$T/levels.json"
ranges=()
for i in "${!files[@]}"; do
  lba=$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['tracks'][int(sys.argv[2])]['starting_lba'])" \
        "$T/info.json" "$i")
  name=${names[$i]%%:*} kind=${names[$i]#"$name"}
  ranges+=("$name:$((lba * 2352)):$(frames_of "${files[$i]}"):$i$kind")
done
"$PY" "$CHECK" compare "$L/disc.bin" "$T/levels.json" "${ranges[@]}" >"$T/cmp" 2>&1
tap_of <"$T/cmp"
check "the Job's Message names the levels of track 1" \
  grep -q "track 1: peak -6.02 dBFS, true peak -[0-9.]* dBTP, -[0-9.]* LUFS" \
  <("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['message'])" "$T/result.json")
check "... and says -inf for the silent track 5" \
  grep -q "track 5: peak -inf dBFS, true peak -inf dBTP, -inf LUFS" \
  <("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['message'])" "$T/result.json")
check "the float file still warns of its clipping" \
  grep -q "^rawcdctl: warning: track 3: [0-9]* samples clipped$" "$T/err"

# ---- 2. create --levels, text -----------------------------------------------

ctl create --levels -o "$L/text.img" "$L/sine.wav" "$L/silence.wav" >"$T/out" 2>"$T/err"
check "create --levels prints 'track 1: peak -6.02 dBFS, ...'" \
  grep -qE "^track 1: peak -6\.02 dBFS, true peak -[0-9.]+ dBTP, loudness -[0-9.]+ LUFS$" "$T/out"
check "... and -inf for silence" \
  grep -qx "track 2: peak -inf dBFS, true peak -inf dBTP, loudness -inf LUFS" "$T/out"
diag <"$T/out"
ctl create -o "$L/plain.img" "$L/sine.wav" >"$T/out" 2>"$T/err"
check "create without --levels measures and prints nothing of it" \
  test ! -s "$T/out"

# ---- 3. info --levels: two tracks cut from one file, each its own range ----

sox -n -r 44100 -c 2 -b 16 "$L/a.wav" synth 6 sine 440 vol 0.8 &&
sox -R -n -r 44100 -c 2 -b 16 "$L/b.wav" synth 6 pinknoise vol 0.05 &&
sox "$L/a.wav" "$L/b.wav" "$L/split.wav" || bail_out "cannot make split.wav"
cat >"$L/split.cue" <<'CUE'
FILE "split.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 01 00:06:00
CUE
ctl info --levels --json "$L/split.cue" >"$T/info.json" 2>"$T/err"
rc=$?
check "info --levels --json of a sheet that cuts one file in two exits 0" test $rc -eq 0
diag <"$T/err"
"$PY" -c "import json,sys; json.dump([t['levels'] for t in json.load(open(sys.argv[1]))['tracks']], open(sys.argv[2], 'w'))" \
  "$T/info.json" "$T/levels.json"
data=$("$PY" -c "
import sys
raw = open(sys.argv[1], 'rb').read()
print(raw.index(b'data') + 8)" "$L/split.wav")
"$PY" "$CHECK" compare "$L/split.wav" "$T/levels.json" \
  "range-1-sine:$data:264600:0" "range-2-noise:$((data + 264600 * 4)):264600:1:noise" >"$T/cmp" 2>&1
tap_of <"$T/cmp"
ctl info --levels "$L/split.cue" >"$T/out" 2>"$T/err"
check "info --levels shows a levels line under each track" \
  test "$(grep -cE '^ +levels: peak -[0-9.]+ dBFS, true peak -[0-9.]+ dBTP, loudness -[0-9.]+ LUFS$' "$T/out")" -eq 2
diag <"$T/out"
ctl info --json "$L/split.cue" >"$T/out" 2>"$T/err"
check "info without --levels: levels null" \
  "$PY" -c "import json,sys; sys.exit(any(t['levels'] is not None for t in json.load(open(sys.argv[1]))['tracks']))" "$T/out"

# ---- 4. a FLAC long enough to be decoded in segments ------------------------

sox -R -n -r 44100 -c 2 -b 16 "$L/long.flac" synth 40 pinknoise vol 0.2 ||
  bail_out "cannot make long.flac"
sox "$L/long.flac" -t s16 "$L/long.raw" || bail_out "sox cannot decode long.flac"
ctl info --levels --json "$L/long.flac" >"$T/info.json" 2>"$T/err"
rc=$?
check "info --levels of a 40 s FLAC (segments forced on) exits 0" test $rc -eq 0
diag <"$T/err"
"$PY" -c "import json,sys; json.dump([t['levels'] for t in json.load(open(sys.argv[1]))['tracks']], open(sys.argv[2], 'w'))" \
  "$T/info.json" "$T/levels.json"
"$PY" "$CHECK" compare "$L/long.raw" "$T/levels.json" "long-flac:0:$((40 * 44100)):0:noise" \
  >"$T/cmp" 2>&1
tap_of <"$T/cmp"
ctl create -o "$L/long.img" "$L/long.flac" >"$T/out" 2>"$T/err"
check "... and an image of it without --levels is still made (in segments)" \
  test $? -eq 0 -a -s "$L/long.img"

# ---- 4. on the bus: MeasureLevels, the Track properties, errors ------------

call() {
  gdbus call --address "$BUS" --dest org.rawcd.RawCD1 "$@" 2>&1
}
prop() {
  call --object-path "$1" --method org.freedesktop.DBus.Properties.Get "$2" "$3"
}
session=$(call --object-path /org/rawcd/RawCD1 \
  --method org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" \
  | sed -n "s/^(objectpath '\([^']*\)'.*/\1/p")
check "a session" test -n "$session"
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.MeasureLevels "{}" >"$T/out"
check "MeasureLevels without tracks: NoTracks" \
  grep -q "org.rawcd.RawCD1.Error.NoTracks" "$T/out"
diag <"$T/out"
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.AddTrack \
  0 3 "{}" 3<"$L/sine.wav" >"$T/out"
track="$session/Track/1"
check "before measuring: LoudnessMeasured false" \
  grep -qF "(<false>,)" <(prop "$track" org.rawcd.RawCD1.Track LoudnessMeasured)
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.MeasureLevels \
  "{'fast': <true>}" >"$T/out"
check "MeasureLevels with an unknown option: InvalidArgument naming it" \
  grep -q "org.rawcd.RawCD1.Error.InvalidArgument.*fast" "$T/out"
diag <"$T/out"
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.CreateResultImage \
  3 "{'levels': <'yes'>}" 3>"$L/bad.img" >"$T/out"
check "CreateResultImage with levels of the wrong type: InvalidArgument naming it" \
  grep -q "org.rawcd.RawCD1.Error.InvalidArgument.*levels" "$T/out"
diag <"$T/out"
job=$(call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.MeasureLevels "{}" \
  | sed -n "s/^(objectpath '\([^']*\)'.*/\1/p")
check "MeasureLevels returns a job" test -n "$job"
for _ in $(seq 100); do
  prop "$job" org.rawcd.RawCD1.Job State | grep -qF "succeeded" && break
  sleep 0.1
done
prop "$job" org.rawcd.RawCD1.Job Message >"$T/out"
check "the job succeeds: 'the levels are measured: ... track 1: peak -6.02 dBFS'" \
  grep -q "the levels are measured: [0-9]* sectors read; track 1: peak -6.02 dBFS" "$T/out"
diag <"$T/out"
check "its Operation is rawcd-measure-levels" \
  grep -qF "rawcd-measure-levels" <(prop "$job" org.rawcd.RawCD1.Job Operation)
check "LoudnessMeasured and LevelsMeasured true" \
  bash -c "grep -qF '(<true>,)' <(gdbus call --address '$BUS' --dest org.rawcd.RawCD1 --object-path '$track' --method org.freedesktop.DBus.Properties.Get org.rawcd.RawCD1.Track LoudnessMeasured) &&
           grep -qF '(<true>,)' <(gdbus call --address '$BUS' --dest org.rawcd.RawCD1 --object-path '$track' --method org.freedesktop.DBus.Properties.Get org.rawcd.RawCD1.Track LevelsMeasured)"
want=$("$PY" "$CHECK" peak "$L/sine.wav" 44 $((8 * 44100)))
got=$(prop "$track" org.rawcd.RawCD1.Track SamplePeak | sed -n 's/^(<\(.*\)>,)$/\1/p')
check "SamplePeak ($got) is the largest sample's level ($want), to the last digit" \
  "$PY" -c "import sys; sys.exit(abs(float(sys.argv[1]) - float(sys.argv[2])) > 1e-12)" "${got:-nan}" "$want"
check "the layout is not frozen: a track can still be added" \
  bash -c "gdbus call --address '$BUS' --dest org.rawcd.RawCD1 --object-path '$session' --method org.rawcd.RawCD1.ImageCreator.AddTrack 0 3 '{}' 3<'$L/noise.flac' | grep -q Track/2"
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.Close >/dev/null

echo "1..$n"
[ "$failed" -eq 0 ]

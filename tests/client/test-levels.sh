#!/bin/bash
# Clipping is never silent (issue 13), TAP, through rawcdctl and the real
# rawcdd: a 32-bit float WAV peaking at 1.8 (levels-check.py, checked as
# such by sox --i) is clipped to 16 bits, and the count of clipped samples,
# computed independently from the file's floats, is what the Track's
# ClippedSamples says, what the Job's Message and rawcdctl create's warning
# and --json result say, for rounding (exact) and for dither (within what
# dither of less than 1 LSB can change).  Audio that does not clip gets no
# warning.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CHECK=$(dirname "$0")/levels-check.py
[ -x "$PY" ] || bail_out "$PY is not installed (see .ci/packages)"

if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
L=$T/levels
mkdir -p "$L"

"$PY" "$CHECK" make "$L/loud.wav"
check "sox reads the test file as 32-bit float" \
  grep -q "32-bit Floating Point PCM" <(sox --i "$L/loud.wav" 2>&1)
read -r exact low high < <("$PY" "$CHECK" count "$L/loud.wav")
check "the file has samples beyond full scale ($exact rounded, $low..$high dithered)" \
  test "${exact:-0}" -gt 0
echo "$exact $low $high" | diag

# ---- 1. rawcdctl create, rounding: the count exactly ------------------------

ctl create --no-dither --json --format cue -o "$L/round.bin" "$A/a.wav" "$L/loud.wav" \
  >"$T/out" 2>"$T/err"
rc=$?
check "create --no-dither of a clean and a clipping track exits 0" test $rc -eq 0
diag <"$T/err"
check "rawcdctl warns: track 2: $exact samples clipped" \
  grep -qx "rawcdctl: warning: track 2: $exact samples clipped" "$T/err"
check "... and says nothing of track 1, which does not clip" \
  bash -c "! grep -q 'track 1:' '$T/err'"
if "$PY" - "$T/out" "$exact" <<'PYEOF'
import json, sys
last = json.loads(open(sys.argv[1]).read().splitlines()[-1])
want = [{"track": 2, "samples": int(sys.argv[2])}]
print(last.get("clipped"), last.get("message"))
assert last["type"] == "result" and last["success"], last
assert last["clipped"] == want, last["clipped"]
assert last["message"].endswith("; track 2: %s samples clipped" % sys.argv[2]), last["message"]
PYEOF
then ok "--json result: clipped [{track 2, $exact}], and the Job's Message names it"
else not_ok "--json result: clipped [{track 2, $exact}], and the Job's Message names it"
fi >"$T/verdict" 2>&1
grep -E "^(not )?ok " "$T/verdict"
grep -vE "^(not )?ok " "$T/verdict" | diag

# ---- 2. with dither (the default) ------------------------------------------

ctl create --json --format cue -o "$L/dither.bin" "$L/loud.wav" >"$T/out" 2>"$T/err"
rc=$?
check "create with dither exits 0" test $rc -eq 0
got=$(sed -n 's/^rawcdctl: warning: track 1: \([0-9]*\) samples clipped$/\1/p' "$T/err")
check "with dither the warning's count ($got) lies in $low..$high" \
  test -n "$got" -a "${got:-0}" -ge "$low" -a "${got:-0}" -le "$high"
diag <"$T/err"

# ---- 3. clean audio: no warning, an empty list ---------------------------------

ctl create --json --format cue -o "$L/clean.bin" "$A/a.wav" >"$T/out" 2>"$T/err"
rc=$?
check "create of 16-bit audio exits 0 with no warning" \
  test $rc -eq 0 -a ! -s "$T/err"
check "... and its --json result has clipped []" \
  "$PY" -c "import json,sys; l=json.loads(open(sys.argv[1]).read().splitlines()[-1]); sys.exit(l['clipped'] != [])" "$T/out"

# ---- 4. on the bus: LevelsMeasured and ClippedSamples ------------------------

call() {
  gdbus call --address "$BUS" --dest org.rawcd.RawCD1 "$@" 2>&1
}
prop() {
  call --object-path "$1" --method org.freedesktop.DBus.Properties.Get org.rawcd.RawCD1.Track "$2"
}
session=$(call --object-path /org/rawcd/RawCD1 \
  --method org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" \
  | sed -n "s/^(objectpath '\([^']*\)'.*/\1/p")
check "a session" test -n "$session"
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.AddTrack \
  0 3 "{'dither': <false>}" 3<"$L/loud.wav" >"$T/out"
diag <"$T/out"
track="$session/Track/1"
check "before any image: LevelsMeasured false" \
  grep -qF "(<false>,)" <(prop "$track" LevelsMeasured)
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.CreateResultImage \
  3 "{}" 3>"$L/bus.img" >"$T/out"
diag <"$T/out"
for _ in $(seq 100); do
  prop "$track" LevelsMeasured | grep -qF "(<true>,)" && break
  sleep 0.1
done
check "after the image: LevelsMeasured true" \
  grep -qF "(<true>,)" <(prop "$track" LevelsMeasured)
prop "$track" ClippedSamples >"$T/out"
check "ClippedSamples is $exact, as counted from the file" \
  grep -qF "(<uint64 $exact>,)" "$T/out"
diag <"$T/out"
call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.Close >/dev/null

echo "1..$n"
[ "$failed" -eq 0 ]

#!/bin/bash
# What the decoder helper does to audio that is not CD audio (TAP), through
# rawcdctl and the real rawcdd, against sox: 48 and 96 kHz resampled as
# sox's very-high-quality `rate -v` does it, frequency and level kept; a
# -94 dBFS 24-bit sine dithered (a symmetric spread of values, the tone
# still there) and the same bytes on a second run; mono on both channels;
# 16-bit 44.1 kHz audio untouched; --no-dither (AddTrack option dither)
# rounding within 1 LSB of sox, and a float file's clipping exact; Track
# SourceFormat and Conversions, and rawcdctl info's account of them; more
# than two channels refused by name.
# The measurements are in convert-check.py.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

PY=/usr/bin/python3
CHECK=$(dirname "$0")/convert-check.py
[ -x "$PY" ] || bail_out "$PY is not installed (see .ci/packages)"

if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
C=$T/convert
mkdir -p "$C"

# bin NAME FILE: the CUE sheet's BIN of a disc of FILE alone, as $C/NAME.bin
bin() {
  ctl create --format cue -o "$C/$1.bin" "$2" 2>"$T/err"
}
# measure DESCRIPTION CHECK ARGS...: convert-check.py's verdict, its figures as diagnostics
measure() {
  local what=$1
  shift
  if "$PY" "$CHECK" "$@" >"$T/measured" 2>&1; then ok "$what"; else not_ok "$what"; fi
  diag <"$T/measured"
}

# ---- 1. other rates: 48 kHz 16-bit, 96 kHz 24-bit -----------------------------

for spec in "48000 16" "96000 24"; do
  set -- $spec
  rate=$1 bits=$2
  sox -n -r "$rate" -c 2 -b "$bits" "$C/s$rate.wav" synth 5 sine 1000 vol 0.5
  sox -D "$C/s$rate.wav" -e signed -b 16 -t raw "$C/s$rate.ref" rate -v 44100
  bin "s$rate" "$C/s$rate.wav"
  rc=$?
  check "a $rate Hz $bits-bit file is made CD audio" test $rc -eq 0
  diag <"$T/err"
  # 5 s at 44.1 kHz: 220,500 frames, 375 whole sectors
  check "$rate Hz: 5 s of it is 375 sectors" test "$(file_size "$C/s$rate.bin")" -eq $((375 * 2352))
  measure "$rate Hz: within 2 LSB of sox rate -v (dither on here, off there)" \
    close "$C/s$rate.bin" "$C/s$rate.ref" 2
  measure "$rate Hz: the 1 kHz tone is where it was" tone "$C/s$rate.bin" 1000 80
  measure "$rate Hz: the level is kept" level "$C/s$rate.bin" "$C/s$rate.ref"
done

# ---- 2. 24-bit at -94 dBFS: dithered, deterministic ------------------------------

sox -n -r 44100 -c 2 -b 24 "$C/quiet.flac" synth 5 sine 1000 gain -94
bin quiet "$C/quiet.flac" && cp "$C/quiet.bin" "$C/quiet-1.bin" && bin quiet "$C/quiet.flac"
rc=$?
check "a -94 dBFS 24-bit FLAC is made CD audio twice" test $rc -eq 0
diag <"$T/err"
check "the second image has the same bytes as the first" cmp -s "$C/quiet.bin" "$C/quiet-1.bin"
measure "the values are spread both ways around 0 (dither, not truncation)" spread "$C/quiet.bin"
measure "the 1 kHz tone survives in the dither (no square-wave harmonics)" \
  tone "$C/quiet.bin" 1000 30

# ---- 3. mono, and CD audio untouched ------------------------------------------

sox -n -r 44100 -c 1 -b 16 "$C/mono.wav" synth 5 sine 1000 vol 0.5
sox "$C/mono.wav" -c 2 -t raw "$C/mono.ref"
bin mono "$C/mono.wav"
measure "mono plays identically on both channels" same-channels "$C/mono.bin"
measure "mono: the samples are the file's, exactly" close "$C/mono.bin" "$C/mono.ref" 0
sox "$A/a.wav" -t raw "$C/a.ref"
bin a "$A/a.wav"
measure "16-bit 44.1 kHz audio comes out bit-identical" close "$C/a.bin" "$C/a.ref" 0

# ---- 4. --no-dither: rounding, clipping -----------------------------------------

ctl create --no-dither --format cue -o "$C/r48.bin" "$C/s48000.wav" 2>"$T/err"
rc=$?
check "create --no-dither exits 0" test $rc -eq 0
diag <"$T/err"
measure "48 kHz, no dither here or there: within 1 LSB of sox rate -v" \
  close "$C/r48.bin" "$C/s48000.ref" 1
check "dither changes the samples (--no-dither and the default differ)" \
  bash -c "! cmp -s '$C/r48.bin' '$C/s48000.bin'"

# a float file peaking at 1.8: every sample beyond full scale is clipped,
# at full scale exactly, the others rounded
sox -n -r 44100 -c 2 -e floating-point -b 32 "$C/loud.wav" synth 5 sine 1000 vol 1.8
sox "$C/loud.wav" -t raw "$C/loud.f32"
ctl create --no-dither --format cue -o "$C/loud.bin" "$C/loud.wav" 2>"$T/err"
rc=$?
check "a float WAV peaking at 1.8 is made CD audio" test $rc -eq 0
diag <"$T/err"
measure "clipped exactly where the float samples exceed 16 bits, rounded elsewhere" \
  clipped "$C/loud.bin" "$C/loud.f32"

# the option on the bus: a boolean, named when it is not
start_bus_call() {
  gdbus call --address "$BUS" --dest org.rawcd.RawCD1 "$@" 2>&1
}
session=$(start_bus_call --object-path /org/rawcd/RawCD1 \
  --method org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" | sed -n "s/^(objectpath '\([^']*\)'.*/\1/p")
check "a session for the option checks" test -n "$session"
start_bus_call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.AddTrack \
  0 3 "{'dither': <'off'>}" 3<"$C/s48000.wav" >"$T/out"
check "AddTrack option dither as a string: InvalidArgument naming the option" \
  grep -q "Error.InvalidArgument.*dither" "$T/out"
diag <"$T/out"
start_bus_call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.AddTrack \
  0 3 "{'dither': <false>}" 3<"$C/s48000.wav" >"$T/out"
check "AddTrack option dither false is taken" grep -q "^(1, objectpath" "$T/out"
diag <"$T/out"

# ---- 5. what was done, said: SourceFormat and Conversions ------------------------

# on the bus, for the track added with dither false above
track="$session/Track/1"
start_bus_call --object-path "$track" --method org.freedesktop.DBus.Properties.Get \
  org.rawcd.RawCD1.Track SourceFormat >"$T/out"
check "Track SourceFormat names container, rate, channels and encoding" \
  grep -qF "(<'WAV, 48000 Hz, 2 channels, 16-bit PCM'>,)" "$T/out"
diag <"$T/out"
start_bus_call --object-path "$track" --method org.freedesktop.DBus.Properties.Get \
  org.rawcd.RawCD1.Track Conversions >"$T/out"
check "Track Conversions: resampled, then rounded (dither false)" \
  grep -qF "(<['resampled from 48,000 Hz', 'rounded to 16 bits']>,)" "$T/out"
diag <"$T/out"

sox -n -r 96000 -c 1 -b 24 "$C/m96.flac" synth 5 sine 1000 vol 0.5
ctl info --json "$C/m96.flac" "$C/quiet.flac" "$C/mono.wav" "$A/a.wav" >"$T/info.json" 2>"$T/err"
rc=$?
check "info --json of four kinds of audio exits 0" test $rc -eq 0
diag <"$T/err"
expect="[('FLAC, 96000 Hz, 1 channel, 24-bit PCM', ['resampled from 96,000 Hz', 'dithered from 24 bits', 'mono to stereo']), ('FLAC, 44100 Hz, 2 channels, 24-bit PCM', ['dithered from 24 bits']), ('WAV, 44100 Hz, 1 channel, 16-bit PCM', ['mono to stereo']), ('WAV, 44100 Hz, 2 channels, 16-bit PCM', [])]"
got=$(json_get "$T/info.json" "[(t['source_format'], t['conversions']) for t in j['tracks']]")
check "info --json: each track's source_format and conversions" test "$got" = "$expect"
echo "$got" | diag
ctl info "$C/m96.flac" "$A/a.wav" >"$T/info.txt" 2>"$T/err"
check "info: the converted track's line says what was found and what is done" \
  grep -qF "FLAC, 96000 Hz, 1 channel, 24-bit PCM: resampled from 96,000 Hz, dithered from 24 bits, mono to stereo" "$T/info.txt"
check "info: nothing is said of CD audio, which goes on the disc as it is" \
  test "$(grep -c '44100 Hz' "$T/info.txt")" -eq 0
diag <"$T/info.txt"

# ---- 6. refused ------------------------------------------------------------------

sox -n -r 44100 -c 6 -b 16 "$C/six.wav" synth 5 sine 440
bin six "$C/six.wav"
rc=$?
check "a 6-channel file is refused (exit 1)" test $rc -eq 1
check "... naming the file and its 6 channels" grep -q "six.wav.*6 channels" "$T/err"
diag <"$T/err"

echo "1..$n"
[ "$failed" -eq 0 ]

#!/bin/bash
# rawcdctl create/info SHEET.cue against the real rawcdd on a private bus,
# speaking TAP: malformed sheets (each a one-line error naming the sheet's
# line, exit status 1, nothing written).
#
#   RAWCDCTL  the rawcdctl to test
#   RAWCDD    the rawcdd to run on the private bus
set -u
. "$(dirname "$0")/lib.sh"

start_service
[ -n "$BUS" ] || bail_out "no private bus"

# A ripped album in a directory of its own: three 5-second tracks
R=$T/rip
mkdir -p "$R"
for i in 1 2 3; do
  sox -n -r 44100 -c 2 -b 16 "$R/0$i.wav" synth 5 sine $((200 * i)) vol 0.3 ||
    bail_out "sox cannot make the album"
done

# ---- malformed sheets --------------------------------------------------------
# bad NAME EXPECTED-MESSAGE: $R/NAME.cue (written by the caller) makes
# create fail with exit 1 and exactly "rawcdctl: EXPECTED-MESSAGE" on one
# line of stderr, and leaves nothing in $R/out
bad() {
  local name=$1 expected=$2 rc before
  mkdir -p "$R/out"
  before=$(listing "$R/out")
  ctl create -o "$R/out/$name.img" "$R/$name.cue" >"$T/out" 2>"$T/err"
  rc=$?
  if [ $rc -eq 1 ] && [ "$(cat "$T/err")" = "rawcdctl: $expected" ] &&
     [ "$(listing "$R/out")" = "$before" ]; then
    ok "$name: exit 1, one line: $expected"
  else
    not_ok "$name: exit 1, one line: $expected"
    { echo "exit $rc"; cat "$T/err"; listing "$R/out"; } | diag
  fi
}

cat >"$R/quote.cue" <<'CUE'
PERFORMER "The Band
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
CUE
bad quote "$R/quote.cue:1: unterminated quote in PERFORMER: \"The Band"

cat >"$R/order.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
    INDEX 03 00:02:00
CUE
bad order "$R/order.cue:4: INDEX 03 of track 1 out of order: it follows INDEX 01"

cat >"$R/backwards.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
    INDEX 02 00:03:00
    INDEX 03 00:02:00
CUE
bad backwards "$R/backwards.cue:5: INDEX 03 of track 1 at 00:02:00 is not after INDEX 02"

# 01.wav lasts 00:05:00: an index at 00:06:00 is past its end
cat >"$R/pastend.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 01 00:06:00
CUE
bad pastend "$R/pastend.cue:5: INDEX 01 of track 2 at 00:06:00 is past the end of \"01.wav\" (00:05:00 long)"

mkdir -p "$R/adir"
cat >"$R/directory.cue" <<'CUE'
FILE "adir" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
CUE
bad directory "$R/directory.cue:1: FILE \"adir\": $R/adir is a directory"

cat >"$R/missing.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
FILE "sub/02 - Gone.flac" WAVE
  TRACK 02 AUDIO
    INDEX 01 00:00:00
CUE
bad missing "$R/missing.cue:4: FILE \"sub/02 - Gone.flac\": cannot open $R/sub/02 - Gone.flac: No such file or directory"

cat >"$R/unknown.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEKS 01 00:00:00
CUE
bad unknown "$R/unknown.cue:3: unknown command \"INDEKS\""

head -c $((10 * 1024 * 1024)) /dev/zero | tr '\0' ' ' >"$R/huge.cue"
bad huge "$R/huge.cue: 10485760 bytes is not a CUE sheet (at most 1048576)"

{ printf 'FILE "01.wav" WAVE\n  TRACK 01 AUDIO\n'; head -c 2000 "$R/01.wav"; } >"$R/junk.cue"
bad junk "$R/junk.cue:3: byte 0x00: binary data, not a CUE sheet"

cat >"$R/fourch.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    FLAGS 4CH
    INDEX 01 00:00:00
CUE
bad fourch "$R/fourch.cue:3: FLAGS 4CH: four-channel audio cannot be written; rawcd makes two-channel discs"

head -c 882000 /dev/zero >"$R/be.raw"
cat >"$R/motorola.cue" <<'CUE'
FILE "be.raw" MOTOROLA
  TRACK 01 AUDIO
    INDEX 01 00:00:00
CUE
bad motorola "$R/motorola.cue:1: FILE \"be.raw\" MOTOROLA: big-endian raw audio is not taken (the service reads raw PCM little-endian only); convert it with 'sox -t raw -r 44100 -e signed -b 16 -c 2 -B IN -L OUT.bin' and write BINARY"

# info says the same, and a sheet's fault is no usage error (status 1)
ctl info "$R/order.cue" >"$T/out" 2>"$T/err"
rc=$?
check "info of a bad sheet: exit 1, the same line" \
  test "$rc $(cat "$T/err")" = "1 rawcdctl: $R/order.cue:4: INDEX 03 of track 1 out of order: it follows INDEX 01"

ctl create -o "$R/out/two.img" "$R/01.wav" "$R/order.cue" >"$T/out" 2>"$T/err"
rc=$?
check "a sheet among audio files: a usage error (exit 2) naming it" \
  test "$rc $(head -n 1 "$T/err")" = "2 rawcdctl create: a CUE sheet must be the only file: $R/order.cue"

echo "1..$n"
[ $failed -eq 0 ]

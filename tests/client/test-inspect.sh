#!/bin/bash
# rawcdctl inspect against the real rawcdd on a private bus, speaking TAP:
# images rawcd itself writes must inspect clean, whatever their options.
#
#   RAWCDCTL  the rawcdctl to test
#   RAWCDD    the rawcdd to run on the private bus
#
# Needs dbus-daemon, gdbus and sox (CI installs them: .ci/packages), so a
# missing one is a failure, not a skip.  Every process it starts is
# stopped by its PID on exit.  The bus and daemon: tests/lib/private-bus.sh.
set -u

: "${RAWCDCTL:?set RAWCDCTL to the rawcdctl binary}"
: "${RAWCDD:?set RAWCDD to the rawcdd binary}"

here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/private-bus.sh
. "$here/../lib/private-bus.sh"

pb_init inspect-test
pb_need dbus-daemon gdbus sox
[ -x "$RAWCDD" ] || bail_out "no rawcdd at $RAWCDD"

A=$T/audio
mkdir -p "$A"
sox -n -r 44100 -c 2 -b 16 "$A/intro.wav" synth 3 sine 330 vol 0.3 &&
sox -n -r 44100 -c 2 -b 16 "$A/01.wav" synth 5 sine 440 vol 0.3 ||
  bail_out "sox cannot make the audio fixtures"

pb_start_bus
pb_start_daemon "$RAWCDD"
ctl() { "$RAWCDCTL" --address "$BUS" "$@"; }

# ---- a hidden track and an MCN (issue 10) ----------------------------------
# §4 PINNED moves the MCN due on track 1's first sector (LBA -150) to LBA
# -149, which holds the hidden track's audio: it was reported as a lead-in
# that is not digital silence.
ctl create -o "$T/hidden-mcn.img" --hidden-track "$A/intro.wav" --mcn 0036000291452 "$A/01.wav" \
  >/dev/null 2>"$T/err" || { diag <"$T/err"; bail_out "create failed"; }
ctl inspect "$T/hidden-mcn.img" >"$T/out" 2>"$T/err"
rc=$?
check "a hidden track with an MCN inspects clean: exit 0, last line 'clean'" \
  bash -c "[ $rc -eq 0 ] && [ \"\$(tail -n 1 '$T/out')\" = clean ]"
[ $rc -eq 0 ] || diag <"$T/out"
check "... and reports the MCN it was made with" grep -q '^MCN: *0036000291452$' "$T/out"

# ---- times come from the service (issue 9: no CD arithmetic in client/) ----
# A Q bit flipped in the lead-in (LBA -200, absolute time 99:59:25: the
# lead-in counts from 90 minutes) and in the program area (LBA 300,
# 00:06:00): the listing and --json show each problem's time as the
# service's report gives it.
python3 - "$T/hidden-mcn.img" "$T/damaged.img" <<'PY'
import sys
data = bytearray(open(sys.argv[1], "rb").read())
for lba in (-200, 300):
    offset = (lba + 22650) * 2448 + 2352 + 24   # Q byte 3, IS_RAW
    data[offset] ^= 0x40
open(sys.argv[2], "wb").write(data)
PY
ctl inspect "$T/damaged.img" >"$T/out" 2>"$T/err"
rc=$?
check "a copy with two flipped Q bits: exit 1, each problem at its LBA and time" \
  bash -c "[ $rc -eq 1 ] && grep -q '^  LBA -200 (MSF 99:59:25)  q-crc: ' '$T/out' &&
           grep -q '^  LBA 300 (MSF 00:06:00)  q-crc: ' '$T/out' &&
           grep -q '^Sectors: .* the first at LBA -22650 (95:00:00)$' '$T/out' &&
           grep -q '^Lead-out: *LBA 450 (00:08:00)$' '$T/out'"
[ $rc -eq 1 ] || diag <"$T/out"
ctl inspect --json "$T/damaged.img" >"$T/out.json" 2>"$T/err"
check "... and in --json: the problems' msf, the first and lead-out times, the track's start" \
  test "$(python3 -c 'import json, sys; j = json.load(open(sys.argv[1]))
print([(p["lba"], p["msf"]) for p in j["problems"] if p["check"] == "q-crc"], j["first_msf"],
      j["leadout_msf"], [(t["start_msf"], t["pregap_msf"]) for t in j["tracks"]])' "$T/out.json" 2>&1)" \
    = "[(-200, '99:59:25'), (300, '00:06:00')] 95:00:00 00:08:00 [('00:03:00', '00:00:00')]"

# ---- CUE sheets (issue 10) ---------------------------------------------------
# The CUE sheet and BIN rawcd writes, and the CloneCD .img/.sub of the same
# disc (the .img is byte for byte the BIN): clean with and without the .sub.
ctl create --format cue -o "$T/disc.bin" --mcn 0036000291452 --isrc 1:USRC17607839 \
  "$A/01.wav" "$A/01.wav" >/dev/null 2>"$T/err" &&
ctl create --format clonecd -o "$T/disc.img" --mcn 0036000291452 --isrc 1:USRC17607839 \
  "$A/01.wav" "$A/01.wav" >/dev/null 2>"$T/err" || { diag <"$T/err"; bail_out "create failed"; }
diag <"$T/disc.cue"
ctl inspect --cue "$T/disc.cue" "$T/disc.bin" >"$T/out" 2>"$T/err"
rc=$?
check "inspect --cue of the sheet and BIN rawcd writes: exit 0, clean" \
  bash -c "[ $rc -eq 0 ] && [ \"\$(tail -n 1 '$T/out')\" = clean ]"
[ $rc -eq 0 ] || diag <"$T/out"
ctl inspect --cue "$T/disc.cue" --sub "$T/disc.sub" "$T/disc.img" >"$T/out" 2>"$T/err"
rc=$?
check "... and with the CloneCD .sub of the same sectors: exit 0, clean" \
  bash -c "[ $rc -eq 0 ] && [ \"\$(tail -n 1 '$T/out')\" = clean ]"
[ $rc -eq 0 ] || diag <"$T/out"

# Track 2's INDEX 01 (00:05:00, LBA 375: track 1 is 5 s) one frame late
sed 's/INDEX 01 00:05:00/INDEX 01 00:05:01/' "$T/disc.cue" >"$T/late.cue"
line=$(grep -n 'INDEX 01 00:05:01' "$T/late.cue" | cut -d: -f1)
ctl inspect --cue "$T/late.cue" --sub "$T/disc.sub" "$T/disc.img" >"$T/out" 2>"$T/err"
rc=$?
check "a sheet with an index one frame late: exit 1, reported at LBA 376 with its line" \
  bash -c "[ $rc -eq 1 ] && grep -q '^  LBA 376 (MSF 00:07:01)  sheet: line $line of the CUE sheet: INDEX 01 of track 02' '$T/out'"
diag <"$T/out"
# A wrong ISRC
sed 's/ISRC USRC17607839/ISRC USRC17607830/' "$T/disc.cue" >"$T/isrc.cue"
ctl inspect --cue "$T/isrc.cue" --sub "$T/disc.sub" "$T/disc.img" >"$T/out" 2>"$T/err"
check "a sheet with a wrong ISRC: reported at track 1 (LBA 0)" \
  grep -q '^  LBA 0 (MSF 00:02:00)  sheet: .*ISRC USRC17607830 in the sheet, USRC17607839 in the subchannel' "$T/out"
# A sheet too large is refused by the service, by name
head -c 70000 /dev/zero | tr '\0' ' ' >"$T/big.cue"
ctl inspect --cue "$T/big.cue" "$T/disc.bin" >"$T/out" 2>"$T/err"
rc=$?
check "a sheet of 70000 bytes is refused: exit 1, one line saying the limit" \
  bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'cue_sheet is 70000 bytes; a CUE sheet of at most 65536 bytes' '$T/err'"
diag <"$T/err"

# ---- CloneCD sets (issue 10) -------------------------------------------------
ctl create --format clonecd -o "$T/cd.img" --mcn 0036000291452 --title Album --track-title 1:One \
  "$A/01.wav" "$A/01.wav" >/dev/null 2>"$T/err" || { diag <"$T/err"; bail_out "create failed"; }
ctl inspect --ccd "$T/cd.ccd" --sub "$T/cd.sub" "$T/cd.img" >"$T/out" 2>"$T/err"
rc=$?
check "inspect --ccd of the CloneCD set rawcd writes: exit 0, clean, its [CDText] shown" \
  bash -c "[ $rc -eq 0 ] && [ \"\$(tail -n 1 '$T/out')\" = clean ] &&
           grep -Eq '^ +0 +disc +title +\"Album\"' '$T/out' && grep -Eq '^ +0 +1 +title +\"One\"' '$T/out'"
[ $rc -eq 0 ] || diag <"$T/out"
# track 2's index 1 (LBA 375) said one sector late in the control file
sed 's/^INDEX 1=375/INDEX 1=376/' "$T/cd.ccd" >"$T/late.ccd"
ctl inspect --ccd "$T/late.ccd" --sub "$T/cd.sub" "$T/cd.img" >"$T/out" 2>"$T/err"
rc=$?
check "a control file with an index one sector late: exit 1, reported at LBA 376 in [TRACK 2]" \
  bash -c "[ $rc -eq 1 ] && grep -q '^  LBA 376 (MSF 00:07:01)  sheet: the CloneCD file, \\[TRACK 2\\]: INDEX 1=376' '$T/out'"
diag <"$T/out"
ctl inspect --ccd "$T/cd.ccd" "$T/cd.img" >/dev/null 2>"$T/err"
check "--ccd without --sub is a bad command line (exit 2)" test $? -eq 2

pb_done

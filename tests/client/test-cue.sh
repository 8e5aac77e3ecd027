#!/bin/bash
# rawcdctl create/info SHEET.cue against the real rawcdd on a private bus,
# speaking TAP: malformed sheets (each a one-line error naming the sheet's
# line, exit status 1, nothing written); one disc ripped five ways (one
# FLAC, EAC's file per track, the gap at the start of the next file,
# BINARY, MOTOROLA) giving the same image, its indexes, codes and CD-TEXT read back
# by `rawcdctl inspect`, its audio equal to the source PCM, its sheet read
# by cuetools and cd-info, the round trip through --format cue; a hidden
# track, PREGAP and POSTGAP, 99 indexes; the round trip of each layout
# family and what a sheet cannot carry (a hidden track's first 2 s);
# REM GENRE as a CD-TEXT genre code (read back by libcdio); --tags under
# a sheet.
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

# more of each kind: a quote left open in a FILE name, an index 1 before its
# index 0, a frame count of 75, an index 0 (EAC's gap) and an index of a
# BINARY file past the file's end, a control byte that is not NUL
cat >"$R/quote2.cue" <<'CUE'
FILE "01.wav WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
CUE
bad quote2 "$R/quote2.cue:1: unterminated quote in FILE: \"01.wav WAVE"

cat >"$R/order2.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 00 00:04:00
    INDEX 01 00:03:00
CUE
bad order2 "$R/order2.cue:6: INDEX 01 of track 2 at 00:03:00 is not after INDEX 00"

cat >"$R/frames.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:75
CUE
bad frames "$R/frames.cue:3: INDEX 00:00:75: expected a time MM:SS:FF (minutes up to 99, seconds below 60, frames below 75)"

cat >"$R/pastend2.cue" <<'CUE'
FILE "01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 00 00:05:10
FILE "02.wav" WAVE
    INDEX 01 00:00:00
CUE
bad pastend2 "$R/pastend2.cue:5: INDEX 00 of track 2 at 00:05:10 is past the end of \"01.wav\" (00:05:00 long)"

sox "$R/01.wav" -t raw "$R/01.bin" || bail_out "sox cannot make a BIN"
cat >"$R/pastend3.cue" <<'CUE'
FILE "01.bin" BINARY
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 01 00:05:00
CUE
bad pastend3 "$R/pastend3.cue:5: INDEX 01 of track 2 at 00:05:00 is past the end of \"01.bin\" (00:05:00 long)"

printf 'TITLE "x"\001\002\nFILE "01.wav" WAVE\n' >"$R/junk2.cue"
bad junk2 "$R/junk2.cue:1: byte 0x01: binary data, not a CUE sheet"

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

# big-endian raw audio is taken (format raw-big-endian), but like BINARY
# it must be whole 4-byte frames: the service's refusal names the track
head -c 882001 /dev/zero >"$R/be.raw"
cat >"$R/motorola.cue" <<'CUE'
FILE "be.raw" MOTOROLA
  TRACK 01 AUDIO
    INDEX 01 00:00:00
CUE
bad motorola "$R/motorola.cue:3: track 1: headerless 16-bit stereo audio comes in 4-byte frames, but it is 882001 bytes long"

# info says the same, and a sheet's fault is no usage error (status 1)
ctl info "$R/order.cue" >"$T/out" 2>"$T/err"
rc=$?
check "info of a bad sheet: exit 1, the same line" \
  test "$rc $(cat "$T/err")" = "1 rawcdctl: $R/order.cue:4: INDEX 03 of track 1 out of order: it follows INDEX 01"

ctl create -o "$R/out/two.img" "$R/01.wav" "$R/order.cue" >"$T/out" 2>"$T/err"
rc=$?
check "a sheet among audio files: a usage error (exit 2) naming it" \
  test "$rc $(head -n 1 "$T/err")" = "2 rawcdctl create: a CUE sheet must be the only file: $R/order.cue"

# ---- one disc, five rips: the same image ------------------------------------
# A disc of noise, not whole sectors: sox synthesises 1,323,100 samples at
# the 48 kHz of its null input and resamples them for -r 44100 (the rate
# comes after -n), which leaves 1,215,598 frames (27.56 s); track 2
# has index 0 at 00:08:00, index 1 at 00:10:00, index 2 at 00:14:00; track 3
# starts at 00:20:00.  Ripped as one FLAC (XLD, cyanrip), as EAC's default
# file per track (the gap at the end of the file before), as the gap at the
# start of the next file ("compliant"), as one BINARY file and as its
# MOTOROLA (big-endian) twin.  All five sheets must give the same full
# image, byte for byte.
P=$T/pcm
mkdir -p "$P"
sox -n -r 44100 -c 2 -b 16 -e signed "$P/disc.raw" synth 1323100s whitenoise vol 0.2 ||
  bail_out "sox cannot make the disc"
# cut FROM-FRAME TO-FRAME (CD frames; "end" for the end) NAME: a WAV of that part
cut_wav() {
  local from=$(( $1 * 2352 )) count=
  [ "$2" != end ] && count="count=$(( ($2 - $1) * 2352 ))"
  dd if="$P/disc.raw" iflag=skip_bytes,count_bytes skip=$from $count status=none |
    sox -t raw -r 44100 -c 2 -b 16 -e signed - "$3"
}
sox -t raw -r 44100 -c 2 -b 16 -e signed "$P/disc.raw" "$P/disc.wav" &&
flac -s -f "$P/disc.wav" -o "$P/disc.flac" &&
cp "$P/disc.raw" "$P/disc.bin" &&
sox -t raw -r 44100 -c 2 -b 16 -e signed "$P/disc.raw" -t raw -e signed -b 16 -B "$P/disc.be" &&
cut_wav 0 750 "$P/eac01.wav" && cut_wav 750 1500 "$P/eac02.wav" &&
cut_wav 1500 end "$P/eac03.wav" &&
cut_wav 0 600 "$P/c01.wav" && cut_wav 600 1500 "$P/c02.wav" && cut_wav 1500 end "$P/c03.wav" &&
flac -s -f "$P/c01.wav" "$P/c02.wav" "$P/c03.wav" || bail_out "cannot cut the rips"

head_text='REM GENRE "Rock"
REM DATE 2001
REM DISCID 1E007D03
REM COMMENT "ExactAudioCopy v1.6"
CATALOG 0036000291452
PERFORMER "The Band"
TITLE "The Album"'
t1='    TITLE "One"
    PERFORMER "The Band"'
t2='    TITLE "Two"
    PERFORMER "The Band"
    ISRC USRC17607839'
t3='    TITLE "Three"
    PERFORMER "The Band"
    FLAGS DCP PRE'
one_file() {   # FILE-LINE
  cat <<CUE
$head_text
$1
  TRACK 01 AUDIO
$t1
    INDEX 01 00:00:00
  TRACK 02 AUDIO
$t2
    INDEX 00 00:08:00
    INDEX 01 00:10:00
    INDEX 02 00:14:00
  TRACK 03 AUDIO
$t3
    INDEX 01 00:20:00
CUE
}
one_file 'FILE "disc.flac" WAVE' >"$P/xld.cue"
one_file 'FILE "disc.bin" BINARY' >"$P/bin.cue"
one_file 'FILE "disc.be" MOTOROLA' >"$P/motorola.cue"
cat >"$P/eac.cue" <<CUE
$head_text
FILE "eac01.wav" WAVE
  TRACK 01 AUDIO
$t1
    INDEX 01 00:00:00
  TRACK 02 AUDIO
$t2
    INDEX 00 00:08:00
FILE "eac02.wav" WAVE
    INDEX 01 00:00:00
    INDEX 02 00:04:00
FILE "eac03.wav" WAVE
  TRACK 03 AUDIO
$t3
    INDEX 01 00:00:00
CUE
cat >"$P/cyanrip.cue" <<CUE
$head_text
FILE "c01.flac" WAVE
  TRACK 01 AUDIO
$t1
    INDEX 01 00:00:00
FILE "c02.flac" WAVE
  TRACK 02 AUDIO
$t2
    INDEX 00 00:00:00
    INDEX 01 00:02:00
    INDEX 02 00:06:00
FILE "c03.flac" WAVE
  TRACK 03 AUDIO
$t3
    INDEX 01 00:00:00
CUE

for rip in xld eac cyanrip bin motorola; do
  ctl create -o "$P/$rip.img" "$P/$rip.cue" >/dev/null 2>"$T/err"
  rc=$?
  check "$rip sheet: create succeeds" test $rc -eq 0
  [ $rc -eq 0 ] || diag <"$T/err"
done
check "the MOTOROLA file is the BINARY one byte-swapped (sox -B)" \
  python3 -c '
import sys
le = open(sys.argv[1], "rb").read(); be = open(sys.argv[2], "rb").read()
sys.exit(0 if len(le) == len(be) and le != be and be[0::2] == le[1::2] and be[1::2] == le[0::2] else 1)' \
  "$P/disc.bin" "$P/disc.be"
for rip in eac cyanrip bin motorola; do
  check "$rip sheet: the same image as the one-FLAC sheet, byte for byte" \
    cmp -s "$P/xld.img" "$P/$rip.img"
done

# what the image holds, read back from its subchannel and lead-in
ctl inspect --json "$P/xld.img" >"$T/inspect.json" 2>"$T/err"
check "the image inspects clean" test "$(json_get "$T/inspect.json" 'j["clean"]')" = True
check "tracks at LBA 0, 750 and 1500 (index 1)" \
  test "$(json_get "$T/inspect.json" '[t["start_lba"] for t in j["tracks"]]')" = "[0, 750, 1500]"
json_get "$T/inspect.json" 'j["tracks"]' | diag
check "track 2: index 0 at LBA 600, index 2 at LBA 1050" \
  test "$(json_get "$T/inspect.json" '(j["tracks"][1]["pregap_lba"], j["tracks"][1]["indexes"])')" = "(600, [750, 1050])"
check "track 3: FLAGS PRE is pre-emphasis in the Q control bits" \
  test "$(json_get "$T/inspect.json" '[t["preemphasis"] for t in j["tracks"]]')" = "[False, False, True]"
check "MCN and ISRC in the Q subchannel" \
  test "$(json_get "$T/inspect.json" '(j["mcn"], j["tracks"][1]["isrc"])')" = "('0036000291452', 'USRC17607839')"
json_get "$T/inspect.json" \
  'sorted((c["block"], c["track"], c["field"], c["text"]) for c in j["cdtext"])' >"$T/cdtext"
check "CD-TEXT of the sheet in the lead-in (disc, tracks, REM GENRE)" \
  bash -c "grep -qF \"(0, 0, 'title', 'The Album')\" '$T/cdtext' &&
           grep -qF \"(0, 0, 'genre', 'Rock')\" '$T/cdtext' &&
           grep -qF \"(0, 3, 'title', 'Three')\" '$T/cdtext'"

# REM GENRE "Rock": the text and code 23 of the CD-TEXT genre list, read
# back by the inspector, by libcdio's decoder (cd-info's names) from the
# packs of the CloneCD side file, and in the TOC side file's GENRE
check "REM GENRE \"Rock\": the lead-in's genre pack has code 23" \
  grep -qF "(0, 0, 'genre_code', '23')" "$T/cdtext"
ctl create --format clonecd -o "$P/xld-ccd.img" "$P/xld.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
"$(dirname "$0")/cdtext-libcdio.py" genre "$P/xld-ccd.ccd" >"$T/genre" 2>&1
diag <"$T/genre"
check "libcdio reads the packs: genre code 23 \"Rock Music\", text \"Rock\"" \
  test "$(cat "$T/genre")" = "23|Rock Music|Rock"
ctl create --format toc -o "$P/xld-toc.bin" "$P/xld.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
check "the TOC side file's GENRE: code 0, 23, then \"Rock\" and its NUL" \
  grep -qF 'GENRE { 0, 23, 82, 111, 99, 107, 0 }' "$P/xld-toc.toc"

# every name of libcdio's genre list (what cd-info prints) is its own code;
# case and hyphens aside; a genre the list lacks is code 1, its text kept
"$(dirname "$0")/cdtext-libcdio.py" names >"$T/names" 2>&1 || diag <"$T/names"
genre_of() {   # REM-GENRE-TEXT: prints "GENRE|CODE" as info reads them back
  printf 'REM GENRE "%s"\nFILE "01.wav" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:00:00\n' "$1" \
    >"$R/genre.cue"
  ctl info --json "$R/genre.cue" 2>"$T/err" |
    python3 -c 'import json, sys; b = json.load(sys.stdin)["cdtext"][0]; print("%s|%s" % (b.get("genre"), b.get("genre_code")))' ||
    diag <"$T/err"
}
wrong=
while IFS='|' read -r code name; do
  [ "$code" -ge 2 ] || continue
  got=$(genre_of "$name")
  [ "$got" = "$name|$code" ] || wrong="$wrong $code:$name=>$got"
done <"$T/names"
check "REM GENRE with each of libcdio's 26 genre names gives that name's code" \
  test -z "$wrong" -a "$(wc -l <"$T/names")" -eq 28
[ -z "$wrong" ] || echo "$wrong" | diag
check "REM GENRE \"hip-hop\": Hip Hop, code 13, the text as written" \
  test "$(genre_of hip-hop)" = "hip-hop|13"
check "REM GENRE \"Chanson\" (not on the list): code 1, Not Defined, the text kept" \
  test "$(genre_of Chanson)" = "Chanson|1"

# the audio: the BIN (from LBA 0) is the disc's PCM, then silence to a sector
ctl create --format cue -o "$P/rt.bin" "$P/xld.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
check "the BIN of the one-FLAC sheet is the source PCM sample for sample, then zeros" \
  python3 -c '
import sys
pcm = open(sys.argv[1], "rb").read(); data = open(sys.argv[2], "rb").read()
pad = -len(pcm) % 2352
sys.exit(0 if data == pcm + bytes(pad) else 1)' "$P/disc.raw" "$P/rt.bin"
# cuetools read the rip's sheet and ours alike
check "cuebreakpoints: the same breakpoints in the rip's sheet and rawcd's" \
  test "$(cuebreakpoints --prepend-gaps "$P/xld.cue" 2>&1)" = "$(cuebreakpoints --prepend-gaps "$P/rt.cue" 2>&1)"
check "cuebreakpoints: ... and the same index-1 points" \
  test "$(cuebreakpoints "$P/xld.cue" 2>&1)" = "$(cuebreakpoints "$P/rt.cue" 2>&1)"
check "cd-info reads rawcd's sheet: track 3 at LBA 1500" \
  bash -c "cd-info --no-header --no-device-info --no-cddb --cue-file '$P/rt.cue' 2>&1 | grep -Eq '^ *3: 00:22:00  *001500 audio'"
# round trip: rawcd's own sheet and BIN back in give the same image.  (A
# CUE sheet has no CD-TEXT genre or message: rawcd's leaves them out, so
# the round trip is of a sheet without REM GENRE and REM COMMENT.)
for rip in xld eac cyanrip bin motorola; do
  grep -v -e '^REM GENRE' -e '^REM COMMENT' "$P/$rip.cue" >"$P/plain-$rip.cue"
  ctl create -o "$P/plain-$rip.img" "$P/plain-$rip.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
  ctl create --format cue -o "$P/rt-$rip.bin" "$P/plain-$rip.cue" >/dev/null 2>"$T/err" ||
    diag <"$T/err"
  ctl create -o "$P/rt-$rip.img" "$P/rt-$rip.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
  check "round trip of the $rip sheet: create --format cue, then create from that sheet: the same image" \
    bash -c "[ -s '$P/rt-$rip.img' ] && cmp -s '$P/plain-$rip.img' '$P/rt-$rip.img'"
done

# ---- hidden track, PREGAP, POSTGAP -------------------------------------------
cat >"$P/hidden.cue" <<'CUE'
FILE "disc.flac" WAVE
  TRACK 01 AUDIO
    INDEX 00 00:00:00
    INDEX 01 00:03:00
  TRACK 02 AUDIO
    INDEX 01 00:20:00
CUE
ctl create --format cue -o "$P/hidden-out.bin" "$P/hidden.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
ctl info --json "$P/hidden.cue" >"$T/info.json" 2>"$T/err" || diag <"$T/err"
check "hidden track: track 1's pregap is 225 sectors (the 3 s before its INDEX 01)" \
  test "$(json_get "$T/info.json" 'j["tracks"][0]["pregap"]')" = 225
check "hidden track: track 1's index 1 at LBA 75 (the pregap holds LBA -150 to 74)" \
  test "$(json_get "$T/info.json" 'j["tracks"][0]["starting_lba"]')" = 75
# the first 150 sectors (LBA -150 to -1) are before any BIN; from LBA 0 on
# the BIN is the file from its sector 150
check "hidden track: the BIN from LBA 0 is the file from 00:02:00" \
  python3 -c '
import sys
pcm = open(sys.argv[1], "rb").read()[150 * 2352:]; data = open(sys.argv[2], "rb").read()
sys.exit(0 if data[:len(pcm)] == pcm else 1)' "$P/disc.raw" "$P/hidden-out.bin"
ctl create -o "$P/hidden.img" "$P/hidden.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
check "hidden track in the full image: LBA -150 on is the file from its start" \
  python3 -c '
import sys
pcm = open(sys.argv[1], "rb").read(); img = open(sys.argv[2], "rb").read()
audio = b"".join(img[(lba + 22650) * 2448:(lba + 22650) * 2448 + 2352] for lba in range(-150, 300))
sys.exit(0 if audio == pcm[:450 * 2352] else 1)' "$P/disc.raw" "$P/hidden.img"

cat >"$P/gaps.cue" <<'CUE'
FILE "c01.flac" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
    POSTGAP 00:00:30
FILE "c03.flac" WAVE
  TRACK 02 AUDIO
    PREGAP 00:01:00
    INDEX 01 00:00:00
CUE
ctl create --format cue -o "$P/gaps.bin" "$P/gaps.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
ctl info --json "$P/gaps.cue" >"$T/info.json" 2>"$T/err" || diag <"$T/err"
check "PREGAP 00:01:00: track 2's pregap is 75 sectors; POSTGAP adds 30 to track 1" \
  test "$(json_get "$T/info.json" '[(t["starting_lba"], t["pregap"]) for t in j["tracks"]]')" = "[(0, 150), (705, 75)]"
check "... the audio: c01, 105 sectors of silence, c03" \
  python3 -c '
import sys
raw = open(sys.argv[1], "rb").read(); data = open(sys.argv[2], "rb").read()
want = raw[:600 * 2352] + bytes(105 * 2352) + raw[1500 * 2352:]
sys.exit(0 if data[:len(want)] == want else 1)' "$P/disc.raw" "$P/gaps.bin"

# ---- 99 indexes ----------------------------------------------------------------
{ echo 'FILE "disc.flac" WAVE'; echo '  TRACK 01 AUDIO'
  for i in $(seq 1 99); do
    f=$(( (i - 1) * 15 ))
    printf '    INDEX %02d 00:%02d:%02d\n' "$i" $((f / 75)) $((f % 75))
  done; } >"$P/indexes.cue"
ctl create -o "$P/indexes.img" "$P/indexes.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
ctl inspect --json "$P/indexes.img" >"$T/inspect.json" 2>"$T/err"
check "INDEX 01 to 99 of a sheet: 99 indexes in the Q subchannel, every 15 sectors" \
  test "$(json_get "$T/inspect.json" 'j["tracks"][0]["indexes"] == list(range(0, 1485, 15))')" = True

# ---- a 48 kHz rip, file per track, the gap at the end of the file before ------
# 01 holds 385,000 frames at 48 kHz: 353,718.75 at 44.1 kHz, so track 2's
# first sample lies in sector 601 and the file is not whole sectors.
# INDEX 00 at 00:06:00 of 01 is LBA 450 exactly: the service places it
# from that frame (PregapStart), which the client cannot do from
# libsndfile's count (it gave LBA 449 before).
sox -r 48000 -n -c 2 -b 16 "$P/r48-01.wav" synth 385000s whitenoise vol 0.2 &&
sox -r 48000 -n -c 2 -b 16 "$P/r48-02.wav" synth 6 whitenoise vol 0.2 ||
  bail_out "sox cannot make the 48 kHz rip"
cat >"$P/r48.cue" <<'CUE'
FILE "r48-01.wav" WAVE
  TRACK 01 AUDIO
    INDEX 01 00:00:00
  TRACK 02 AUDIO
    INDEX 00 00:06:00
FILE "r48-02.wav" WAVE
    INDEX 01 00:00:00
CUE
ctl create -o "$P/r48.img" "$P/r48.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
ctl inspect --json "$P/r48.img" >"$T/inspect.json" 2>"$T/err" || diag <"$T/err"
check "48 kHz EAC rip: track 2's index 0 at LBA 450 (INDEX 00 00:06:00), index 1 at LBA 601" \
  test "$(json_get "$T/inspect.json" '(j["tracks"][1]["pregap_lba"], j["tracks"][1]["start_lba"])')" = "(450, 601)"
ctl info --json "$P/r48.cue" >"$T/info.json" 2>"$T/err" || diag <"$T/err"
check "... info says the same: a pregap of 151 sectors" \
  test "$(json_get "$T/info.json" '(j["tracks"][1]["pregap"], j["tracks"][1]["starting_lba"])')" = "(151, 601)"

# ---- the round trip of every layout family ---------------------------------------
# create --format cue, then create from rawcd's sheet and BIN: the same full
# image as the sheet gives directly.  (One file, file per track, index 0
# from audio, FLAGS, ISRC, CATALOG, TITLE and PERFORMER: the five rips
# above.)  Here: PREGAP (silence) and POSTGAP with CATALOG, ISRC and
# SONGWRITER; 99 indexes.
cat >"$P/family-gaps.cue" <<'CUE'
CATALOG 0036000291452
PERFORMER "The Band"
FILE "c01.flac" WAVE
  TRACK 01 AUDIO
    TITLE "One"
    SONGWRITER "The Writer"
    INDEX 01 00:00:00
    POSTGAP 00:00:30
FILE "c03.flac" WAVE
  TRACK 02 AUDIO
    TITLE "Two"
    ISRC USRC17607839
    PREGAP 00:01:00
    INDEX 01 00:00:00
CUE
cp "$P/indexes.cue" "$P/family-indexes.cue"
for family in gaps indexes; do
  ctl create -o "$P/family-$family.img" "$P/family-$family.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
  ctl create --format cue -o "$P/rt-family-$family.bin" "$P/family-$family.cue" >/dev/null 2>"$T/err" ||
    diag <"$T/err"
  ctl create -o "$P/rt-family-$family.img" "$P/rt-family-$family.cue" >/dev/null 2>"$T/err" ||
    diag <"$T/err"
  check "round trip of the $family family through --format cue: the same image" \
    bash -c "[ -s '$P/family-$family.img' ] && cmp -s '$P/family-$family.img' '$P/rt-family-$family.img'"
done
check "... the gaps family's sheet carries them as INDEX 00 of silence in the BIN, the codes and the songwriter" \
  bash -c "grep -q '^CATALOG 0036000291452' '$P/rt-family-gaps.cue' &&
           grep -q 'ISRC USRC17607839' '$P/rt-family-gaps.cue' &&
           grep -q 'SONGWRITER \"The Writer\"' '$P/rt-family-gaps.cue' &&
           grep -q 'INDEX 00 00:08:30' '$P/rt-family-gaps.cue'"
check "... the indexes family's sheet has all 99 indexes" \
  test "$(grep -c '^ *INDEX ' "$P/rt-family-indexes.cue")" -eq 99

# What a CUE sheet cannot carry (rawcdctl(1), docs/formats.md): the first
# 2 s of a hidden track lie before LBA 0, where every BIN starts.  A 5 s
# hidden track comes back as a 3 s one: the disc from LBA 0 on, 150
# sectors earlier; a 3 s one would come back under 2 s and is refused.
cat >"$P/hidden5.cue" <<'CUE'
FILE "disc.flac" WAVE
  TRACK 01 AUDIO
    INDEX 00 00:00:00
    INDEX 01 00:05:00
  TRACK 02 AUDIO
    INDEX 01 00:20:00
CUE
ctl create -o "$P/hidden5.img" "$P/hidden5.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
ctl create --format cue -o "$P/rt-hidden5.bin" "$P/hidden5.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
ctl create -o "$P/rt-hidden5.img" "$P/rt-hidden5.cue" >/dev/null 2>"$T/err" || diag <"$T/err"
check "hidden track of 5 s: rawcd's sheet says in a REM line that the first 150 sectors are not in the BIN" \
  grep -q '^REM The first 150 sectors of the hidden track' "$P/rt-hidden5.cue"
check "... and comes back as a 3 s hidden track: its program area is the original's from LBA 0" \
  python3 -c '
import sys
a = open(sys.argv[1], "rb").read(); b = open(sys.argv[2], "rb").read()
def audio(img, first, last):
    return b"".join(img[(lba + 22650) * 2448:(lba + 22650) * 2448 + 2352] for lba in range(first, last))
sys.exit(0 if len(a) - len(b) == 150 * 2448 and audio(a, 0, 2100) == audio(b, -150, 1950) else 1)' \
  "$P/hidden5.img" "$P/rt-hidden5.img"
ctl create -o "$P/rt-hidden3.img" "$P/hidden-out.cue" >/dev/null 2>"$T/err"
rc=$?
check "hidden track of 3 s: rawcd's sheet comes back refused (exit 1), the hidden part would last 00:01:00" \
  bash -c "[ $rc -eq 1 ] && grep -q 'lasts 00:01:00: it must last at least 00:02:00' '$T/err' && [ ! -e '$P/rt-hidden3.img' ]"

# ---- --tags under a sheet ---------------------------------------------------------
metaflac --set-tag="TITLE=Tag One" --set-tag=ISRC=USRC17600001 "$P/c01.flac" &&
metaflac --set-tag="TITLE=Tag Three" --set-tag=ISRC=USRC17600003 "$P/c03.flac" ||
  bail_out "metaflac cannot tag"
cat >"$P/tagged.cue" <<'CUE'
FILE "c01.flac" WAVE
  TRACK 01 AUDIO
    TITLE "Sheet One"
    ISRC USRC17600009
    INDEX 01 00:00:00
FILE "c03.flac" WAVE
  TRACK 02 AUDIO
    INDEX 01 00:00:00
CUE
ctl info --tags "$P/tagged.cue" >"$T/out" 2>"$T/err" || diag <"$T/err"
check "--tags with a sheet: the sheet's title and ISRC win, tags fill the rest" \
  test "$(grep -E 'ISRC|title' "$T/out" | sed -E 's/^ +//' | tr '\n' '|')" \
    = 'ISRC US-RC1-76-00009|CD-TEXT (English): title "Sheet One"|ISRC US-RC1-76-00003|CD-TEXT (English): title "Tag Three"|'

echo "1..$n"
[ $failed -eq 0 ]

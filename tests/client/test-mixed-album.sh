#!/bin/bash
# An album as people have it, through rawcdctl and the real rawcdd on a
# private bus (TAP): FLAC, ALAC and AAC in .m4a, WavPack, APE, MP3, Ogg
# Vorbis and a 48 kHz WAV, with spaces and non-ASCII characters in their
# names, written by `rawcdctl create` with no preparation.  The .m4a,
# WavPack and APE files are read by the second decoder helper,
# rawcd-decoder-ffmpeg.  Checked against the sources, not against rawcd:
#
#  - the lossless tracks (FLAC, ALAC, WavPack, APE) come first, each a
#    length that is no whole number of sectors; in the BIN (program area
#    from LBA 0, gapless: sample-exact joins) each one's samples are its
#    source's, bit for bit, at the sum of the lengths before it, and the
#    CUE sheet's INDEX 01 is the sector that holds its first sample;
#  - the lossy and converted tracks after them are read (each file's
#    source_format says what it is);
#  - an .m4a from a pipe is refused by name (UnsupportedAudio), saying
#    to give the file; a damaged .m4a is refused naming the file and what
#    is wrong with it, both through rawcdctl and on the bus.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

for tool in ffmpeg flac wavpack jmac lame oggenc; do
  command -v "$tool" >/dev/null || bail_out "$tool is not installed (see .ci/packages)"
done
if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
D=$T/album
mkdir -p "$D"

# Four lossless sources of 5 s or so (4 s is the shortest track a disc may
# have), of lengths that are no multiple of 588 frames
# (sox -R: the same noise every run), then the lossy ones' source.
lengths=(240001 228201 220003 217777)
for i in 0 1 2 3; do
  sox -R -r 44100 -c 2 -n -b 16 "$D/src$i.wav" synth "${lengths[$i]}s" pinknoise vol 0.4 ||
    bail_out "sox cannot make the sources"
  sox "$D/src$i.wav" -t raw "$D/src$i.raw"
done
sox -R -n -r 44100 -c 2 -b 16 "$D/lossy.wav" synth 5 sine 1000 vol 0.3 &&
  sox -n -r 48000 -c 2 -b 16 "$D/08 Studio 48k.wav" synth 5 sine 500 vol 0.3 ||
  bail_out "sox cannot make the lossy source"

ff() { ffmpeg -nostdin -loglevel error -y -i "$@"; }
files=(
  "$D/01 Ouverture.flac"
  "$D/02 Café au lait.m4a"
  "$D/03 Ærø – Wavpack.wv"
  "$D/04 Монки.ape"
  "$D/05 AAC song.m4a"
  "$D/06 MP3 song.mp3"
  "$D/07 Ogg song.ogg"
  "$D/08 Studio 48k.wav"
)
flac -s -f "$D/src0.wav" -o "${files[0]}" &&
  ff "$D/src1.wav" -c:a alac "${files[1]}" &&
  wavpack -q -y "$D/src2.wav" -o "${files[2]}" &&
  jmac c2 "$D/src3.wav" "${files[3]}" >/dev/null &&
  ff "$D/lossy.wav" -c:a aac -b:a 160k "${files[4]}" &&
  lame --quiet -b 192 "$D/lossy.wav" "${files[5]}" &&
  oggenc -Q "$D/lossy.wav" -o "${files[6]}" ||
  bail_out "the encoders cannot make the album"

# ---- 1. the album, as it is --------------------------------------------------

ctl create --format cue -o "$D/album.bin" "${files[@]}" >"$T/out" 2>"$T/err"
rc=$?
check "create --format cue of the mixed album (8 formats) exits 0" test $rc -eq 0
diag <"$T/err"
ctl info --json "${files[@]}" >"$T/info.json" 2>"$T/err"
got=$(json_get "$T/info.json" "' | '.join(t['source_format'] for t in j['tracks'])")
expect="FLAC, 44100 Hz, 2 channels, 16-bit PCM | MP4, 44100 Hz, 2 channels, ALAC | WavPack, 44100 Hz, 2 channels, WavPack | Monkey's Audio, 44100 Hz, 2 channels, Monkey's Audio | MP4, 44100 Hz, 2 channels, AAC | MPEG, 44100 Hz, 2 channels, MPEG Layer III | OGG, 44100 Hz, 2 channels, Vorbis | WAV, 48000 Hz, 2 channels, 16-bit PCM"
check "info --json: each file read as what it is" test "$got" = "$expect"
echo "$got" | diag
diag <"$T/err"

# The lossless tracks in the BIN and the CUE sheet, against their sources.
/usr/bin/python3 - "$D/album.bin" "$D/album.cue" "${lengths[@]}" >"$T/check" 2>&1 <<'EOF'
import re, sys
bin_path, cue_path = sys.argv[1], sys.argv[2]
lengths = [int(x) for x in sys.argv[3:]]
image = open(bin_path, 'rb').read()
cue = open(cue_path, encoding='utf-8').read()
# INDEX 01 of each track, in CD frames (75 a second)
starts = []
for track in re.split(r'\n\s*TRACK ', cue)[1:]:
    m = re.search(r'INDEX 01 (\d\d):(\d\d):(\d\d)', track)
    starts.append((int(m.group(1)) * 60 + int(m.group(2))) * 75 + int(m.group(3)))
bad = 0
offset = 0
for i, frames in enumerate(lengths):
    source = open('%s/src%d.raw' % (bin_path.rsplit('/', 1)[0], i), 'rb').read()
    assert len(source) == frames * 4
    got = image[offset * 4:offset * 4 + len(source)]
    same = got == source
    print('track %d: %d frames at frame %d: %s; INDEX 01 at sector %d, expected %d'
          % (i + 1, frames, offset, 'the source exactly' if same else 'DIFFERENT',
             starts[i], offset // 588))
    if not same or starts[i] != offset // 588:
        bad += 1
    offset += frames
sys.exit(1 if bad else 0)
EOF
rc=$?
check "FLAC, ALAC, WavPack and APE tracks equal their sources at the right LBAs" test $rc -eq 0
diag <"$T/check"

# ---- 2. an .m4a from a pipe, and a damaged one --------------------------------

cat "${files[1]}" | ctl info /dev/stdin >/dev/null 2>"$T/err"
rc=$?
check "an .m4a through a pipe: exit 1" test $rc -eq 1
check "... saying it is M4A and to give the file itself" \
  grep -q "MP4/M4A audio cannot be read from a pipe, only from a file: give the file itself" "$T/err"
diag <"$T/err"

head -c 40000 "${files[1]}" >"$D/09 Damaged café.m4a"
ctl info "$D/09 Damaged café.m4a" >/dev/null 2>"$T/err"
rc=$?
check "a damaged .m4a: exit 1" test $rc -eq 1
check "... naming the file and what is wrong (MP4 container damaged)" \
  grep -q "09 Damaged café.m4a: MP4: the container is damaged" "$T/err"
diag <"$T/err"

# on the bus: the D-Bus error names
bus_call() {
  gdbus call --address "$BUS" --dest org.rawcd.RawCD1 "$@" 2>&1
}
session=$(bus_call --object-path /org/rawcd/RawCD1 \
  --method org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" |
  sed -n "s/^(objectpath '\([^']*\)'.*/\1/p")
check "a session for the bus checks" test -n "$session"
cat "${files[1]}" | bus_call --object-path "$session" \
  --method org.rawcd.RawCD1.ImageCreator.AddTrack 0 3 "{}" 3<&0 >"$T/out"
check "AddTrack of an .m4a pipe: UnsupportedAudio, saying to give the file" \
  grep -q "Error.UnsupportedAudio: MP4/M4A audio cannot be read from a pipe" "$T/out"
diag <"$T/out"
bus_call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.AddTrack \
  0 3 "{}" 3<"$D/09 Damaged café.m4a" >"$T/out"
check "AddTrack of a damaged .m4a: UnsupportedAudio, saying what is damaged" \
  grep -q "Error.UnsupportedAudio: MP4: the container is damaged" "$T/out"
diag <"$T/out"
bus_call --object-path "$session" --method org.rawcd.RawCD1.ImageCreator.AddTrack \
  0 3 "{}" 3<"${files[1]}" >"$T/out"
check "AddTrack of the same .m4a as a file is taken" grep -q "^(1, objectpath" "$T/out"
diag <"$T/out"

echo "1..$n"
[ "$failed" -eq 0 ]

#!/bin/bash
# rawcdctl --tags against the real rawcdd on a private bus, speaking TAP:
# tags written by the real tools (metaflac, id3v2, vorbiscomment, ffmpeg
# and mutagen for an .m4a) become
# the image's CD-TEXT and its Q-channel ISRCs, as `rawcdctl inspect` reads
# them back from the image; the command line, --cdtext and a CUE sheet win
# over tags; text no CD-TEXT character code holds is named with its file
# and tag.
#
#   RAWCDCTL  the rawcdctl to test
#   RAWCDD    the rawcdd to run on the private bus
set -u
. "$(dirname "$0")/lib.sh"

for tool in flac metaflac lame id3v2 oggenc vorbiscomment ffmpeg; do
  command -v "$tool" >/dev/null || bail_out "$tool is not installed (see .ci/packages)"
done
start_service
[ -n "$BUS" ] || bail_out "no private bus"

D=$T/tags
mkdir -p "$D"
sox -n -r 44100 -c 2 -b 16 "$D/src.wav" synth 5 sine 440 vol 0.3 &&
flac -s -f "$D/src.wav" -o "$D/01.flac" &&
lame --quiet "$D/src.wav" "$D/02.mp3" &&
oggenc -Q "$D/src.wav" -o "$D/03.ogg" || bail_out "cannot make the tagged files"
metaflac --set-tag="TITLE=Café Flac" --set-tag="ARTIST=Flac Artist" \
  --set-tag="ALBUM=The Album" --set-tag="ALBUMARTIST=Various" --set-tag="COMPOSER=Composer F" \
  --set-tag="LYRICIST=Lyricist F" --set-tag=ISRC=USRC17607839 --set-tag=GENRE=Jazz "$D/01.flac" &&
id3v2 -t "Mp3 Song" -a "Mp3 Artist" --TSRC GBAYE0000001 --TCOM "Composer M" "$D/02.mp3" >/dev/null &&
vorbiscomment -w -t "TITLE=Ogg Song" -t "ARTIST=Ogg Artist" -t "ARRANGER=Arranger O" \
  -t "COMMENT=a message" -t ISRC=FRZ039800212 "$D/03.ogg" || bail_out "cannot write the tags"

# ---- tags -> CD-TEXT and ISRC in the image -----------------------------------
ctl create -o "$D/disc.img" --tags "$D/01.flac" "$D/02.mp3" "$D/03.ogg" >/dev/null 2>"$T/err" ||
  { diag <"$T/err"; bail_out "create --tags failed"; }
ctl inspect --json "$D/disc.img" >"$T/inspect.json" 2>"$T/err"
check "the image with tags inspects clean" test "$(json_get "$T/inspect.json" 'j["clean"]')" = True
# (block, track, field, text) of every CD-TEXT item in the lead-in
json_get "$T/inspect.json" \
  'sorted((c["block"], c["track"], c["field"], c["text"]) for c in j["cdtext"])' >"$T/cdtext"
diag <"$T/cdtext"
expect_text() {
  check "lead-in CD-TEXT: track $1 $2 \"$3\" (from $4)" \
    grep -qF "(0, $1, '$2', '$3')" "$T/cdtext"
}
expect_text 0 title "The Album" "FLAC ALBUM"
expect_text 0 performer "Various" "FLAC ALBUMARTIST"
expect_text 0 genre "Jazz" "FLAC GENRE"
expect_text 0 genre_code "14" "FLAC GENRE Jazz: code 14 of the CD-TEXT genre list"
expect_text 1 title "Café Flac" "a Vorbis comment in FLAC"
expect_text 1 composer "Composer F" "FLAC COMPOSER"
expect_text 1 songwriter "Lyricist F" "FLAC LYRICIST"
expect_text 2 title "Mp3 Song" "ID3v2 TIT2"
expect_text 2 performer "Mp3 Artist" "ID3v2 TPE1"
expect_text 2 composer "Composer M" "ID3v2 TCOM"
expect_text 3 title "Ogg Song" "Ogg Vorbis comment"
expect_text 3 arranger "Arranger O" "Ogg ARRANGER"
expect_text 3 message "a message" "Ogg COMMENT"
check "Q-channel ISRCs from FLAC, ID3v2 TSRC and Ogg tags" \
  test "$(json_get "$T/inspect.json" '[t.get("isrc") for t in j["tracks"]]')" \
    = "['USRC17607839', 'GBAYE0000001', 'FRZ039800212']"

# ---- M4A: iTunes-style MP4 tags ---------------------------------------------------
# ffmpeg writes title, artist, album and composer as MP4 tags; an ISRC has
# no iTunes atom of its own, so it goes where iTunes and TagLib keep it, a
# ----:com.apple.iTunes:ISRC atom (written with mutagen).
ffmpeg -nostdin -loglevel error -y -i "$D/src.wav" -c:a alac -metadata "title=M4a Sông" \
  -metadata "artist=M4a Artist" -metadata "album=The M4a Album" -metadata "composer=Composer A" \
  "$D/04.m4a" &&
  /usr/bin/python3 - "$D/04.m4a" <<'PY' || bail_out "cannot write the M4A file and its tags"
import sys
from mutagen.mp4 import MP4, MP4FreeForm
f = MP4(sys.argv[1])
f['----:com.apple.iTunes:ISRC'] = [MP4FreeForm(b'DEA123456789')]
f.save()
PY
ctl create -o "$D/m4a.img" --tags "$D/01.flac" "$D/04.m4a" >/dev/null 2>"$T/err" ||
  { diag <"$T/err"; bail_out "create --tags with an .m4a failed"; }
ctl inspect --json "$D/m4a.img" >"$T/inspect-m4a.json" 2>"$T/err"
check "the image with an .m4a's tags inspects clean" \
  test "$(json_get "$T/inspect-m4a.json" 'j["clean"]')" = True
json_get "$T/inspect-m4a.json" \
  'sorted((c["block"], c["track"], c["field"], c["text"]) for c in j["cdtext"])' >"$T/cdtext"
diag <"$T/cdtext"
expect_text 2 title "M4a Sông" "MP4 ©nam"
expect_text 2 performer "M4a Artist" "MP4 ©ART"
expect_text 2 composer "Composer A" "MP4 ©wrt"
check "Q-channel ISRC from the MP4 ISRC atom (and the FLAC's)" \
  test "$(json_get "$T/inspect-m4a.json" '[t.get("isrc") for t in j["tracks"]]')" \
    = "['USRC17607839', 'DEA123456789']"

# ---- precedence: command line, then --cdtext, then tags ------------------------
# (a CUE sheet's place between --cdtext and tags: test-cue.sh)
printf '[track 2]\ntitle=From The File\n' >"$D/text.ini"
ctl info --tags --cdtext "$D/text.ini" --track-title "1:From The Command Line" --isrc 3:USRC17600003 \
  "$D/01.flac" "$D/02.mp3" "$D/03.ogg" >"$T/out" 2>"$T/err"
rc=$?
grep -F 'CD-TEXT (English): title' "$T/out" >"$T/titles"
diag <"$T/titles"
check "precedence: --track-title over a tag, --cdtext over a tag, then the tag" \
  test "$rc $(sed -n '2p;3p;4p' "$T/titles" | sed -E 's/.*title "([^"]*)".*/\1/' | tr '\n' '|')" \
    = "0 From The Command Line|From The File|Ogg Song|"
check "... and --isrc over the tag's ISRC" grep -q 'ISRC US-RC1-76-00003' "$T/out"
# a genre of higher precedence goes in as text alone: the tag's code
# belonged to the tag's genre
printf '[disc]\ngenre=Chanson\n' >"$D/genre.ini"
ctl info --json --tags --cdtext "$D/genre.ini" "$D/01.flac" >"$T/info.json" 2>"$T/err" || diag <"$T/err"
check "--cdtext genre=Chanson over the tag's Jazz: the text, and no genre code" \
  test "$(json_get "$T/info.json" '(j["cdtext"][0].get("genre"), j["cdtext"][0].get("genre_code"))')" \
    = "('Chanson', None)"

# ---- text CD-TEXT cannot hold ---------------------------------------------------
cp "$D/01.flac" "$D/hebrew.flac"
metaflac --remove-tag=TITLE --set-tag="TITLE=שלום" "$D/hebrew.flac"
ctl create -o "$D/bad.img" --tags "$D/hebrew.flac" >"$T/out" 2>"$T/err"
rc=$?
check "a title in Hebrew: exit 1, the error names the file, the tag and the text" \
  test "$rc $(cat "$T/err")" = "1 rawcdctl: $D/hebrew.flac: tag TITLE \"שלום\": CD-TEXT cannot hold this text (its character codes are ISO-8859-1 and MS-JIS); give the text with --cdtext or leave out --tags"
check "... and writes nothing" test ! -e "$D/bad.img"

# Each text alone fits a character code (Japanese MS-JIS, "Café" Latin-1),
# but one block has one code: the service names the fields and quotes the
# texts, rawcdctl adds the file and the tag each came from.
sox -n -r 44100 -c 2 -b 16 "$D/mixed scripts.flac" synth 5 sine 440 2>/dev/null
metaflac --set-tag="TITLE=日本の歌" --set-tag="ARTIST=Café" "$D/mixed scripts.flac"
ctl create -o "$D/bad.img" --tags "$D/mixed scripts.flac" >"$T/out" 2>"$T/err"
rc=$?
check "Japanese and Latin-1 tags in one block: exit 1, naming the fields, texts, files and tags" \
  test "$rc $(cat "$T/err")" = "1 rawcdctl: cannot write the image: CD-TEXT block 0 cannot use one character code: the title of track 1 (\"日本の歌\") cannot be encoded in ISO-8859-1 and the performer of the disc (\"Café\") cannot be encoded in MS-JIS; \"日本の歌\" is the TITLE tag of $D/mixed scripts.flac; \"Café\" is the ARTIST tag of $D/mixed scripts.flac"
check "... and writes nothing" test ! -e "$D/bad.img"

echo "1..$n"
[ $failed -eq 0 ]

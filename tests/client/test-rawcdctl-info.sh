#!/bin/bash
# rawcdctl info against the real rawcdd (TAP): it takes every option create
# takes and shows the whole disc (checked against what inspect decodes from
# the image create makes with the same options, and against cd-info's
# reading of the CUE sheet), its Length is what a listener hears, it warns
# when a disc does not fit a 74- or 80-minute blank, and limits are given
# as times too.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

command -v cd-info >/dev/null || bail_out "cd-info is not installed (see .ci/packages)"

if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
I=$T/info
mkdir -p "$I"

# ---- 1. every option of create, the whole disc ----------------------------------

cat >"$I/text.cdtext" <<'EOF'
[disc]
title=Album
[disc:de]
title=Album auf Deutsch
[track 1:de]
title=Erstes Lied
EOF
options=(--gaps --first-track 3 --mcn 0036000291452 --isrc 1:USRC17607839
         --copy 2:scms --preemphasis 2 --index 1:00:04:00 --index 2:100
         --title "The Album" --track-title "2:Second Song" --cdtext "$I/text.cdtext")

ctl info --json "${options[@]}" "$A/a.wav" "$A/b.wav" >"$I/all.json" 2>"$T/err"
rc=$?
check "info with every option create takes exits 0" test $rc -eq 0
diag <"$T/err"
ctl info "${options[@]}" "$A/a.wav" "$A/b.wav" >"$I/all.txt" 2>"$T/err"
diag <"$I/all.txt"

ctl create -o "$I/all.img" "${options[@]}" "$A/a.wav" "$A/b.wav" 2>"$T/err" &&
  ctl inspect --json "$I/all.img" >"$I/all-inspect.json" 2>>"$T/err"
check "create with the same options, and inspect of its image, exit 0" test $? -eq 0
diag <"$T/err"

# What the subchannel of the image holds, decoded by inspect, against what
# info said before anything was written.
if python3 - "$I/all.json" "$I/all-inspect.json" >"$T/compare" 2>&1 <<'EOF'
import json, sys
info = json.load(open(sys.argv[1]))
image = json.load(open(sys.argv[2]))
copy_codes = {"permitted": 0, "prohibited": 1, "scms": 2}
assert info["mcn"] == image["mcn"] == "0036000291452", (info["mcn"], image["mcn"])
assert info["first_track"] == image["first_track"] == 3
# info gives index offsets from the track's start, inspect their LBAs
got = [(t["number"], (t["isrc"] or "").replace("-", ""), copy_codes[t["copy"]],
        t["preemphasis"], [t["starting_lba"] + o for o in t["indexes"]], t["starting_lba"])
       for t in info["tracks"]]
want = [(t["number"], t["isrc"] or "", t["copy"], t["preemphasis"], t["indexes"], t["start_lba"])
        for t in image["tracks"]]
assert got == want, (got, want)
assert [t["indexes"] for t in info["tracks"]] == [[0, 300], [0, 100]], info["tracks"]
assert info["start_of_leadout"] == image["leadout_lba"]
EOF
then
  ok "info shows the MCN, ISRCs, copy settings, pre-emphasis, indexes (00:04:00 = 300) inspect decodes from the image"
else
  not_ok "info shows what inspect decodes from the image made with the same options"
  diag <"$T/compare"
fi

if python3 - "$I/all.json" "$I/all-inspect.json" >"$T/compare" 2>&1 <<'EOF'
import json, sys
info = json.load(open(sys.argv[1]))
image = json.load(open(sys.argv[2]))
def texts(blocks, track):
    return sorted((b, k, v) for b, fields in enumerate(blocks)
                  for k, v in fields.items() if k not in ("language", "code") and v)
disc = texts(info["cdtext"], 0)
tracks = [texts(t["cdtext"], t["number"]) for t in info["tracks"]]
assert disc == [(0, "title", "The Album"), (1, "title", "Album auf Deutsch")], disc
assert tracks == [[(1, "title", "Erstes Lied")], [(0, "title", "Second Song")]], tracks
assert [b["language"] for b in info["cdtext"]] == ["English", "German"], info["cdtext"]
# the lead-in of the image carries the same text
decoded = sorted((c["block"], c["track"], c["field"], c["text"]) for c in image["cdtext"]
                 if c["field"] == "title")
want = sorted([(0, 0, "title", "The Album"), (1, 0, "title", "Album auf Deutsch"),
               (1, 3, "title", "Erstes Lied"), (0, 4, "title", "Second Song")])
assert decoded == want, (decoded, want)
EOF
then
  ok "info shows the CD-TEXT of the disc and tracks in both languages, as the image's lead-in has it"
else
  not_ok "info shows the CD-TEXT the image's lead-in has"
  diag <"$T/compare"
fi
check "info text: the MCN, a track's ISRC, copy setting and pre-emphasis, the CD-TEXT" \
  bash -c "grep -q '^MCN: 0036000291452' '$I/all.txt' && grep -q 'ISRC US-RC1-76-07839' '$I/all.txt' &&
           grep -q 'copy scms, pre-emphasis' '$I/all.txt' && grep -q 'CD-TEXT (German): title \"Album auf Deutsch\"' '$I/all.txt'"

# ---- 2. Length: what a listener hears -----------------------------------------

# cd-info reads the CUE sheet of the same disc: a track plays from its
# start to the next track's (or the lead-out)
lengths_from_cd_info() {
  (cd "$I" && cd-info --no-device-info --no-cddb --cue-file "$1") 2>/dev/null |
    awk '$1 ~ /^[0-9]+:$/ { printf "%d ", $3 }' |
    python3 -c 'import sys; s = [int(x) for x in sys.stdin.read().split()]; print([b - a for a, b in zip(s, s[1:])])'
}
for gaps in "" --gaps; do
  ctl info --json $gaps "$A/a.wav" "$A/b.wav" "$A/a.wav" >"$I/len.json" 2>/dev/null
  ctl create --format cue -o "$I/len.bin" $gaps "$A/a.wav" "$A/b.wav" "$A/a.wav" 2>/dev/null
  expected=$(lengths_from_cd_info len.cue)
  check "info${gaps:+ $gaps}: playing_sectors are the distances between the tracks cd-info reads ($expected)" \
    test "$(json_get "$I/len.json" '[t["playing_sectors"] for t in j["tracks"]]' 2>&1)" = "$expected"
done
ctl info "$A/a.wav" "$A/b.wav" >"$I/len.txt" 2>/dev/null
check "info: the Length of a gapless 10-second track is 00:10:00 (its SectorCount is 600)" \
  grep -Eq '^ +1 +0 +600 +00:10:00 +150 ' "$I/len.txt"
ctl info --gaps "$A/a.wav" "$A/b.wav" >"$I/len.txt" 2>/dev/null
check "info --gaps: track 1 lasts 00:12:00 to a listener (10 s and the 2-second gap after it)" \
  grep -Eq '^ +1 +0 +750 +00:12:00 +150 ' "$I/len.txt"

# ---- 3. blanks --------------------------------------------------------------------

# headerless PCM of silence, as sparse files: 76 and 82 minutes of audio
truncate -s $((76 * 60 * 44100 * 4)) "$I/76min.pcm"
truncate -s $((82 * 60 * 44100 * 4)) "$I/82min.pcm"
ctl info "$A/a.wav" >/dev/null 2>"$T/err"
check "info of a 10-second disc: no warning" test ! -s "$T/err"
ctl info --raw "$I/76min.pcm" >"$I/76.txt" 2>"$T/err"
check "info of 76 minutes: exit 0, a warning that it does not fit a 74-minute blank, needs an 80-minute one" \
  bash -c "[ $? -eq 0 ] && [ \$(wc -l <'$T/err') -eq 1 ] &&
           grep -q '^rawcdctl: warning: the disc lasts 76:02:00: .*74-minute.*80-minute' '$T/err'"
diag <"$T/err"
check "... and says it fits on an 80-minute blank" grep -q '^Fits on: *an\? 80-minute blank' "$I/76.txt"
ctl info --json --raw "$I/82min.pcm" >"$I/82.json" 2>"$T/err"
blank=$(json_get "$I/82.json" 'j["smallest_blank"], len(j["warnings"])' 2>&1)
check "info of 82 minutes: a warning that it fits neither 74 nor 80 minutes; JSON smallest_blank 90" \
  bash -c "grep -q '^rawcdctl: warning: .*neither a 74- nor an 80-minute blank.*90-minute' '$T/err' &&
           [ '$blank' = '(90, 1)' ]"
diag <"$T/err"

# ---- 4. limits as times -------------------------------------------------------------

msf() { python3 -c 'import sys; f = int(sys.argv[1]) + 150; print("%02d:%02d:%02d" % (f // 4500, f // 75 % 60, f % 75))' "$1"; }
ctl info "$A/a.wav" >"$I/limit.txt" 2>/dev/null
check "info: the lead-out limit as LBA 398099 and MSF $(msf 398099)" \
  grep -q "^Lead-out limit: LBA 398099 (MSF $(msf 398099))" "$I/limit.txt"
ctl info --leadout-limit 00:19:74 "$A/a.wav" "$A/b.wav" >"$I/limit.txt" 2>/dev/null
check "info --leadout-limit 00:19:74: LBA 1499, MSF $(msf 1499)" \
  grep -q "^Lead-out limit: LBA 1499 (MSF $(msf 1499))" "$I/limit.txt"
ctl info --leadout-limit 100 "$A/a.wav" "$A/b.wav" >/dev/null 2>"$T/err"
rc=$?
check "a disc past the limit: exit 1, the limit named as a time on the disc too ($(msf 100))" \
  bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q '$(msf 100)' '$T/err'"
diag <"$T/err"

# ---- 5. CD-TEXT messages name a track one way -------------------------------------

ctl info --first-track 3 --track-title "2:$(printf 'Bad\001')" "$A/a.wav" "$A/b.wav" >/dev/null 2>"$T/err"
check "refused CD-TEXT of the second file with --first-track 3: rawcdctl names the file, not 'track 2'" \
  bash -c "[ $? -eq 1 ] && grep -q '^rawcdctl: CD-TEXT of .*b.wav: ' '$T/err' && ! grep -q 'CD-TEXT of track 2' '$T/err'"
diag <"$T/err"

if kill -0 "$DAEMON_PID" 2>/dev/null; then
  ok "rawcdd on the --address bus is still running"
else
  not_ok "rawcdd on the --address bus is still running"
  diag <"$T/rawcdd.log"
fi

echo "1..$n"
[ $failed -eq 0 ]

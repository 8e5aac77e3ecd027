#!/bin/bash
# rawcdctl inspect --toc: a cdrdao TOC file checked against its data file,
# against the real rawcdd on a private bus (TAP).
#
# The TOC and data file are what `rawcdctl create --format toc` writes.
# Where the inspector puts every track, pause and index, the MCN and the
# ISRC is compared with what cdrdao itself reads from the same TOC file
# (`cdrdao show-toc`), and with rawcd's CUE inspector on the sheet cdrdao
# converts it to (`toc2cue`): two readers that share no code with ours.
# Then the TOC or the data is damaged: the report names the problem, the
# TOC file's line (the line cdrdao's own error names), and exits 1.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

for tool in cdrdao toc2cue; do
  command -v "$tool" >/dev/null || bail_out "$tool is not installed (see .ci/packages: cdrdao)"
done
if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
D=$T/toc
mkdir -p "$D"
cd "$D" || bail_out "cannot enter $D"

ctl create --format toc -o disc.bin --mcn 4006381333931 --isrc 1:USRC17607839 \
  --index 2:00:03:00 --title Album --track-title 1:One --track-title 2:Two \
  "$A/a.wav" "$A/b.wav" 2>"$T/err" || { diag <"$T/err"; bail_out "create --format toc failed"; }

# ---- what rawcd writes is clean ---------------------------------------------

ctl inspect --toc disc.toc disc.bin >"$T/out" 2>"$T/err"
rc=$?
check "inspect --toc of what create --format toc wrote: exit 0, \"clean\"" \
  bash -c "[ $rc -eq 0 ] && tail -n 1 '$T/out' | grep -qx clean"
diag <"$T/out"
check "... it shows the TOC's CD-TEXT" grep -q '"Two"' "$T/out"

ctl inspect --json --toc disc.toc disc.bin >"$T/toc.json" 2>"$T/err"
cdrdao show-toc disc.toc >"$T/show-toc" 2>&1
check "cdrdao show-toc reads the TOC file" grep -q '^TRACK  2' "$T/show-toc"
diag <"$T/show-toc"
verdict=$(python3 - "$T/toc.json" "$T/show-toc" <<'PY'
import json, re, sys
j = json.load(open(sys.argv[1]))
text = open(sys.argv[2]).read()
# cdrdao: per track START/END (and INDEX n) as absolute sectors in
# parentheses, PREGAP as a length, ISRC with blanks, CATALOG NUMBER.
tracks = {}
for block in re.split(r'\nTRACK +', text)[1:]:
    number = int(block.split()[0])
    t = {'indexes': []}
    for key, value in re.findall(r'(START|END|PREGAP|INDEX +\d+) +\d+:\d+:\d+\( *(\d+)\)', block):
        if key.startswith('INDEX'):
            t['indexes'].append(int(value))
        else:
            t[key] = int(value)
    m = re.search(r'ISRC ([A-Z0-9 ]+)\n', block)
    t['isrc'] = m.group(1).replace(' ', '') if m else ''
    tracks[number] = t
m = re.search(r'CATALOG NUMBER: (\d+)', text)
mcn = m.group(1) if m else ''
ours = {t['number']: t for t in j['tracks']}
bad = []
if sorted(ours) != sorted(tracks):
    bad.append('tracks %s vs %s' % (sorted(ours), sorted(tracks)))
for n, t in tracks.items():
    o = ours.get(n, {})
    if o.get('start_lba') != t.get('START') or o.get('end_lba') != t.get('END'):
        bad.append('track %d: start/end %s/%s vs %s/%s' % (n, o.get('start_lba'), o.get('end_lba'),
                                                          t.get('START'), t.get('END')))
    pregap = o['start_lba'] - o['pregap_lba'] if 'pregap_lba' in o else 0
    if pregap != t.get('PREGAP', 0):
        bad.append('track %d: pause %d vs %d' % (n, pregap, t.get('PREGAP', 0)))
    if o.get('indexes', [])[1:] != t['indexes']:
        bad.append('track %d: indexes %s vs %s' % (n, o.get('indexes'), t['indexes']))
    if o.get('isrc') != t['isrc']:
        bad.append('track %d: ISRC %s vs %s' % (n, o.get('isrc'), t['isrc']))
if j['mcn'] != mcn:
    bad.append('MCN %s vs %s' % (j['mcn'], mcn))
if not tracks[2]['indexes'] or not tracks[2].get('PREGAP'):
    bad.append('the disc was meant to have a pause and an index 2 in track 2')
print('same' if not bad else '; '.join(bad))
PY
)
check "inspect --toc puts every track, pause, index, ISRC and the MCN where cdrdao show-toc does" \
  test "$verdict" = same
echo "$verdict" | diag

toc2cue disc.toc disc.cue >"$T/toc2cue" 2>&1
check "toc2cue converts the TOC file" test -s disc.cue
ctl inspect --json --cue disc.cue disc.bin >"$T/cue.json" 2>"$T/err"
rc=$?
check "rawcd's CUE inspector finds toc2cue's sheet clean on the same data file, with the same tracks" \
  test "$rc/$(python3 -c 'import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2]))
key = lambda j: [(t["number"], t["start_lba"], t.get("pregap_lba"), t["end_lba"]) for t in j["tracks"]]
print(key(a) == key(b))' "$T/toc.json" "$T/cue.json")" = "0/True"
diag <"$T/err"

# ---- a damaged TOC or data file ---------------------------------------------

# Index 2 of track 2 past its end: cdrdao refuses the same line.
sed 's/^INDEX 00:03:00$/INDEX 00:12:00/' disc.toc >bad-index.toc
line=$(grep -n '^INDEX 00:12:00$' bad-index.toc | cut -d: -f1)
ctl inspect --toc bad-index.toc disc.bin >"$T/out" 2>"$T/err"
rc=$?
check "an INDEX past the track's end: exit 1, the problem with the TOC file's line ($line)" \
  bash -c "[ $rc -eq 1 ] && grep -q 'line $line of the TOC file: INDEX 00:12:00 (index 2) of track 02 is beyond the track.s end' '$T/out'"
diag <"$T/out"
cdrdao show-toc bad-index.toc >"$T/show-toc" 2>&1
check "... cdrdao show-toc refuses the same line" grep -q "bad-index.toc:$line: Index beyond track end" "$T/show-toc"

# START past the track's end.
sed 's/^START 00:02:00$/START 00:13:00/' disc.toc >bad-start.toc
line=$(grep -n '^START 00:13:00$' bad-start.toc | cut -d: -f1)
ctl inspect --toc bad-start.toc disc.bin >"$T/out" 2>"$T/err"
rc=$?
check "a START past the track's end: exit 1, named with its line ($line)" \
  bash -c "[ $rc -eq 1 ] && grep -q 'line $line of the TOC file: START 00:13:00 of track 02' '$T/out'"
cdrdao show-toc bad-start.toc >"$T/show-toc" 2>&1
check "... cdrdao show-toc refuses the same line" grep -q "bad-start.toc:$line: START" "$T/show-toc"

# A wrong CATALOG check digit.
sed 's/^CATALOG "4006381333931"$/CATALOG "4006381333932"/' disc.toc >bad-mcn.toc
ctl inspect --toc bad-mcn.toc disc.bin >"$T/out" 2>"$T/err"
rc=$?
check "a CATALOG with a wrong check digit: exit 1, says so" \
  bash -c "[ $rc -eq 1 ] && grep -q 'CATALOG: media catalog number 4006381333932 has check digit 2' '$T/out'"

# The data file cut short by 100 sectors.
head -c $(( $(file_size disc.bin) - 100 * 2352 )) disc.bin >short.bin
ctl inspect --toc disc.toc short.bin >"$T/out" 2>"$T/err"
rc=$?
check "a data file 100 sectors short: exit 1, the last track runs past its end" \
  bash -c "[ $rc -eq 1 ] && grep -q 'track 02 takes sectors .* of the data file, which has' '$T/out'"
diag <"$T/out"

# ---- the command line and the service's bounds ------------------------------

ctl inspect --toc disc.toc --cue disc.cue disc.bin >"$T/out" 2>"$T/err"
check "--toc with --cue is a usage error (exit 2)" test $? -eq 2
head -c 300000 /dev/zero | tr '\0' ' ' >huge.toc
ctl inspect --toc huge.toc disc.bin >"$T/out" 2>"$T/err"
rc=$?
check "a TOC file beyond the service's bound: InvalidArgument with the sizes (exit 1)" \
  bash -c "[ $rc -eq 1 ] && grep -q 'options.toc_file is 300000 bytes; a cdrdao TOC file of at most 262144 bytes is read' '$T/err'"
diag <"$T/err"

if kill -0 "$DAEMON_PID" 2>/dev/null; then
  ok "rawcdd is still running"
else
  not_ok "rawcdd is still running"
fi
echo "1..$n"

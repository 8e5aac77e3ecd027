#!/bin/bash
# rawcdctl against the real rawcdd, speaking TAP.
#
#   RAWCDCTL  the rawcdctl to test (build tree: client/rawcdctl)
#   RAWCDD    the rawcdd for the tests that start their own service; the
#             embedded-service tests unset it, so that rawcdctl finds the
#             daemon/rawcdd of its own build tree
#   TEST_SRCDIR  this directory (for the bash completion file)
#
# Needs dbus-daemon, gdbus, sox and python3, cd-info (libcdio) and cdrdao
# to read the side files, libburn's libburn.h for its table of CD-TEXT
# language codes and libdiscid (through python's ctypes) for the disc IDs;
# CI installs them all (.ci/packages), so a missing one is a failure, not a
# skip.  Every process it starts is stopped by its PID on exit.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"
COMPLETION=${COMPLETION:-${TEST_SRCDIR:-$(dirname "$0")}/../../client/rawcdctl.bash-completion}

for tool in cd-info cdrdao; do
  command -v "$tool" >/dev/null || bail_out "$tool is not installed (see .ci/packages)"
done
[ -f /usr/include/libburn/libburn.h ] || bail_out "libburn.h is not installed (libburn-dev)"

# ---- 1. --help -------------------------------------------------------------

if "$RAWCDCTL" --help >"$T/help" 2>&1; then
  ok "rawcdctl --help exits 0"
else
  not_ok "rawcdctl --help exits 0"
  diag <"$T/help"
fi
check "rawcdctl --help lists the commands and global options" \
  bash -c "grep -q '^  create  ' '$T/help' && grep -q '^  info  ' '$T/help' &&
           grep -q '^  inspect  ' '$T/help' &&
           grep -q '^  status  ' '$T/help' && grep -q -- '--system' '$T/help' &&
           grep -q -- '--session' '$T/help' && grep -q -- '--address' '$T/help'"

declare -A command_options=(
  [create]="--output --format --image-type --gaps --first-track --mcn --isrc --index --preemphasis --copy --hidden-track --leadout-limit --raw --title --performer --track-title --track-performer --cdtext --json --progress"
  [info]="--json --gaps --first-track --hidden-track --raw --mcn --isrc --index --preemphasis --copy --leadout-limit --title --track-title --cdtext"
  [inspect]="--sub --json"
  [status]="--help"
)
for c in create info inspect status; do
  if "$RAWCDCTL" "$c" --help >"$T/help-$c" 2>&1; then
    missing=
    for o in ${command_options[$c]}; do
      grep -q -- "$o" "$T/help-$c" || missing="$missing $o"
    done
    if [ -z "$missing" ] && grep -q "rawcdctl $c" "$T/help-$c"; then
      ok "rawcdctl $c --help exits 0 and lists its options"
    else
      not_ok "rawcdctl $c --help exits 0 and lists its options (missing:$missing)"
    fi
  else
    not_ok "rawcdctl $c --help exits 0"
    diag <"$T/help-$c"
  fi
done

"$RAWCDCTL" frobnicate >/dev/null 2>&1
check "an unknown command exits 2" test $? -eq 2
"$RAWCDCTL" --system --session status >/dev/null 2>&1
check "--system with --session exits 2" test $? -eq 2

# ---- 2. a service on a bus given with --address ---------------------------

if start_service; then
  ok "a private bus with rawcdd on it"
else
  not_ok "a private bus with rawcdd on it"
fi

ctl status >"$T/status" 2>"$T/status.err"
rc=$?
check "status --address exits 0 and names the service and its version" \
  bash -c "[ $rc -eq 0 ] && grep -q '^Version: *[0-9]' '$T/status' &&
           grep -q 'org.rawcd.RawCD1 on the bus at' '$T/status' &&
           grep -q '^Input formats: .*WAV' '$T/status'"
check "status --address does not start a private rawcdd" test ! -s "$T/status.err"

W=$T/work
mkdir -p "$W"
ctl create -o "$W/addr.img" "$A/a.wav" "$A/b.wav" 2>"$T/err"
rc=$?
check "create --address exits 0" test $rc -eq 0
check "create --address: the image is (22650 + 1500 + 6750) * 2448 bytes" \
  test "$(file_size "$W/addr.img" 2>/dev/null)" = "$(image_size 1500)"
check "create --address: quiet when stderr is no terminal" test ! -s "$T/err"

ctl create -o "$W/pq.img" --image-type pq "$A/a.wav" "$A/b.wav" 2>/dev/null
check "create --image-type pq: 2368-byte sectors" \
  test "$(file_size "$W/pq.img" 2>/dev/null)" = "$(image_size 1500 2368)"

ctl create -o "$W/all.img" --image-type cooked --gaps --first-track 3 \
  --mcn 1234567890128 --isrc 1:US-RC1-76-07839 --isrc 2:USRC17607840 \
  --index 1:300 --index 2:100 --index 2:200 --preemphasis 2 \
  --copy 1:prohibited --copy 2:scms --leadout-limit 2000 \
  "$A/a.wav" "$A/b.wav" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ] && [ "$(file_size "$W/all.img")" = "$(image_size 1650)" ]; then
  ok "create with every disc and track option"
else
  not_ok "create with every disc and track option (exit $rc)"
  diag <"$T/err"
fi

ctl info --json --gaps --first-track 3 "$A/a.wav" "$A/b.wav" >"$T/gaps.json" 2>"$T/err"
check "info --gaps --first-track 3: tracks 3 and 4 at 0 and 900, lead-out 1650" \
  test "$(json_get "$T/gaps.json" \
    '[(t["number"], t["starting_lba"], t["sector_count"], t["pregap"]) for t in j["tracks"]], j["start_of_leadout"], j["toc"]["first_track"], j["toc"]["last_track"]' 2>&1)" \
    = "([(3, 0, 750, 150), (4, 900, 750, 150)], 1650, 3, 4)"

ctl info --json --hidden-track "$A/hidden.wav" "$A/a.wav" "$A/b.wav" >"$T/hidden.json" 2>"$T/err"
# 3 s of hidden audio = 225 sectors: track 1 index 1 at 225 - 150 = 75
check "info --hidden-track: track 1 at 75, track 2 at 825, lead-out 1575" \
  test "$(json_get "$T/hidden.json" \
    '[(t["starting_lba"], t["sector_count"]) for t in j["tracks"]], j["start_of_leadout"], j["hidden_track"]["sectors"]' 2>&1)" \
    = "([(75, 600), (825, 750)], 1575, 225)"
ctl create -o "$W/hidden.img" --hidden-track "$A/hidden.wav" "$A/a.wav" "$A/b.wav" 2>/dev/null
check "create --hidden-track: the image is (22650 + 1575 + 6750) * 2448 bytes" \
  test "$(file_size "$W/hidden.img" 2>/dev/null)" = "$(image_size 1575)"

# headerless PCM: the WAV without its 44-byte header
tail -c +45 "$A/a.wav" >"$A/a.pcm"
tail -c +45 "$A/b.wav" >"$A/b.pcm"
ctl info --json --raw "$A/a.pcm" "$A/b.pcm" >"$T/raw.json" 2>"$T/err"
check "info --raw: headerless PCM gives the same layout" \
  test "$(json_get "$T/raw.json" 'j["start_of_leadout"]' 2>&1)" = 1500

# More tracks than rawcdctl has AddTrack calls in flight: the image's
# audio from LBA 0 is the six files' samples in the order given (IS_RAW:
# 2352 bytes of audio, then 96 of subchannel, per sector)
sox -n -r 44100 -c 2 -b 16 "$A/c.wav" synth 5 sine 330 vol 0.3
ctl create -o "$W/order.img" "$A/a.wav" "$A/c.wav" "$A/b.wav" "$A/c.wav" "$A/a.wav" \
  "$A/b.wav" 2>"$T/err"
check "six tracks: the audio is the files' samples in their order" \
  python3 - "$W/order.img" "$A/a.wav" "$A/c.wav" "$A/b.wav" "$A/c.wav" "$A/a.wav" "$A/b.wav" <<'EOF'
import sys, wave
pcm = b''.join(wave.open(f).readframes(1 << 30) for f in sys.argv[2:])
sectors = len(pcm) // 2352
with open(sys.argv[1], 'rb') as image:
    image.seek(22650 * 2448)
    raw = image.read(sectors * 2448)
audio = b''.join(raw[i:i + 2352] for i in range(0, len(raw), 2448))
sys.exit(0 if len(pcm) % 2352 == 0 and audio == pcm else 1)
EOF
diag <"$T/err"
rm -f "$W/order.img"

# ---- 3. the embedded service (no rawcd on the bus asked for) ---------------

start_empty_bus

E=$T/embedded
mkdir -p "$E"
embedded create -o "$E/emb.img" "$A/a.wav" "$A/b.wav" >"$T/out" 2>"$T/err"
rc=$?
check "create on a bus without rawcd exits 0" test $rc -eq 0
if [ "$(cat "$T/err")" = "rawcdctl: no rawcd service on the session bus; using a private rawcdd for this command" ]; then
  ok "it says in one line that it uses a private rawcdd"
else
  not_ok "it says in one line that it uses a private rawcdd"
  diag <"$T/err"
fi
check "the image is (22650 + StartOfLeadout 1500 + 6750) * 2448 bytes" \
  test "$(file_size "$E/emb.img" 2>/dev/null)" = "$(image_size 1500)"
check "no dbus-daemon or rawcdd of rawcdctl's is left after it" \
  test -z "$(leftover_processes)"

embedded info "$A/a.wav" "$A/b.wav" >"$T/info.txt" 2>"$T/err"
rc=$?
check "info on a bus without rawcd exits 0" test $rc -eq 0
# Track  Start LBA  Sectors  Length  Pregap  Indexes  File
# Length is what a listener hears: gapless, track 1's last 2 seconds are
# track 2's pregap, but it still plays 10 seconds to track 2's index 1
check "info: track 1 starts at LBA 0 with 600 sectors (gapless), and plays 00:10:00" \
  grep -Eq '^ +1 +0 +600 +00:10:00 +150 ' "$T/info.txt"
check "info: track 2 starts at LBA 750 with 750 sectors" \
  grep -Eq '^ +2 +750 +750 +00:10:00 +150 ' "$T/info.txt"
check "info: StartOfLeadout 1500, total time 00:22:00" \
  bash -c "grep -q '^StartOfLeadout: 1500 ' '$T/info.txt' && grep -q '^Total time: *00:22:00' '$T/info.txt'"
check "info: the TOC has tracks 01, 02 and the lead-out AA at 0, 750, 1500" \
  test "$(sed -n '/^TOC/,$p' "$T/info.txt" | awk '$1 ~ /^(01|02|AA)$/ { printf "%s=%s ", $1, $4 }')" = "01=0 02=750 AA=1500 "
diag <"$T/info.txt"

embedded info --json "$A/a.wav" "$A/b.wav" >"$T/info.json" 2>/dev/null
check "info --json: StartingLba 0 and 750, SectorCount 600 and 750, StartOfLeadout 1500" \
  test "$(json_get "$T/info.json" \
    '[(t["starting_lba"], t["sector_count"]) for t in j["tracks"]], j["start_of_leadout"], j["image_bytes"]["raw"]' 2>&1)" \
    = "([(0, 600), (750, 750)], 1500, $(image_size 1500))"

embedded status >"$T/status" 2>/dev/null
check "status on a bus without rawcd names the private rawcdd" \
  grep -q '^Service: .*rawcdd (private' "$T/status"

# ---- 4. atomic output --------------------------------------------------------

D=$T/atomic
mkdir -p "$D"
echo "an old image" >"$D/keep.img"
before=$(listing "$D")

ctl create -o "$D/out.img" --leadout-limit 100 "$A/a.wav" "$A/b.wav" 2>"$T/err"
rc=$?
check "create --leadout-limit 100 fails with exit 1" test $rc -eq 1
check "... and leaves no OUTPUT and no temporary file" test "$(listing "$D")" = "$before"

ctl create -o "$D/keep.img" --leadout-limit 100 "$A/a.wav" 2>/dev/null
check "a failed create leaves an existing OUTPUT as it was" \
  test "$(cat "$D/keep.img")" = "an old image"

# A track read from a FIFO that sends part of a WAV and then nothing: the
# job runs until cancelled.  $1: extra environment (or "")
stalled_create() {
  local fifo=$T/fifo.$RANDOM.wav
  mkfifo "$fifo"
  (head -c 4000000 "$A/long.wav"; exec sleep 120) >"$fifo" &
  WRITER=$!
  PIDS+=($WRITER)
  env $1 "$RAWCDCTL" --address "$BUS" create --json -o "$D/out.img" "$fifo" \
    >"$T/stalled.json" 2>"$T/stalled.err" &
  CTL=$!
  PIDS+=($CTL)
  for _ in $(seq 200); do
    grep -q '"state":"running"' "$T/stalled.json" 2>/dev/null && return 0
    sleep 0.05
  done
  return 1
}

for variant in O_TMPFILE mkstemp; do
  extra=
  [ $variant = mkstemp ] && extra=RAWCDCTL_NO_O_TMPFILE=1
  if stalled_create "$extra"; then
    ok "$variant: a job that is writing (the input stalls)"
  else
    not_ok "$variant: a job that is writing (the input stalls)"
  fi
  if [ $variant = mkstemp ]; then
    check "mkstemp: the temporary file is a hidden one beside OUTPUT while it writes" \
      bash -c "ls -A '$D' | grep -q '^\.out\.img\.'"
  fi
  kill -INT "$CTL"
  wait "$CTL"
  rc=$?
  kill "$WRITER" 2>/dev/null
  check "$variant: SIGINT makes rawcdctl exit 130 (128 + SIGINT, as a shell reports it)" test $rc -eq 130
  check "$variant: ... leaving no OUTPUT and no temporary file" test "$(listing "$D")" = "$before"
  check "$variant: ... with a JSON result object: cancelled" \
    test "$(tail -n 1 "$T/stalled.json" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["type"], j["state"], j["success"], j["output"])' 2>&1)" \
    = "result cancelled False None"
  check "$variant: ... and one line on stderr" \
    bash -c "[ \$(wc -l <'$T/stalled.err') -eq 1 ] && grep -q '^rawcdctl: interrupted' '$T/stalled.err'"
done

# A FIFO that ends before the length its header declares: the job fails.
fifo=$T/short.wav
mkfifo "$fifo"
(head -c 4000000 "$A/long.wav" >"$fifo") &
PIDS+=($!)
ctl create -o "$D/out.img" "$fifo" 2>"$T/err"
rc=$?
check "a job that fails (the input ends early) exits 1" test $rc -eq 1
check "... leaving no OUTPUT and no temporary file" test "$(listing "$D")" = "$before"
diag <"$T/err"

# SIGKILL: nothing can be cleaned up by rawcdctl itself, but O_TMPFILE
# leaves nothing and the embedded service goes with it
fifo=$T/killed.wav
mkfifo "$fifo"
(head -c 4000000 "$A/long.wav"; exec sleep 120) >"$fifo" &
WRITER=$!
PIDS+=($WRITER)
env -u RAWCDD DBUS_SESSION_BUS_ADDRESS="$EMPTY_BUS" "$MARK" "$RAWCDCTL" --session \
  create --json -o "$D/out.img" "$fifo" >"$T/killed.json" 2>/dev/null &
CTL=$!
PIDS+=($CTL)
for _ in $(seq 200); do
  grep -q '"state":"running"' "$T/killed.json" 2>/dev/null && break
  sleep 0.05
done
kill -KILL "$CTL"
wait "$CTL" 2>/dev/null
kill "$WRITER" 2>/dev/null
for _ in $(seq 100); do
  [ -z "$(leftover_processes)" ] && break
  sleep 0.05
done
check "SIGKILL of rawcdctl: its private dbus-daemon and rawcdd exit too" \
  test -z "$(leftover_processes)"
check "SIGKILL of rawcdctl: no OUTPUT and no temporary file" test "$(listing "$D")" = "$before"

ctl create -o "$D/keep.img" "$A/a.wav" "$A/b.wav" 2>/dev/null
check "a successful create replaces an existing OUTPUT" \
  test "$(file_size "$D/keep.img")" = "$(image_size 1500)"
check "... and leaves no temporary file" test "$(listing "$D")" = "$before"

# ---- 5. errors -------------------------------------------------------------

ctl create -o "$W/x.img" --mcn 1234567890123 "$A/a.wav" 2>"$T/err"
rc=$?
check "a bad --mcn exits 1" test $rc -eq 1
if [ "$(wc -l <"$T/err")" -eq 1 ] && grep -q '^rawcdctl: --mcn 1234567890123: .*check digit' "$T/err" &&
   ! grep -q 'GDBus.Error\|org\.rawcd' "$T/err"; then
  ok "... with one line: the service's message, without the D-Bus error name"
else
  not_ok "... with one line: the service's message, without the D-Bus error name"
fi
diag <"$T/err"

ctl create -o "$W/x.img" "$A/missing.wav" 2>"$T/err"
rc=$?
check "a missing file exits 1" test $rc -eq 1
check "... with one line naming the file and the reason" \
  bash -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -q '^rawcdctl: cannot open .*missing.wav: No such file or directory' '$T/err'"
diag <"$T/err"

ctl info "$A/junk.wav" 2>"$T/err"
rc=$?
check "a file that is not audio exits 1 with one line naming it" \
  bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q '^rawcdctl: .*junk.wav: ' '$T/err'"
diag <"$T/err"

# rawcdctl keeps several AddTrack calls in flight: the failure reported is
# the first track's that failed, in the order given, and only it
ctl create -o "$W/x.img" "$A/a.wav" "$A/b.wav" "$A/junk.wav" "$A/a.wav" "$A/b.wav" \
  "$A/a.wav" 2>"$T/err"
rc=$?
check "a file that is not audio among six exits 1 with one line naming it" \
  bash -c "[ $rc -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q '^rawcdctl: .*junk.wav: ' '$T/err'"
diag <"$T/err"

ctl create -o "$W/x.img" --copy 1:sometimes "$A/a.wav" 2>"$T/err"
check "a bad --copy value is a usage error (exit 2)" test $? -eq 2
ctl create -o "$W/x.img" --isrc 3:USRC17607839 "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "a TRACK beyond the AUDIO files is a usage error (exit 2)" test $? -eq 2
ctl create "$A/a.wav" 2>"$T/err"
check "create without -o is a usage error (exit 2)" test $? -eq 2
ctl create -o "$T/no/such/dir/x.img" "$A/a.wav" 2>"$T/err"
check "an OUTPUT in a missing directory exits 1" test $? -eq 1
"$RAWCDCTL" --address unix:path=$T/no-bus status 2>"$T/err"
check "an --address nobody listens on exits 1 (no private service)" \
  bash -c "[ $? -eq 1 ] && grep -q 'cannot connect' '$T/err'"
check "no stray files in the work directory" \
  test -z "$(listing "$W" | grep -v -x -e addr.img -e pq.img -e all.img -e hidden.img)"

# ---- 6. --json ---------------------------------------------------------------

ctl create --json -o "$W/json.img" "$A/a.wav" "$A/b.wav" >"$T/create.json" 2>/dev/null
rc=$?
check "create --json exits 0" test $rc -eq 0
if python3 - "$T/create.json" "$W/json.img" <<'EOF'
import json, sys
lines = open(sys.argv[1]).read().splitlines()
objects = [json.loads(line) for line in lines]
assert objects, "no output"
for o in objects[:-1]:
    assert o["type"] == "progress", o
    assert 0.0 <= o["progress"] <= 1.0, o
last = objects[-1]
assert last["type"] == "result", last
assert last["success"] is True and last["state"] == "succeeded", last
assert last["output"] == sys.argv[2], last
assert isinstance(last["message"], str) and last["message"], last
EOF
then
  ok "create --json: every line parses and the last is the success result"
else
  not_ok "create --json: every line parses and the last is the success result"
  diag <"$T/create.json"
fi

ctl create --json -o "$W/x.img" --mcn 1 "$A/missing.wav" >"$T/fail.json" 2>/dev/null
check "create --json of a failure ends with a result object, success false" \
  test "$(tail -n 1 "$T/fail.json" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["type"], j["success"], "missing.wav" in j["message"])' 2>&1)" \
    = "result False True"

ctl create --progress -o "$W/progress.img" "$A/a.wav" "$A/b.wav" 2>"$T/progress.err"
check "create --progress draws a bar on stderr even when it is no terminal" \
  bash -c "grep -q '100%' '$T/progress.err' && grep -q \$'\r' '$T/progress.err'"
rm -f "$W/progress.img"

# a file name JSON must escape
cp "$A/a.wav" "$A/quote\"back\\slash	tab.wav"
ctl info --json "$A/quote\"back\\slash	tab.wav" >"$T/escape.json" 2>/dev/null
check "info --json escapes file names" \
  test "$(json_get "$T/escape.json" 'j["tracks"][0]["file"].endswith("quote\"back\\slash\ttab.wav")' 2>&1)" = True

# ---- 7. --format cue, toc and clonecd ------------------------------------------

# a.wav + b.wav, gapless: tracks at 0 and 750, lead-out at 1500
LEADOUT=1500
BIN_SIZE=$((LEADOUT * 2352))
S=$T/side
mkdir -p "$S"

ctl create --json --format cue -o "$S/disc.bin" --title "Disc Title" --performer "The Band" \
  --track-title "1:First Song" --track-performer "2:Second: Singer" \
  "$A/a.wav" "$A/b.wav" >"$T/cue.json" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ]; then ok "create --format cue exits 0"; else not_ok "create --format cue exits 0 (exit $rc)"; diag <"$T/err"; fi
check "--format cue: exactly disc.bin and disc.cue, no temporary file" \
  test "$(listing "$S" | tr '\n' ' ')" = "disc.bin disc.cue "
check "--format cue: the BIN is StartOfLeadout * 2352 = $BIN_SIZE bytes" \
  test "$(file_size "$S/disc.bin" 2>/dev/null)" = "$BIN_SIZE"
check "--format cue: the JSON result lists the BIN and the sheet" \
  test "$(tail -n 1 "$T/cue.json" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["success"], [f.rsplit("/", 1)[-1] for f in j["files"]])' 2>&1)" \
    = "True ['disc.bin', 'disc.cue']"
check "--format cue: the sheet names the BIN: FILE \"disc.bin\" BINARY" \
  grep -q '^FILE "disc.bin" BINARY' "$S/disc.cue"
check "--format cue: the sheet has the CD-TEXT of --title and --performer" \
  bash -c "grep -q '^TITLE \"Disc Title\"' '$S/disc.cue' && grep -q '^PERFORMER \"The Band\"' '$S/disc.cue'"
check "--format cue: ... and of --track-title and --track-performer (TEXT may hold ':')" \
  bash -c "grep -q '^ *TITLE \"First Song\"' '$S/disc.cue' && grep -q '^ *PERFORMER \"Second: Singer\"' '$S/disc.cue'"
diag <"$S/disc.cue"
{
  (cd "$S" && cd-info --no-device-info --no-cddb --cue-file disc.cue) >"$T/cd-info" 2>&1
  rc=$?
  check "cd-info reads the CUE sheet: 2 tracks at LSN 0 and 750, lead-out at 1500" \
    bash -c "[ $rc -eq 0 ] && grep -q 'CD-ROM Track List (1 - 2)' '$T/cd-info' &&
             test \"\$(awk '\$1 ~ /^(1|2|170):\$/ { printf \"%s%d \", \$1, \$3 }' '$T/cd-info')\" = '1:0 2:750 170:1500 '"
  check "cd-info reads the CD-TEXT title from the CUE sheet" grep -q 'TITLE: Disc Title' "$T/cd-info"
}

ctl create --format toc -o "$S/disc2.bin" "$A/a.wav" "$A/b.wav" 2>"$T/err"
rc=$?
check "create --format toc exits 0" test $rc -eq 0
check "--format toc: disc2.bin ($BIN_SIZE bytes) and disc2.toc beside it" \
  bash -c "[ -f '$S/disc2.toc' ] && [ \$(stat -c %s '$S/disc2.bin') = $BIN_SIZE ]"
check "--format toc: the TOC file reads the BIN as is (big-endian, no SWAP)" \
  bash -c "grep -q '^FILE \"disc2.bin\" 00:00:00 ' '$S/disc2.toc' && ! grep -q SWAP '$S/disc2.toc'"
check "--format toc: disc2.bin is disc.bin (the CUE's BIN) with big-endian samples" \
  python3 -c 'import sys; a = open(sys.argv[1], "rb").read(); b = open(sys.argv[2], "rb").read(); sys.exit(not (len(a) == len(b) and a[0::2] == b[1::2] and a[1::2] == b[0::2]))' "$S/disc.bin" "$S/disc2.bin"
{
  (cd "$S" && cdrdao show-toc disc2.toc) >"$T/show-toc" 2>&1
  rc=$?
  check "cdrdao show-toc accepts the TOC file, with 2 tracks" \
    bash -c "[ $rc -eq 0 ] && [ \$(grep -c '^TRACK ' '$T/show-toc') -eq 2 ]"
  [ $rc -eq 0 ] || diag <"$T/show-toc"
}

ctl create --format clonecd -o "$S/clone.img" "$A/a.wav" "$A/b.wav" 2>"$T/err"
rc=$?
check "create --format clonecd exits 0" test $rc -eq 0
check "--format clonecd: clone.img ($BIN_SIZE bytes), clone.sub ($((LEADOUT * 96)) bytes), clone.ccd" \
  bash -c "[ -f '$S/clone.ccd' ] && [ \$(stat -c %s '$S/clone.img') = $BIN_SIZE ] &&
           [ \$(stat -c %s '$S/clone.sub') = $((LEADOUT * 96)) ]"
check "--format clonecd: the .img is the CUE sheet's BIN, byte for byte" cmp -s "$S/clone.img" "$S/disc.bin"
# one [Entry n] per TOC point: A0, A1, A2 and one per track
if python3 - "$S/clone.ccd" <<'EOF'
import re, sys
text = open(sys.argv[1], encoding="ascii").read()
sections = re.findall(r"^\[([^\]]+)\]", text, re.M)
entries = [s for s in sections if re.fullmatch(r"Entry \d+", s)]
toc_entries = int(re.search(r"^TocEntries=(\d+)", text, re.M).group(1))
points = sorted(int(p, 16) for p in re.findall(r"^Point=(0x[0-9a-fA-F]+)", text, re.M))
assert len(entries) == toc_entries == 2 + 3, (entries, toc_entries)
assert points == [0x01, 0x02, 0xA0, 0xA1, 0xA2], points
assert [s for s in sections if s.startswith("TRACK")] == ["TRACK 1", "TRACK 2"], sections
EOF
then
  ok "--format clonecd: one [Entry n] per TOC point (tracks 1, 2, A0, A1, A2)"
else
  not_ok "--format clonecd: one [Entry n] per TOC point (tracks 1, 2, A0, A1, A2)"
  diag <"$S/clone.ccd"
fi

ctl create --format cue -o "$S/plain" "$A/a.wav" 2>/dev/null
check "--format cue -o NAME without an extension: NAME and NAME.cue" \
  bash -c "[ -f '$S/plain' ] && grep -q '^FILE \"plain\" BINARY' '$S/plain.cue'"
rm -f "$S/plain" "$S/plain.cue"

before=$(listing "$S")
ctl create --format clonecd -o "$S/x.bin" "$A/a.wav" 2>"$T/err"
check "--format clonecd -o x.bin is a usage error (exit 2): NAME.img is required" \
  bash -c "[ $? -eq 2 ] && grep -q 'NAME.img' '$T/err'"
ctl create --format cue -o "$S/x.cue" "$A/a.wav" 2>"$T/err"
check "--format cue -o x.cue is a usage error (exit 2): the sheet would replace it" test $? -eq 2
ctl create --format iso -o "$S/x.bin" "$A/a.wav" 2>"$T/err"
check "--format iso is a usage error (exit 2)" test $? -eq 2
check "... none of them wrote anything" test "$(listing "$S")" = "$before"

# atomicity: all files or none
ctl create --format cue -o "$S/fail.bin" --leadout-limit 100 "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "a cue job refused by the service exits 1 and leaves no .bin or .cue" \
  bash -c "[ $? -eq 1 ] && [ \"\$(ls -A '$S')\" = '$(echo "$before")' ]"
fifo=$T/short-cue.wav
mkfifo "$fifo"
(head -c 4000000 "$A/long.wav" >"$fifo") &
PIDS+=($!)
ctl create --format cue -o "$S/fail.bin" "$fifo" 2>"$T/err"
rc=$?
check "a cue job that fails while writing (the input ends early) exits 1" test $rc -eq 1
check "... and leaves no .bin, no .cue and no temporary file" test "$(listing "$S")" = "$before"
diag <"$T/err"

echo "the old sheet" >"$S/keep.cue"
echo "the old bin" >"$S/keep.bin"
before=$(listing "$S")
fifo=$T/stall-clone.wav
mkfifo "$fifo"
(head -c 4000000 "$A/long.wav"; exec sleep 120) >"$fifo" &
WRITER=$!
PIDS+=($WRITER)
"$RAWCDCTL" --address "$BUS" create --json --format clonecd -o "$S/stall.img" "$fifo" \
  >"$T/stall.json" 2>"$T/stall.err" &
CTL=$!
PIDS+=($CTL)
for _ in $(seq 200); do
  grep -q '"state":"running"' "$T/stall.json" 2>/dev/null && break
  sleep 0.05
done
kill -INT "$CTL"
wait "$CTL"
rc=$?
kill "$WRITER" 2>/dev/null
check "SIGINT during a clonecd job: exit 130, no .img, .sub, .ccd or temporary file" \
  bash -c "[ $rc -eq 130 ] && [ \"\$(ls -A '$S')\" = '$(echo "$before")' ]"
ctl create --format cue -o "$S/keep.bin" --leadout-limit 100 "$A/a.wav" "$A/b.wav" 2>/dev/null
check "a failed cue job leaves an existing BIN and CUE as they were" \
  test "$(cat "$S/keep.bin" "$S/keep.cue")" = "the old bin
the old sheet"
ctl create --format cue -o "$S/keep.bin" "$A/a.wav" "$A/b.wav" 2>/dev/null
check "a cue job that succeeds replaces both" \
  bash -c "[ \$(stat -c %s '$S/keep.bin') = $BIN_SIZE ] && grep -q '^FILE \"keep.bin\" BINARY' '$S/keep.cue'"
check "... and leaves no temporary file" test "$(listing "$S")" = "$before"

# ---- 8. CD-TEXT from a file -----------------------------------------------------

C=$T/cdtext
mkdir -p "$C"
cat >"$C/album.cdtext" <<'EOF'
# the CD-TEXT of the tests
[disc]
title=Café Songs
performer=The Band
genre=Jazz

[track 1]
title=First Song
performer=Singer One

[track 2]
title=Second Song

[disc:de]
title=Kaffeehauslieder

[track 1:de]
title=Erstes Lied

[disc:Japanese]
title=コーヒーの歌
EOF

ctl create -o "$C/full.img" --cdtext "$C/album.cdtext" "$A/a.wav" "$A/b.wav" 2>"$T/err"
rc=$?
if [ $rc -eq 0 ]; then ok "create --cdtext FILE (3 languages) exits 0"; else not_ok "create --cdtext FILE (3 languages) exits 0 (exit $rc)"; diag <"$T/err"; fi

ctl inspect "$C/full.img" >"$T/inspect-cdtext.txt" 2>"$T/err"
rc=$?
check "inspect of the image with CD-TEXT: exit 0 and the last line is 'clean'" \
  bash -c "[ $rc -eq 0 ] && [ \"\$(tail -n 1 '$T/inspect-cdtext.txt')\" = clean ]"
diag <"$T/inspect-cdtext.txt"
ctl inspect --json "$C/full.img" >"$T/inspect-cdtext.json" 2>"$T/err"
check "inspect: the lead-in CD-TEXT decodes to the text of the file, in 3 blocks" \
  test "$(json_get "$T/inspect-cdtext.json" \
    'sorted((c["block"], c["track"], c["field"], c["text"]) for c in j["cdtext"] if c["field"] in ("title", "performer", "genre"))' 2>&1)" \
    = "$(python3 -c 'print(sorted([(0, 0, "title", "Café Songs"), (0, 0, "performer", "The Band"), (0, 0, "genre", "Jazz"),
                         (0, 1, "title", "First Song"), (0, 1, "performer", "Singer One"), (0, 2, "title", "Second Song"),
                         (1, 0, "title", "Kaffeehauslieder"), (1, 1, "title", "Erstes Lied"), (2, 0, "title", "コーヒーの歌")]))')"

# the language codes: the size-info packs of the CloneCD file, against
# libburn's table of EBU Tech 3264 languages (English, German, Japanese)
ctl create --format clonecd -o "$C/langs.img" --cdtext "$C/album.cdtext" "$A/a.wav" "$A/b.wav" 2>"$T/err"
{
  if python3 - "$C/langs.ccd" /usr/include/libburn/libburn.h <<'EOF'
import re, sys
ccd = open(sys.argv[1], encoding="ascii").read()
packs = [bytes.fromhex(v) for v in re.findall(r"^Entry \d+=((?:[0-9a-fA-F]{2} ?){16})\s*$", ccd, re.M)]
# the third size-info pack of block 0 carries the 8 language codes in its bytes 8..15
size3 = [p for p in packs if p[0] == 0x8F and p[1] == 2 and (p[3] >> 4) & 7 == 0]
assert size3, "no size info packs"
codes = list(size3[0][8:11])
h = open(sys.argv[2]).read()
names = []
for macro in ("BURN_CDTEXT_LANGUAGES_0X00", "BURN_CDTEXT_FILLER", "BURN_CDTEXT_LANGUAGES_0X45"):
    body = re.search(r"#define " + macro + r" \\\n(.*?)\n\n", h, re.S).group(1)
    names += re.findall(r'"([^"]*)"', body)
assert len(names) == 128, len(names)
expected = [names.index(n) for n in ("English", "German", "Japanese")]
assert codes == expected, (codes, expected)
EOF
  then
    ok "--cdtext [disc:de] and [disc:Japanese]: blocks 1 and 2 carry libburn's codes for German and Japanese"
  else
    not_ok "--cdtext [disc:de] and [disc:Japanese]: blocks 1 and 2 carry libburn's codes for German and Japanese"
    grep -i cdtext -A 40 "$C/langs.ccd" | head -50 | diag
  fi
}

ctl create --format cue -o "$C/latin1.bin" --cdtext "$C/album.cdtext" "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "--format cue with --cdtext: the sheet has TITLE \"Café Songs\" in ISO-8859-1 bytes" \
  grep -q "$(printf '^TITLE "Caf\351 Songs"')" "$C/latin1.cue"
ctl create --format cue -o "$C/override.bin" --cdtext "$C/album.cdtext" --title "Other Title" \
  "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "--title wins over the file's [disc] title; the rest of the file stays" \
  bash -c "grep -q '^TITLE \"Other Title\"' '$C/override.cue' && grep -q '^PERFORMER \"The Band\"' '$C/override.cue'"

bad_cdtext() {
  printf '%s\n' "$@" >"$C/bad.cdtext"
  ctl create -o "$C/bad.img" --cdtext "$C/bad.cdtext" "$A/a.wav" "$A/b.wav" 2>"$T/err"
}
bad_cdtext '[disc]' 'titel=Typo'
check "a CD-TEXT file with an unknown key: exit 1, naming the file, group and key" \
  bash -c "[ $? -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'bad.cdtext: \[disc\]: unknown key .titel.' '$T/err'"
diag <"$T/err"
bad_cdtext '[disc:xx]' 'title=Text'
check "a CD-TEXT file with an unknown language: exit 1, naming it" \
  bash -c "[ $? -eq 1 ] && grep -q \"unknown language 'xx'\" '$T/err'"
bad_cdtext '[track 3]' 'title=Text'
check "a CD-TEXT file with a track beyond the AUDIO files: exit 1" \
  bash -c "[ $? -eq 1 ] && grep -q 'track 3' '$T/err'"
bad_cdtext '[track 1]' 'upc_ean=0012345678905'
check "a CD-TEXT file with a disc-only key on a track: exit 1" test $? -eq 1
ctl create -o "$C/bad.img" --cdtext "$C/missing.cdtext" "$A/a.wav" 2>"$T/err"
check "a missing CD-TEXT file: exit 1, naming it" \
  bash -c "[ $? -eq 1 ] && grep -q 'missing.cdtext' '$T/err'"
ctl create -o "$C/bad.img" --track-title 3:Nope "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "--track-title for a TRACK beyond the AUDIO files is a usage error (exit 2)" test $? -eq 2
ctl create -o "$C/bad.img" --track-title NoColon "$A/a.wav" 2>"$T/err"
check "--track-title without TRACK: is a usage error (exit 2)" test $? -eq 2
ctl create -o "$C/bad.img" --title "$(printf 'Bad\001Control')" "$A/a.wav" 2>"$T/err"
check "text the service refuses: exit 1, one line about the CD-TEXT" \
  bash -c "[ $? -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q 'CD-TEXT' '$T/err'"
diag <"$T/err"
check "no image is left by the refused CD-TEXT" test ! -e "$C/bad.img"

# ---- 9. inspect -------------------------------------------------------------------

I=$T/inspect
mkdir -p "$I"
ctl inspect "$W/addr.img" >"$T/inspect.txt" 2>"$T/err"
rc=$?
check "inspect of a fresh image exits 0" test $rc -eq 0
check "... its last line is 'clean'" test "$(tail -n 1 "$T/inspect.txt")" = clean
check "... it lists tracks 1 and 2 at LBA 0 (00:02:00) and 750 (00:12:00), lead-out 1500" \
  bash -c "grep -Eq '^ +1 +-150 +0 +00:02:00 ' '$T/inspect.txt' && grep -Eq '^ +2 +600 +750 +00:12:00 ' '$T/inspect.txt' &&
           grep -q '^Lead-out: *LBA 1500 (00:22:00)' '$T/inspect.txt'"
diag <"$T/inspect.txt"

ctl inspect --json "$W/all.img" >"$T/inspect-all.json" 2>"$T/err"
rc=$?
check "inspect --json of the image with every option: clean, MCN, ISRCs, copy and pre-emphasis" \
  test "$rc $(json_get "$T/inspect-all.json" \
    'j["clean"], j["problem_count"], j["mcn"], j["first_track"], j["last_track"], [(t["number"], t["isrc"], t["copy"], t["preemphasis"]) for t in j["tracks"]]' 2>&1)" \
    = "0 (True, 0, '1234567890128', 3, 4, [(3, 'USRC17607839', 1, False), (4, 'USRC17607840', 2, True)])"

# damage: flip one Q bit of the sector at LBA 1000 (program area, track 2).
# IS_RAW: 2448-byte sectors from LBA -22650, the 96 subchannel bytes after
# the 2352 audio bytes, Q in bit 6; Q byte 3 (relative minutes) is in
# subchannel bytes 24..31.
cp "$W/addr.img" "$I/damaged.img"
python3 - "$I/damaged.img" <<'EOF'
import sys
lba = 1000
offset = (lba + 22650) * 2448 + 2352 + 24
with open(sys.argv[1], "r+b") as f:
    f.seek(offset)
    b = f.read(1)[0]
    f.seek(offset)
    f.write(bytes([b ^ 0x40]))
EOF
ctl inspect "$I/damaged.img" >"$T/damaged.txt" 2>"$T/err"
rc=$?
check "inspect of a copy with one flipped Q bit exits 1" test $rc -eq 1
check "... names LBA 1000 (MSF 00:15:25) among the problems" grep -q 'LBA 1000 (MSF 00:15:25)' "$T/damaged.txt"
check "... and its last line counts the problems" grep -Eq '^[1-9][0-9]* problems?$' <(tail -n 1 "$T/damaged.txt")
diag <"$T/damaged.txt"
ctl inspect --json "$I/damaged.img" >"$T/damaged.json" 2>/dev/null
check "inspect --json of the damaged copy: not clean, a q-crc problem at LBA 1000 with its MSF" \
  test "$(json_get "$T/damaged.json" \
    'j["clean"], j["problem_count"] >= 1, [(p["lba"], p["msf"]) for p in j["problems"] if p["check"] == "q-crc"]' 2>&1)" \
    = "(False, True, [(1000, '00:15:25')])"

ctl inspect --sub "$S/clone.sub" "$S/clone.img" >"$T/inspect-sub.txt" 2>"$T/err"
rc=$?
check "inspect --sub of the CloneCD files: exit 0, clean" \
  bash -c "[ $rc -eq 0 ] && [ \"\$(tail -n 1 '$T/inspect-sub.txt')\" = clean ]"
[ $rc -eq 0 ] || diag <"$T/inspect-sub.txt"

ctl inspect "$A/junk.wav" >/dev/null 2>"$T/err"
check "inspect of a file that is no image: exit 1, one line naming it" \
  bash -c "[ $? -eq 1 ] && [ \$(wc -l <'$T/err') -eq 1 ] && grep -q '^rawcdctl: .*junk.wav: ' '$T/err'"
diag <"$T/err"
ctl inspect "$I/missing.img" 2>/dev/null
check "inspect of a missing file exits 1" test $? -eq 1
ctl inspect 2>/dev/null
check "inspect without IMAGE is a usage error (exit 2)" test $? -eq 2
ctl inspect "$W/addr.img" "$W/pq.img" 2>/dev/null
check "inspect with two IMAGEs is a usage error (exit 2)" test $? -eq 2

# ---- 10. disc identifiers ------------------------------------------------------

# Computed here from the TOC info reports, per docs/cd-format.md §11
# and by libdiscid (for track numbers from 1), not taken from the service.
disc_ids_expected() {
  python3 - "$1" <<'EOF'
import base64, ctypes, ctypes.util, hashlib, json, sys
j = json.load(open(sys.argv[1]))
first, last = j["toc"]["first_track"], j["toc"]["last_track"]
lbas = [t["starting_lba"] for t in j["tracks"]]
leadout = j["start_of_leadout"]
offsets = [l + 150 for l in lbas]
# freedb
n = sum(sum(int(d) for d in str(o // 75)) for o in offsets)
t = (leadout + 150) // 75 - offsets[0] // 75
cddb = "%08x" % (((n % 255) << 24) | (t << 8) | len(lbas))
# MusicBrainz
s = "%02X%02X" % (first, last) + "%08X" % (leadout + 150)
s += "".join("%08X" % (offsets[i - first] if first <= i <= last else 0) for i in range(1, 100))
mb = base64.b64encode(hashlib.sha1(s.encode("ascii")).digest()).decode().translate(str.maketrans("+/=", "._-"))
# AccurateRip
id1 = (sum(lbas) + leadout) % 2**32
id2 = (sum(max(l, 1) * (i + 1) for i, l in enumerate(lbas)) + leadout * (len(lbas) + 1)) % 2**32
ar = "%03d-%08x-%08x-%s" % (len(lbas), id1, id2, cddb)
# libdiscid, for track numbers from 1
name = ctypes.util.find_library("discid")
assert name, "libdiscid is not installed (libdiscid-dev)"
if first == 1:
    lib = ctypes.CDLL(name)
    lib.discid_new.restype = ctypes.c_void_p
    lib.discid_get_id.restype = ctypes.c_char_p
    lib.discid_get_freedb_id.restype = ctypes.c_char_p
    d = ctypes.c_void_p(lib.discid_new())
    arr = (ctypes.c_int * 100)(*([leadout + 150] + offsets + [0] * (99 - len(offsets))))
    assert lib.discid_put(d, first, last, arr) == 1
    assert lib.discid_get_id(d).decode() == mb, ("libdiscid", lib.discid_get_id(d), mb)
    assert lib.discid_get_freedb_id(d).decode() == cddb, ("libdiscid", cddb)
    lib.discid_free(d)
print({"cddb": cddb, "musicbrainz": mb, "accuraterip": ar})
EOF
}
ctl info --json "$A/a.wav" "$A/b.wav" >"$T/ids.json" 2>"$T/err"
expected=$(disc_ids_expected "$T/ids.json" 2>&1)
check "info --json: disc_ids (cddb, musicbrainz, accuraterip) equal those computed from the TOC and libdiscid's" \
  test "$(json_get "$T/ids.json" '{k: j["disc_ids"][k] for k in ("cddb", "musicbrainz", "accuraterip")}' 2>&1)" = "$expected"
echo "$expected" | diag
ctl info --json --gaps --hidden-track "$A/hidden.wav" "$A/a.wav" "$A/b.wav" "$A/a.wav" >"$T/ids2.json" 2>"$T/err"
expected=$(disc_ids_expected "$T/ids2.json" 2>&1)
check "info --json: the disc IDs of 3 tracks with gaps and a hidden track" \
  test "$(json_get "$T/ids2.json" '{k: j["disc_ids"][k] for k in ("cddb", "musicbrainz", "accuraterip")}' 2>&1)" = "$expected"
ctl info "$A/a.wav" "$A/b.wav" >"$T/ids.txt" 2>"$T/err"
mb=$(json_get "$T/ids.json" 'j["disc_ids"]["musicbrainz"]' 2>/dev/null)
check "info: the text lists the disc IDs" \
  bash -c "grep -q '^Disc IDs:' '$T/ids.txt' && grep -Eq '^  CDDB +[0-9a-f]{8}$' '$T/ids.txt' &&
           grep -Eq '^  MusicBrainz +$mb\$' '$T/ids.txt' && grep -Eq '^  AccurateRip +002-' '$T/ids.txt'"

# ---- 11. bash completion --------------------------------------------------------

# complete WORDS...: the completions for the last word
complete_words() {
  bash -c '
    source "$1"; shift
    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
    COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}
    _rawcdctl
    printf "%s\n" "${COMPREPLY[@]}"
  ' complete "$COMPLETION" "$@" 2>&1 | sort | tr '\n' ' '
}
if [ -f "$COMPLETION" ]; then
  check "completion: commands" test "$(complete_words rawcdctl '')" = "create info inspect status "
  check "completion: global options" \
    test "$(complete_words rawcdctl --s)" = "--session --system "
  check "completion: create's options" \
    test "$(complete_words rawcdctl --session create --hid)" = "--hidden-track "
  check "completion: --image-type values" \
    test "$(complete_words rawcdctl create --image-type '')" = "cooked pq raw "
  check "completion: --copy TRACK: values" \
    test "$(complete_words rawcdctl create --copy 2 : p)" = "permitted prohibited "
  check "completion: files for AUDIO" \
    test "$(cd "$A" && complete_words rawcdctl info hid)" = "hidden.wav "
  check "completion: --format values" \
    test "$(complete_words rawcdctl create --format '')" = "clonecd cue imapi toc "
  check "completion: create's CD-TEXT options" \
    test "$(complete_words rawcdctl create --track-)" = "--track-performer --track-title "
  check "completion: a file for --cdtext" \
    test "$(cd "$A" && complete_words rawcdctl create --cdtext hid)" = "hidden.wav "
  check "completion: inspect's options" \
    test "$(complete_words rawcdctl inspect --)" = "--ccd --cue --help --json --sub --toc "
  check "completion: a file for inspect --sub" \
    test "$(cd "$A" && complete_words rawcdctl inspect --sub hid)" = "hidden.wav "
else
  not_ok "the bash completion file is at $COMPLETION"
fi

# ---- the service we started is still fine ----------------------------------

if kill -0 "$DAEMON_PID" 2>/dev/null; then
  ok "rawcdd on the --address bus is still running"
else
  not_ok "rawcdd on the --address bus is still running"
  diag <"$T/rawcdd.log"
fi

echo "1..$n"
[ $failed -eq 0 ]

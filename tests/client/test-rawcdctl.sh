#!/bin/bash
# rawcdctl against the real rawcdd, speaking TAP.
#
#   RAWCDCTL  the rawcdctl to test (build tree: client/rawcdctl)
#   RAWCDD    the rawcdd for the tests that start their own service; the
#             embedded-service tests unset it, so that rawcdctl finds the
#             daemon/rawcdd of its own build tree
#   TEST_SRCDIR  this directory (for the bash completion file)
#
# Needs dbus-daemon, gdbus, sox and python3.  Every process it starts is
# stopped by its PID on exit.
set -u

: "${RAWCDCTL:?set RAWCDCTL to the rawcdctl binary}"
: "${RAWCDD:?set RAWCDD to the rawcdd binary}"
COMPLETION=${COMPLETION:-${TEST_SRCDIR:-$(dirname "$0")}/../../client/rawcdctl.bash-completion}

T=$(mktemp -d "${TMPDIR:-/tmp}/rawcdctl-test.XXXXXX")
PIDS=()
n=0
failed=0

cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  rm -rf "$T"
}
trap cleanup EXIT

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
# check DESCRIPTION COMMAND...: ok if COMMAND succeeds
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
skip_all() { echo "1..0 # SKIP $*"; exit 0; }

for tool in dbus-daemon gdbus sox python3; do
  command -v "$tool" >/dev/null || skip_all "$tool is not installed"
done
[ -x "$RAWCDD" ] || skip_all "no rawcdd at $RAWCDD"

# Image geometry (shared/cd-format.md §2)
image_size() { echo $(( (22650 + $1 + 6750) * ${2:-2448} )); }
file_size() { stat -c %s "$1"; }
# The files in a directory, hidden ones included, one per line
listing() { ls -A "$1"; }

# json_get FILE EXPR: evaluates the python expression EXPR on the JSON
# object in FILE (as j); prints the result
json_get() {
  python3 -c 'import json, sys; j = json.load(open(sys.argv[1])); print(eval(sys.argv[2]))' "$1" "$2"
}

# ---- fixtures -------------------------------------------------------------

A=$T/audio
mkdir -p "$A"
sox -n -r 44100 -c 2 -b 16 "$A/a.wav" synth 10 sine 440 vol 0.3 &&
sox -n -r 44100 -c 2 -b 16 "$A/b.wav" synth 10 sine 660 vol 0.3 &&
sox -n -r 44100 -c 2 -b 16 "$A/hidden.wav" synth 3 sine 330 vol 0.3 &&
sox -n -r 44100 -c 2 -b 16 "$A/long.wav" synth 300 whitenoise vol 0.1 ||
  skip_all "sox cannot make the audio fixtures"
head -c 1000 /dev/zero | tr '\0' 'x' >"$A/junk.wav"

# start_bus: a bus of our own; sets BUS_ADDRESS (its PID goes to PIDS)
start_bus() {
  local file=$T/bus.$RANDOM
  BUS_ADDRESS=
  dbus-daemon --session --nofork --print-address=3 3>"$file" >/dev/null 2>&1 &
  PIDS+=($!)
  for _ in $(seq 100); do
    [ -s "$file" ] && break
    sleep 0.05
  done
  BUS_ADDRESS=$(head -n 1 "$file")
}

# wait_for_name ADDRESS: org.rawcd.RawCD1 has an owner on the bus
wait_for_name() {
  for _ in $(seq 200); do
    gdbus call --address "$1" --dest org.freedesktop.DBus \
      --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.rawcd.RawCD1 2>/dev/null |
      grep -q true && return 0
    sleep 0.05
  done
  return 1
}

# A marker in the environment of a rawcdctl run, inherited by the
# dbus-daemon and rawcdd it starts: finds them if they outlive it.
MARK="RAWCDCTL_TEST_MARK=$$-$RANDOM"
leftover_processes() {
  grep -lsz "^$MARK\$" /proc/[0-9]*/environ 2>/dev/null | grep -v "^/proc/$$/"
}

# ---- 1. --help -------------------------------------------------------------

if "$RAWCDCTL" --help >"$T/help" 2>&1; then
  ok "rawcdctl --help exits 0"
else
  not_ok "rawcdctl --help exits 0"
  diag <"$T/help"
fi
check "rawcdctl --help lists the commands and global options" \
  bash -c "grep -q '^  create  ' '$T/help' && grep -q '^  info  ' '$T/help' &&
           grep -q '^  status  ' '$T/help' && grep -q -- '--system' '$T/help' &&
           grep -q -- '--session' '$T/help' && grep -q -- '--address' '$T/help'"

declare -A command_options=(
  [create]="--output --image-type --gaps --first-track --mcn --isrc --index --preemphasis --copy --hidden-track --leadout-limit --raw --json --progress"
  [info]="--json --gaps --first-track --hidden-track --raw"
  [status]="--help"
)
for c in create info status; do
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

start_bus
BUS=$BUS_ADDRESS
"$RAWCDD" --address "$BUS" --idle-timeout 0 2>"$T/rawcdd.log" &
DAEMON_PID=$!
PIDS+=($DAEMON_PID)
if [ -n "$BUS" ] && wait_for_name "$BUS"; then
  ok "a private bus with rawcdd on it"
else
  not_ok "a private bus with rawcdd on it"
fi
ctl() { "$RAWCDCTL" --address "$BUS" "$@"; }

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

# ---- 3. the embedded service (no rawcd on the bus asked for) ---------------

start_bus
EMPTY_BUS=$BUS_ADDRESS
embedded() {
  env -u RAWCDD DBUS_SESSION_BUS_ADDRESS="$EMPTY_BUS" "$MARK" "$RAWCDCTL" --session "$@"
}

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
check "info: track 1 starts at LBA 0 with 600 sectors (gapless)" \
  grep -Eq '^ +1 +0 +600 +00:08:00 +150 ' "$T/info.txt"
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
  check "$variant: SIGINT makes rawcdctl exit 1" test $rc -eq 1
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

# ---- 7. bash completion --------------------------------------------------------

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
  check "completion: commands" test "$(complete_words rawcdctl '')" = "create info status "
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

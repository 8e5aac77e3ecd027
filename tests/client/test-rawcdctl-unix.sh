#!/bin/bash
# rawcdctl as a Unix tool, against the real rawcdd (TAP): -o - writes the
# image to standard output, a signal ends it with 128 + the signal's number
# and the word "cancelled", --json errors carry the D-Bus error name, the
# line about a private rawcdd comes only where it helps, and times may be
# written MM:SS:FF.
set -u
# shellcheck source=lib.sh
. "$(dirname "$0")/lib.sh"

if start_service; then
  ok "a private bus with rawcdd on it"
else
  bail_out "rawcdd did not start on a private bus"
fi
start_empty_bus

# Work in a directory of our own: nothing may appear in it but what a test
# names.
U=$T/unix
mkdir -p "$U"
cd "$U" || bail_out "cannot enter $U"

# ---- 1. -o - ---------------------------------------------------------------

ctl create -o file.img "$A/a.wav" "$A/b.wav" 2>"$T/err" ||
  { diag <"$T/err"; bail_out "create -o file.img failed"; }

ctl create -o - "$A/a.wav" "$A/b.wav" >"$T/stdout.img" 2>"$T/err"
rc=$?
check "create -o - exits 0" test $rc -eq 0
check "create -o -: standard output has the whole image, (22650 + 1500 + 6750) * 2448 bytes" \
  test "$(file_size "$T/stdout.img")" = "$(image_size 1500)"
check "create -o -: the same bytes as create -o FILE" cmp -s "$T/stdout.img" file.img
check "create -o -: no file named '-' (or any other) is created" \
  test "$(listing .)" = "file.img"
check "create -o -: nothing on stderr when it is no terminal" test ! -s "$T/err"

ctl create -o - "$A/a.wav" "$A/b.wav" 2>"$T/err" | cat >"$T/piped.img"
rc=${PIPESTATUS[0]}
check "create -o - into a pipe: exit 0, the same bytes as create -o FILE" \
  bash -c "[ $rc -eq 0 ] && cmp -s '$T/piped.img' file.img"

ctl create -o - --json "$A/a.wav" >"$T/out" 2>"$T/err"
check "create -o - --json is a usage error (exit 2): both would write to standard output" \
  bash -c "[ $? -eq 2 ] && [ ! -s '$T/out' ] && grep -q -- '--json' '$T/err'"
ctl create --format cue -o - "$A/a.wav" >"$T/out" 2>"$T/err"
check "create --format cue -o - is a usage error (exit 2): the sheet needs a name" \
  bash -c "[ $? -eq 2 ] && [ ! -s '$T/out' ]"

# standard output on a terminal: refused before anything is written
python3 - "$RAWCDCTL" --address "$BUS" create -o - "$A/a.wav" >"$T/tty.out" 2>&1 <<'EOF'
import os, pty, subprocess, sys
master, slave = pty.openpty()
r = subprocess.run(sys.argv[1:], stdout=slave, stderr=subprocess.PIPE)
os.close(slave)
os.set_blocking(master, False)
try:
    written = os.read(master, 1 << 20)
except (BlockingIOError, OSError):
    written = b""
print(r.returncode, len(written))
sys.stdout.write(r.stderr.decode())
EOF
check "create -o - with standard output on a terminal: exit 1, nothing written, says why" \
  bash -c "[ \"\$(head -n 1 '$T/tty.out')\" = '1 0' ] && grep -q '^rawcdctl: standard output is a terminal' '$T/tty.out'"
diag <"$T/tty.out"
check "... and no file appeared" test "$(listing .)" = "file.img"

# ---- 2. signals --------------------------------------------------------------

# stalled_create OUTPUT [OPTION...]: a create whose track comes from a FIFO
# that sends part of a WAV and then nothing, so that the job runs until it
# is cancelled; waits until the job is writing.  Sets CTL and WRITER;
# progress in $T/stalled.json (with --json), stdout in $T/stalled.out,
# stderr in $T/stalled.err.
stalled_create() {
  local output=$1 fifo=$T/fifo.$RANDOM.wav
  shift
  mkfifo "$fifo"
  (head -c 4000000 "$A/long.wav"; exec sleep 120) >"$fifo" &
  WRITER=$!
  PIDS+=($WRITER)
  # not through ctl(): the signal must reach rawcdctl, not a subshell
  "$RAWCDCTL" --address "$BUS" create "$@" -o "$output" "$fifo" \
    >"$T/stalled.out" 2>"$T/stalled.err" &
  CTL=$!
  PIDS+=($CTL)
  # the job is writing once the service has read the FIFO's first bytes
  for _ in $(seq 200); do
    if [ "$output" = - ]; then
      [ "$(file_size "$T/stalled.out")" -gt 0 ] && return 0
    else
      grep -q '"state":"running"' "$T/stalled.out" 2>/dev/null && return 0
    fi
    sleep 0.05
  done
  return 1
}

# interrupt SIGNAL: sends SIGNAL to the stalled rawcdctl; sets rc
interrupt() {
  kill "-$1" "$CTL"
  wait "$CTL"
  rc=$?
  kill "$WRITER" 2>/dev/null
}

if stalled_create out.img --json; then ok "a job that is writing (its input stalls)"; else not_ok "a job that is writing (its input stalls)"; fi
interrupt INT
check "SIGINT (Ctrl-C): exit 130, as a shell reports a command ended by SIGINT" test $rc -eq 130
check "... one line on stderr: rawcdctl: interrupted: cancelled" \
  test "$(cat "$T/stalled.err")" = "rawcdctl: interrupted: cancelled"
check "... no word of the service's ('owner', 'job')" \
  bash -c "! grep -qi 'owner\|job' '$T/stalled.err'"
check "... the JSON result: state cancelled, message 'cancelled', no D-Bus error" \
  test "$(tail -n 1 "$T/stalled.out" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["state"], j["success"], j["message"], j["error_name"])' 2>&1)" \
    = "cancelled False cancelled None"
check "... and no output file" test "$(listing .)" = "file.img"
diag <"$T/stalled.err"

if stalled_create out.img --json; then ok "another job that is writing"; else not_ok "another job that is writing"; fi
interrupt TERM
check "SIGTERM: exit 143 (128 + 15), no output file" \
  bash -c "[ $rc -eq 143 ] && [ \"\$(ls -A .)\" = file.img ]"

if stalled_create -; then ok "a job writing to standard output"; else not_ok "a job writing to standard output"; fi
interrupt INT
check "SIGINT with -o -: exit 130; it says what reached standard output is incomplete" \
  bash -c "[ $rc -eq 130 ] && [ \$(wc -l <'$T/stalled.err') -eq 1 ] &&
           grep -q '^rawcdctl: interrupted: cancelled; what went to standard output is incomplete' '$T/stalled.err'"
diag <"$T/stalled.err"

# ---- 3. JSON -------------------------------------------------------------------

ctl status >"$T/status.txt" 2>/dev/null
ctl status --json >"$T/status.json" 2>"$T/err"
rc=$?
version=$(sed -n 's/^Version: *//p' "$T/status.txt")
check "status --json: exit 0, one object: success, the service's version, not private" \
  test "$rc $(json_get "$T/status.json" 'j["success"], j["service"], j["version"], j["private"], "WAV" in j["input_formats"]' 2>&1)" \
    = "0 (True, 'org.rawcd.RawCD1', '$version', False, True)"
check "status --json: the version is that of 'status'" test -n "$version"

embedded status --json >"$T/status-private.json" 2>"$T/err"
rc=$?
check "status --json with no service on the bus: private, with the rawcdd it started" \
  test "$rc $(json_get "$T/status-private.json" 'j["success"], j["private"], j["daemon"].endswith("/rawcdd")' 2>&1)" \
    = "0 (True, True, True)"

"$RAWCDCTL" --address "unix:path=$T/no-bus" status --json >"$T/status-fail.json" 2>"$T/err"
rc=$?
check "status --json that fails: exit 1, the error as JSON on stdout (no D-Bus error name)" \
  test "$rc $(json_get "$T/status-fail.json" 'j["success"], "cannot connect" in j["message"], j["error_name"]' 2>&1)" \
    = "1 (False, True, None)"
check "... and the one line on stderr" \
  bash -c "[ \$(wc -l <'$T/err') -eq 1 ] && grep -q '^rawcdctl: cannot connect' '$T/err'"

ctl info --json "$A/junk.wav" >"$T/info-fail.json" 2>"$T/err"
rc=$?
check "info --json of a file that is no audio: exit 1, the error as JSON on stdout" \
  test "$rc $(json_get "$T/info-fail.json" 'j["success"], "junk.wav" in j["message"], j["message"].startswith("GDBus")' 2>&1)" \
    = "1 (False, True, False)"
check "... with the D-Bus error name org.rawcd.RawCD1.Error.UnsupportedAudio" \
  test "$(json_get "$T/info-fail.json" 'j["error_name"]' 2>&1)" = "org.rawcd.RawCD1.Error.UnsupportedAudio"
check "... one line on stdout" test "$(wc -l <"$T/info-fail.json")" -eq 1

ctl info --json "$A/a.wav" >"$T/info.json" 2>/dev/null
check "info --json that succeeds says success: true" \
  test "$(json_get "$T/info.json" 'j["success"]' 2>&1)" = True

ctl create --json -o x.img --mcn 1234567890123 "$A/a.wav" >"$T/create-fail.json" 2>/dev/null
check "create --json of a value the service refuses: the result names the D-Bus error" \
  test "$(tail -n 1 "$T/create-fail.json" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["success"], j["error_name"], j["message"].startswith("--mcn 1234567890123: "))' 2>&1)" \
    = "False org.rawcd.RawCD1.Error.InvalidArgument True"
ctl create --json -o x.img "$A/missing.wav" >"$T/create-fail.json" 2>/dev/null
check "create --json of a local failure (a missing file): error_name null" \
  test "$(tail -n 1 "$T/create-fail.json" | python3 -c 'import json, sys; j = json.load(sys.stdin); print(j["success"], j["error_name"])' 2>&1)" \
    = "False None"

# ---- 4. the line about a private rawcdd ------------------------------------------

private_line="rawcdctl: no rawcd service on the session bus; using a private rawcdd for this command"
embedded info "$A/a.wav" >/dev/null 2>"$T/err"
check "info with no service on the bus: the private rawcdd is named once on stderr" \
  test "$(cat "$T/err")" = "$private_line"
embedded status >"$T/out" 2>"$T/err"
check "status: not on stderr (its output says it: 'private')" \
  bash -c "[ ! -s '$T/err' ] && grep -q '^Service: .*(private' '$T/out'"
embedded info --json "$A/a.wav" >/dev/null 2>"$T/err"
check "info --json: not on stderr (machine output)" test ! -s "$T/err"
embedded create --json -o quiet.img "$A/a.wav" >/dev/null 2>"$T/err"
check "create --json: not on stderr" test ! -s "$T/err"
embedded --quiet info "$A/a.wav" >/dev/null 2>"$T/err"
check "--quiet info: not on stderr" test ! -s "$T/err"
embedded -q create -o quiet.img "$A/a.wav" 2>"$T/err"
check "-q create: exit 0, nothing on stderr" bash -c "[ $? -eq 0 ] && [ ! -s '$T/err' ]"
rm -f quiet.img
check "no dbus-daemon or rawcdd of rawcdctl's is left after them" \
  test -z "$(leftover_processes)"

# ---- 5. times as MM:SS:FF ------------------------------------------------------

ctl create -o idx-sectors.img --index 1:300 --index 2:80 "$A/a.wav" "$A/b.wav" 2>"$T/err" &&
ctl create -o idx-msf.img --index 1:00:04:00 --index 2:00:01:05 "$A/a.wav" "$A/b.wav" 2>>"$T/err"
check "--index 1:00:04:00 --index 2:00:01:05 makes the image of --index 1:300 --index 2:80" \
  bash -c "[ $? -eq 0 ] && cmp -s idx-sectors.img idx-msf.img"
diag <"$T/err"
rm -f idx-sectors.img idx-msf.img

# a.wav + b.wav end at LBA 1499: a limit of 1499 holds them, 1498 does not
ctl create -o limit.img --leadout-limit 00:19:74 "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "--leadout-limit 00:19:74 (LBA 1499) holds 20 seconds of audio" \
  bash -c "[ $? -eq 0 ] && [ -f limit.img ]"
rm -f limit.img
ctl create -o limit.img --leadout-limit 00:19:73 "$A/a.wav" "$A/b.wav" 2>"$T/err"
check "--leadout-limit 00:19:73 (LBA 1498) does not: exit 1, no image" \
  bash -c "[ $? -eq 1 ] && [ ! -e limit.img ]"
diag <"$T/err"

ctl create -o x.img --index 1:00:20:00 "$A/a.wav" 2>"$T/err"
check "an index beyond the track: exit 1, the message quotes --index 1:00:20:00 as given" \
  bash -c "[ $? -eq 1 ] && grep -q '^rawcdctl: --index 1:00:20:00: ' '$T/err'"
diag <"$T/err"
for bad in 1:00:60:00 1:00:10:75 1:10:00 1:00:aa:00; do
  ctl create -o x.img --index "$bad" "$A/a.wav" 2>"$T/err"
  check "--index $bad is a usage error (exit 2) that says MM:SS:FF" \
    bash -c "[ $? -eq 2 ] && grep -q 'MM:SS:FF' '$T/err'"
done
check "no image was left by the refused times" test "$(listing .)" = "file.img"

# ---- 6. CD-TEXT messages name a track one way ------------------------------------

ctl create -o x.img --first-track 3 --track-title "2:$(printf 'Bad\001')" "$A/a.wav" "$A/b.wav" 2>"$T/err"
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

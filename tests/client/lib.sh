# tests/client/lib.sh: what the rawcdctl test scripts share, sourced by
# each: TAP helpers, the audio fixtures, private buses and a rawcdd on one.
#
#   RAWCDCTL  the rawcdctl to test (build tree: client/rawcdctl)
#   RAWCDD    the rawcdd for the tests that start their own service; the
#             embedded-service tests unset it, so that rawcdctl finds the
#             daemon/rawcdd of its own build tree
#
# Needs dbus-daemon, gdbus, sox and python3 (CI installs them: .ci/packages),
# so a missing one is a failure, not a skip.  Every process started through
# PIDS is stopped by its PID on exit, and the temporary directory $T goes.
set -u

: "${RAWCDCTL:?set RAWCDCTL to the rawcdctl binary}"
: "${RAWCDD:?set RAWCDD to the rawcdd binary}"

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
bail_out() { echo "Bail out! $*"; exit 1; }

for tool in dbus-daemon gdbus sox python3; do
  command -v "$tool" >/dev/null || bail_out "$tool is not installed (see .ci/packages)"
done
[ -x "$RAWCDD" ] || bail_out "no rawcdd at $RAWCDD"

# Image geometry (docs/cd-format.md §2)
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
  bail_out "sox cannot make the audio fixtures"
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


# start_service: a bus of our own with rawcdd on it; sets BUS and
# DAEMON_PID (rawcdd's log in $T/rawcdd.log); ctl runs rawcdctl on it
start_service() {
  start_bus
  BUS=$BUS_ADDRESS
  "$RAWCDD" --address "$BUS" --idle-timeout 0 2>"$T/rawcdd.log" &
  DAEMON_PID=$!
  PIDS+=($DAEMON_PID)
  [ -n "$BUS" ] && wait_for_name "$BUS"
}
ctl() { "$RAWCDCTL" --address "$BUS" "$@"; }

# embedded ARGS...: rawcdctl on a bus where no rawcd service answers (call
# start_empty_bus first), so that it starts a private rawcdd
start_empty_bus() {
  start_bus
  EMPTY_BUS=$BUS_ADDRESS
}
embedded() {
  env -u RAWCDD DBUS_SESSION_BUS_ADDRESS="$EMPTY_BUS" "$MARK" "$RAWCDCTL" --session "$@"
}

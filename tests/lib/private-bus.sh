# private-bus.sh: sourced (bash) by the tests that run the real rawcdd on a
# private dbus-daemon, as root and, where a test needs a second uid, as
# nobody.  What each of those tests used to repeat:
#
#   pb_init NAME       the test's directory $T (mode 1777: nobody's clients
#                      read the fixtures and write their results there), and
#                      a trap that stops every process in PIDS by its PID
#                      and removes $T on exit
#   ok, not_ok, diag, check, bail_out
#                      TAP: counters n and failed; check WHAT CMD... is ok
#                      when CMD succeeds; pb_done prints the plan at the end
#                      and returns non-zero after a failure
#   pb_need TOOL...    a missing tool is a Bail out (CI installs them all:
#                      .ci/packages), not a skip
#   pb_start_bus       a dbus-daemon that lets every uid connect and own and
#                      talk to anything: $BUS is its address
#   pb_start_daemon RAWCDD ARG...
#                      rawcdd on $BUS (--idle-timeout 0 and ARGs), under
#                      RAWCD_DAEMON_WRAPPER when set (meson test --setup
#                      valgrind); $DAEMON is its PID, its stderr
#                      $T/rawcdd.log; returns once it owns its name
#   pb_stop_daemon     SIGTERM, then its exit status in DAEMON_STATUS (99 is
#                      valgrind's verdict)
#   pb_python_clients FILE...
#                      copies the Python clients and rawcd_test_client.py
#                      (tests/lib) into $T, readable by nobody (the tree may
#                      sit below a 0700 directory); run them with
#                      "${PB_PYTHON[@]}" $T/FILE ...
#   AS_NOBODY          a command prefix: run as nobody, without groups
#   SLOW               1, or 20 under RAWCD_DAEMON_WRAPPER: scales waits
# shellcheck shell=bash

PB_LIB=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
AS_NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
SLOW=1
[ -n "${RAWCD_DAEMON_WRAPPER:-}" ] && SLOW=20
PIDS=()
n=0
failed=0

ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /'; }
check() {
  local what=$1
  shift
  if "$@"; then ok "$what"; else not_ok "$what"; fi
}
bail_out() { echo "Bail out! $*"; exit 1; }
pb_done() {
  echo "1..$n"
  [ "$failed" -eq 0 ]
}

pb_cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null
  done
  [ -n "${T:-}" ] && rm -rf "$T"
}

pb_init() {
  T=$(mktemp -d "${TMPDIR:-/tmp}/rawcd-$1.XXXXXX") || bail_out "mktemp failed"
  chmod 1777 "$T"
  trap pb_cleanup EXIT
}

pb_need() {
  local tool
  for tool in "$@"; do
    command -v "$tool" >/dev/null || bail_out "$tool is not installed (see .ci/packages)"
  done
}

pb_start_bus() {
  cat >"$T/bus.conf" <<CONF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path=$T/socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
    <allow own="*"/>
  </policy>
</busconfig>
CONF
  dbus-daemon --config-file="$T/bus.conf" --nofork --nopidfile --print-address=3 \
    3>"$T/bus.address" >/dev/null 2>"$T/bus.log" &
  PIDS+=($!)
  for _ in $(seq 200); do
    [ -s "$T/bus.address" ] && break
    sleep 0.05
  done
  BUS=$(head -n 1 "$T/bus.address")
  [ -n "$BUS" ] || bail_out "dbus-daemon gave no address: $(cat "$T/bus.log")"
}

pb_start_daemon() {
  local rawcdd=$1
  shift
  # shellcheck disable=SC2086  # the wrapper is a command line
  ${RAWCD_DAEMON_WRAPPER:-} "$rawcdd" --address "$BUS" --idle-timeout 0 "$@" 2>"$T/rawcdd.log" &
  DAEMON=$!
  PIDS+=($DAEMON)
  for _ in $(seq $((300 * SLOW))); do
    gdbus call --address "$BUS" --dest org.freedesktop.DBus --object-path /org/freedesktop/DBus \
      --method org.freedesktop.DBus.NameHasOwner org.rawcd.RawCD1 2>/dev/null | grep -q true && return 0
    kill -0 "$DAEMON" 2>/dev/null || break
    sleep 0.05
  done
  diag <"$T/rawcdd.log"
  bail_out "rawcdd did not take its name on the private bus"
}

pb_stop_daemon() {
  kill -TERM "$DAEMON"
  wait "$DAEMON"
  DAEMON_STATUS=$?
}

PB_PYTHON=(env "PYTHONPATH=${T:-}" /usr/bin/python3)
pb_python_clients() {
  local f
  PB_PYTHON=(env "PYTHONPATH=$T" /usr/bin/python3)
  cp "$PB_LIB/rawcd_test_client.py" "$T/" || bail_out "cannot copy rawcd_test_client.py"
  chmod 644 "$T/rawcd_test_client.py"
  for f in "$@"; do
    cp "$f" "$T/" || bail_out "cannot copy $f"
    chmod 644 "$T/$(basename "$f")"
  done
}

# pb_probe_start WHAT: a third client (tests/lib/rawcd_test_client.py
# probe) reads a property of rawcdd again and again while the attack WHAT
# runs; pb_probe_stop prints its p50 and p99 as a TAP diagnostic,
#   # p50=0.41 ms p99=1.73 ms (250 reads) during WHAT
# Figures only: the tests assert nothing on them (a loaded machine is not a
# daemon's fault).  Needs pb_python_clients first.
pb_probe_start() {
  PROBE_WHAT=$1
  PROBE_DIR=$T/probe.$((++PB_PROBES))
  mkdir -p "$PROBE_DIR"
  chmod 1777 "$PROBE_DIR"
  "${PB_PYTHON[@]}" "$T/rawcd_test_client.py" probe "$BUS" "$PROBE_DIR" 2>"$PROBE_DIR/err" &
  PROBE_PID=$!
  PIDS+=($PROBE_PID)
  for _ in $(seq $((100 * SLOW))); do
    [ -e "$PROBE_DIR/probe-ready" ] && break
    kill -0 "$PROBE_PID" 2>/dev/null || break
    sleep 0.02
  done
}
pb_probe_stop() {
  touch "$PROBE_DIR/probe-stop"
  wait "$PROBE_PID"
  echo "# $("${PB_PYTHON[@]}" "$T/rawcd_test_client.py" percentiles "$PROBE_DIR" 2>&1) during $PROBE_WHAT"
  [ -s "$PROBE_DIR/err" ] && diag <"$PROBE_DIR/err"
  return 0
}
PB_PROBES=0

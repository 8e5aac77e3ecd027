#!/usr/bin/env bash
# test-object-manager.sh RAWCDD: org.freedesktop.DBus.ObjectManager on
# /org/rawcd/RawCD1 lists and announces to each connection only the
# objects it may use (issue 10).
#
# A private dbus-daemon whose configuration lets every uid connect; rawcdd
# (under RAWCD_DAEMON_WRAPPER when set, as the valgrind setup does); three
# clients (om-client.py): the owner (root), a second connection of root
# following the objects with a GDBusObjectManagerClient (the peer), and a
# stranger running as nobody (setpriv).  The same clients check who may
# read a job: the owner's uid from another connection (read, not cancel),
# not another uid.  TAP output.  Needs root.
set -u
rawcdd=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root to run a client as nobody"
  exit 0
fi

T=$(mktemp -d)
# The stranger (nobody) reads the script, the socket and the audio here,
# and writes its own files.
chmod 1777 "$T"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null; done
  wait 2>/dev/null
  rm -rf "$T"
}
trap cleanup EXIT

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
dbus-daemon --config-file="$T/bus.conf" --nofork --nopidfile --print-address=1 \
  >"$T/address" 2>"$T/bus.log" &
pids="$pids $!"
for _ in $(seq 100); do [ -s "$T/address" ] && break; sleep 0.1; done
address=$(head -n 1 "$T/address")
[ -n "$address" ] || { echo "Bail out! dbus-daemon did not start: $(cat "$T/bus.log")"; exit 1; }

cp "$here/om-client.py" "$T/"
sox -n -r 44100 -c 2 -b 16 "$T/a.wav" synth 5 sine 440 || { echo "Bail out! sox"; exit 1; }
chmod 644 "$T/a.wav" "$T/om-client.py"

# shellcheck disable=SC2086
${RAWCD_DAEMON_WRAPPER:-} "$rawcdd" --address "$address" --idle-timeout 0 2>"$T/rawcdd.log" &
daemon_pid=$!
for _ in $(seq 300); do
  gdbus call --address "$address" --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1 \
    --method org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1 && break
  sleep 0.1
done

setpriv --reuid=65534 --regid=65534 --clear-groups -- \
  /usr/bin/python3 "$T/om-client.py" "$address" stranger "$T" 2>"$T/stranger.err" &
stranger_pid=$!
/usr/bin/python3 "$T/om-client.py" "$address" peer "$T" 2>"$T/peer.err" &
peer_pid=$!
/usr/bin/python3 "$T/om-client.py" "$address" owner "$T" 2>"$T/owner.err"
# Should the owner fail, the others need not wait for it.
touch "$T/job-path" "$T/owner-built" "$T/owner-done"
wait "$stranger_pid" "$peer_pid"

kill -TERM "$daemon_pid"
wait "$daemon_pid"
status=$?
for f in owner peer stranger; do
  if [ ! -s "$T/$f.json" ]; then
    echo "# the $f client failed:"; sed 's/^/# /' "$T/$f.err"
  fi
done

/usr/bin/python3 "$here/om-check.py" "$T"
if [ "$status" = 0 ]; then
  echo "ok 17 rawcdd exits 0"
else
  echo "not ok 17 rawcdd exits 0 (status $status; 99 is valgrind's verdict)"
  sed 's/^/# /' "$T/rawcdd.log" | tail -40
fi
echo "1..17"

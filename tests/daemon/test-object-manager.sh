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

# The bus and daemon: tests/lib/private-bus.sh.  The stranger (nobody)
# reads the script, the socket and the audio in $T, and writes its own
# files there.
# shellcheck source=../lib/private-bus.sh
. "$here/../lib/private-bus.sh"
pb_init object-manager
pb_start_bus
address=$BUS

cp "$here/om-client.py" "$T/"
sox -n -r 44100 -c 2 -b 16 "$T/a.wav" synth 5 sine 440 || bail_out "sox"
chmod 644 "$T/a.wav" "$T/om-client.py"

pb_start_daemon "$rawcdd"

setpriv --reuid=65534 --regid=65534 --clear-groups -- \
  /usr/bin/python3 "$T/om-client.py" "$address" stranger "$T" 2>"$T/stranger.err" &
stranger_pid=$!
/usr/bin/python3 "$T/om-client.py" "$address" peer "$T" 2>"$T/peer.err" &
peer_pid=$!
/usr/bin/python3 "$T/om-client.py" "$address" owner "$T" 2>"$T/owner.err"
# Should the owner fail, the others need not wait for it.
touch "$T/job-path" "$T/owner-built" "$T/owner-done"
wait "$stranger_pid" "$peer_pid"

pb_stop_daemon
status=$DAEMON_STATUS
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

#!/usr/bin/env bash
# test-private-signals.sh RAWCDD: signals about a session, its tracks and
# its jobs reach only the connections entitled to them (issue 11).
#
# A private dbus-daemon whose configuration lets every uid connect; rawcdd
# (under RAWCD_DAEMON_WRAPPER when set, as the valgrind setup does); an
# owner client as root and a listener client as nobody (setpriv), each
# with a session of its own and a match rule on rawcdd's signals
# (signal-client.py).  The owner gets its PropertiesChanged and its job's
# Completed; the listener gets those of its own session and nothing of the
# owner's.  TAP output.  Needs root (to run the listener as nobody).
set -u
rawcdd=$1
here=$(cd "$(dirname "$0")" && pwd)
n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n $*"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n $*"; }

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root to run a client as nobody"
  exit 0
fi

T=$(mktemp -d)
# The listener (nobody) reads the script, the socket and the audio here,
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

cp "$here/signal-client.py" "$T/"
sox -n -r 44100 -c 2 -b 16 "$T/a.wav" synth 5 sine 440 || { echo "Bail out! sox"; exit 1; }
chmod 644 "$T/a.wav" "$T/signal-client.py"

# shellcheck disable=SC2086
${RAWCD_DAEMON_WRAPPER:-} "$rawcdd" --address "$address" --idle-timeout 0 2>"$T/rawcdd.log" &
daemon_pid=$!
for _ in $(seq 300); do
  gdbus call --address "$address" --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1 \
    --method org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1 && break
  sleep 0.1
done

setpriv --reuid=65534 --regid=65534 --clear-groups -- \
  /usr/bin/python3 "$T/signal-client.py" "$address" listener "$T" 2>"$T/listener.err" &
listener_pid=$!
/usr/bin/python3 "$T/signal-client.py" "$address" owner "$T" 2>"$T/owner.err"
wait "$listener_pid"

kill -TERM "$daemon_pid"
wait "$daemon_pid"
status=$?
echo "1..5"
for f in owner listener; do
  if [ ! -s "$T/$f.json" ]; then
    echo "# the $f client failed:"; sed 's/^/# /' "$T/$f.err"
  fi
done

/usr/bin/python3 - "$T" <<'PY'
import json, sys
d = sys.argv[1]
def load(name):
    try:
        return json.load(open(d + '/' + name + '.json'))
    except Exception:
        return None
owner, listener = load('owner'), load('listener')
n = 0
def check(cond, what, detail=''):
    global n
    n += 1
    print(('ok' if cond else 'not ok'), n, what)
    if not cond and detail:
        print('# ' + detail)
if owner is None or listener is None:
    for what in ('the owner hears its PropertiesChanged', 'the owner hears its job Completed',
                 'the listener hears its own session', 'the listener hears nothing of the owner'):
        check(False, what, 'a client failed')
else:
    mine = owner['signals']
    check(any(s.endswith('.PropertiesChanged') for s in mine.get(owner['creator'], [])),
          'the owner hears its PropertiesChanged', json.dumps(mine))
    check(any(s.endswith('Job.Completed') for p, ss in mine.items() for s in ss),
          'the owner hears its job Completed', json.dumps(mine))
    theirs = listener['signals']
    check(listener['creator'] in theirs, 'the listener hears its own session (its listening works)',
          json.dumps(theirs))
    leaked = {p: s for p, s in theirs.items() if p != listener['creator']}
    check(not leaked, 'the listener (another uid) hears nothing of the owner\'s session and job',
          'received: ' + json.dumps(leaked)[:2000])
PY
if [ "$status" = 0 ]; then
  echo "ok 5 rawcdd exits 0"
else
  echo "not ok 5 rawcdd exits 0 (status $status; 99 is valgrind's verdict)"
  sed 's/^/# /' "$T/rawcdd.log" | tail -40
fi

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
# owner's.  A third client measures property reads meanwhile (p50/p99
# printed, not asserted).  TAP output.  Needs root (to run the listener as
# nobody).  The bus and daemon: tests/lib/private-bus.sh.
set -u
rawcdd=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/private-bus.sh
. "$here/../lib/private-bus.sh"

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root to run a client as nobody"
  exit 0
fi

pb_init private-signals
pb_need dbus-daemon gdbus setpriv sox
pb_start_bus
pb_python_clients "$here/signal-client.py"
sox -n -r 44100 -c 2 -b 16 "$T/a.wav" synth 5 sine 440 || bail_out "sox"
chmod 644 "$T/a.wav"

pb_start_daemon "$rawcdd"

pb_probe_start "a listener of another uid on every signal, the owner writing an image"
"${AS_NOBODY[@]}" "${PB_PYTHON[@]}" "$T/signal-client.py" "$BUS" listener "$T" 2>"$T/listener.err" &
listener_pid=$!
"${PB_PYTHON[@]}" "$T/signal-client.py" "$BUS" owner "$T" 2>"$T/owner.err"
wait "$listener_pid"
pb_probe_stop

pb_stop_daemon
echo "1..5"
for f in owner listener; do
  if [ ! -s "$T/$f.json" ]; then
    echo "# the $f client failed:"; diag <"$T/$f.err"
  fi
done

"${PB_PYTHON[@]}" - "$T" <<'PY'
import json, sys
from rawcd_test_client import Tap, load_result
d = sys.argv[1]
owner, listener = load_result(d, 'owner'), load_result(d, 'listener')
tap = Tap()
if owner is None or listener is None:
    for what in ('the owner hears its PropertiesChanged', 'the owner hears its job Completed',
                 'the listener hears its own session', 'the listener hears nothing of the owner'):
        tap.check(False, what, 'a client failed')
else:
    mine = owner['signals']
    tap.check(any(s.endswith('.PropertiesChanged') for s in mine.get(owner['creator'], [])),
              'the owner hears its PropertiesChanged', json.dumps(mine))
    tap.check(any(s.endswith('Job.Completed') for p, ss in mine.items() for s in ss),
              'the owner hears its job Completed', json.dumps(mine))
    theirs = listener['signals']
    tap.check(listener['creator'] in theirs, 'the listener hears its own session (its listening works)',
              json.dumps(theirs))
    leaked = {p: s for p, s in theirs.items() if p != listener['creator']}
    tap.check(not leaked, 'the listener (another uid) hears nothing of the owner\'s session and job',
              'received: ' + json.dumps(leaked)[:2000])
PY
if [ "$DAEMON_STATUS" = 0 ]; then
  echo "ok 5 rawcdd exits 0"
else
  echo "not ok 5 rawcdd exits 0 (status $DAEMON_STATUS; 99 is valgrind's verdict)"
  diag <"$T/rawcdd.log" | tail -40
fi

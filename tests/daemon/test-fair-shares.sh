#!/usr/bin/env bash
# test-fair-shares.sh RAWCDD: one uid whose job outputs stall cannot keep
# another uid's job waiting (issue 11, "fair shares").
#
# rawcdd with --max-jobs 4 (so 2 per uid) and --output-timeout 3 on a
# private dbus-daemon that lets every uid connect (tests/lib/private-bus.sh).
# A hog client (root) starts four jobs writing to pipes it never reads;
# another client (nobody, setpriv) then makes an image.  Its job starts
# within a second (it waited for ever before: the hog held every writer);
# the hog has two jobs running and two queued; each of the hog's jobs fails
# once its output has accepted nothing for 3 s, saying so.  A third client
# measures property reads meanwhile (p50/p99 printed, not asserted).  TAP
# output.  Needs root.
set -u
rawcdd=$1
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../lib/private-bus.sh
. "$here/../lib/private-bus.sh"

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root to run a client as nobody"
  exit 0
fi

pb_init fair-shares
pb_need dbus-daemon gdbus setpriv sox
pb_start_bus
pb_python_clients "$here/fair-client.py"
sox -n -r 44100 -c 2 -b 16 "$T/a.wav" synth 5 sine 440 || bail_out "sox"
chmod 644 "$T/a.wav"

pb_start_daemon "$rawcdd" --max-jobs 4 --output-timeout 3

pb_probe_start "stalled-output jobs (4 of one uid, a job of another)"
"${AS_NOBODY[@]}" "${PB_PYTHON[@]}" "$T/fair-client.py" "$BUS" other "$T" 2>"$T/other.err" &
other_pid=$!
"${PB_PYTHON[@]}" "$T/fair-client.py" "$BUS" hog "$T" 2>"$T/hog.err"
wait "$other_pid"
pb_probe_stop

pb_stop_daemon
echo "1..5"
for f in hog other; do
  if [ ! -s "$T/$f.json" ]; then
    echo "# the $f client failed:"; diag <"$T/$f.err"
  fi
done

"${PB_PYTHON[@]}" - "$T" "${RAWCD_DAEMON_WRAPPER:+slow}" <<'PY'
import json, sys
from rawcd_test_client import Tap, load_result
d, slow = sys.argv[1], sys.argv[2] == 'slow'
hog, other = load_result(d, 'hog'), load_result(d, 'other')
tap = Tap()
if hog is None or other is None:
    for what in ('per-uid share', 'other uid starts at once', 'stalled jobs fail by name',
                 'other uid succeeds'):
        tap.check(False, what, 'a client failed')
else:
    states = hog['states']
    tap.check(sorted(states) == ['queued', 'queued', 'running', 'running'],
              'the hog runs 2 jobs (its share of --max-jobs 4), 2 wait', json.dumps(states))
    # Under valgrind everything is slower: the bound scales.
    bound = 10.0 if slow else 1.0
    tap.check(other['queued_seconds'] < bound,
              "another uid's job starts within %g s of being asked for" % bound,
              'it stayed queued %.2f s' % other['queued_seconds'])
    done = hog['completed']
    tap.check(all(c is not None and c[0] is False and '--output-timeout' in c[1] for c in done),
              'each stalled job fails, saying its output accepted nothing (--output-timeout)',
              json.dumps(done)[:1500])
    tap.check(other['completed'] is not None and other['completed'][0] is True,
              "the other uid's image is written", json.dumps(other['completed']))
PY
if [ "$DAEMON_STATUS" = 0 ]; then
  echo "ok 5 rawcdd exits 0"
else
  echo "not ok 5 rawcdd exits 0 (status $DAEMON_STATUS; 99 is valgrind's verdict)"
  diag <"$T/rawcdd.log" | tail -40
fi

#!/usr/bin/env bash
# test-fair-shares.sh RAWCDD: one uid whose job outputs stall cannot keep
# another uid's job waiting (issue 11, "fair shares").
#
# rawcdd with --max-jobs 4 (so 2 per uid) and --output-timeout 3 on a
# private dbus-daemon that lets every uid connect.  A hog client (root)
# starts four jobs writing to pipes it never reads; another client
# (nobody, setpriv) then makes an image.  Its job starts within a second
# (it waited for ever before: the hog held every writer); the hog has two
# jobs running and two queued; each of the hog's jobs fails once its
# output has accepted nothing for 3 s, saying so.  TAP output.  Needs root.
set -u
rawcdd=$1
here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" != 0 ]; then
  echo "1..0 # SKIP needs root to run a client as nobody"
  exit 0
fi

T=$(mktemp -d)
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

cp "$here/fair-client.py" "$T/"
sox -n -r 44100 -c 2 -b 16 "$T/a.wav" synth 5 sine 440 || { echo "Bail out! sox"; exit 1; }
chmod 644 "$T/a.wav" "$T/fair-client.py"

# shellcheck disable=SC2086
${RAWCD_DAEMON_WRAPPER:-} "$rawcdd" --address "$address" --idle-timeout 0 \
  --max-jobs 4 --output-timeout 3 2>"$T/rawcdd.log" &
daemon_pid=$!
for _ in $(seq 300); do
  gdbus call --address "$address" --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1 \
    --method org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1 && break
  sleep 0.1
done

setpriv --reuid=65534 --regid=65534 --clear-groups -- \
  /usr/bin/python3 "$T/fair-client.py" "$address" other "$T" 2>"$T/other.err" &
other_pid=$!
/usr/bin/python3 "$T/fair-client.py" "$address" hog "$T" 2>"$T/hog.err"
wait "$other_pid"

kill -TERM "$daemon_pid"
wait "$daemon_pid"
status=$?
echo "1..5"
for f in hog other; do
  if [ ! -s "$T/$f.json" ]; then
    echo "# the $f client failed:"; sed 's/^/# /' "$T/$f.err"
  fi
done

/usr/bin/python3 - "$T" "${RAWCD_DAEMON_WRAPPER:+slow}" <<'PY'
import json, sys
d, slow = sys.argv[1], sys.argv[2] == 'slow'
def load(name):
    try:
        return json.load(open(d + '/' + name + '.json'))
    except Exception:
        return None
hog, other = load('hog'), load('other')
n = 0
def check(cond, what, detail=''):
    global n
    n += 1
    print(('ok' if cond else 'not ok'), n, what)
    if not cond and detail:
        print('# ' + detail)
if hog is None or other is None:
    for what in ('per-uid share', 'other uid starts at once', 'stalled jobs fail by name',
                 'other uid succeeds'):
        check(False, what, 'a client failed')
else:
    states = hog['states']
    check(sorted(states) == ['queued', 'queued', 'running', 'running'],
          'the hog runs 2 jobs (its share of --max-jobs 4), 2 wait', json.dumps(states))
    # Under valgrind everything is slower: the bound scales.
    bound = 10.0 if slow else 1.0
    check(other['queued_seconds'] < bound,
          "another uid's job starts within %g s of being asked for" % bound,
          'it stayed queued %.2f s' % other['queued_seconds'])
    done = hog['completed']
    check(all(c is not None and c[0] is False and '--output-timeout' in c[1] for c in done),
          'each stalled job fails, saying its output accepted nothing (--output-timeout)',
          json.dumps(done)[:1500])
    check(other['completed'] is not None and other['completed'][0] is True,
          "the other uid's image is written", json.dumps(other['completed']))
PY
if [ "$status" = 0 ]; then
  echo "ok 5 rawcdd exits 0"
else
  echo "not ok 5 rawcdd exits 0 (status $status; 99 is valgrind's verdict)"
  sed 's/^/# /' "$T/rawcdd.log" | tail -40
fi

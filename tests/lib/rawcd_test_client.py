"""rawcd_test_client: what the Python clients of the private-bus tests share
(tests/lib/private-bus.sh copies this file next to them).

- Client(address): a connection of its own to the private bus, with
  call(), get(), set(), spin() and signal subscription;
- results: write_result() / load_result() of a client's JSON, and Tap, the
  numbered checks a test's summary prints;
- the probe (python3 rawcd_test_client.py probe ADDRESS DIR): a third
  client that reads a property again and again while an attack runs, and
  writes every latency to DIR/probe.json when DIR/probe-stop appears;
  percentiles() turns them into the p50/p99 the tests print.

Runs with /usr/bin/python3 (PyGObject).
"""
import json
import os
import sys
import time

from gi.repository import Gio, GLib

NAME = 'org.rawcd.RawCD1'
MANAGER = '/org/rawcd/RawCD1'


class Client:
    def __init__(self, address):
        self.bus = Gio.DBusConnection.new_for_address_sync(
            address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
            | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
            None, None)
        self.context = GLib.MainContext.default()

    def subscribe(self, callback, iface=None, member=None):
        """callback(path, iface, member, params) for rawcdd's signals."""
        self.bus.signal_subscribe(
            NAME, iface, member, None, None, Gio.DBusSignalFlags.NONE,
            lambda conn, sender, path, i, m, params: callback(path, i, m, params))

    def spin(self, seconds, until=None, step=0.01):
        """Dispatches signals for up to `seconds`; True once until() holds."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            while self.context.iteration(False):
                pass
            if until is not None and until():
                return True
            time.sleep(step)
        return False

    def call(self, path, iface, method, args, fds=None):
        """The unpacked reply; the descriptor list takes fds over (and
        closes them)."""
        fd_list = Gio.UnixFDList.new_from_array(fds) if fds else None
        reply, _ = self.bus.call_with_unix_fd_list_sync(
            NAME, path, iface, method, args, None, Gio.DBusCallFlags.NONE, 60000, fd_list, None)
        return reply.unpack()

    def get(self, path, iface, name):
        return self.bus.call_sync(NAME, path, 'org.freedesktop.DBus.Properties', 'Get',
                                  GLib.Variant('(ss)', (iface, name)), None,
                                  Gio.DBusCallFlags.NONE, 60000, None).unpack()[0]

    def set(self, path, iface, name, value):
        self.bus.call_sync(NAME, path, 'org.freedesktop.DBus.Properties', 'Set',
                           GLib.Variant('(ssv)', (iface, name, value)), None,
                           Gio.DBusCallFlags.NONE, 60000, None)

    def create_session(self):
        return self.call(MANAGER, NAME + '.Manager', 'CreateImageCreator',
                         GLib.Variant('(a{sv})', ({},)))[0]

    def add_track(self, creator, path):
        fd = os.open(path, os.O_RDONLY)
        return self.call(creator, NAME + '.ImageCreator', 'AddTrack',
                         GLib.Variant('(uha{sv})', (0, 0, {})), [fd])

    def create_image(self, creator, fd):
        return self.call(creator, NAME + '.ImageCreator', 'CreateResultImage',
                         GLib.Variant('(ha{sv})', (0, {})), [fd])[0]


def write_result(directory, role, result):
    with open(os.path.join(directory, role + '.json'), 'w') as f:
        json.dump(result, f)


def load_result(directory, role):
    """A client's result, or None when it wrote none (it failed)."""
    try:
        with open(os.path.join(directory, role + '.json')) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def touch(directory, name):
    open(os.path.join(directory, name), 'w').close()


def exists(directory, name):
    return os.path.exists(os.path.join(directory, name))


class Tap:
    """Numbered TAP results, starting after `first` earlier ones."""

    def __init__(self, first=0):
        self.n = first
        self.failed = 0

    def check(self, cond, what, detail=''):
        self.n += 1
        print(('ok' if cond else 'not ok'), self.n, what)
        if not cond:
            self.failed += 1
            if detail:
                print('# ' + detail)


# ---- the probe: a third client's property reads --------------------------

def percentiles(latencies):
    """(p50, p99, count) in milliseconds of a list of seconds; None when
    there are none.  Nearest rank, as a reader of the table expects."""
    if not latencies:
        return None
    s = sorted(latencies)

    def rank(p):
        return s[min(len(s) - 1, max(0, int(round(p / 100.0 * len(s))) - 1))] * 1000.0
    return rank(50), rank(99), len(s)


def probe(address, directory, interval=0.02):
    """Reads the Manager's Version (the cheapest read there is: it measures
    the daemon's main loop, not any work) until DIR/probe-stop exists;
    writes the latencies (s) to DIR/probe.json.  A read that fails counts
    as an error, with its message."""
    client = Client(address)
    latencies, errors = [], []
    touch(directory, 'probe-ready')
    while not exists(directory, 'probe-stop'):
        start = time.monotonic()
        try:
            client.get(MANAGER, NAME + '.Manager', 'Version')
            latencies.append(time.monotonic() - start)
        except GLib.Error as e:
            errors.append(e.message)
        time.sleep(interval)
    write_result(directory, 'probe', {'latencies': latencies, 'errors': errors[:10],
                                      'n_errors': len(errors)})


if __name__ == '__main__':
    if len(sys.argv) == 4 and sys.argv[1] == 'probe':
        probe(sys.argv[2], sys.argv[3])
    elif len(sys.argv) == 3 and sys.argv[1] == 'percentiles':
        # prints "p50=X ms p99=Y ms (N reads)" of DIR/probe.json
        r = load_result(sys.argv[2], 'probe')
        p = percentiles(r['latencies']) if r else None
        if p is None:
            print('no reads measured')
        else:
            extra = ', %d failed' % r['n_errors'] if r['n_errors'] else ''
            print('p50=%.2f ms p99=%.2f ms (%d reads%s)' % (p[0], p[1], p[2], extra))
    else:
        sys.exit(__doc__)

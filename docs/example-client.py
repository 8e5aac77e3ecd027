#!/usr/bin/env python3
"""Make an audio CD image through rawcd from Python (PyGObject's Gio).

    python3 docs/example-client.py OUTPUT.img AUDIO...

Uses the service on the session bus when RAWCD_BUS=session, else the
system bus.  When no rawcd service answers there, it starts a private one
for itself, as rawcdctl does: a dbus-daemon and rawcdd (the one in $RAWCDD,
else the installed /usr/libexec/rawcdd, else build/daemon/rawcdd of this
source tree), stopped again at the end.  Descriptors travel in a
Gio.UnixFDList; the service never opens a path itself.  A failure is one
line on stderr and exit status 1.
"""
import os
import signal
import subprocess
import sys

from gi.repository import Gio, GLib

NAME = 'org.rawcd.RawCD1'
PREFIX = 'org.rawcd.RawCD1.'
MANAGER = '/org/rawcd/RawCD1'

# D-Bus errors that mean "nobody answers for the name", as opposed to a
# service that answers with an error.
NO_SERVICE = (Gio.DBusError.SERVICE_UNKNOWN, Gio.DBusError.NAME_HAS_NO_OWNER,
              Gio.DBusError.SPAWN_EXEC_FAILED, Gio.DBusError.SPAWN_CHILD_EXITED,
              Gio.DBusError.SPAWN_SERVICE_NOT_FOUND, Gio.DBusError.SPAWN_FAILED)


class Failure(Exception):
    """An error to print as one line."""


def call(bus, path, method, args, fds=None, reply=None):
    """Call a method, passing the descriptors in fds; return the reply tuple."""
    # The list takes the descriptors over and closes them when it goes;
    # the service keeps copies of its own.
    fd_list = Gio.UnixFDList.new_from_array(fds) if fds else None
    interface, _, name = method.rpartition('.')
    result, _ = bus.call_with_unix_fd_list_sync(
        NAME, path, interface, name, args,
        GLib.VariantType(reply) if reply else None,
        Gio.DBusCallFlags.NONE, -1, fd_list, None)
    return result.unpack()


def find_rawcdd():
    here = os.path.dirname(os.path.abspath(__file__))
    for path in (os.environ.get('RAWCDD'), '/usr/libexec/rawcdd',
                 os.path.join(here, '..', 'build', 'daemon', 'rawcdd')):
        if path and os.access(path, os.X_OK):
            return path
    raise Failure('no rawcd service answers, and no rawcdd to start '
                  '(set RAWCDD to its path)')


class PrivateService:
    """A dbus-daemon and rawcdd of our own, for as long as we need them."""

    def __init__(self):
        self.processes = []
        # its own process group: a Ctrl-C on the terminal reaches us alone
        bus = subprocess.Popen(['dbus-daemon', '--session', '--nofork', '--print-address'],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               start_new_session=True)
        self.processes.append(bus)
        self.address = bus.stdout.readline().decode().strip()
        if not self.address:
            self.stop()
            raise Failure('cannot start a private dbus-daemon')
        daemon = subprocess.Popen([find_rawcdd(), '--address', self.address,
                                   '--idle-timeout', '0'],
                                  stdin=subprocess.DEVNULL, start_new_session=True)
        self.processes.append(daemon)
        self.bus = Gio.DBusConnection.new_for_address_sync(
            self.address,
            Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT |
            Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
        # wait until rawcdd has taken its name
        for _ in range(500):
            (owned,) = self.bus.call_sync('org.freedesktop.DBus', '/org/freedesktop/DBus',
                                          'org.freedesktop.DBus', 'NameHasOwner',
                                          GLib.Variant('(s)', (NAME,)), None,
                                          Gio.DBusCallFlags.NONE, -1, None).unpack()
            if owned:
                return
            if daemon.poll() is not None:
                break
            GLib.usleep(20000)
        self.stop()
        raise Failure('the private rawcdd did not start')

    def stop(self):
        for process in reversed(self.processes):
            process.send_signal(signal.SIGTERM)
            process.wait()


def connect():
    """The bus with a rawcd service on it, and the private service if we
    had to start one (else None)."""
    bus_type = Gio.BusType.SESSION if os.environ.get('RAWCD_BUS') == 'session' else Gio.BusType.SYSTEM
    try:
        bus = Gio.bus_get_sync(bus_type, None)
        bus.call_sync(NAME, MANAGER, 'org.freedesktop.DBus.Peer', 'Ping', None, None,
                      Gio.DBusCallFlags.NONE, -1, None)
        return bus, None
    except GLib.Error as e:
        # no bus at all, or nobody owns the name there
        if e.domain == 'g-dbus-error-quark' and e.code not in NO_SERVICE:
            raise
    print('example-client.py: no rawcd service on the bus; using a private rawcdd',
          file=sys.stderr)
    service = PrivateService()
    return service.bus, service


def make_image(bus, output, audio_files):
    # A session that ends when this connection closes.
    (creator,) = call(bus, MANAGER, PREFIX + 'Manager.CreateImageCreator',
                      GLib.Variant('(a{sv})', ({},)), reply='(o)')

    for path in audio_files:
        try:
            fd = os.open(path, os.O_RDONLY)
        except OSError as e:
            raise Failure(f'cannot open {path}: {e.strerror}') from None
        # The h argument is an index into the descriptor list: 0.
        try:
            index, track = call(bus, creator, PREFIX + 'ImageCreator.AddTrack',
                                GLib.Variant('(uha{sv})', (0, 0, {})), fds=[fd], reply='(io)')
        except GLib.Error as e:
            raise Failure(f'{path}: {strip(e)}') from None
        print(f'track {index}: {path} -> {track}')

    loop = GLib.MainLoop()
    outcome = {}

    def on_signal(conn, sender, path, iface, signal_name, params):
        outcome['success'], outcome['message'] = params.unpack()
        loop.quit()

    out_fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    # Subscribe before starting the job, so that Completed cannot be missed.
    bus.signal_subscribe(NAME, PREFIX + 'Job', 'Completed', None, None,
                         Gio.DBusSignalFlags.NONE, on_signal)
    (job,) = call(bus, creator, PREFIX + 'ImageCreator.CreateResultImage',
                  GLib.Variant('(ha{sv})', (0, {})), fds=[out_fd], reply='(o)')
    print(f'writing {output} ({job})')
    loop.run()

    if not outcome['success']:
        raise Failure(f'the image was not written: {outcome["message"]}')
    print('succeeded -', outcome['message'])


def strip(error):
    """The message of a GLib.Error without the D-Bus error name GLib puts
    in front of it ("GDBus.Error:org.rawcd.RawCD1.Error.Name: text")."""
    # (Gio.DBusError.strip_remote_error cannot change a Python exception)
    message = error.message
    if message.startswith('GDBus.Error:') and ': ' in message:
        message = message.split(': ', 1)[1]
    return message


def main(output, audio_files):
    service = None
    try:
        bus, service = connect()
        make_image(bus, output, audio_files)
        return 0
    except Failure as e:
        message = str(e)
    except GLib.Error as e:
        message = strip(e)
    finally:
        if service is not None:
            service.stop()
    # one line, even if a message spans several
    print('example-client.py:', ' '.join(message.split('\n')), file=sys.stderr)
    return 1


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))

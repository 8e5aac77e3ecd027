#!/usr/bin/env python3
"""Make an audio CD image through rawcd from Python (PyGObject's Gio).

    python3 docs/example-client.py OUTPUT.img AUDIO...

Uses the service on the session bus when RAWCD_BUS=session, else the
system bus.  Descriptors travel in a Gio.UnixFDList; the daemon never opens
a path itself.
"""
import os
import sys

from gi.repository import Gio, GLib

NAME = 'org.rawcd.RawCD1'
PREFIX = 'org.rawcd.RawCD1.'


def call(bus, path, method, args, fds=None, reply=None):
    """Call a method, passing the descriptors in fds; return the reply tuple."""
    # The list takes the descriptors over and closes them when it goes;
    # the daemon keeps copies of its own.
    fd_list = Gio.UnixFDList.new_from_array(fds) if fds else None
    interface, _, name = method.rpartition('.')
    result, _ = bus.call_with_unix_fd_list_sync(
        NAME, path, interface, name, args,
        GLib.VariantType(reply) if reply else None,
        Gio.DBusCallFlags.NONE, -1, fd_list, None)
    return result.unpack()


def main(output, audio_files):
    bus_type = Gio.BusType.SESSION if os.environ.get('RAWCD_BUS') == 'session' else Gio.BusType.SYSTEM
    bus = Gio.bus_get_sync(bus_type, None)

    # A session that ends when this connection closes.
    (creator,) = call(bus, '/org/rawcd/RawCD1', PREFIX + 'Manager.CreateImageCreator',
                      GLib.Variant('(a{sv})', ({},)), reply='(o)')

    for path in audio_files:
        fd = os.open(path, os.O_RDONLY)
        # The h argument is an index into the descriptor list: 0.
        index, track = call(bus, creator, PREFIX + 'ImageCreator.AddTrack',
                            GLib.Variant('(uha{sv})', (0, 0, {})), fds=[fd], reply='(io)')
        print(f'track {index}: {path} -> {track}')

    loop = GLib.MainLoop()
    outcome = {}

    def on_signal(conn, sender, path, iface, signal, params):
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

    print('succeeded' if outcome['success'] else 'failed', '-', outcome['message'])
    return 0 if outcome['success'] else 1


if __name__ == '__main__':
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    sys.exit(main(sys.argv[1], sys.argv[2:]))

#!/usr/bin/python3
# fair-client.py ADDRESS ROLE DIR: one client of test-fair-shares.sh.
#   hog:   four jobs writing to pipes it never reads; records their State
#          after a second, writes DIR/hog-ready, then waits for all four to
#          complete (they fail when --output-timeout passes) and writes
#          DIR/hog.json.
#   other: waits for DIR/hog-ready, makes one image into a file, and
#          records how long its job stayed "queued" (DIR/other.json).
import json
import os
import sys
import time

from gi.repository import Gio, GLib

address, role, directory = sys.argv[1:4]
bus = Gio.DBusConnection.new_for_address_sync(
    address,
    Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
    None, None)
NAME = 'org.rawcd.RawCD1'
completed = {}


def on_completed(conn, sender, path, iface, member, params):
    completed[path] = (params.unpack(), time.monotonic())


bus.signal_subscribe(NAME, NAME + '.Job', 'Completed', None, None, Gio.DBusSignalFlags.NONE,
                     on_completed)
context = GLib.MainContext.default()


def spin(seconds, until=None):
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        while context.iteration(False):
            pass
        if until is not None and until():
            return True
        time.sleep(0.01)
    return False


def call(path, iface, method, args, fds=None):
    fd_list = Gio.UnixFDList.new_from_array(fds) if fds else None
    reply, _ = bus.call_with_unix_fd_list_sync(NAME, path, iface, method, args, None,
                                               Gio.DBusCallFlags.NONE, 60000, fd_list, None)
    return reply.unpack()


def state(job):
    return bus.call_sync(NAME, job, 'org.freedesktop.DBus.Properties', 'Get',
                         GLib.Variant('(ss)', (NAME + '.Job', 'State')), None,
                         Gio.DBusCallFlags.NONE, 60000, None).unpack()[0]


def new_session():
    creator = call('/org/rawcd/RawCD1', NAME + '.Manager', 'CreateImageCreator',
                   GLib.Variant('(a{sv})', ({},)))[0]
    audio = os.open(os.path.join(directory, 'a.wav'), os.O_RDONLY)
    # The descriptor list takes the descriptor over (and closes it).
    call(creator, NAME + '.ImageCreator', 'AddTrack', GLib.Variant('(uha{sv})', (0, 0, {})), [audio])
    return creator


def create_image(creator, fd):
    return call(creator, NAME + '.ImageCreator', 'CreateResultImage',
                GLib.Variant('(ha{sv})', (0, {})), [fd])[0]


result = {}
if role == 'hog':
    creator = new_session()
    readers, jobs = [], []
    for _ in range(4):
        r, w = os.pipe()
        readers.append(r)           # kept open, never read
        jobs.append(create_image(creator, w))
    spin(1.0)
    result['states'] = [state(j) for j in jobs]
    open(os.path.join(directory, 'hog-ready'), 'w').close()
    spin(120, lambda: all(j in completed for j in jobs))
    result['completed'] = [completed.get(j, (None, None))[0] for j in jobs]
else:
    spin(60, lambda: os.path.exists(os.path.join(directory, 'hog-ready')))
    creator = new_session()
    out = os.open(os.path.join(directory, 'other.img'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    start = time.monotonic()
    job = create_image(creator, out)
    spin(60, lambda: state(job) != 'queued')
    result['queued_seconds'] = time.monotonic() - start
    spin(120, lambda: job in completed)
    result['completed'] = completed.get(job, (None, None))[0]

with open(os.path.join(directory, role + '.json'), 'w') as f:
    json.dump(result, f)

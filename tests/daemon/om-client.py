#!/usr/bin/python3
# om-client.py ADDRESS ROLE DIR: one client of test-object-manager.sh.
#
# Every role records the signals rawcdd sends it (a match rule on the
# sender alone, as any bus user may add) and writes DIR/ROLE.json.
#   stranger (another uid): makes a session of its own, lists the managed
#             objects, writes DIR/stranger-ready; after DIR/owner-built
#             tries to read the owner's job (DIR/job-path), writes
#             DIR/stranger-checked; after DIR/owner-done lists them again.
#   peer (the owner's uid, another connection): follows the objects with
#             a GDBusObjectManagerClient, writes DIR/peer-ready; after
#             DIR/owner-built records what the client holds (with the
#             persistent session's MCN as its proxy caches it), reads
#             and tries to cancel the owner's job, writes DIR/peer-checked; after DIR/owner-done records it again.
#   owner:    after both are ready, lists the objects (none yet), makes a
#             session with an MCN, a track and a finished job, lists
#             them; makes a persistent session with a track, writes
#             DIR/job-path and DIR/owner-built; after DIR/peer-checked and
#             DIR/stranger-checked closes both
#             sessions, writes DIR/owner.json and DIR/owner-done.
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
MANAGER = '/org/rawcd/RawCD1'
OM = 'org.freedesktop.DBus.ObjectManager'
signals = []   # [interface.member, path, first argument if it is a path]
context = GLib.MainContext.default()
result = {'unique_name': bus.get_unique_name()}


def on_signal(conn, sender, path, iface, member, params):
    first = params[0] if params is not None and len(params) > 0 and isinstance(params[0], str) else None
    signals.append([iface + '.' + member, path, first])


bus.signal_subscribe(NAME, None, None, None, None, Gio.DBusSignalFlags.NONE, on_signal)


def spin(seconds, until=None):
    end = time.time() + seconds
    while time.time() < end:
        while context.iteration(False):
            pass
        if until is not None and until():
            return True
        time.sleep(0.02)
    return False


def exists(name):
    return os.path.exists(os.path.join(directory, name))


def touch(name):
    open(os.path.join(directory, name), 'w').close()


def call(path, iface, method, args, fds=None):
    fd_list = Gio.UnixFDList.new_from_array(fds) if fds else None
    reply, _ = bus.call_with_unix_fd_list_sync(NAME, path, iface, method, args, None,
                                               Gio.DBusCallFlags.NONE, 60000, fd_list, None)
    return reply.unpack() if reply is not None else None


def set_prop(path, iface, name, value):
    bus.call_sync(NAME, path, 'org.freedesktop.DBus.Properties', 'Set',
                  GLib.Variant('(ssv)', (iface, name, value)), None,
                  Gio.DBusCallFlags.NONE, 60000, None)


def managed():
    return call(MANAGER, OM, 'GetManagedObjects', None)[0]


def new_session(persist=False):
    return call(MANAGER, NAME + '.Manager', 'CreateImageCreator',
                GLib.Variant('(a{sv})', ({'persist': GLib.Variant('b', persist)},)))[0]


def add_track(session):
    # The descriptor list takes the descriptor (and closes it).
    audio = os.open(os.path.join(directory, 'a.wav'), os.O_RDONLY)
    return call(session, NAME + '.ImageCreator', 'AddTrack',
                GLib.Variant('(uha{sv})', (0, 0, {})), [audio])


def job_state(job):
    reply = bus.call_sync(NAME, job, 'org.freedesktop.DBus.Properties', 'Get',
                          GLib.Variant('(ss)', (NAME + '.Job', 'State')), None,
                          Gio.DBusCallFlags.NONE, 60000, None)
    return reply.unpack()[0]


def read_job_path():
    with open(os.path.join(directory, 'job-path')) as f:
        return f.read()


def try_call(func):
    """['ok', result] or ['error', D-Bus error name]."""
    try:
        return ['ok', func()]
    except GLib.Error as e:
        return ['error', Gio.DBusError.get_remote_error(e) or e.message]
    except Exception as e:  # a failed owner left no job path
        return ['error', repr(e)]


def client_view(client):
    """Paths, interfaces and a few cached properties of what the client holds."""
    view = {}
    for obj in client.get_objects():
        entry = {}
        for iface in obj.get_interfaces():
            proxy = iface
            info = {}
            for prop in ('MediaCatalogNumber', 'Persistent', 'TrackNumber', 'State'):
                value = proxy.get_cached_property(prop)
                if value is not None:
                    info[prop] = value.unpack()
            entry[proxy.get_interface_name()] = info
        view[obj.get_object_path()] = entry
    return view


if role == 'stranger':
    result['own'] = new_session()
    result['before'] = managed()
    touch('stranger-ready')
    spin(180, lambda: exists('owner-built'))
    result['job_read'] = try_call(lambda: job_state(read_job_path()))
    touch('stranger-checked')
    spin(180, lambda: exists('owner-done'))
    spin(1.0)
    result['after'] = managed()

elif role == 'peer':
    events = []
    client = Gio.DBusObjectManagerClient.new_sync(
        bus, Gio.DBusObjectManagerClientFlags.DO_NOT_AUTO_START, NAME, MANAGER,
        None, None, None)
    client.connect('object-added', lambda c, o: events.append(['added', o.get_object_path()]))
    client.connect('object-removed', lambda c, o: events.append(['removed', o.get_object_path()]))
    result['initial'] = client_view(client)
    touch('peer-ready')
    spin(180, lambda: exists('owner-built'))
    # The persistent session's MCN, set after it was announced, arrives as
    # PropertiesChanged.
    spin(10, lambda: any(v.get(NAME + '.ImageCreator', {}).get('MediaCatalogNumber')
                         for v in client_view(client).values()))
    result['built'] = client_view(client)
    job = read_job_path()
    result['job_read'] = try_call(lambda: job_state(job))
    result['job_cancel'] = try_call(lambda: call(job, NAME + '.Job', 'Cancel', None))
    result['job_after'] = try_call(lambda: job_state(job))
    touch('peer-checked')
    spin(180, lambda: exists('owner-done'))
    spin(1.0)
    result['done'] = client_view(client)
    result['events'] = events

else:
    spin(60, lambda: exists('stranger-ready') and exists('peer-ready'))
    result['first'] = managed()
    session = new_session()
    set_prop(session, NAME + '.ImageCreator', 'MediaCatalogNumber',
             GLib.Variant('s', '0036000291452'))
    add_track(session)
    out = os.open(os.path.join(directory, 'image.img'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    job = call(session, NAME + '.ImageCreator', 'CreateResultImage',
               GLib.Variant('(ha{sv})', (0, {})), [out])[0]
    spin(120, lambda: any(s[0] == NAME + '.Job.Completed' and s[1] == job for s in signals))
    spin(0.5)
    result['session'] = session
    result['job'] = job
    result['with_job'] = managed()
    persistent = new_session(persist=True)
    add_track(persistent)
    set_prop(persistent, NAME + '.ImageCreator', 'MediaCatalogNumber',
             GLib.Variant('s', '4006381333931'))
    result['persistent'] = persistent
    with open(os.path.join(directory, 'job-path'), 'w') as f:
        f.write(job)
    spin(0.5)
    touch('owner-built')
    spin(60, lambda: exists('peer-checked') and exists('stranger-checked'))
    call(session, NAME + '.ImageCreator', 'Close', None)
    call(persistent, NAME + '.ImageCreator', 'Close', None)
    spin(1.0)
    result['closed'] = managed()

result['signals'] = signals
with open(os.path.join(directory, role + '.json'), 'w') as f:
    json.dump(result, f, default=repr)
if role == 'owner':
    touch('owner-done')

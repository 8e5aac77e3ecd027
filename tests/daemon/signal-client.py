#!/usr/bin/python3
# signal-client.py ADDRESS ROLE DIR: one client of test-private-signals.sh.
#
# Both roles listen to every signal rawcdd sends (a match rule on the
# sender alone, as any bus user may add), make a session of their own and
# record, per object path, the signals they receive.
#   owner:    waits for DIR/listener-ready, builds a disc with an MCN and
#             CD-TEXT, writes the image (a job) and waits for Completed;
#             then writes DIR/owner.json and DIR/owner-done.
#   listener: sets its own session's MCN (its own PropertiesChanged shows
#             that it hears what it is entitled to), writes
#             DIR/listener-ready, waits for DIR/owner-done and one more
#             second, then writes DIR/listener.json.
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
got = {}


def on_signal(conn, sender, path, iface, member, params):
    # ObjectManager's signals come from the manager path and are about the
    # object in their first argument: count them as that object's.
    if iface == 'org.freedesktop.DBus.ObjectManager':
        path = params[0]
    got.setdefault(path, []).append(iface + '.' + member)


bus.signal_subscribe(NAME, None, None, None, None, Gio.DBusSignalFlags.NONE, on_signal)
context = GLib.MainContext.default()


def spin(seconds, until=None):
    end = time.time() + seconds
    while time.time() < end:
        while context.iteration(False):
            pass
        if until is not None and until():
            return True
        time.sleep(0.02)
    return False


def call(path, iface, method, args, fds=None):
    fd_list = Gio.UnixFDList.new_from_array(fds) if fds else None
    reply, _ = bus.call_with_unix_fd_list_sync(NAME, path, iface, method, args, None,
                                               Gio.DBusCallFlags.NONE, 60000, fd_list, None)
    return reply.unpack()


def set_prop(path, iface, name, value):
    bus.call_sync(NAME, path, 'org.freedesktop.DBus.Properties', 'Set',
                  GLib.Variant('(ssv)', (iface, name, value)), None,
                  Gio.DBusCallFlags.NONE, 60000, None)


creator = call('/org/rawcd/RawCD1', NAME + '.Manager', 'CreateImageCreator',
               GLib.Variant('(a{sv})', ({},)))[0]
set_prop(creator, NAME + '.ImageCreator', 'MediaCatalogNumber', GLib.Variant('s', '0036000291452'))

if role == 'listener':
    spin(1.0, lambda: creator in got)
    open(os.path.join(directory, 'listener-ready'), 'w').close()
    spin(120, lambda: os.path.exists(os.path.join(directory, 'owner-done')))
    spin(1.0)
else:
    spin(60, lambda: os.path.exists(os.path.join(directory, 'listener-ready')))
    audio = os.open(os.path.join(directory, 'a.wav'), os.O_RDONLY)
    call(creator, NAME + '.ImageCreator', 'AddTrack',
         GLib.Variant('(uha{sv})', (0, 0, {})), [audio])
    set_prop(creator, NAME + '.ImageCreator', 'CdText',
             GLib.Variant('aa{ss}', [{'title': 'Secret Album', 'performer': 'Nobody Else'}]))
    out = os.open(os.path.join(directory, 'image.img'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    job = call(creator, NAME + '.ImageCreator', 'CreateResultImage',
               GLib.Variant('(ha{sv})', (0, {})), [out])[0]
    if not spin(120, lambda: any(s.endswith('.Completed') for s in got.get(job, []))):
        print('no Completed for', job, file=sys.stderr)
    spin(0.5)

with open(os.path.join(directory, role + '.json'), 'w') as f:
    json.dump({'creator': creator, 'unique_name': bus.get_unique_name(), 'signals': got}, f)
if role == 'owner':
    open(os.path.join(directory, 'owner-done'), 'w').close()

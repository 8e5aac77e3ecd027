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
import os
import sys

from gi.repository import GLib

from rawcd_test_client import NAME, Client, exists, touch, write_result

address, role, directory = sys.argv[1:4]
client = Client(address)
got = {}


def on_signal(path, iface, member, params):
    # ObjectManager's signals come from the manager path and are about the
    # object in their first argument: count them as that object's.
    if iface == 'org.freedesktop.DBus.ObjectManager':
        path = params[0]
    got.setdefault(path, []).append(iface + '.' + member)


client.subscribe(on_signal)
CREATOR = NAME + '.ImageCreator'
creator = client.create_session()
client.set(creator, CREATOR, 'MediaCatalogNumber', GLib.Variant('s', '0036000291452'))

if role == 'listener':
    client.spin(1.0, lambda: creator in got, step=0.02)
    touch(directory, 'listener-ready')
    client.spin(120, lambda: exists(directory, 'owner-done'), step=0.02)
    client.spin(1.0, step=0.02)
else:
    client.spin(60, lambda: exists(directory, 'listener-ready'), step=0.02)
    client.add_track(creator, os.path.join(directory, 'a.wav'))
    client.set(creator, CREATOR, 'CdText',
               GLib.Variant('aa{ss}', [{'title': 'Secret Album', 'performer': 'Nobody Else'}]))
    out = os.open(os.path.join(directory, 'image.img'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    job = client.create_image(creator, out)
    if not client.spin(120, lambda: any(s.endswith('.Completed') for s in got.get(job, [])), step=0.02):
        print('no Completed for', job, file=sys.stderr)
    client.spin(0.5, step=0.02)

write_result(directory, role, {'creator': creator, 'unique_name': client.bus.get_unique_name(),
                               'signals': got})
if role == 'owner':
    touch(directory, 'owner-done')

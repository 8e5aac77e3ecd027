#!/usr/bin/env python3
"""Own org.rawcd.RawCD1 on the bus at ADDRESS, the way rawcdd would, when
rawcdd is not built yet: the D-Bus policy test only needs an owner that
answers.  It exports the Manager object with its Version property; every
other call gets GDBus's own UnknownMethod/UnknownObject reply, which shows
the bus let the call through.

usage: stand-in-owner.py ADDRESS
Exits 1 when the name cannot be owned (prints the error).
"""
import sys

from gi.repository import Gio, GLib

XML = """
<node>
  <interface name="org.rawcd.RawCD1.Manager">
    <property name="Version" type="s" access="read"/>
  </interface>
</node>
"""


def get_property(conn, sender, path, iface, prop):
    return GLib.Variant('s', 'stand-in')


def main():
    conn = Gio.DBusConnection.new_for_address_sync(
        sys.argv[1],
        Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
        | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION,
        None, None)
    info = Gio.DBusNodeInfo.new_for_xml(XML).interfaces[0]
    conn.register_object('/org/rawcd/RawCD1', info, None, get_property, None)
    try:
        reply = conn.call_sync(
            'org.freedesktop.DBus', '/org/freedesktop/DBus',
            'org.freedesktop.DBus', 'RequestName',
            GLib.Variant('(su)', ('org.rawcd.RawCD1', 4)),  # DO_NOT_QUEUE
            GLib.VariantType('(u)'), Gio.DBusCallFlags.NONE, -1, None)
    except GLib.Error as e:
        print(f'stand-in-owner: {e.message}', file=sys.stderr)
        return 1
    if reply.unpack()[0] != 1:
        print(f'stand-in-owner: RequestName returned {reply.unpack()[0]}',
              file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    conn.connect('closed', lambda *args: loop.quit())
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, 15, loop.quit)
    loop.run()
    return 0


sys.exit(main())

#!/usr/bin/env python3
"""Run COMMAND as USER in a user namespace set up as systemd's
PrivateUsers=yes sets it up: root and USER (and their groups) mapped to
themselves, everyone else unmapped (seen as nobody).  Needs root.

usage: private-users.py USER COMMAND [ARG...]

The process that runs COMMAND is this one (exec), so its pid is ours.
"""
import ctypes
import os
import pwd
import sys

CLONE_NEWUSER = 0x10000000


def main():
    pw = pwd.getpwnam(sys.argv[1])
    uid, gid = pw.pw_uid, pw.pw_gid
    me = os.getpid()
    ready_r, ready_w = os.pipe()
    mapped_r, mapped_w = os.pipe()

    helper = os.fork()
    if helper == 0:
        # Stays in the initial namespace, where writing the maps is allowed.
        os.close(ready_w)
        os.close(mapped_r)
        if os.read(ready_r, 1) != b'x':
            os._exit(1)
        try:
            with open(f'/proc/{me}/uid_map', 'w') as f:
                f.write(f'0 0 1\n{uid} {uid} 1\n')
            with open(f'/proc/{me}/gid_map', 'w') as f:
                f.write(f'0 0 1\n{gid} {gid} 1\n')
        except OSError as e:
            print(f'private-users: {e}', file=sys.stderr)
            os._exit(1)
        os.write(mapped_w, b'x')
        os._exit(0)

    os.close(ready_r)
    os.close(mapped_w)
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWUSER) != 0:
        print(f'private-users: unshare: {os.strerror(ctypes.get_errno())}',
              file=sys.stderr)
        return 1
    os.write(ready_w, b'x')
    ok = os.read(mapped_r, 1) == b'x'
    os.waitpid(helper, 0)
    if not ok:
        return 1
    os.setgroups([])
    os.setresgid(gid, gid, gid)
    os.setresuid(uid, uid, uid)
    os.execvp(sys.argv[2], sys.argv[2:])


sys.exit(main())

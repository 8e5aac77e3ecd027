#!/usr/bin/env python3
"""Run COMMAND under the seccomp filters a systemd unit file asks for, the
way systemd builds them, so that a test can show the daemon works (and
logs no warning) inside them without a running systemd:

  SystemCallFilter=       allow list (plus @default, which systemd always
                          adds), "~" lines removing from it; groups expanded
                          with `systemd-analyze syscall-filter`
  SystemCallErrorNumber=  what a filtered call returns (else: killed)
  SystemCallArchitectures=native
  MemoryDenyWriteExecute= mmap/mprotect/pkey_mprotect with PROT_WRITE and
                          PROT_EXEC together, shmat with SHM_EXEC: EPERM
  RestrictAddressFamilies= socket() of another family: EAFNOSUPPORT
  NoNewPrivileges=        (seccomp needs it anyway)

usage: seccomp-exec.py UNIT-FILE COMMAND [ARG...]
Exit status 77 (and a message) when this kernel or libseccomp cannot
install the filters; otherwise COMMAND's.
"""
import ctypes
import errno
import os
import socket
import subprocess
import sys

SCMP_ACT_KILL_PROCESS = 0x80000000
SCMP_ACT_ALLOW = 0x7FFF0000
SCMP_CMP_NE = 1
SCMP_CMP_MASKED_EQ = 7
PROT_WRITE, PROT_EXEC = 0x2, 0x4
SHM_EXEC = 0o100000


def SCMP_ACT_ERRNO(e):
    return 0x00050000 | (e & 0xFFFF)


class ArgCmp(ctypes.Structure):
    _fields_ = [('arg', ctypes.c_uint), ('op', ctypes.c_int),
                ('datum_a', ctypes.c_uint64), ('datum_b', ctypes.c_uint64)]


def unit_settings(path):
    """The [Service] assignments of a unit file, in order, as (key, value)."""
    settings, section = [], None
    with open(path) as f:
        for line in f:
            line = line.strip()
            if not line or line[0] in '#;':
                continue
            if line.startswith('['):
                section = line
            elif section == '[Service]' and '=' in line:
                key, value = line.split('=', 1)
                settings.append((key.strip(), value.strip()))
    return settings


_groups = {}


def expand(name):
    """The system calls of a name: itself, or a group's, recursively."""
    if not name.startswith('@'):
        return {name}
    if name not in _groups:
        out = subprocess.run(['systemd-analyze', 'syscall-filter', name],
                             check=True, capture_output=True, text=True).stdout
        calls = set()
        for line in out.splitlines()[1:]:
            line = line.strip()
            if line and not line.startswith('#'):
                calls |= expand(line)
        _groups[name] = calls
    return _groups[name]


def main():
    unit, command = sys.argv[1], sys.argv[2:]
    settings = unit_settings(unit)

    allow, allow_list = None, False
    action = SCMP_ACT_KILL_PROCESS
    mdwe, families, native = False, None, False
    for key, value in settings:
        if key == 'SystemCallFilter':
            invert = value.startswith('~')
            names = set()
            for item in value.lstrip('~').split():
                names |= expand(item.split(':')[0])
            if allow is None:
                allow_list = not invert
                allow = expand('@default') if allow_list else set()
            if invert == allow_list:      # removing from an allow list
                allow -= names
            else:
                allow |= names
        elif key == 'SystemCallErrorNumber':
            action = SCMP_ACT_ERRNO(getattr(errno, value))
        elif key == 'MemoryDenyWriteExecute':
            mdwe = value in ('yes', 'true', '1', 'on')
        elif key == 'RestrictAddressFamilies':
            families = [getattr(socket, f) for f in value.split()]
        elif key == 'SystemCallArchitectures':
            native = value == 'native'
    if allow is not None and not allow_list:
        sys.exit('seccomp-exec: only allow-list SystemCallFilter= is emulated')
    if not native:
        sys.exit('seccomp-exec: only SystemCallArchitectures=native is emulated')

    try:
        lib = ctypes.CDLL('libseccomp.so.2', use_errno=True)
    except OSError as e:
        print(f'seccomp-exec: {e}', file=sys.stderr)
        return 77
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]

    def rule(ctx, act, name, *cmps):
        nr = lib.seccomp_syscall_resolve_name(name.encode())
        if nr < 0:
            return     # not a system call of this architecture
        args = [ctypes.c_void_p, ctypes.c_uint32, ctypes.c_int, ctypes.c_uint]
        args += [ArgCmp] * len(cmps)
        lib.seccomp_rule_add.argtypes = args
        r = lib.seccomp_rule_add(ctx, act, nr, len(cmps), *cmps)
        if r < 0:
            raise OSError(-r, f'seccomp_rule_add {name}: {os.strerror(-r)}')

    filters = []
    if mdwe or families is not None:
        # A second filter, stacked as systemd stacks its own: the kernel
        # applies the strictest answer of all filters.
        ctx = lib.seccomp_init(SCMP_ACT_ALLOW)
        if mdwe:
            both = PROT_WRITE | PROT_EXEC
            for name, arg in (('mmap', 2), ('mprotect', 2), ('pkey_mprotect', 2)):
                rule(ctx, SCMP_ACT_ERRNO(errno.EPERM), name,
                     ArgCmp(arg, SCMP_CMP_MASKED_EQ, both, both))
            rule(ctx, SCMP_ACT_ERRNO(errno.EPERM), 'shmat',
                 ArgCmp(2, SCMP_CMP_MASKED_EQ, SHM_EXEC, SHM_EXEC))
        if families is not None:
            if len(families) != 1:
                sys.exit('seccomp-exec: only one address family is emulated')
            rule(ctx, SCMP_ACT_ERRNO(errno.EAFNOSUPPORT), 'socket',
                 ArgCmp(0, SCMP_CMP_NE, families[0], 0))
        filters.append(ctx)
    # The allow list last: it may not allow installing another filter.
    if allow is not None:
        ctx = lib.seccomp_init(action)
        for name in sorted(allow):
            rule(ctx, SCMP_ACT_ALLOW, name)
        filters.append(ctx)

    for ctx in filters:          # libseccomp sets no_new_privs itself
        r = lib.seccomp_load(ctx)
        if r < 0:
            print(f'seccomp-exec: seccomp_load: {os.strerror(-r)}', file=sys.stderr)
            return 77
    os.execvp(command[0], command)


sys.exit(main())

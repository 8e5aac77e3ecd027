#!/usr/bin/python3
"""libcdio's own CD-TEXT decoder on rawcd's packs, through ctypes (Debian
ships libcdio19 with cd-info, but no headers).

  cdtext-libcdio.py genre FILE.ccd   prints "CODE|NAME|TEXT": the genre code
                                     libcdio reads from the [CDText] packs
                                     of a CloneCD control file, the name
                                     cdtext_genre2str() gives it (what
                                     cd-info prints as GENRE_CODE) and the
                                     genre text
  cdtext-libcdio.py names            prints "CODE|NAME" for codes 0 .. 27
"""
import ctypes
import re
import sys

CDTEXT_FIELD_GENRE = 8

cdio = ctypes.CDLL("libcdio.so.19")
cdio.cdtext_init.restype = ctypes.c_void_p
cdio.cdtext_data_init.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t]
cdio.cdtext_get_genre.argtypes = [ctypes.c_void_p]
cdio.cdtext_genre2str.restype = ctypes.c_char_p
cdio.cdtext_get_const.restype = ctypes.c_char_p
cdio.cdtext_get_const.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int]
cdio.cdtext_destroy.argtypes = [ctypes.c_void_p]


def crc16(data):
    """The pack's CRC (CCITT, inverted), which a .ccd leaves out."""
    crc = 0
    for byte in data:
        crc ^= byte << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) & 0xFFFF if crc & 0x8000 else (crc << 1) & 0xFFFF
    return crc ^ 0xFFFF


def genre(ccd):
    packs = b""
    for line in re.findall(r"^Entry \d+=(.*)$", open(ccd, encoding="ascii").read(), re.M):
        pack = bytes(int(h, 16) for h in line.split())
        packs += pack + crc16(pack).to_bytes(2, "big")
    text = cdio.cdtext_init()
    if cdio.cdtext_data_init(text, packs, len(packs)) != 0:
        sys.exit("libcdio refused the packs")
    code = cdio.cdtext_get_genre(text)
    value = cdio.cdtext_get_const(text, CDTEXT_FIELD_GENRE, 0)
    print("%d|%s|%s" % (code, cdio.cdtext_genre2str(code).decode(),
                        value.decode() if value is not None else ""))
    cdio.cdtext_destroy(text)


if sys.argv[1] == "genre":
    genre(sys.argv[2])
else:
    for code in range(28):
        print("%d|%s" % (code, cdio.cdtext_genre2str(code).decode()))

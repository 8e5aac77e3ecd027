#!/usr/bin/python3
"""Known answers for test-levels.sh, computed from the file itself.

  levels-check.py make FILE      writes a 5 s stereo 32-bit float WAV: a
                                 1 kHz sine peaking at 1.8 on the left and
                                 0.9 on the right (sox cannot make this: its
                                 effects work in 32-bit integers and stop at
                                 1.0)
  levels-check.py count FILE     the samples beyond 16-bit full scale when
                                 rounded to the nearest (a tie away from
                                 zero), as "N"; and with TPDF dither of less
                                 than 1 LSB either way, the least and most
                                 possible, as "N LOW HIGH"
"""
import math
import struct
import sys

RATE = 44100


def make(path):
    frames = 5 * RATE
    data = bytearray()
    for i in range(frames):
        phase = 2 * math.pi * 1000 * i / RATE
        data += struct.pack("<ff", 1.8 * math.sin(phase), 0.9 * math.sin(phase))
    # IEEE float, no extension (cbSize 0); a non-PCM WAV has a fact chunk
    fmt = struct.pack("<HHIIHHH", 3, 2, RATE, RATE * 8, 8, 32, 0)
    body = (b"WAVE" + b"fmt " + struct.pack("<I", len(fmt)) + fmt
            + b"fact" + struct.pack("<II", 4, frames)
            + b"data" + struct.pack("<I", len(data)) + bytes(data))
    with open(path, "wb") as f:
        f.write(b"RIFF" + struct.pack("<I", len(body)) + body)


def floats(path):
    with open(path, "rb") as f:
        raw = f.read()
    assert raw[:4] == b"RIFF" and raw[8:12] == b"WAVE", "not a WAV file"
    pos = 12
    fmt = None
    while pos + 8 <= len(raw):
        kind, size = raw[pos:pos + 4], struct.unpack("<I", raw[pos + 4:pos + 8])[0]
        chunk = raw[pos + 8:pos + 8 + size]
        if kind == b"fmt ":
            fmt = struct.unpack("<HHIIHH", chunk[:16])
        elif kind == b"data":
            assert fmt is not None and fmt[0] == 3 and fmt[5] == 32, "not 32-bit float"
            return struct.unpack("<%df" % (len(chunk) // 4), chunk)
        pos += 8 + size + (size & 1)
    raise SystemExit("no data chunk in " + path)


def count(path):
    exact = low = high = 0
    for x in floats(path):
        v = x * 32768.0
        r = math.copysign(math.floor(abs(v) + 0.5), v)
        exact += r > 32767 or r < -32768
        # dither d in [-1, 1): clipped when v + d >= 32767.5 or <= -32768.5
        low += v - 1 >= 32767.5 or v + 1 <= -32768.5
        high += v + 1 > 32767.5 or v - 1 <= -32768.5
    print(exact, low, high)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "make":
        make(sys.argv[2])
    elif len(sys.argv) == 3 and sys.argv[1] == "count":
        count(sys.argv[2])
    else:
        raise SystemExit(__doc__)

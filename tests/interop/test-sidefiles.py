#!/usr/bin/env python3
"""Interop tests of the side files (CUE sheet, cdrdao TOC, CloneCD) and their
data files, checked by programs nobody here wrote: libcdio (cd-info and the
library itself through ctypes), cdrdao (show-toc, show-data, toc2cue,
toc2cddb) and bchunk, plus independent parsers written here.

Expectations never come from the engine: track positions are computed from
the lengths of the source WAV files (docs/formats.md, docs/cd-format.md
section 5), sample values are read from the WAV files, and the CloneCD .sub
is checked against the full raw image decoded here.

Usage: test-sidefiles.py MAKE_SIDE_FILES  (prints TAP)
"""

import array
import ctypes
import os
import re
import shutil
import subprocess
import sys
import tempfile
import wave

from tap import Tap

HELPER = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "make-side-files"
CUE_LIBBURN = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "cue-libburn"
SECTOR = 2352
FRAMES = 588


T = Tap()


def run(args, cwd, encoding="latin-1"):
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    return p.returncode, p.stdout.decode(encoding, "replace"), p.stderr.decode(encoding, "replace")


def sox_wav(path, seconds, synth):
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", path, "synth",
                    str(seconds)] + synth, check=True)


def wav_pcm(path):
    with wave.open(path) as w:
        assert w.getnchannels() == 2 and w.getsampwidth() == 2 and w.getframerate() == 44100
        return w.readframes(w.getnframes())


# ---- the expected disc, from the source files alone ----

class Expected:
    """Where everything lies (docs/cd-format.md sections 5 and 12), computed
    here.  Gapless streams follow each other sample-exactly unless pad (the
    PadStreamsToSectors property) asks for IMAPI's whole-sector streams."""

    def __init__(self, tracks, hidden=None, gaps=False, first=1, pad=False):
        self.first = first
        self.pcm = [wav_pcm(t["wav"]) for t in tracks]
        sectors = [-(-len(p) // SECTOR) for p in self.pcm]
        self.streams = []                      # (byte position from LBA 0, pcm)
        start = 0
        if hidden is not None:
            hp = wav_pcm(hidden)
            self.streams.append((-150 * SECTOR, hp))
            start = -150 + -(-len(hp) // SECTOR)
        self.starts, self.pregaps = [], []
        # A cursor in bytes from LBA 0 walks the disc (sections 5 and 12):
        # each track's pregap (150 sectors unless the track says, its audio
        # "previous" gapless and "silence" with gaps), its stream (joined
        # sample-exactly unless padded), its postgap of silence.
        join = not gaps and not pad
        pos = start * SECTOR
        for k, p in enumerate(self.pcm):
            t = tracks[k]
            pregap = t.get("pregap", 150)
            audio = t.get("pregap_audio", "silence" if gaps else "previous")
            if k == 0:
                self.pregaps.append(-150)
                self.starts.append(pos // SECTOR)
            elif audio == "silence":
                pos = -(-pos // SECTOR) * SECTOR
                self.pregaps.append(pos // SECTOR)
                pos += pregap * SECTOR
                self.starts.append(pos // SECTOR)
            elif audio == "previous":
                self.starts.append(pos // SECTOR)
                self.pregaps.append(pos // SECTOR - pregap)
            else:   # own
                self.pregaps.append(pos // SECTOR)
                self.starts.append(pos // SECTOR + pregap)
            self.streams.append((pos, p))
            pos += len(p)
            if not join or t.get("postgap", 0) > 0:
                pos = -(-pos // SECTOR) * SECTOR
            pos += t.get("postgap", 0) * SECTOR
        self.leadout = -(-pos // SECTOR)
        self.track_pos = [pos for pos, _ in self.streams[-len(self.pcm):]]
        self.ends = self.pregaps[1:] + [self.leadout]
        self.tracks = tracks
        self.numbers = [first + k for k in range(len(tracks))]

    def disc_pcm(self, first_lba=0):
        """Main channel bytes from first_lba to the lead-out."""
        out = bytearray((self.leadout - first_lba) * SECTOR)
        for pos, p in self.streams:
            off = pos - first_lba * SECTOR
            skip = max(0, -off)
            out[off + skip:off + len(p)] = p[skip:]
        return bytes(out)


def read_layout(path):
    disc, tracks, audio = None, [], []
    for line in open(path):
        f = line.split()
        if f[0] == "disc":
            disc = dict(first=int(f[1]), n=int(f[2]), leadout=int(f[3]), mcn=f[4])
        elif f[0] == "track":
            tracks.append(dict(number=int(f[1]), pregap=int(f[2]), start=int(f[3]), end=int(f[4]),
                               copy=int(f[5]), pre=int(f[6]), isrc=f[7],
                               indexes=[int(x) for x in f[8].split(",")]))
        elif f[0] == "audio":
            audio.append((int(f[1]), int(f[2])))
    return disc, tracks, audio


# ---- independent decoders ----

def bcd(v):
    return (v >> 4) * 10 + (v & 15)


def crc16(data):
    crc = 0
    for b in data:
        crc ^= b << 8
        for _ in range(8):
            crc = ((crc << 1) ^ 0x1021) if crc & 0x8000 else crc << 1
            crc &= 0xFFFF
    return crc


def deinterleave(sub96):
    """96 interleaved bytes (bit 7 = P ... bit 0 = W) to 8 channels x 12 bytes."""
    out = bytearray(96)
    for n, byte in enumerate(sub96):
        if byte:
            for ch in range(8):
                if byte & (0x80 >> ch):
                    out[12 * ch + n // 8] |= 0x80 >> (n % 8)
    return bytes(out)


def parse_ccd(text):
    """A CloneCD control file as {section: [(key, value)]}, in order."""
    sections, cur = {}, None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            continue
        m = re.match(r"^\[(.+)\]$", line)
        if m:
            cur = m.group(1)
            if cur in sections:
                raise ValueError("section %s twice" % cur)
            sections[cur] = []
            continue
        m = re.match(r"^([A-Za-z][A-Za-z0-9 ]*?)\s*=\s*(.*)$", line)
        if cur is None or not m:
            raise ValueError("bad line: %r" % raw)
        sections[cur].append((m.group(1), m.group(2)))
    return sections


def cdtext_strings(packs, pack_type, block=0):
    """Strings of one pack type and block from 16-byte packs (track -> text)."""
    data, first_track = bytearray(), None
    for p in packs:
        if p[0] == pack_type and (p[3] >> 4) & 7 == block:
            if first_track is None:
                first_track = p[1]
            data += p[4:16]
    texts = bytes(data).split(b"\0")
    return {first_track + i: t.decode("latin-1") for i, t in enumerate(texts[:-1])} if data else {}


def libcdio():
    try:
        lib = ctypes.CDLL("libcdio.so.19")
    except OSError:
        return None
    lib.cdio_open_cue.restype = ctypes.c_void_p
    lib.cdio_open_cue.argtypes = [ctypes.c_char_p]
    lib.cdio_open_cdrdao.restype = ctypes.c_void_p
    lib.cdio_open_cdrdao.argtypes = [ctypes.c_char_p]
    lib.cdio_get_track_isrc.restype = ctypes.c_void_p
    lib.cdio_get_track_isrc.argtypes = [ctypes.c_void_p, ctypes.c_uint8]
    lib.cdio_get_mcn.restype = ctypes.c_void_p
    lib.cdio_get_mcn.argtypes = [ctypes.c_void_p]
    lib.cdio_get_track_lsn.argtypes = [ctypes.c_void_p, ctypes.c_uint8]
    lib.cdio_get_first_track_num.argtypes = [ctypes.c_void_p]
    lib.cdio_get_num_tracks.argtypes = [ctypes.c_void_p]
    lib.cdio_destroy.argtypes = [ctypes.c_void_p]
    return lib


# ---- the checks ----

def check_layout(name, exp, disc, tracks):
    want = [(n, p, s, e) for n, p, s, e in zip(exp.numbers, exp.pregaps, exp.starts, exp.ends)]
    got = [(t["number"], t["pregap"], t["start"], t["end"]) for t in tracks]
    T.ok(want == got and disc["leadout"] == exp.leadout,
         "%s: the engine's layout is where the WAV lengths put it" % name,
         "want %s leadout %d\ngot  %s leadout %d" % (want, exp.leadout, got, disc["leadout"]))


def check_data_files(name, d, base, exp):
    bin_ = open(os.path.join(d, base + ".bin"), "rb").read()
    img = open(os.path.join(d, base + ".img"), "rb").read()
    sub_size = os.path.getsize(os.path.join(d, base + ".sub"))
    T.ok(bin_ == exp.disc_pcm(0),
         "%s: BIN = the source audio placed from LBA 0 to the lead-out" % name,
         "sizes %d vs %d" % (len(bin_), exp.leadout * SECTOR))
    T.ok(img == bin_, "%s: CloneCD .img is byte for byte the BIN" % name)
    T.ok(sub_size == exp.leadout * 96, "%s: .sub has 96 bytes per .img sector" % name,
         "%d != %d" % (sub_size, exp.leadout * 96))


def swap16(data):
    a = array.array("h")
    a.frombytes(data)
    a.byteswap()
    return a.tobytes()


def check_toc_data_file(name, d, base, exp, rw):
    """BASE-toc.bin: the BIN's sectors with big-endian samples; with R-W
    2448-byte blocks, each followed by the full IS_RAW image's 96
    subchannel bytes of that LBA (the interleaved form of the .sub)."""
    data = open(os.path.join(d, base + "-toc.bin"), "rb").read()
    be = swap16(exp.disc_pcm(0))
    if not rw:
        T.ok(data == be, "%s: the TOC data file is the source audio, big-endian, from LBA 0 to the lead-out"
             % name, "sizes %d vs %d" % (len(data), len(be)))
        return
    full = open(os.path.join(d, base + ".full"), "rb").read()
    bad = []
    for lba in range(exp.leadout):
        blk = data[lba * 2448:(lba + 1) * 2448]
        off = (lba + 22650) * 2448
        if blk[:SECTOR] != be[lba * SECTOR:(lba + 1) * SECTOR] or blk[SECTOR:] != full[off + 2352:off + 2448]:
            bad.append(lba)
    rw_bits = any(b & 0x3F for b in data[SECTOR:2448 * 64])
    T.ok(len(data) == exp.leadout * 2448 and not bad and rw_bits,
         "%s: the RW_RAW data file: 2448-byte blocks of big-endian audio + the raw subchannel with R-W" % name,
         "size %d vs %d, first bad LBAs %s, R-W bits %s" % (len(data), exp.leadout * 2448, bad[:10], rw_bits))


def check_cdinfo_cue(name, d, base, exp, tracks, mcn):
    rc, out, err = run(["cd-info", "--no-header", "--no-device-info", "--no-cddb",
                        "--cue-file", base + ".cue"], d, "utf-8")
    rows = re.findall(r"^\s*(\d+): (\d\d:\d\d:\d\d)\s+(\d+) (audio|leadout)\s*(\S*)\s*(\S*)\s*(\S*)\s*(\S*)",
                      out, re.M)
    got = [(int(r[0]), r[1], int(r[2])) for r in rows]
    want = []
    for n, s in zip(exp.numbers, exp.starts):
        m = s + 150
        want.append((n, "%02d:%02d:%02d" % (m // 4500, m // 75 % 60, m % 75), s))
    m = exp.leadout + 150
    want.append((170, "%02d:%02d:%02d" % (m // 4500, m // 75 % 60, m % 75), exp.leadout))
    T.ok(rc == 0 and got == want,
         "%s: cd-info --cue-file: track numbers, MSF and LSN of every track and the lead-out" % name,
         "rc %d\nwant %s\ngot  %s\n%s" % (rc, want, got, err))
    flags = [(r[5], r[7]) for r in rows if r[3] == "audio"]
    want_flags = [("yes" if t["copy"] == 0 else "no", "yes" if t.get("pre") else "no") for t in exp.tracks]
    T.ok(flags == want_flags, "%s: cd-info --cue-file: copy and pre-emphasis flags" % name,
         "want %s\ngot  %s" % (want_flags, flags))
    got_mcn = re.search(r"Media Catalog Number \(MCN\): (\d{13})", out)
    T.ok((got_mcn.group(1) if got_mcn else None) == mcn, "%s: cd-info --cue-file: MCN" % name,
         out[-2000:])
    return out


def check_libcdio_isrc(name, d, base, exp):
    lib = libcdio()
    if lib is None:
        T.ok(False, "%s: libcdio.so.19 loads" % name)
        return
    p = lib.cdio_open_cue(os.path.join(d, base + ".cue").encode())
    if not T.ok(bool(p), "%s: libcdio opens the CUE sheet" % name):
        return
    got, want = [], []
    for k, n in enumerate(exp.numbers):
        s = lib.cdio_get_track_isrc(p, n)
        got.append((lib.cdio_get_track_lsn(p, n), ctypes.string_at(s).decode() if s else None))
        isrc = exp.tracks[k].get("isrc")
        want.append((exp.starts[k], isrc.replace("-", "") if isrc else None))
    lib.cdio_destroy(p)
    T.ok(got == want, "%s: libcdio: every track's LSN and ISRC" % name,
         "want %s\ngot  %s" % (want, got))


def check_cdinfo_toc(name, d, base, exp, mcn):
    """libcdio's cdrdao reader (cd-info --toc-file, cdio_open_cdrdao): the
    track count, every track's LSN, ISRC and the MCN.  Not the lead-out:
    libcdio 2.1 counts a track's START part twice there (docs/formats.md)."""
    rc, out, err = run(["cd-info", "--no-header", "--no-device-info", "--no-cddb",
                        "--toc-file", base + ".toc"], d, "utf-8")
    rows = re.findall(r"^\s*(\d+): (\d\d:\d\d:\d\d)\s+(\d+) audio", out, re.M)
    got = [(int(r[0]), r[1], int(r[2])) for r in rows]
    want = []
    for k, s in enumerate(exp.starts):
        m = s + 150
        want.append((k + 1, "%02d:%02d:%02d" % (m // 4500, m // 75 % 60, m % 75), s))
    T.ok(rc == 0 and got == want,
         "%s: cd-info --toc-file: track count, MSF and LSN of every track (cdrdao numbers from 1)" % name,
         "rc %d\nwant %s\ngot  %s\n%s" % (rc, want, got, err + out[-1500:]))
    got_mcn = re.search(r"Media Catalog Number \(MCN\): (\d{13})", out)
    T.ok((got_mcn.group(1) if got_mcn else None) == mcn, "%s: cd-info --toc-file: MCN" % name,
         out[-2000:])
    lib = libcdio()
    if lib is None:
        T.ok(False, "%s: libcdio.so.19 loads" % name)
        return
    # libcdio opens the data file relative to the working directory.
    cwd = os.getcwd()
    os.chdir(d)
    try:
        p = lib.cdio_open_cdrdao((base + ".toc").encode())
    finally:
        os.chdir(cwd)
    if not T.ok(bool(p), "%s: libcdio opens the TOC file" % name):
        return
    got, want = [], []
    for k, s in enumerate(exp.starts):
        i = lib.cdio_get_track_isrc(p, k + 1)
        got.append((lib.cdio_get_track_lsn(p, k + 1), ctypes.string_at(i).decode() if i else None))
        isrc = exp.tracks[k].get("isrc")
        want.append((s, isrc.replace("-", "") if isrc else None))
    m = lib.cdio_get_mcn(p)
    got_mcn = ctypes.string_at(m).decode() if m else None
    n = lib.cdio_get_num_tracks(p)
    lib.cdio_destroy(p)
    T.ok(n == len(exp.starts) and got == want and (got_mcn or None) == mcn,
         "%s: libcdio reads the TOC file: track count, every track's LSN and ISRC, the MCN" % name,
         "want %d %s %s\ngot  %d %s %s" % (len(exp.starts), want, mcn, n, got, got_mcn))


def check_cdinfo_cdtext(name, out, cdtext):
    """cdtext: {track: {"TITLE": text, ...}} for block 0 (0 = disc)."""
    got, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"CD-TEXT for (Disc|Track\s+(\d+)):", line)
        if m:
            cur = 0 if m.group(1) == "Disc" else int(m.group(2))
            got.setdefault(cur, {})
            continue
        m = re.match(r"\t(TITLE|PERFORMER|SONGWRITER): (.*)$", line)
        if m and cur is not None:
            got[cur][m.group(1)] = m.group(2)
    # As documented: a CUE string cannot hold a double quote; it becomes '.
    want = {k: {f: t.replace('"', "'") for f, t in v.items()} for k, v in cdtext.items() if v}
    got = {k: v for k, v in got.items() if v}
    T.ok(got == want, "%s: cd-info reads the CUE sheet's CD-TEXT (ISO-8859-1) as given" % name,
         "want %s\ngot  %s" % (want, got))


def check_libburn(name, d, base, exp, cdtext):
    """libburn's CUE reader: track numbers, each track's sectors from its
    index 0 (or LBA 0), its flags, and the CD-TEXT bytes (ISO-8859-1)."""
    rc, out, err = run([CUE_LIBBURN, base + ".cue"], d)   # FILE is relative to the cwd
    session = re.search(r"^session (\d+) (\d+)$", out, re.M)
    got_tracks = [(int(a), int(b, 16)) for a, b in re.findall(r"^track \d+ (\d+) (0x[0-9a-f]+)$", out, re.M)]
    froms = [max(p, 0) for p in exp.pregaps] + [exp.leadout]
    want_tracks = []
    for k, t in enumerate(exp.tracks):
        mode = 0x40 | (0x100 if t.get("copy", 1) == 0 else 0) | (0x200 if t.get("pre") else 0) \
            | (0x2000 if t.get("copy") == 2 else 0)
        want_tracks.append((froms[k + 1] - froms[k], mode))
    T.ok(rc == 0 and session and (int(session.group(1)), int(session.group(2))) == (exp.first, len(exp.tracks))
         and got_tracks == want_tracks,
         "%s: libburn reads the CUE sheet: first track number, sectors and flags of every track" % name,
         "rc %d\nwant %s\ngot  %s\n%s" % (rc, want_tracks, got_tracks, out + err))
    if cdtext is None:
        return
    got = {}
    for tr, field, cc, hexs in re.findall(r"^text (\d+) (\w+) (\d+) ([0-9a-f]*)$", out, re.M):
        if hexs:
            got[(int(tr), field)] = (int(cc), bytes.fromhex(hexs))
    want = {(tr, f): (0, v.replace('"', "'").encode("latin-1"))
            for tr, fields in cdtext.items() for f, v in fields.items() if v}
    T.ok(got == want, "%s: libburn takes the CUE CD-TEXT as ISO-8859-1 (character code 0x00)" % name,
         "want %s\ngot  %s" % (want, got))


def check_cdrdao_toc(name, d, base, exp, mcn, rw_mode="AUDIO"):
    rc, out, err = run(["cdrdao", "show-toc", base + ".toc"], d)
    T.ok(rc == 0 and "ERROR" not in err, "%s: cdrdao show-toc accepts the TOC file" % name, err)
    modes = re.findall(r"\nTRACK\s+\d+\s+Mode ([A-Z_ ]+):", out)
    T.ok(modes == [rw_mode] * len(exp.starts),
         "%s: cdrdao show-toc: every track is %s" % (name, rw_mode), "got %s" % modes)
    # cdrdao numbers tracks from 1 and counts positions from LBA 0.
    blocks = re.split(r"\nTRACK\s+\d+\s+Mode AUDIO(?: RW_RAW)?:", out)[1:]
    got, want = [], []
    for k, blk in enumerate(blocks):
        start = re.search(r"START\s+\S+\(\s*(\d+)\)", blk)
        end = re.search(r"END\s+\S+\(\s*(\d+)\)", blk)
        pregap = re.search(r"PREGAP\s+\S+\(\s*(\d+)\)", blk)
        isrc = re.search(r"ISRC (\S+) (\S+) (\S+) (\S+)", blk)
        idx = [int(x) for x in re.findall(r"INDEX\s+\d+\s+\S+\(\s*(\d+)\)", blk)]
        got.append((int(start.group(1)) if start else None, int(end.group(1)) if end else None,
                    int(pregap.group(1)) if pregap else 0,
                    "".join(isrc.groups()) if isrc else None,
                    "COPY PERMITTED" in blk and "NOT PERMITTED" not in blk,
                    "NO PRE-EMPHASIS" not in blk, idx))
    for k in range(len(exp.starts)):
        t = exp.tracks[k]
        in_file = max(exp.pregaps[k], 0)
        isrc = t.get("isrc")
        want.append((exp.starts[k], exp.ends[k], exp.starts[k] - in_file,
                     isrc.replace("-", "") if isrc else None,
                     t.get("copy", 1) == 0, bool(t.get("pre")),
                     [exp.starts[k] + o for o in t.get("indexes", [])]))
    T.ok(got == want, "%s: cdrdao show-toc: start, end, pregap, ISRC, flags and indexes" % name,
         "want %s\ngot  %s" % (want, got))
    cat = re.search(r"CATALOG NUMBER: (\d+)", out)
    T.ok((cat.group(1) if cat else None) == mcn, "%s: cdrdao show-toc: catalog number" % name)


def check_toc2cddb(name, d, path, exp):
    rc, out, err = run(["toc2cddb", path], d)
    offsets = [int(x) for x in re.findall(r"^#\s+(\d+)\s*$", out, re.M)]
    length = re.search(r"Disc length: (\d+) seconds", out)
    want = [s + 150 for s in exp.starts]
    T.ok(rc == 0 and offsets == want and length and int(length.group(1)) == (exp.leadout + 150) // 75,
         "%s: toc2cddb %s: cdrdao's frame offsets are LBA + 150 for every track" % (name, path),
         "want %s\ngot  %s\n%s" % (want, offsets, out + err))


def check_toc2cue(name, d, base, exp):
    rc, out, err = run(["toc2cue", base + ".toc", "toc2cue.cue"], d)
    text = open(os.path.join(d, "toc2cue.cue")).read() if rc == 0 else ""
    idx1 = [m for m in re.findall(r"INDEX 01 (\d\d):(\d\d):(\d\d)", text)]
    got = [int(a) * 4500 + int(b) * 75 + int(c) for a, b, c in idx1]
    T.ok(rc == 0 and got == exp.starts, "%s: toc2cue converts the TOC file, INDEX 01 where the tracks are" % name,
         "want %s\ngot  %s\n%s" % (exp.starts, got, err))


def show_data(d, toc):
    rc, out, err = run(["cdrdao", "show-data", toc], d)
    vals = array.array("h")
    for line in out.splitlines():
        m = line.split(":")
        if len(m) == 2:
            l, r = m[1].split()
            vals.append(int(l))
            vals.append(int(r))
    return rc, vals, err


def check_show_data(name, d, base, exp, rw):
    want = array.array("h")
    want.frombytes(exp.disc_pcm(0))
    if sys.byteorder != "little":
        want.byteswap()
    rc, got, err = show_data(d, base + ".toc")
    first_bad = next((i for i in range(min(len(got), len(want))) if got[i] != want[i]), None)
    T.ok(rc == 0 and len(got) == len(want) and first_bad is None,
         "%s: cdrdao show-data plays the source WAV samples (big-endian data file proven)" % name,
         "rc %d, %d vs %d samples, first difference at %s\n%s" % (rc, len(got), len(want), first_bad, err))
    # The check must be able to fail: the same TOC file on a data file with
    # little-endian samples (otherwise the same bytes) sees other values.
    data = open(os.path.join(d, base + "-toc.bin"), "rb").read()
    blk = 2448 if rw else SECTOR
    le = bytearray(data)
    for off in range(0, len(data), blk):
        le[off:off + SECTOR] = swap16(data[off:off + SECTOR])
    open(os.path.join(d, "le-toc.bin"), "wb").write(le)
    toc = open(os.path.join(d, base + ".toc")).read().replace(base + "-toc.bin", "le-toc.bin")
    open(os.path.join(d, "le.toc"), "w").write(toc)
    rc2, got2, _ = show_data(d, "le.toc")
    T.ok(rc2 == 0 and len(got2) == len(want) and got2 != want,
         "%s: the same check sees byte-swapped samples in a little-endian data file" % name)


def check_bchunk(name, d, base, exp):
    """bchunk starts a track's file at the track's last INDEX line and ends it
    before the next track's first INDEX line (its INDEX 00): gapless pauses
    and the hidden track go to no file."""
    outdir = os.path.join(d, "bchunk")
    os.makedirs(outdir, exist_ok=True)
    rc, out, err = run(["bchunk", "-w", os.path.join(d, base + ".bin"),
                        os.path.join(d, base + ".cue"), os.path.join(outdir, "t")], d)
    disc = exp.disc_pcm(0)
    results = []
    for k, n in enumerate(exp.numbers):
        t = exp.tracks[k]
        first = exp.starts[k] + (t["indexes"][-1] if t.get("indexes") else 0)
        stop = exp.pregaps[k + 1] if k + 1 < len(exp.starts) else exp.leadout
        path = os.path.join(outdir, "t%02d.wav" % n)
        got = wav_pcm(path) if os.path.exists(path) else None
        results.append((n, got == disc[first * SECTOR:stop * SECTOR]))
        if not t.get("indexes") and exp.track_pos[k] == exp.starts[k] * SECTOR:
            # In source terms: the track's audio up to the next pause (for
            # a stream that begins a sector; after a sample-exact join the
            # sector begins with the previous stream's last samples).
            src = exp.pcm[k]
            src = src + bytes(-len(src) % SECTOR) + bytes(t.get("postgap", 0) * SECTOR)
            results.append((n, got == src[:(stop - exp.starts[k]) * SECTOR]))
    T.ok(rc == 0 and all(r for _, r in results),
         "%s: bchunk -w splits the BIN into WAVs of exactly the documented sectors" % name,
         "rc %d %s\n%s" % (rc, results, err))


def check_ccd(name, d, base, exp, tracks, mcn, cdtext):
    text = open(os.path.join(d, base + ".ccd"), "rb").read()
    try:
        text.decode("ascii")
        s = parse_ccd(text.decode("ascii"))
    except (UnicodeDecodeError, ValueError) as e:
        T.ok(False, "%s: the .ccd parses as ASCII sections of key=value lines" % name, e)
        return
    T.ok(True, "%s: the .ccd parses as ASCII sections of key=value lines" % name)

    disc = dict(s.get("Disc", []))
    entries = [dict(v) for k, v in s.items() if k.startswith("Entry ")]
    problems = []
    if dict(s.get("CloneCD", [])).get("Version") != "3":
        problems.append("Version")
    if int(disc.get("TocEntries", -1)) != len(entries) or len(entries) != len(exp.starts) + 3:
        problems.append("TocEntries %s, %d entries" % (disc.get("TocEntries"), len(entries)))
    if disc.get("Sessions") != "1" or disc.get("DataTracksScrambled") != "0":
        problems.append("Sessions/DataTracksScrambled")
    if disc.get("CATALOG") != mcn:
        problems.append("CATALOG %s" % disc.get("CATALOG"))
    by_point = {}
    for e in entries:
        by_point[int(e["Point"], 16)] = e
        pm, ps, pf, plba = int(e["PMin"]), int(e["PSec"]), int(e["PFrame"]), int(e["PLBA"])
        if (pm * 60 + ps) * 75 + pf - 150 != plba:
            problems.append("PLBA of point %s" % e["Point"])
        if e["ALBA"] != "-150" or e["Session"] != "1" or e["ADR"] != "0x01":
            problems.append("A-fields of point %s" % e["Point"])
    a0, a1, a2 = by_point.get(0xA0), by_point.get(0xA1), by_point.get(0xA2)
    if not a0 or int(a0["PMin"]) != exp.numbers[0] or int(a0["PSec"]) != 0:
        problems.append("A0")
    if not a1 or int(a1["PMin"]) != exp.numbers[-1]:
        problems.append("A1")
    if not a2 or int(a2["PLBA"]) != exp.leadout:
        problems.append("A2")
    for k, n in enumerate(exp.numbers):
        e = by_point.get(n)
        t = exp.tracks[k]
        control = (2 if t.get("copy", 1) == 0 else 0) | (1 if t.get("pre") else 0)
        if not e or int(e["PLBA"]) != exp.starts[k] or int(e["Control"], 16) != control:
            problems.append("entry of track %d" % n)
        tr = dict(s.get("TRACK %d" % n, []))
        if tr.get("MODE") != "0" or int(tr.get("INDEX 1", -1)) != exp.starts[k]:
            problems.append("[TRACK %d] MODE/INDEX 1" % n)
        pre = max(exp.pregaps[k], 0)
        if (pre < exp.starts[k]) != ("INDEX 0" in tr) or ("INDEX 0" in tr and int(tr["INDEX 0"]) != pre):
            problems.append("[TRACK %d] INDEX 0" % n)
        for j, o in enumerate(t.get("indexes", [])):
            if int(tr.get("INDEX %d" % (j + 2), -1)) != exp.starts[k] + o:
                problems.append("[TRACK %d] INDEX %d" % (n, j + 2))
        isrc = t.get("isrc")
        if tr.get("ISRC") != (isrc.replace("-", "") if isrc else None):
            problems.append("[TRACK %d] ISRC" % n)
    T.ok(not problems, "%s: the .ccd entries, tracks and indexes match the disc" % name,
         "\n".join(problems))

    if cdtext is not None:
        ct = dict(s.get("CDText", []))
        packs = [bytes(int(x, 16) for x in ct["Entry %d" % i].split())
                 for i in range(int(ct.get("Entries", 0)))]
        titles = cdtext_strings(packs, 0x80)
        want = {k: v["TITLE"] for k, v in cdtext.items() if v.get("TITLE")}
        got = {k: v for k, v in titles.items() if v}
        T.ok(all(len(p) == 16 for p in packs) and int(disc.get("CDTextLength", 0)) == 18 * len(packs)
             and got == want, "%s: the .ccd [CDText] packs hold the titles" % name,
             "want %s\ngot  %s" % (want, got))


def check_sub_against_full(name, d, base, exp):
    """Each .sub sector = the full image's 96 interleaved bytes at that LBA,
    de-interleaved; and its Q (CRC-checked) names that very LBA."""
    full = open(os.path.join(d, base + ".full"), "rb").read()
    sub = open(os.path.join(d, base + ".sub"), "rb").read()
    bad, badq, mode1 = [], [], 0
    for lba in range(exp.leadout):
        off = (lba + 22650) * 2448
        s = sub[lba * 96:(lba + 1) * 96]
        if deinterleave(full[off + 2352:off + 2448]) != s:
            bad.append(lba)
            continue
        q = s[12:24]
        if crc16(q[:10]) ^ 0xFFFF != (q[10] << 8 | q[11]):
            badq.append((lba, "crc"))
        elif q[0] & 15 == 1:
            mode1 += 1
            a = (bcd(q[7]) * 60 + bcd(q[8])) * 75 + bcd(q[9])
            if a != lba + 150:
                badq.append((lba, "abs %d" % a))
    T.ok(not bad, "%s: every .sub sector is the full image's subchannel de-interleaved" % name,
         "first bad LBAs %s" % bad[:10])
    T.ok(not badq and mode1 > exp.leadout * 9 // 10,
         "%s: the .sub Q of every sector has a good CRC and its own absolute time" % name,
         "%s (%d mode-1)" % (badq[:10], mode1))


# ---- scenarios ----

def scenario_cdtext(work, pad=True):
    """Gapless, MCN, ISRCs, copy/pre/SCMS, an extra index, Latin-1 CD-TEXT in
    block 0 and German titles in block 1.  With pad every stream fills whole
    sectors (IMAPI); without, the streams (none a whole number of sectors)
    are joined sample-exactly."""
    name = "gapless" if pad else "gapless-joined"
    d = os.path.join(work, name)
    os.makedirs(d)
    tracks = [
        dict(wav="a.wav", sec=7.123, synth=["sine", "440", "sine", "660"], isrc="US-ABC-06-12345",
             copy=0, pre=True),
        dict(wav="b.wav", sec=8.5, synth=["sawtooth", "220", "square", "331", "gain", "-3"],
             copy=2, indexes=[0, 120]),
        dict(wav="c.wav", sec=6.31, synth=["triangle", "100", "sine", "1000", "gain", "-6"],
             isrc="GBXYZ9900042", copy=1),
    ]
    for t in tracks:
        sox_wav(os.path.join(d, t["wav"]), t["sec"], t["synth"])
    cdtext = {0: {"TITLE": "Caf\u00e9 d\u00e9j\u00e0 vu", "PERFORMER": "Ensemble \u00c5 \"live\""},
              1: {"TITLE": "Premi\u00e8re"}, 2: {}, 3: {"TITLE": "Dernier", "SONGWRITER": "M\u00fcller"}}
    args = [HELPER, "--out", d, "--name", "disc", "--mcn", "0012345678905"]
    if pad:
        args += ["--pad-streams"]
    for tr, fields in cdtext.items():
        for f, v in fields.items():
            args += ["--cdtext", "0:%d:%s=%s" % (tr, f.lower(), v)]
    args += ["--cdtext", "1:0:title=Deutsch", "--cdtext", "1:1:title=Erstes", "--language", "1:8"]
    for t in tracks:
        args += ["--track", os.path.join(d, t["wav"])]
        if t.get("isrc"):
            args += ["--isrc", t["isrc"]]
        args += ["--copy", str(t["copy"])]
        if t.get("pre"):
            args += ["--pre"]
        for o in t.get("indexes", [])[1:]:
            args += ["--index", str(o)]
    for t in tracks:
        t["wav"] = os.path.join(d, t["wav"])
        if "indexes" in t:
            t["indexes"] = t["indexes"][1:]     # offsets of index 2..
    rc, out, err = run(args + ["--full"], d)
    if not T.ok(rc == 0, "%s: make-side-files builds the disc" % name, err):
        return
    exp = Expected(tracks, pad=pad)
    disc, ltracks, _ = read_layout(os.path.join(d, "disc.layout"))
    check_layout(name, exp, disc, ltracks)
    check_data_files(name, d, "disc", exp)
    check_toc_data_file(name, d, "disc", exp, False)
    out = check_cdinfo_cue(name, d, "disc", exp, ltracks, "0012345678905")
    check_libcdio_isrc(name, d, "disc", exp)
    check_cdinfo_cdtext(name, out, cdtext)
    check_libburn(name, d, "disc", exp, cdtext)
    check_cdrdao_toc(name, d, "disc", exp, "0012345678905")
    check_cdinfo_toc(name, d, "disc", exp, "0012345678905")
    toc = open(os.path.join(d, "disc.toc")).read()
    T.ok('LANGUAGE_MAP { 0 : 9 1 : 8 }' in toc and "Caf\\351 d\\351j\\340 vu" in toc
         and 'TITLE "Erstes"' in toc,
         "%s: the TOC file carries both CD-TEXT blocks, Latin-1 as octal escapes" % name, toc[:1500])
    check_toc2cddb(name, d, "disc.toc", exp)
    check_toc2cue(name, d, "disc", exp)
    check_show_data(name, d, "disc", exp, False)
    check_bchunk(name, d, "disc", exp)
    check_ccd(name, d, "disc", exp, ltracks, "0012345678905", cdtext)
    check_sub_against_full(name, d, "disc", exp)


def scenario_hidden(work, with_rw=True):
    """A hidden track, 2-second gaps, tracks numbered from 3, no CD-TEXT, R-W
    data in the program area (without: the plain TOC file, which libcdio
    reads too, for the same disc)."""
    name = "hidden" if with_rw else "hidden-no-rw"
    d = os.path.join(work, name)
    os.makedirs(d)
    sox_wav(os.path.join(d, "h.wav"), 3.71, ["sine", "500", "sine", "707"])
    tracks = [dict(wav="a.wav", sec=6.4, synth=["sine", "300", "square", "440", "gain", "-4"], copy=0),
              dict(wav="b.wav", sec=7.0, synth=["pluck", "220", "sine", "880"], copy=0, pre=True),
              dict(wav="c.wav", sec=6.123, synth=["sawtooth", "150", "triangle", "600"], copy=0)]
    for t in tracks:
        sox_wav(os.path.join(d, t["wav"]), t["sec"], t["synth"])
        t["wav"] = os.path.join(d, t["wav"])
    exp = Expected(tracks, hidden=os.path.join(d, "h.wav"), gaps=True, first=3)
    image_sectors = 22650 + exp.leadout + 6750
    rw = bytes((i * 7 + i // 96) & 0x3F for i in range(image_sectors * 96))
    open(os.path.join(d, "rw.bin"), "wb").write(rw)
    args = [HELPER, "--out", d, "--name", "disc", "--first-track", "3", "--gaps",
            "--hidden", os.path.join(d, "h.wav"), "--full"]
    if with_rw:
        args += ["--rw", os.path.join(d, "rw.bin")]
    for t in tracks:
        args += ["--track", t["wav"], "--copy", "0"] + (["--pre"] if t.get("pre") else [])
    rc, out, err = run(args, d)
    if not T.ok(rc == 0, "%s: make-side-files builds the disc" % name, err):
        return
    disc, ltracks, _ = read_layout(os.path.join(d, "disc.layout"))
    check_layout(name, exp, disc, ltracks)
    check_data_files(name, d, "disc", exp)
    check_toc_data_file(name, d, "disc", exp, with_rw)
    check_cdinfo_cue(name, d, "disc", exp, ltracks, None)
    check_libcdio_isrc(name, d, "disc", exp)
    check_libburn(name, d, "disc", exp, None)
    check_cdrdao_toc(name, d, "disc", exp, None, "AUDIO RW_RAW" if with_rw else "AUDIO")
    if not with_rw:
        # libcdio 2.1 misplaces DATAFILE tracks (docs/formats.md): only
        # the plain TOC file is for it.
        check_cdinfo_toc(name, d, "disc", exp, None)
    check_toc2cddb(name, d, "disc.toc", exp)
    # Without CD-TEXT cdrdao 1.2.4 reads the CUE sheet too, the same way.
    check_toc2cddb(name, d, "disc.cue", exp)
    check_toc2cue(name, d, "disc", exp)
    check_show_data(name, d, "disc", exp, with_rw)
    check_bchunk(name, d, "disc", exp)
    check_ccd(name, d, "disc", exp, ltracks, None, None)
    check_sub_against_full(name, d, "disc", exp)


def scenario_joined(work):
    scenario_cdtext(work, pad=False)


def scenario_pregaps(work):
    """Per-track pregaps and a postgap (Track Pregap, PregapAudio, Postgap)
    on streams that are not whole sectors, joined where they meet: a
    postgap after track 1, 75 silent sectors before track 2, no pregap
    before track 3, track 4's own first 100 sectors as its pregap."""
    name = "pregaps"
    d = os.path.join(work, name)
    os.makedirs(d)
    tracks = [dict(wav="a.wav", sec=6.1, synth=["sine", "300", "sine", "450"], postgap=20,
                   copy=0),
              dict(wav="b.wav", sec=7.3, synth=["square", "220", "sine", "660"],
                   pregap=75, pregap_audio="silence", isrc="US-ABC-06-12345", copy=0),
              dict(wav="c.wav", sec=6.7, synth=["triangle", "150", "sine", "900"], pregap=0,
                   copy=0),
              dict(wav="d.wav", sec=8.2, synth=["sawtooth", "110", "sine", "550"],
                   pregap=100, pregap_audio="own", copy=0)]
    args = [HELPER, "--out", d, "--name", "disc", "--full"]
    for t in tracks:
        sox_wav(os.path.join(d, t["wav"]), t["sec"], t["synth"])
        t["wav"] = os.path.join(d, t["wav"])
        args += ["--track", t["wav"], "--copy", "0"]
        if "pregap" in t:
            args += ["--pregap", str(t["pregap"])]
        if "pregap_audio" in t:
            args += ["--pregap-audio", t["pregap_audio"]]
        if "postgap" in t:
            args += ["--postgap", str(t["postgap"])]
        if "isrc" in t:
            args += ["--isrc", t["isrc"]]
    rc, out, err = run(args, d)
    if not T.ok(rc == 0, "%s: make-side-files builds the disc" % name, err):
        return
    exp = Expected(tracks)
    disc, ltracks, _ = read_layout(os.path.join(d, "disc.layout"))
    check_layout(name, exp, disc, ltracks)
    check_data_files(name, d, "disc", exp)
    check_toc_data_file(name, d, "disc", exp, False)
    check_cdinfo_cue(name, d, "disc", exp, ltracks, None)
    check_libcdio_isrc(name, d, "disc", exp)
    check_libburn(name, d, "disc", exp, None)
    check_cdrdao_toc(name, d, "disc", exp, None)
    check_cdinfo_toc(name, d, "disc", exp, None)
    check_toc2cddb(name, d, "disc.toc", exp)
    check_toc2cue(name, d, "disc", exp)
    check_show_data(name, d, "disc", exp, False)
    check_bchunk(name, d, "disc", exp)
    check_ccd(name, d, "disc", exp, ltracks, None, None)
    check_sub_against_full(name, d, "disc", exp)


def scenario_hidden_no_rw(work):
    scenario_hidden(work, with_rw=False)


def main():
    missing = [t for t in ("sox", "cd-info", "cdrdao", "toc2cue", "toc2cddb", "bchunk")
               if shutil.which(t) is None]
    if missing:
        T.ok(False, "the interop tools are installed", "missing: %s" % " ".join(missing))
        return T.done()
    with tempfile.TemporaryDirectory(prefix="rawcd-interop-") as work:
        for scenario in (scenario_cdtext, scenario_joined, scenario_pregaps, scenario_hidden,
                         scenario_hidden_no_rw):
            try:
                scenario(work)
            except Exception:
                import traceback
                T.ok(False, "%s runs to its end" % scenario.__name__, traceback.format_exc())
    return T.done()


if __name__ == "__main__":
    sys.exit(main())

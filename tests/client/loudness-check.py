#!/usr/bin/python3
"""Known answers for test-loudness.sh, from the audio on the disc itself.

  loudness-check.py silence FILE
      writes 5 s of digital silence as a 16-bit 44.1 kHz stereo WAV (sox
      would dither it)
  loudness-check.py compare SOURCE LEVELS_JSON NAME:OFFSET:FRAMES:INDEX[:noise]...
      SOURCE holds 44.1 kHz s16le stereo audio: a BIN as rawcdctl wrote it
      (OFFSET = the track's StartingLBA x 2352) or a WAV file (OFFSET = its
      data chunk's offset + the range's first frame x 4).  For each range
      it computes the largest |sample| and has ffmpeg's ebur128 filter
      (peak=sample+true) measure the same samples, then compares them with
      entry INDEX of the LEVELS_JSON list (rawcdctl's {"sample_peak",
      "true_peak", "loudness", "clipped"} objects, null for minus
      infinity): the sample peak exactly (to the 6 significant digits
      rawcdctl prints), the integrated loudness within 0.1 LU of ffmpeg's,
      the true peak within 0.1 dB of ffmpeg's and within 0.05 dB of the
      peak of sox's very high quality 4x oversampling (a near-ideal
      reconstruction, by another library).  For full-band noise (":noise")
      ffmpeg's interpolator reads the true peak low (0.13 dB on pink noise,
      where sox at 4x, 8x and 16x agree within 0.005 dB), so there the
      bound against ffmpeg is 0.2 dB and sox's is the reference.
      Prints "PASS what" or "FAIL what" per check.
  loudness-check.py peak SOURCE OFFSET FRAMES
      prints the range's sample peak in dBFS with 17 digits ("-inf" for 0)
"""
import json
import math
import os
import re
import struct
import subprocess
import sys
import tempfile
import wave


def read_range(path, offset, frames):
    with open(path, "rb") as f:
        f.seek(offset)
        data = f.read(frames * 4)
    if len(data) != frames * 4:
        raise SystemExit("%s: %d bytes at %d, not %d" % (path, len(data), offset, frames * 4))
    return data


def peak_of(data):
    samples = struct.unpack("<%dh" % (len(data) // 2), data)
    return max(abs(s) for s in samples)


def db(linear):
    return 20 * math.log10(linear) if linear > 0 else None


def ffmpeg_levels(data):
    """ffmpeg's integrated loudness (LUFS, None below the gate) and true
    peak (linear), read from the filter's metadata of the last frame."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "range.raw")
        meta = os.path.join(tmp, "meta.txt")
        with open(raw, "wb") as f:
            f.write(data)
        subprocess.run(["ffmpeg", "-nostdin", "-nostats", "-hide_banner", "-loglevel", "error",
                        "-f", "s16le", "-ar", "44100", "-ac", "2", "-i", raw,
                        "-af", "ebur128=peak=sample+true:metadata=1,"
                               "ametadata=mode=print:file=" + meta,
                        "-f", "null", "-"], check=True)
        text = open(meta).read()
    loud = re.findall(r"^lavfi\.r128\.I=(\S+)$", text, re.M)
    tp = re.findall(r"^lavfi\.r128\.true_peak=(\S+)$", text, re.M)
    if not loud or not tp:
        raise SystemExit("ffmpeg printed no ebur128 metadata")
    integrated = float(loud[-1])
    # ffmpeg's ebur128 says -70 LUFS when no block passed the gate
    return (integrated if integrated > -70.0 else None), float(tp[-1])


def sox_true_peak(data):
    """The peak of sox's very high quality 4x oversampling (BS.1770-4's
    factor), in dB (10 dB of headroom first: sox's effects stop at full
    scale)."""
    with tempfile.TemporaryDirectory() as tmp:
        raw = os.path.join(tmp, "range.raw")
        with open(raw, "wb") as f:
            f.write(data)
        out = subprocess.run(["sox", "-t", "s16", "-r", "44100", "-c", "2", raw, "-n",
                              "gain", "-10", "rate", "-v", "176400", "stats"],
                             check=True, capture_output=True, text=True).stderr
    level = re.search(r"^Pk lev dB\s+(\S+)", out, re.M)
    if level is None:
        raise SystemExit("sox stats printed no peak level")
    return float(level.group(1)) + 10.0 if level.group(1) != "-inf" else None


def check(ok, what):
    print(("PASS " if ok else "FAIL ") + what)


def compare(source, levels_json, ranges):
    levels = json.load(open(levels_json))
    for spec in ranges:
        fields = spec.split(":")
        noise = fields[-1] == "noise"
        if noise:
            fields.pop()
        name, offset, frames, index = fields
        data = read_range(source, int(offset), int(frames))
        got = levels[int(index)]
        if got is None:
            check(False, "%s: rawcdctl measured nothing" % name)
            continue
        peak = peak_of(data)
        want_peak = db(peak / 32768.0)
        loudness, true_peak = ffmpeg_levels(data)
        ideal = sox_true_peak(data)
        print("# %s: rawcdctl %s; computed peak %s dBFS (max %d), ffmpeg %s LUFS, true peak %s;"
              " sox 4x true peak %s" % (name, json.dumps(got), want_peak, peak, loudness,
                                        db(true_peak), ideal))
        if want_peak is None:
            check(got["sample_peak"] is None, "%s: sample peak -inf (null) for silence" % name)
        else:
            check(got["sample_peak"] is not None
                  and abs(got["sample_peak"] - want_peak) <= 5e-6 * max(1.0, abs(want_peak)),
                  "%s: sample peak %.5f dBFS is the largest sample's (%d)" % (name, want_peak, peak))
        if true_peak == 0:
            check(got["true_peak"] is None, "%s: true peak -inf (null) for silence" % name)
        else:
            bound = 0.2 if noise else 0.1
            check(got["true_peak"] is not None
                  and abs(got["true_peak"] - db(true_peak)) <= bound,
                  "%s: true peak within %.1f dB of ffmpeg's %.3f dBTP"
                  % (name, bound, db(true_peak)))
            check(got["true_peak"] is not None and ideal is not None
                  and abs(got["true_peak"] - ideal) <= 0.05,
                  "%s: true peak within 0.05 dB of sox's 4x oversampled peak %s dB"
                  % (name, ideal))
        if loudness is None:
            check(got["loudness"] is None,
                  "%s: no loudness (null) when ffmpeg finds nothing above the gate" % name)
        else:
            check(got["loudness"] is not None and abs(got["loudness"] - loudness) <= 0.1,
                  "%s: integrated loudness within 0.1 LU of ffmpeg's %.3f LUFS" % (name, loudness))


def silence(path):
    with wave.open(path, "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(44100)
        w.writeframes(bytes(5 * 44100 * 4))


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "silence":
        silence(sys.argv[2])
    elif len(sys.argv) >= 5 and sys.argv[1] == "compare":
        compare(sys.argv[2], sys.argv[3], sys.argv[4:])
    elif len(sys.argv) == 5 and sys.argv[1] == "peak":
        p = db(peak_of(read_range(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]))) / 32768.0)
        print("-inf" if p is None else "%.17g" % p)
    else:
        raise SystemExit(__doc__)

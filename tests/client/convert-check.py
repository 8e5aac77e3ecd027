#!/usr/bin/python3
"""convert-check.py: measurements on 16-bit stereo PCM for test-convert.sh.

The audio files are raw little-endian s16 stereo: a CUE sheet's BIN as
rawcdctl writes it, or sox's output with `-t raw -e signed -b 16`.

  close A B MAX         every sample of A within MAX of B's (same frames)
  tone A HZ DB          A holds a sine of HZ: its power at HZ exceeds that
                        at HZ/2, 2*HZ and 3*HZ by DB dB (Goertzel, over
                        the middle 4 seconds)
  level A B             A's RMS level within 0.1 dB of B's
  same-channels A       left and right are identical in every frame
  spread A              the values of A's left channel are spread both ways
                        around 0 (dither), not a DC offset (truncation)
  clipped A FLOATS      FLOATS (raw f32 mono or stereo, interleaved as A)
                        says which samples exceed 16 bits after rounding:
                        A holds full scale exactly there and nowhere else;
                        prints the count
Exit status 0 when the check holds; what was measured goes to stdout.
"""
import array
import math
import sys


def samples(path, typecode="h"):
    data = array.array(typecode)
    with open(path, "rb") as f:
        data.frombytes(f.read())
    if sys.byteorder != "little":
        data.byteswap()
    return data


def goertzel(x, rate, hz):
    w = 2 * math.pi * hz / rate
    coeff = 2 * math.cos(w)
    s1 = s2 = 0.0
    for v in x:
        s1, s2 = v + coeff * s1 - s2, s1
    return s1 * s1 + s2 * s2 - coeff * s1 * s2


def rms(x):
    return math.sqrt(sum(v * v for v in x) / len(x))


def main():
    what, a_path = sys.argv[1], sys.argv[2]
    a = samples(a_path)
    left = a[0::2]
    if what == "close":
        b = samples(sys.argv[3])
        limit = int(sys.argv[4])
        n = min(len(a), len(b))
        worst = max(abs(a[i] - b[i]) for i in range(n))
        print("frames %d and %d, largest difference %d LSB" % (len(a) // 2, len(b) // 2, worst))
        return len(a) == len(b) and worst <= limit
    if what == "tone":
        hz = float(sys.argv[3])
        # four seconds from the middle, away from the edges
        mid = len(left) // 2
        x = left[mid - 88200:mid + 88200]
        peak = goertzel(x, 44100, hz)
        others = [goertzel(x, 44100, f) for f in (hz / 2, 2 * hz, 3 * hz)]
        margin = 10 * math.log10(peak / max(max(others), 1e-9))
        print("power at %g Hz exceeds the others by %.1f dB" % (hz, margin))
        return margin > float(sys.argv[4])
    if what == "level":
        b = samples(sys.argv[3])
        la, lb = rms(left), rms(b[0::2])
        diff = 20 * math.log10(la / lb)
        print("RMS %.2f and %.2f: %.3f dB apart" % (la, lb, diff))
        return abs(diff) < 0.1
    if what == "same-channels":
        right = a[1::2]
        differ = sum(1 for i in range(len(left)) if left[i] != right[i])
        print("%d frames, %d with different channels" % (len(left), differ))
        return differ == 0 and any(left)
    if what == "spread":
        pos = sum(1 for v in left if v > 0)
        neg = sum(1 for v in left if v < 0)
        values = sorted(set(left))
        mean = sum(left) / len(left)
        print("values %s, %d positive, %d negative, mean %.4f" % (values, pos, neg, mean))
        return (min(values) <= -2 and max(values) >= 2 and abs(mean) < 0.05
                and abs(pos - neg) < 0.05 * (pos + neg))
    if what == "clipped":
        floats = samples(sys.argv[3], "f")
        expect = 0
        wrong = 0
        n = min(len(a), len(floats))
        for i in range(n):
            # to the nearest, a tie away from zero
            x = floats[i] * 32768.0
            v = math.copysign(math.floor(abs(x) + 0.5), x)
            over = v > 32767 or v < -32768
            expect += over
            if over and a[i] != (32767 if v > 0 else -32768):
                wrong += 1
            if not over and a[i] != v:
                wrong += 1
        print("%d samples beyond full scale, %d samples not as expected" % (expect, wrong))
        return len(a) >= len(floats) and expect > 0 and wrong == 0
    raise SystemExit("unknown check " + what)


sys.exit(0 if main() else 1)

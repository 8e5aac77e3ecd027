#!/usr/bin/env python3
"""Side-by-side benchmark of the image engine against plain baselines.

Makes 4 tracks of about 5 minutes each (noise and tones, so that FLAC has
real work to do) with sox, encodes them to FLAC, and then times, in this one
run, writing to the same destination file:

  cat          the WAVs, concatenated (the cost of moving the bytes)
  flac -d      the FLACs decoded to raw PCM (the cost of decoding)
  engine WAV   bench-write of an IS_RAW image from the WAVs
  engine FLAC  bench-write of an IS_RAW image from the FLACs
  ... helper   the same through the decoder helper rawcd-decoder, as
               rawcdd reads (WAV: header checked by the helper, samples
               read directly; FLAC: decoded in the helper)

Each command runs --repeat times after one warm-up; the best wall time is
reported with the peak RSS (VmHWM, sampled while it runs).  Targets from the issue: engine
from WAV within 1.5x of cat, engine from FLAC no slower than flac -d, peak
RSS under 32 MiB.  The script reports; it does not fail on a slow machine.

  bench.py [--builddir build] [--minutes 5] [--repeat 3] [--workdir DIR]
"""
import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time


def peak_rss_kib(pid):
    """The high-water RSS of a live process, or None once it has exited."""
    try:
        with open(f'/proc/{pid}/status') as status:
            for line in status:
                if line.startswith('VmHWM:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def children_rss_kib(pid):
    """The RSS of pid's live children (the decoder helpers), summed."""
    total = 0
    try:
        with open(f'/proc/{pid}/task/{pid}/children') as f:
            kids = f.read().split()
    except OSError:
        return 0
    for kid in kids:
        try:
            with open(f'/proc/{kid}/status') as status:
                for line in status:
                    if line.startswith('VmRSS:'):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def run(cmd, stdout_path):
    """Run cmd with stdout to stdout_path; return (seconds, peak RSS KiB).

    The peak is VmHWM sampled while the command runs: wait4's ru_maxrss
    would not do, since Linux carries it across execve and so reports the
    forking Python's own size.  VmHWM belongs to the new program's memory
    alone and only grows, so the last sample is the peak up to then.
    """
    with open(stdout_path, 'wb') as out:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out)
        peak = 0
        while proc.poll() is None:
            # the program's own peak, plus its helpers' RSS at this moment
            peak = max(peak, (peak_rss_kib(proc.pid) or 0) + children_rss_kib(proc.pid))
            time.sleep(0.002)
        elapsed = time.monotonic() - start
    if proc.returncode != 0:
        sys.exit(f'bench: {" ".join(cmd)} failed')
    return elapsed, peak


def best_of(cmd, dest, repeat):
    run(cmd, dest)                      # warm-up: inputs into the page cache
    results = [run(cmd, dest) for _ in range(repeat)]
    return min(r[0] for r in results), max(r[1] for r in results), os.path.getsize(dest)


def make_tracks(workdir, minutes):
    sources = [
        ['synth', f'{minutes * 60}', 'pinknoise', 'vol', '0.5'],
        ['synth', f'{minutes * 60}', 'sine', '220-880', 'vol', '0.5'],
        ['synth', f'{minutes * 60}', 'whitenoise', 'vol', '0.3'],
        ['synth', f'{minutes * 60 + 7.3}', 'sine', '440', 'sine', '660', 'vol', '0.4'],
    ]
    wavs, flacs = [], []
    for i, effect in enumerate(sources, 1):
        wav = os.path.join(workdir, f'track{i}.wav')
        flac = os.path.join(workdir, f'track{i}.flac')
        subprocess.run(['sox', '-n', '-r', '44100', '-c', '2', '-b', '16', wav] + effect,
                       check=True)
        subprocess.run(['flac', '--silent', '--force', '-5', '-o', flac, wav], check=True)
        wavs.append(wav)
        flacs.append(flac)
    return wavs, flacs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--builddir', default='build')
    parser.add_argument('--minutes', type=float, default=5)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--workdir')
    args = parser.parse_args()

    bench_write = os.path.join(args.builddir, 'tests', 'bench', 'bench-write')
    decoder = os.path.abspath(os.path.join(args.builddir, 'daemon', 'rawcd-decoder'))
    if not os.access(bench_write, os.X_OK):
        sys.exit(f'bench: {bench_write} not built (ninja -C {args.builddir})')

    workdir = args.workdir or tempfile.mkdtemp(prefix='rawcd-bench-')
    try:
        wavs, flacs = make_tracks(workdir, args.minutes)
        dest = os.path.join(workdir, 'out.bin')
        rows = [
            ('cat WAVs', ['cat'] + wavs),
            ('flac -d FLACs', ['flac', '-d', '--silent', '-c', '--force-raw-format',
                               '--endian=little', '--sign=signed'] + flacs),
            ('engine IS_RAW from WAV', [bench_write, '--type', '3'] + wavs),
            ('engine IS_RAW from FLAC', [bench_write, '--type', '3'] + flacs),
            ('... WAV via helper', [bench_write, '--type', '3', '--decoder', decoder] + wavs),
            ('... FLAC via helper', [bench_write, '--type', '3', '--decoder', decoder] + flacs),
        ]
        audio_bytes = sum(os.path.getsize(w) for w in wavs)
        print(f'{len(wavs)} tracks, {audio_bytes / 2**20:.1f} MiB of WAV, '
              f'{sum(os.path.getsize(f) for f in flacs) / 2**20:.1f} MiB of FLAC; '
              f'best of {args.repeat} after a warm-up; output to {dest}')
        print(f'{"what":26} {"seconds":>8} {"MiB out":>8} {"MiB/s":>8} {"peak RSS":>10}')
        times = {}
        for name, cmd in rows:
            seconds, rss_kib, size = best_of(cmd, dest, args.repeat)
            times[name] = seconds
            print(f'{name:26} {seconds:8.3f} {size / 2**20:8.1f} '
                  f'{size / 2**20 / seconds:8.1f} {rss_kib / 1024:8.1f} MiB')
        print(f'engine WAV / cat:       {times["engine IS_RAW from WAV"] / times["cat WAVs"]:.2f}x '
              f'(target <= 1.5x)')
        print(f'engine FLAC / flac -d:  {times["engine IS_RAW from FLAC"] / times["flac -d FLACs"]:.2f}x '
              f'(target <= 1.0x)')
        print(f'helper WAV / cat:       {times["... WAV via helper"] / times["cat WAVs"]:.2f}x')
        print(f'helper FLAC / flac -d:  {times["... FLAC via helper"] / times["flac -d FLACs"]:.2f}x')
    finally:
        if not args.workdir:
            shutil.rmtree(workdir)


if __name__ == '__main__':
    main()

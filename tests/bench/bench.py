#!/usr/bin/python3
"""Side-by-side benchmark of rawcd against plain baselines (issue 12).

One command, one run, one table: every figure is set against a baseline
timed in the same run, to the same destination, so that a loaded or slow
machine shifts both sides alike.

Makes 4 tracks of --minutes each (noise and tones, so that FLAC has real
work to do) with sox, encodes them to FLAC, makes the IS_RAW image once
as the reference, then times:

  baselines    `cat` of the finished image; `flac -d` of the FLACs to raw PCM
  engine       bench-write (the engine alone, reading through the decoder
               helper as rawcdd does) from the WAVs and from the FLACs
  D-Bus        `rawcdctl create` against a rawcdd on a private bus, from the
               WAVs and from the FLACs
  jobs         1, 4 and 8 clients at once, each making its own image from
               the FLACs: aggregate throughput against the best single job
  latency      a further client's property reads (Properties.Get) while
               idle and while 4 jobs write: p50 and p99
  memory       the resident memory of rawcdd plus all its rawcd-decoder
               helpers, summed and sampled every few ms while it works
  80 minutes   a full 80-minute disc from FLAC through D-Bus, against
               `flac -d` of the same files; its peak memory

Every image made is compared with the reference byte for byte.  The script
reports; it never fails because the machine is slow (it does exit non-zero
when something it runs fails or an image differs).

  bench.py [--builddir build] [--minutes 5] [--repeat 3] [--workdir DIR]
           [--no-80]

Run it with /usr/bin/python3 (the latency probe uses PyGObject).
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time

NAME = 'org.rawcd.RawCD1'
MIB = 2 ** 20


# --- memory ---------------------------------------------------------------

def descendants(pid):
    """pid and every process below it.  Children are listed per thread:
    rawcdd starts its helpers from a thread of its own, so every task's
    list is read, not only the main thread's."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        found.append(p)
        try:
            tasks = os.listdir(f'/proc/{p}/task')
        except OSError:
            continue
        for t in tasks:
            try:
                with open(f'/proc/{p}/task/{t}/children') as f:
                    todo.extend(int(c) for c in f.read().split())
            except OSError:
                pass
    return found


def rss_kib(pid):
    try:
        with open(f'/proc/{pid}/status') as status:
            for line in status:
                if line.startswith('VmRSS:'):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


class MemorySampler:
    """Samples the summed RSS of a process tree on a thread until stopped."""

    def __init__(self, pid, interval=0.005):
        self.pid, self.interval = pid, interval
        self.peak = 0
        self.max_helpers = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            pids = descendants(self.pid)
            self.peak = max(self.peak, sum(rss_kib(p) for p in pids))
            self.max_helpers = max(self.max_helpers, len(pids) - 1)
            time.sleep(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


# --- running things -------------------------------------------------------

def fresh(path):
    """Removes the previous run's output before the clock starts.  Freeing
    a 280 MiB file on tmpfs takes ~0.1 s: `cat` used to get its output
    truncated by open() before its clock started, while rawcdctl's rename
    over the old image freed it inside its time.  Every row now starts
    from no file at all."""
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def run_timed(cmd, stdout_path=None):
    """Runs cmd (stdout to stdout_path, a new file); returns (seconds, peak
    RSS KiB of it and its children)."""
    if stdout_path:
        fresh(stdout_path)
    out = open(stdout_path, 'wb') if stdout_path else subprocess.DEVNULL
    try:
        start = time.monotonic()
        proc = subprocess.Popen(cmd, stdout=out)
        with MemorySampler(proc.pid) as mem:
            proc.wait()
        elapsed = time.monotonic() - start
    finally:
        if stdout_path:
            out.close()
    if proc.returncode != 0:
        sys.exit(f'bench: {" ".join(cmd)} failed ({proc.returncode})')
    return elapsed, mem.peak


def best_of(repeat, fn):
    """Runs fn() once to warm up, then repeat times: the best time and the
    worst memory."""
    fn()
    results = [fn() for _ in range(repeat)]
    return min(r[0] for r in results), max(r[1] for r in results)


def same_file(a, b):
    return subprocess.run(['cmp', '-s', a, b]).returncode == 0


def make_audio(workdir, name, seconds, effect):
    wav = os.path.join(workdir, f'{name}.wav')
    flac = os.path.join(workdir, f'{name}.flac')
    subprocess.run(['sox', '-n', '-r', '44100', '-c', '2', '-b', '16', wav, 'synth',
                    f'{seconds}'] + effect, check=True)
    subprocess.run(['flac', '--silent', '--force', '-5', '-o', flac, wav], check=True)
    return wav, flac


def make_tracks(workdir, minutes):
    effects = [
        (minutes * 60, ['pinknoise', 'vol', '0.5']),
        (minutes * 60, ['sine', '220-880', 'vol', '0.5']),
        (minutes * 60, ['whitenoise', 'vol', '0.3']),
        (minutes * 60 + 7.3, ['sine', '440', 'sine', '660', 'vol', '0.4']),
    ]
    pairs = [make_audio(workdir, f'track{i}', s, e) for i, (s, e) in enumerate(effects, 1)]
    return [p[0] for p in pairs], [p[1] for p in pairs]


# --- a private bus and rawcdd ---------------------------------------------

class Service:
    """dbus-daemon on a socket in workdir, and rawcdd on it."""

    def __init__(self, workdir, rawcdd):
        conf = os.path.join(workdir, 'bus.conf')
        with open(conf, 'w') as f:
            f.write(f'''<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>custom</type>
  <listen>unix:path={workdir}/bus-socket</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/><allow send_destination="*"/>
    <allow receive_sender="*"/><allow own="*"/>
  </policy>
</busconfig>
''')
        self.bus = subprocess.Popen(['dbus-daemon', '--config-file', conf, '--nofork',
                                     '--nopidfile', '--print-address=1'],
                                    stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                    text=True)
        self.address = self.bus.stdout.readline().strip()
        # 8 jobs at once for the 8-client row, all from one uid
        self.daemon = subprocess.Popen([rawcdd, '--address', self.address, '--idle-timeout', '0',
                                        '--max-jobs', '8', '--max-jobs-per-user', '8',
                                        '--output-timeout', '0'],
                                       stderr=open(os.path.join(workdir, 'rawcdd.log'), 'w'))
        for _ in range(300):
            ping = subprocess.run(['gdbus', 'call', '--address', self.address, '--dest', NAME,
                                   '--object-path', '/org/rawcd/RawCD1', '--method',
                                   'org.freedesktop.DBus.Peer.Ping'],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if ping.returncode == 0:
                return
            time.sleep(0.1)
        self.close()
        sys.exit('bench: rawcdd did not come up on the private bus')

    def close(self):
        for proc in (self.daemon, self.bus):
            proc.terminate()
            proc.wait()


def run_clients(service, rawcdctl, inputs, dests):
    """len(dests) rawcdctl clients at once; (wall seconds, peak RSS KiB of
    rawcdd plus its helpers meanwhile)."""
    for d in dests:
        fresh(d)
    with MemorySampler(service.daemon.pid) as mem:
        start = time.monotonic()
        procs = [subprocess.Popen([rawcdctl, '--address', service.address, '-q', 'create',
                                   '-o', d] + inputs) for d in dests]
        codes = [p.wait() for p in procs]
        elapsed = time.monotonic() - start
    if any(codes):
        sys.exit(f'bench: rawcdctl create failed ({codes})')
    return elapsed, mem.peak


def property_latencies(address, seconds=None, until=None):
    """Properties.Get of Manager.Version in a loop on a connection of its
    own: the call times in ms, for `seconds` or until until() is true."""
    from gi.repository import Gio, GLib
    bus = Gio.DBusConnection.new_for_address_sync(
        address, Gio.DBusConnectionFlags.AUTHENTICATION_CLIENT
        | Gio.DBusConnectionFlags.MESSAGE_BUS_CONNECTION, None, None)
    args = GLib.Variant('(ss)', (NAME + '.Manager', 'Version'))
    times = []
    end = time.monotonic() + (seconds or 3600)
    while time.monotonic() < end and not (until and until()):
        t0 = time.perf_counter()
        bus.call_sync(NAME, '/org/rawcd/RawCD1', 'org.freedesktop.DBus.Properties', 'Get',
                      args, None, Gio.DBusCallFlags.NONE, 60000, None)
        times.append((time.perf_counter() - t0) * 1000)
        time.sleep(0.005)
    bus.close_sync(None)
    return times


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


# --- the report -----------------------------------------------------------

class Table:
    def __init__(self):
        print(f'{"what":44} {"seconds":>8} {"MiB/s":>8} {"peak RSS":>10}  {"ratio":>22}')

    def row(self, what, seconds, size=None, rss_kib=None, ratio=None):
        rate = f'{size / MIB / seconds:8.1f}' if size and seconds else f'{"":8}'
        rss = f'{rss_kib / 1024:6.1f} MiB' if rss_kib else f'{"":10}'
        print(f'{what:44} {seconds:8.3f} {rate} {rss}  {ratio or ""}', flush=True)


def ratio(value, base, target, lower_is_better=True):
    r = value / base
    met = r <= target if lower_is_better else r >= target
    return f'{r:5.2f}x (target {"<=" if lower_is_better else ">="} {target}x{"" if met else ", MISSED"})'


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--builddir', default='build')
    parser.add_argument('--minutes', type=float, default=5)
    parser.add_argument('--repeat', type=int, default=3)
    parser.add_argument('--workdir', help='default: a new directory in /dev/shm (tmpfs)')
    parser.add_argument('--no-80', action='store_true', help='skip the 80-minute disc')
    parser.add_argument('--wav-only', action='store_true',
                        help='only cat and the two WAV rows (quick A/B of the copy path)')
    args = parser.parse_args()

    build = os.path.abspath(args.builddir)
    bench_write = os.path.join(build, 'tests', 'bench', 'bench-write')
    decoder = os.path.join(build, 'daemon', 'rawcd-decoder')
    rawcdd = os.path.join(build, 'daemon', 'rawcdd')
    rawcdctl = os.path.join(build, 'client', 'rawcdctl')
    for prog in (bench_write, decoder, rawcdd, rawcdctl):
        if not os.access(prog, os.X_OK):
            sys.exit(f'bench: {prog} not built (ninja -C {args.builddir})')

    shm = '/dev/shm' if os.path.isdir('/dev/shm') else None
    workdir = args.workdir or tempfile.mkdtemp(prefix='rawcd-bench-', dir=shm)
    service = None
    try:
        wavs, flacs = make_tracks(workdir, args.minutes)
        dest = os.path.join(workdir, 'out.bin')
        ref = os.path.join(workdir, 'reference.bin')
        subprocess.run([bench_write, '--type', '3'] + wavs, stdout=open(ref, 'wb'), check=True)
        size = os.path.getsize(ref)
        # other work on the machine moves every figure: say how much there was
        print(f'load average {os.getloadavg()[0]:.1f} at the start; '
              f'{os.cpu_count()} cores; {len(wavs)} tracks, '
              f'{sum(os.path.getsize(w) for w in wavs) / MIB:.1f} MiB of WAV, '
              f'{sum(os.path.getsize(f) for f in flacs) / MIB:.1f} MiB of FLAC, '
              f'IS_RAW image {size / MIB:.1f} MiB; best of {args.repeat} after a warm-up; '
              f'outputs in {workdir}')
        table = Table()

        def timed(cmd, out=dest):
            return lambda: run_timed(cmd, out)

        def checked(label):
            if not same_file(dest, ref):
                sys.exit(f'bench: {label}: the image differs from the reference')

        cat_s, cat_rss = best_of(args.repeat, timed(['cat', ref]))
        table.row('baseline: cat of the image', cat_s, size, cat_rss)
        if args.wav_only:
            wav_rows(args, bench_write, decoder, rawcdd, rawcdctl, workdir, wavs, table,
                     cat_s, checked, timed, size)
            print(f'load average {os.getloadavg()[0]:.1f} at the end')
            return
        flac_s, flac_rss = best_of(args.repeat, timed(
            ['flac', '-d', '--silent', '-c', '--force-raw-format', '--endian=little',
             '--sign=signed'] + flacs))
        table.row('baseline: flac -d to raw PCM', flac_s, os.path.getsize(dest), flac_rss)

        helper = [bench_write, '--type', '3', '--decoder', decoder]
        s, rss = best_of(args.repeat, timed(helper + wavs))
        checked('engine WAV')
        table.row('engine alone, WAV (bench-write)', s, size, rss, ratio(s, cat_s, 1.0) + ' cat')
        eng_flac_s, rss = best_of(args.repeat, timed(helper + flacs))
        checked('engine FLAC')
        table.row('engine alone, FLAC (bench-write)', eng_flac_s, size, rss,
                  ratio(eng_flac_s, flac_s, 0.6) + ' flac')

        service = Service(workdir, rawcdd)
        s, rss = best_of(args.repeat, lambda: run_clients(service, rawcdctl, wavs, [dest]))
        checked('D-Bus WAV')
        table.row('D-Bus, WAV (rawcdctl create)', s, size, rss, ratio(s, cat_s, 1.0) + ' cat')
        single_s, rss = best_of(args.repeat, lambda: run_clients(service, rawcdctl, flacs, [dest]))
        checked('D-Bus FLAC')
        table.row('D-Bus, FLAC (rawcdctl create)', single_s, size, rss,
                  ratio(single_s, flac_s, 0.6) + ' flac')
        print(f'{"  D-Bus FLAC / engine alone FLAC":44} {"":8} {"":8} {"":10}  '
              f'{single_s / eng_flac_s:5.2f}x', flush=True)

        best_single = size / single_s
        for n in (4, 8):
            dests = [os.path.join(workdir, f'job{i}.bin') for i in range(n)]
            s, rss = run_clients(service, rawcdctl, flacs, dests)
            for d in dests:
                if not same_file(d, ref):
                    sys.exit(f'bench: {n} jobs: {d} differs from the reference')
                os.unlink(d)
            table.row(f'{n} jobs at once, FLAC, aggregate', s, n * size, rss,
                      ratio(n * size / s, best_single, 0.9, lower_is_better=False)
                      + ' 1 job')

        idle = property_latencies(service.address, seconds=2)
        dests = [os.path.join(workdir, f'job{i}.bin') for i in range(4)]
        procs = [subprocess.Popen([rawcdctl, '--address', service.address, '-q', 'create',
                                   '-o', d] + flacs) for d in dests]
        busy = property_latencies(service.address,
                                  until=lambda: all(p.poll() is not None for p in procs))
        if any(p.wait() for p in procs):
            sys.exit('bench: a job of the latency row failed')
        for d in dests:
            os.unlink(d)
        p99 = percentile(busy, 99)
        print(f'{"property read, idle: p50 / p99 ms":44} {percentile(idle, 50):8.2f} '
              f'{percentile(idle, 99):8.2f}  ({len(idle)} reads)')
        print(f'{"property read, 4 jobs writing: p50 / p99 ms":44} {percentile(busy, 50):8.2f} '
              f'{p99:8.2f}  ({len(busy)} reads; p99 target < 10 ms'
              f'{"" if p99 < 10 else ", MISSED"}; max {max(busy):.1f} ms)', flush=True)

        hires_album(args, workdir, service, rawcdctl, table)

        if not args.no_80:
            # a fresh rawcdd: what the rows above left in its heap is not
            # this disc's
            service.close()
            service = Service(workdir, rawcdd)
            disc_80(args, workdir, wavs, flacs, service, rawcdctl, table)
        print(f'load average {os.getloadavg()[0]:.1f} at the end')
    finally:
        if service is not None:
            service.close()
        if not args.workdir:
            shutil.rmtree(workdir)


def wav_rows(args, bench_write, decoder, rawcdd, rawcdctl, workdir, wavs, table, cat_s,
             checked, timed, size):
    """--wav-only: the engine and D-Bus WAV rows against `cat`, nothing else."""
    dest = os.path.join(workdir, 'out.bin')
    s, rss = best_of(args.repeat, timed([bench_write, '--type', '3', '--decoder', decoder]
                                        + wavs))
    checked('engine WAV')
    table.row('engine alone, WAV (bench-write)', s, size, rss, ratio(s, cat_s, 1.0) + ' cat')
    service = Service(workdir, rawcdd)
    try:
        s, rss = best_of(args.repeat, lambda: run_clients(service, rawcdctl, wavs, [dest]))
        checked('D-Bus WAV')
        table.row('D-Bus, WAV (rawcdctl create)', s, size, rss, ratio(s, cat_s, 1.0) + ' cat')
    finally:
        service.close()


def hires_album(args, workdir, service, rawcdctl, table):
    """4 tracks of 48 kHz 24-bit FLAC (issue 13): rawcdctl create, which
    resamples and dithers in its decoder helpers, against what a user does
    by hand: sox to 44.1 kHz 16-bit with dither, one file after the other,
    then `flac -d` of the results to raw PCM."""
    sources, dests = [], []
    for i, effect in enumerate((['pinknoise', 'vol', '0.5'], ['sine', '220-880', 'vol', '0.5'],
                                ['whitenoise', 'vol', '0.3'], ['sine', '440', 'vol', '0.4']), 1):
        src = os.path.join(workdir, f'hires{i}.flac')
        subprocess.run(['sox', '-n', '-r', '48000', '-c', '2', '-b', '24', src, 'synth',
                        f'{args.minutes * 60}'] + effect, check=True)
        sources.append(src)
        dests.append(os.path.join(workdir, f'hires{i}-44k.flac'))
    dest = os.path.join(workdir, 'out.bin')

    def by_hand():
        start = time.monotonic()
        for src, out in zip(sources, dests):
            run_timed(['sox', src, '-b', '16', out, 'rate', '-v', '44100', 'dither'])
        run_timed(['flac', '-d', '--silent', '-c', '--force-raw-format', '--endian=little',
                   '--sign=signed'] + dests, dest)
        return time.monotonic() - start, 0   # memory not sampled: 0 for best_of()

    base_s, _ = best_of(args.repeat, by_hand)
    size = os.path.getsize(dest)
    table.row('baseline: sox rate -v dither, flac -d (48k/24)', base_s, size, None)
    s, rss = best_of(args.repeat, lambda: run_clients(service, rawcdctl, sources, [dest]))
    table.row('D-Bus, 48 kHz 24-bit FLAC (resampled)', s, os.path.getsize(dest), rss,
              ratio(s, base_s, 0.5) + ' sox')
    for path in sources + dests:
        os.unlink(path)


def disc_80(args, workdir, wavs, flacs, service, rawcdctl, table):
    """79.5 minutes of FLAC: the first three tracks over and over, and a
    filler track for the rest."""
    per = args.minutes * 60
    count = int(79.5 * 60 // per)
    files = [flacs[i % 3] for i in range(count)]
    rest = 79.5 * 60 - count * per
    if rest >= 4:
        files.append(make_audio(workdir, 'filler', rest, ['brownnoise', 'vol', '0.4'])[1])
    dest = os.path.join(workdir, 'out.bin')
    flac_s, _ = run_timed(['flac', '-d', '--silent', '-c', '--force-raw-format',
                           '--endian=little', '--sign=signed'] + files, dest)
    table.row(f'baseline: flac -d, 80-min disc ({len(files)} files)', flac_s,
              os.path.getsize(dest), None)
    s, rss = run_clients(service, rawcdctl, files, [dest])
    table.row('80-min disc, FLAC via D-Bus (memory: <= 32)', s, os.path.getsize(dest), rss,
              ratio(s, flac_s, 0.6) + ' flac')
    os.unlink(dest)


if __name__ == '__main__':
    main()

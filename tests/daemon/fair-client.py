#!/usr/bin/python3
# fair-client.py ADDRESS ROLE DIR: one client of test-fair-shares.sh.
#   hog:   four jobs writing to pipes it never reads; records their State
#          after a second, writes DIR/hog-ready, then waits for all four to
#          complete (they fail when --output-timeout passes) and writes
#          DIR/hog.json.
#   other: waits for DIR/hog-ready, makes one image into a file, and
#          records how long its job stayed "queued" (DIR/other.json).
import os
import sys
import time

from rawcd_test_client import NAME, Client, exists, touch, write_result

address, role, directory = sys.argv[1:4]
client = Client(address)
completed = {}


def on_completed(path, iface, member, params):
    completed[path] = (params.unpack(), time.monotonic())


client.subscribe(on_completed, NAME + '.Job', 'Completed')


def state(job):
    return client.get(job, NAME + '.Job', 'State')


def new_session():
    creator = client.create_session()
    client.add_track(creator, os.path.join(directory, 'a.wav'))
    return creator


result = {}
if role == 'hog':
    creator = new_session()
    readers, jobs = [], []
    for _ in range(4):
        r, w = os.pipe()
        readers.append(r)           # kept open, never read
        jobs.append(client.create_image(creator, w))
    client.spin(1.0)
    result['states'] = [state(j) for j in jobs]
    touch(directory, 'hog-ready')
    client.spin(120, lambda: all(j in completed for j in jobs))
    result['completed'] = [completed.get(j, (None, None))[0] for j in jobs]
else:
    client.spin(60, lambda: exists(directory, 'hog-ready'))
    creator = new_session()
    out = os.open(os.path.join(directory, 'other.img'), os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    start = time.monotonic()
    job = client.create_image(creator, out)
    client.spin(60, lambda: state(job) != 'queued')
    result['queued_seconds'] = time.monotonic() - start
    client.spin(120, lambda: job in completed)
    result['completed'] = completed.get(job, (None, None))[0]

write_result(directory, role, result)

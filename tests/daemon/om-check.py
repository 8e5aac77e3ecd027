#!/usr/bin/python3
# om-check.py DIR: the verdicts of test-object-manager.sh (TAP lines 1-16)
# from the clients' DIR/{owner,peer,stranger}.json (om-client.py).
import json
import sys

d = sys.argv[1]
NAME = 'org.rawcd.RawCD1'
ADDED = 'org.freedesktop.DBus.ObjectManager.InterfacesAdded'
REMOVED = 'org.freedesktop.DBus.ObjectManager.InterfacesRemoved'
n = 0


def load(name):
    try:
        with open(d + '/' + name + '.json') as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def check(cond, what, detail=''):
    global n
    n += 1
    print(('ok' if cond else 'not ok'), n, what)
    if not cond and detail:
        print('# ' + detail[:3000].replace('\n', ' '))


owner, peer, stranger = load('owner'), load('peer'), load('stranger')
TESTS = 16
if owner is None or peer is None or stranger is None:
    for _ in range(TESTS):
        check(False, 'a client failed')
    sys.exit(0)


def announced(signals, member):
    """Object paths in ObjectManager signals of the manager path."""
    return {s[2] for s in signals if s[0] == member and s[1] == '/org/rawcd/RawCD1'}


session, job, persistent = owner['session'], owner['job'], owner['persistent']
track = session + '/Track/1'
owned = {session, track, job, persistent, persistent + '/Track/1'}
listing = owner['with_job']

check(owner['first'] == {}, 'the owner lists no object before it has any (not the stranger\'s)',
      json.dumps(owner['first']))
check(listing.get(session, {}).get(NAME + '.ImageCreator', {}).get('MediaCatalogNumber')
      == '0036000291452', 'the owner lists its session with its properties (MCN)',
      json.dumps(listing.get(session)))
check(listing.get(track, {}).get(NAME + '.Track', {}).get('TrackNumber') == 1,
      'the owner lists its track with its properties (TrackNumber)', json.dumps(listing.get(track)))
check(listing.get(job, {}).get(NAME + '.Job', {}).get('State') == 'succeeded',
      'the owner lists its job with its properties (State)', json.dumps(listing.get(job)))
check(set(listing) == {session, track, job}, 'the owner lists nothing else', json.dumps(sorted(listing)))
added = announced(owner['signals'], ADDED)
check({session, track, job} <= added, 'InterfacesAdded tells the owner of its session, track and job',
      json.dumps(sorted(added)))
removed = announced(owner['signals'], REMOVED)
check({session, track, job} <= removed and owner['closed'] == {},
      'InterfacesRemoved tells the owner they are gone on Close, and it lists none then',
      json.dumps({'removed': sorted(removed), 'closed': owner['closed']}))

own = stranger['own']
check(set(stranger['before']) == {own} and set(stranger['after']) == {own},
      'the stranger (another uid) lists its own session and none of the owner\'s',
      json.dumps({'before': sorted(stranger['before']), 'after': sorted(stranger['after'])}))
check(own in announced(stranger['signals'], ADDED),
      'the stranger hears InterfacesAdded of its own session (its listening works)',
      json.dumps(stranger['signals'])[:2000])
leaked = [s for s in stranger['signals'] if s[1] in owned or s[2] in owned]
check(not leaked, 'the stranger hears nothing about the owner\'s objects', json.dumps(leaked))

p_track = persistent + '/Track/1'
check(peer['initial'] == {}, 'the peer\'s GDBusObjectManagerClient starts with nothing',
      json.dumps(peer['initial']))
built = peer['built']
p_props = built.get(persistent, {}).get(NAME + '.ImageCreator', {})
check(p_props.get('MediaCatalogNumber') == '4006381333931' and p_props.get('Persistent') is True
      and p_track in built,
      'the peer (same uid, another connection) follows the persistent session and its track, '
      'with the MCN set later', json.dumps(built))
check(set(built) == {persistent, p_track},
      'the peer sees nothing of the owner\'s connection-bound session, its track or job',
      json.dumps(sorted(built)))
events = peer['events']
check(['removed', persistent] in events and ['removed', p_track] in events and peer['done'] == {},
      'the peer\'s client drops the persistent session and its track on Close',
      json.dumps({'events': events, 'done': peer['done']}))

# A job is readable by the connections of its owner's uid, not cancellable
# by them, and closed to other uids.
check(peer['job_read'] == ['ok', 'succeeded'] and peer['job_cancel'] == ['error', NAME + '.Error.AccessDenied']
      and peer['job_after'] == ['ok', 'succeeded'],
      'another connection of the owner\'s uid reads the job (State) but Cancel is AccessDenied',
      json.dumps([peer['job_read'], peer['job_cancel'], peer['job_after']]))
check(stranger['job_read'] == ['error', NAME + '.Error.AccessDenied'],
      'another uid reading the job gets AccessDenied', json.dumps(stranger['job_read']))

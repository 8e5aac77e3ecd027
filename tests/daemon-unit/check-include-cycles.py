#!/usr/bin/env python3
# check-include-cycles.py DIR: the #include "..." graph of the daemon's
# modules has no cycle (issue 9: dependencies run one way).
#
# A module is a .c file with its header (rcd-session.c and rcd-session.h);
# a private header (rcd-session-private.h) belongs to its module too.  An
# edge A -> B means a file of module A includes a header of module B that
# lives in DIR.  Prints TAP: one test, with every cycle found.
import glob
import os
import re
import sys

directory = sys.argv[1]
files = {os.path.basename(p) for p in glob.glob(os.path.join(directory, '*.[ch]'))}


def module(name):
    return re.sub(r'(-private)?\.[ch]$', '', name)


graph = {}
for name in files:
    with open(os.path.join(directory, name), encoding='utf-8') as f:
        included = re.findall(r'^#include "([^"]+)"', f.read(), re.M)
    edges = graph.setdefault(module(name), set())
    edges.update(module(i) for i in included if i in files and module(i) != module(name))

cycles = []
state = {}
stack = []


def visit(node):
    state[node] = 'open'
    stack.append(node)
    for nxt in sorted(graph.get(node, ())):
        if state.get(nxt) is None:
            visit(nxt)
        elif state[nxt] == 'open':
            cycles.append(stack[stack.index(nxt):] + [nxt])
    stack.pop()
    state[node] = 'done'


for node in sorted(graph):
    if state.get(node) is None:
        visit(node)

print('1..1')
print('# %d modules, %d edges' % (len(graph), sum(len(e) for e in graph.values())))
for cycle in cycles:
    print('# cycle: ' + ' -> '.join(cycle))
print('%s 1 the include graph of %s has no cycle'
      % ('not ok' if cycles else 'ok', os.path.basename(os.path.normpath(directory))))

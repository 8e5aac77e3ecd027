#!/usr/bin/env python3
"""Checks that what the tree cites of the project's documentation exists.

    check-citations.py SRCDIR        TAP on stdout; exit status 1 on failure

Code comments, test messages, the inspector's messages and the docs
themselves point into docs/ (docs/README.md, "Citing these documents"):

  - no file may cite the contract documents that live outside the
    repository (the directory of that name beside it): a reader of a clone
    cannot open them;
  - every docs/NAME cited must exist;
  - every section cited must exist: "cd-format.md §4", "docs/api.md §9",
    "§3, §4" and "§1-§5" after a file name, and a bare "§N", which means a
    section of docs/cd-format.md (inside docs/X.md, of X.md itself);
    dotted numbers such as "§22.3.3.3" are clauses of other standards;
  - every "X.md#anchor" and every relative Markdown link in docs/*.md must
    resolve.

The last case plants one bad citation of each kind in a scratch tree and
requires the checker to report each, so that it is known to be able to fail.
"""
import os
import re
import sys
import tempfile

# Spelled in two parts so that this file does not cite it itself.
OUTSIDE_DIR = 'shared' + '/'
OUTSIDE_RE = re.compile(r'(?<![A-Za-z0-9_.-])' + re.escape(OUTSIDE_DIR))
DOCS_FILE_RE = re.compile(r'(?<![A-Za-z0-9_./-])docs/([A-Za-z0-9_.-]+\.(?:md|sh|py))')
# A doc name, then one or more sections: "cd-format.md §4", "§3, §4, §6",
# "§1-§5", "api.md section 9".  Group 1: the name, if any; group 2: the run.
SECTION_NUM = r'§\s?\d+(?![\d.]*\d)'
SECTIONS_RE = re.compile(
    r'(?:(?<![A-Za-z0-9_.-])(?:docs/)?([A-Za-z0-9_-]+\.md)\s+(?:section\s+(\d+)|(?=§)))?'
    r'((?:' + SECTION_NUM + r')(?:\s*(?:,|-|–|and|or|to)\s*' + SECTION_NUM + r')*)?')
NUMBER_RE = re.compile(r'§\s?(\d+)')
ANCHOR_RE = re.compile(r'(?<![A-Za-z0-9_.-])(?:docs/)?([A-Za-z0-9_-]+\.md)#([A-Za-z0-9_-]+)')
LINK_RE = re.compile(r'\]\(([^)\s]+)\)')
HEADING_RE = re.compile(r'^(#{1,6})\s+(.*?)\s*#*\s*$')
SECTION_HEADING_RE = re.compile(r'^#{2,6}\s+(\d+)\.\s')

SKIP_DIRS = {'.git', '__pycache__', 'subprojects'}


def is_build_dir(path):
    return (os.path.isdir(os.path.join(path, 'meson-private'))
            or os.path.isdir(os.path.join(path, 'meson-info')))


def text_files(root):
    """(relative path, text) of every text file of the source tree."""
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames
                             if d not in SKIP_DIRS and not is_build_dir(os.path.join(dirpath, d)))
        for name in sorted(filenames):
            path = os.path.join(dirpath, name)
            if not os.path.isfile(path) or os.path.islink(path):
                continue
            # This file names every kind of bad citation in its examples.
            if os.path.realpath(path) == os.path.realpath(__file__):
                continue
            try:
                with open(path, 'rb') as f:
                    data = f.read()
            except OSError:
                continue
            if b'\0' in data:
                continue
            try:
                text = data.decode('utf-8')
            except UnicodeDecodeError:
                continue
            yield os.path.relpath(path, root), text


def slug(heading):
    """The anchor GitHub and most Markdown renderers give a heading."""
    text = heading.strip().lower().replace('`', '')
    text = re.sub(r'[^\w\- ]', '', text)
    return text.replace(' ', '-')


class Doc:
    def __init__(self, text):
        self.sections = set()
        self.anchors = set()
        in_code = False
        for line in text.splitlines():
            if line.startswith('```'):
                in_code = not in_code
                continue
            if in_code:
                continue
            m = HEADING_RE.match(line)
            if m:
                self.anchors.add(slug(m.group(2)))
                s = SECTION_HEADING_RE.match(line)
                if s:
                    self.sections.add(int(s.group(1)))


def check(root):
    """A dict: check name -> list of 'file:line: problem'."""
    problems = {'outside': [], 'files': [], 'sections': [], 'links': []}
    docs_dir = os.path.join(root, 'docs')
    docs = {}
    if os.path.isdir(docs_dir):
        for name in os.listdir(docs_dir):
            if name.endswith('.md'):
                with open(os.path.join(docs_dir, name), encoding='utf-8') as f:
                    docs[name] = Doc(f.read())

    def cited_doc(name, where, what):
        if name not in docs:
            problems['files'].append(f'{where}: {what} cites docs/{name}, which does not exist')
            return None
        return docs[name]

    for rel, text in text_files(root):
        in_docs = rel.startswith('docs' + os.sep) and rel.endswith('.md') and rel.count(os.sep) == 1
        own = os.path.basename(rel) if in_docs else 'cd-format.md'
        for lineno, line in enumerate(text.splitlines(), 1):
            where = f'{rel}:{lineno}'
            if OUTSIDE_RE.search(line):
                problems['outside'].append(
                    f'{where}: cites {OUTSIDE_DIR}, which is not part of the repository; '
                    f'cite docs/cd-format.md or docs/api.md: {line.strip()[:120]}')
            for m in DOCS_FILE_RE.finditer(line):
                if not os.path.isfile(os.path.join(docs_dir, m.group(1))):
                    problems['files'].append(f'{where}: docs/{m.group(1)} does not exist')
            for m in SECTIONS_RE.finditer(line):
                name, word_section, run = m.group(1), m.group(2), m.group(3)
                if word_section is None and run is None:
                    continue
                numbers = [int(word_section)] if word_section else []
                if run:
                    numbers += [int(n) for n in NUMBER_RE.findall(run)]
                doc = cited_doc(name, where, m.group(0).strip()) if name else docs.get(own)
                if doc is None:
                    if not name:
                        problems['files'].append(f'{where}: cites §{numbers[0]} but docs/{own} does not exist')
                    continue
                for n in numbers:
                    if n not in doc.sections:
                        problems['sections'].append(
                            f'{where}: "{m.group(0).strip()}": docs/{name or own} has no section {n}')
            for m in ANCHOR_RE.finditer(line):
                doc = cited_doc(m.group(1), where, m.group(0))
                if doc is not None and m.group(2) not in doc.anchors:
                    problems['links'].append(f'{where}: docs/{m.group(1)} has no anchor #{m.group(2)}')
            if in_docs:
                for m in LINK_RE.finditer(line):
                    target = m.group(1)
                    if re.match(r'^[a-z]+:', target) or target.startswith('#'):
                        if target.startswith('#') and target[1:] not in docs[own].anchors:
                            problems['links'].append(f'{where}: {rel} has no anchor {target}')
                        continue
                    path = target.split('#', 1)[0]
                    if not os.path.exists(os.path.normpath(os.path.join(docs_dir, path))):
                        problems['links'].append(f'{where}: link target {target} does not exist')
    return problems


DESCRIPTIONS = [
    ('outside', 'no file cites the contract directory outside the repository'),
    ('files', 'every docs/ file cited exists'),
    ('sections', 'every section cited exists'),
    ('links', 'every anchor and every relative link of docs/ resolves'),
]


def self_test():
    """Plants one bad citation of each kind; each must be reported."""
    with tempfile.TemporaryDirectory() as tmp:
        os.makedirs(os.path.join(tmp, 'docs'))
        os.makedirs(os.path.join(tmp, 'src'))
        with open(os.path.join(tmp, 'docs', 'cd-format.md'), 'w') as f:
            f.write('# T\n\n## 1. One\n\n## 2. Two\n\nSee [x](missing.md) and §2.\n')
        with open(os.path.join(tmp, 'docs', 'api.md'), 'w') as f:
            f.write('# API\n\n## 1. Names\n')
        good = ('/* cd-format.md §1, §2 and docs/api.md §1; ECMA-130 §22.3.3 */\n'
                '/* docs/cd-format.md#2-two, §1-§2 */\n')
        bad = ('/* ' + OUTSIDE_DIR + 'cd-format.md §1 */\n'
               '/* docs/nothing.md */\n'
               '/* §7 */\n'
               '/* docs/api.md §3 */\n'
               '/* cd-format.md section 9 */\n'
               '/* docs/cd-format.md#3-three */\n')
        with open(os.path.join(tmp, 'src', 'good.c'), 'w') as f:
            f.write(good)
        clean = check(tmp)
        with open(os.path.join(tmp, 'src', 'bad.c'), 'w') as f:
            f.write(bad)
        found = check(tmp)
    expected = {'outside': ['bad.c:1'], 'files': ['bad.c:2'],
                'sections': ['bad.c:3', 'bad.c:4', 'bad.c:5'],
                'links': ['bad.c:6', 'cd-format.md:7']}
    missing = []
    for kind, wheres in expected.items():
        for w in wheres:
            if not any(w in p for p in found[kind]):
                missing.append(f'{kind}: {w} not reported')
    unexpected = [p for kind in clean for p in clean[kind] if 'good.c' in p]
    # The scratch docs link to missing.md on purpose: that is the only
    # problem the clean tree may have.
    unexpected += [p for kind in clean for p in clean[kind]
                   if 'good.c' not in p and 'missing.md' not in p]
    return missing + [f'false alarm: {p}' for p in unexpected]


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    root = sys.argv[1]
    problems = check(root)
    print(f'1..{len(DESCRIPTIONS) + 1}')
    failed = False
    for i, (kind, text) in enumerate(DESCRIPTIONS, 1):
        if problems[kind]:
            failed = True
            print(f'not ok {i} - {text}')
            for p in problems[kind]:
                print(f'# {p}')
        else:
            print(f'ok {i} - {text}')
    errors = self_test()
    n = len(DESCRIPTIONS) + 1
    if errors:
        failed = True
        print(f'not ok {n} - the checker reports a planted bad citation of each kind')
        for e in errors:
            print(f'# {e}')
    else:
        print(f'ok {n} - the checker reports a planted bad citation of each kind')
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())

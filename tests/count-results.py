#!/usr/bin/env python3
"""Print 'N passed, N failed' for a meson test run.

Test programs speak TAP, so meson's JUnit log has one <testcase> per GTest
case.  A program that crashes or bails out leaves no failing case there,
only its own result in testlog.json: such a program counts as one more
failure.  Skipped cases count as neither.  Exit status is non-zero when
anything failed or nothing ran at all.

  count-results.py BUILDDIR/meson-logs [LOG...]

LOG names the logs of one `meson test` run each: testlog (the default) or,
for a run with --setup NAME, testlog-NAME.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET

logs = sys.argv[1]
passed = failed = skipped = 0
for log in sys.argv[2:] or ['testlog']:
    failed_in = {}
    for suite in ET.parse(os.path.join(logs, log + '.junit.xml')).getroot().iter('testsuite'):
        for case in suite.iter('testcase'):
            if case.find('skipped') is not None:
                skipped += 1
            elif case.find('failure') is not None or case.find('error') is not None:
                failed += 1
                failed_in[suite.get('name')] = True
            else:
                passed += 1

    with open(os.path.join(logs, log + '.json')) as f:
        for line in f:
            result = json.loads(line)
            if result['result'] in ('OK', 'SKIP', 'EXPECTEDFAIL'):
                continue
            # JUnit names suites "<project>.<test name>".
            if not any(name.endswith('.' + result['name']) for name in failed_in):
                failed += 1
                print(f'{log}: {result["name"]}: {result["result"]} (exit '
                      f'{result.get("returncode")}) outside any reported test case',
                      file=sys.stderr)

line = f'{passed} passed, {failed} failed'
if skipped:
    line += f', {skipped} skipped'
print(line)
sys.exit(1 if failed or passed == 0 else 0)

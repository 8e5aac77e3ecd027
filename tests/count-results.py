#!/usr/bin/env python3
"""Print 'N passed, N failed' for a meson test run.

Test programs speak TAP, so meson's JUnit log has one <testcase> per GTest
case.  A program that crashes or bails out leaves no failing case there,
only its own result in testlog.json: such a program counts as one more
failure.  Skipped cases count as neither; when no case at all passed or
failed counts as one failure.  Exit status is non-zero when anything
failed.

  count-results.py BUILDDIR/meson-logs [LOG...]

LOG names the logs of one `meson test` run each: testlog (the default) or,
for a run with --setup NAME, testlog-NAME.  A log that is missing or
unreadable (the run never finished) counts as one failure.

The last line printed is exactly "N passed, N failed" (CI reads it);
skipped cases, when there are any, are reported on the line before it.
"""
import json
import os
import sys
import xml.etree.ElementTree as ET



def count(logs, log):
    """(passed, failed, skipped) of one run's logs."""
    passed = failed = skipped = 0
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
    return passed, failed, skipped


logs = sys.argv[1]
passed = failed = skipped = 0
for log in sys.argv[2:] or ['testlog']:
    try:
        p, f, s = count(logs, log)
    except (OSError, ValueError, KeyError, ET.ParseError) as e:
        print(f'{log}: no results ({e}): counted as one failure', file=sys.stderr)
        p, f, s = 0, 1, 0
    passed += p
    failed += f
    skipped += s

if passed == 0 and failed == 0:
    print('no test case ran: counted as one failure', file=sys.stderr)
    failed = 1

sys.stderr.flush()
if skipped:
    print(f'{skipped} skipped')
print(f'{passed} passed, {failed} failed')
sys.exit(1 if failed else 0)

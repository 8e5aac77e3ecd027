"""tap.py: the TAP output of the interop tests (test-burners.py,
test-sidefiles.py): numbered ok/not ok lines, the first lines of a
diagnostic under a failure, the plan at the end."""

import sys


class Tap:
    def __init__(self):
        self.n = 0
        self.failed = 0

    def ok(self, cond, desc, diag=None):
        self.n += 1
        print("%s %d - %s" % ("ok" if cond else "not ok", self.n, desc))
        if not cond:
            self.failed += 1
            for line in str(diag or "").splitlines()[:30]:
                print("# " + line)
        sys.stdout.flush()
        return cond

    def done(self):
        print("1..%d" % self.n)
        return 1 if self.failed else 0

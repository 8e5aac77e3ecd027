#!/usr/bin/env bash
# tests/count-results.py on the logs of a real `meson test` run: a small
# meson project whose TAP tests pass, fail, crash after a passing case,
# bail out and skip, run with the meson that builds rawcd, so the logs
# are in the format CI meets.  The expected counts are written here by
# hand.  Also: a missing log and a run where nothing ran count as one
# failure; the last line is always exactly "N passed, N failed".  TAP.
#
# Environment (tests/ci/meson.build): MESON, COUNT_RESULTS.
set -u

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); failed=$((failed + 1)); echo "not ok $n - $*"; }

T=$(mktemp -d "${TMPDIR:-/tmp}/rawcd-count-test.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT

# --- the project ---------------------------------------------------------------
mkdir "$T/p"
cat >"$T/p/meson.build" <<'MESON'
project('counted', meson_version: '>= 1.0')
foreach t : ['pass', 'fail', 'crash', 'bail', 'skip']
  test(t, find_program(t + '.sh'), protocol: 'tap')
endforeach
MESON
write_test() { # NAME BODY
  printf '#!/bin/sh\n%s\n' "$2" >"$T/p/$1.sh"
  chmod +x "$T/p/$1.sh"
}
write_test pass 'echo "ok 1 - a"; echo "ok 2 - b"; echo "ok 3 - c"; echo "1..3"'
write_test fail 'echo "ok 1 - d"; echo "not ok 2 - e"; echo "1..2"; exit 1'
# One passing case, then killed: no failing case in the JUnit log.
write_test crash 'echo "ok 1 - f"; kill -SEGV $$'
write_test bail 'echo "ok 1 - g"; echo "Bail out! no tool"; exit 1'
write_test skip 'echo "ok 1 - h # SKIP not here"; echo "1..1"'

if ! "$MESON" setup "$T/b" "$T/p" >"$T/setup.log" 2>&1; then
  not_ok "the scratch project configures"
  sed 's/^/# /' "$T/setup.log"
  echo "1..$n"
  exit 1
fi

# expect DESCRIPTION EXPECTED_LAST_LINE EXPECTED_STATUS COUNT_RESULTS_ARGS...
expect() {
  local desc=$1 want=$2 want_status=$3 out status=0 last
  shift 3
  out=$(python3 "$COUNT_RESULTS" "$@" 2>"$T/stderr") || status=$?
  last=$(tail -n 1 <<<"$out")
  if [ "$last" = "$want" ] && [ "$status" = "$want_status" ]; then
    ok "$desc: \"$last\", status $status"
  else
    not_ok "$desc: \"$last\", status $status; expected \"$want\", status $want_status"
    sed 's/^/# /' "$T/stderr"
  fi
  out_all=$out
}

# --- counting ----------------------------------------------------------------------
"$MESON" test -C "$T/b" pass skip >/dev/null 2>&1
expect "passing and skipped cases" "3 passed, 0 failed" 0 "$T/b/meson-logs"
if [ "$(head -n 1 <<<"$out_all")" = "1 skipped" ]; then
  ok "the skipped case is reported on the line before"
else
  not_ok "the skipped case is reported on the line before (got: $out_all)"
fi

"$MESON" test -C "$T/b" >/dev/null 2>&1
# pass 3 + fail 1 + crash 1 + bail 1 passed; fail's case e, crash and bail
# as programs: 3 failed; the skipped case neither.
expect "a failing case, a crash and a bail-out" "6 passed, 3 failed" 1 "$T/b/meson-logs"

# The same logs twice (as run-all reads two runs): counted twice.
cp "$T/b/meson-logs/testlog.json" "$T/b/meson-logs/testlog-again.json"
cp "$T/b/meson-logs/testlog.junit.xml" "$T/b/meson-logs/testlog-again.junit.xml"
expect "two runs add up" "12 passed, 6 failed" 1 "$T/b/meson-logs" testlog testlog-again

# --- what must not pass --------------------------------------------------------------
expect "a missing log is one failure" "0 passed, 1 failed" 1 "$T/b/meson-logs" testlog-none
expect "a missing second log is one more failure" "6 passed, 4 failed" 1 \
  "$T/b/meson-logs" testlog testlog-none
"$MESON" test -C "$T/b" skip >/dev/null 2>&1
expect "a run where no case passed or failed is one failure" "0 passed, 1 failed" 1 \
  "$T/b/meson-logs"
printf 'not json\n' >"$T/b/meson-logs/testlog.json"
expect "an unreadable log is one failure" "0 passed, 1 failed" 1 "$T/b/meson-logs"

echo "1..$n"
[ "$failed" = 0 ]

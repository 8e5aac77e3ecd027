#!/usr/bin/env bash
# The install tests that run programs as other users (rawcd, nobody) pass
# when the source tree and $TMPDIR sit below a directory only root may
# enter (mode 0700, like root's home or a `mktemp -d` folder), as they do
# when CI runs in a clone under /root.  This runs test-sandbox.sh and
# test-dbus-policy.sh from a copy of this directory below such a
# directory, with such a $TMPDIR, and reports each of their test cases.
# Needs root (without it nothing runs as another user).  TAP output.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root to run programs as other users"

private=$T/private
mkdir -m 700 "$private" "$private/tmp" || exit 1
mkdir "$private/src"
cp -p "$TEST_SRCDIR"/* "$private/src"/
echo "# sources and TMPDIR below $private ($(stat -c %a "$private"))"

# run_below TEST: TEST's TAP lines, each as one of ours.
run_below() {
  local name=$1 line desc status=0 n_before=$tap_n failed_before=$tap_failed
  TEST_SRCDIR=$private/src TMPDIR=$private/tmp \
    "$private/src/test-$name.sh" >"$T/$name.tap" 2>"$T/$name.err" || status=$?
  while IFS= read -r line; do
    case $line in
      "ok "*" # SKIP "*)
        desc=${line#ok * - }
        skip "$name below a 0700 directory: ${desc% # SKIP *}" "${line##* # SKIP }"
        ;;
      "ok "*) ok "$name below a 0700 directory: ${line#ok * - }" ;;
      "not ok "*) not_ok "$name below a 0700 directory: ${line#not ok * - }" ;;
      "Bail out!"*) not_ok "$name below a 0700 directory: $line" ;;
      "#"*) echo "$line" ;;
    esac
  done <"$T/$name.tap"
  if [ "$status" != 0 ] && [ "$tap_failed" = "$failed_before" ]; then
    not_ok "$name below a 0700 directory exits 0 (status $status)"
  fi
  if [ "$tap_n" = "$n_before" ]; then
    not_ok "$name below a 0700 directory reports test cases"
  fi
  [ "$tap_failed" = "$failed_before" ] || diag <"$T/$name.err"
}

run_below sandbox
run_below dbus-policy

finish

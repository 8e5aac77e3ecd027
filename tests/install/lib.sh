# Shared by the install tests: TAP output, a scratch directory, and
# `meson install` of the build tree into a DESTDIR.  Sourced, not run.
#
# The environment comes from tests/install/meson.build: MESON, BUILD_ROOT,
# LOCK_FILE, TEST_SRCDIR, SOURCE_ROOT and the install directories (LIBEXECDIR,
# BINDIR, MANDIR, DBUS_POLICY_DIR, DBUS_SYSTEM_SERVICES_DIR, DBUS_INTERFACES_DIR,
# SYSTEMD_SYSTEM_UNIT_DIR, SYSUSERS_DIR).

set -u

tap_n=0
tap_failed=0

ok() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $*"; }
not_ok() { tap_n=$((tap_n + 1)); tap_failed=$((tap_failed + 1)); echo "not ok $tap_n - $*"; }
skip() { tap_n=$((tap_n + 1)); echo "ok $tap_n - $1 # SKIP $2"; }
# diag < file: show a file (or a command's output) as TAP comments.
diag() { sed 's/^/# /'; }

# check DESCRIPTION COMMAND...: one test that passes when COMMAND succeeds;
# what COMMAND prints is shown as TAP comments.
check() {
  local desc=$1 out status=0
  shift
  out=$("$@" 2>&1) || status=$?
  if [ "$status" = 0 ]; then ok "$desc"; else not_ok "$desc"; fi
  [ -z "$out" ] || printf '%s\n' "$out" | sed 's/^# //' | diag
}

finish() {
  echo "1..$tap_n"
  [ "$tap_failed" = 0 ]
  exit
}

skip_all() {
  echo "1..0 # SKIP $*"
  exit 0
}

# need_tools TOOL...: fails the whole test (TAP "Bail out!") when a tool is
# missing.  CI installs every one of them (.ci/packages): a missing tool is
# a broken machine, not a reason to pass without checking.
need_tools() {
  local p
  for p in "$@"; do
    command -v "$p" >/dev/null || { echo "Bail out! $p is not installed (see .ci/packages)"; exit 1; }
  done
}

# Processes a test started, killed (by pid) and waited for on exit.
started_pids=""
cleanup() {
  local pid
  for pid in $started_pids; do
    kill "$pid" 2>/dev/null
  done
  for pid in $started_pids; do
    wait "$pid" 2>/dev/null
  done
  [ -n "${T:-}" ] && rm -rf "$T"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# searchable_by_all DIR: every directory from / down to DIR lets other users
# through (o+x).  Root's home (0700) or a `mktemp -d` folder does not: a
# process running as rawcd, nobody or messagebus cannot open anything below.
searchable_by_all() {
  local d
  d=$(realpath -e "$1") || return 1
  while :; do
    [ "$(( 0$(stat -c %a "$d") & 1 ))" = 1 ] || return 1
    [ "$d" = / ] && return 0
    d=$(dirname "$d")
  done
}

# The scratch directory.  Other users (nobody, rawcd, messagebus) run
# programs and open files in here, so it must sit where they can reach it,
# wherever the clone and $TMPDIR are; /tmp is the fallback.
scratch_parent=${TMPDIR:-/tmp}
if ! searchable_by_all "$scratch_parent"; then
  echo "# $scratch_parent is not searchable by other users: scratch files go to /tmp"
  scratch_parent=/tmp
  searchable_by_all /tmp || { echo "Bail out! /tmp is not searchable by other users"; exit 1; }
fi
T=$(mktemp -d "$scratch_parent/rawcd-install-test.XXXXXX") || exit 1
chmod 755 "$T"
DEST=$T/dest
# A working directory every user may be in (the build tree may not be).
cd "$T" || exit 1

# The helper programs (seccomp-exec.py, private-users.py), copied where the
# users they run as can read them: the source tree may sit below a private
# directory.  Removed with $T.
HELPERS=$T/helpers
mkdir -m 755 "$HELPERS" || exit 1
cp "$TEST_SRCDIR"/*.py "$HELPERS"/ || exit 1
chmod 644 "$HELPERS"/*.py

# install_tree: `meson install` of the build tree into $DEST, once per test
# program.  Tests run in parallel; meson install of one build tree is
# serialised because it writes the build tree's install log.
install_tree() {
  if (
    flock 9 || exit 1
    "$MESON" install -C "$BUILD_ROOT" --no-rebuild --destdir "$DEST"
  ) 9>"$LOCK_FILE" >"$T/install.log" 2>&1; then
    ok "meson install --destdir"
  else
    not_ok "meson install --destdir"
    tail -n 30 "$T/install.log" | diag
  fi
}

# ensure_service_user: as root, the system user rawcd exists (created from
# the installed sysusers.d file when it does not), so that every run checks
# what rawcd may do whatever order the tests run in.  Call after
# install_tree.
ensure_service_user() {
  if ! getent passwd rawcd >/dev/null; then
    echo "# creating the system user rawcd with the installed sysusers.d file"
    systemd-sysusers "$DEST$SYSUSERS_DIR/rawcd.conf" 2>&1 | diag
  fi
  check "user rawcd exists" getent passwd rawcd
}

# value_of KEY FILE: the value of the first KEY= line of a key file.
value_of() {
  sed -n "s/^$1=//p" "$2" | head -n 1
}

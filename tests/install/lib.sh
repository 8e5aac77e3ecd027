# Shared by the install tests: TAP output, a scratch directory, and
# `meson install` of the build tree into a DESTDIR.  Sourced, not run.
#
# The environment comes from tests/install/meson.build: MESON, BUILD_ROOT,
# LOCK_FILE, TEST_SRCDIR and the install directories (LIBEXECDIR, BINDIR,
# MANDIR, DBUS_POLICY_DIR, DBUS_SYSTEM_SERVICES_DIR, DBUS_INTERFACES_DIR,
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

T=$(mktemp -d "${TMPDIR:-/tmp}/rawcd-install-test.XXXXXX") || exit 1
# Other users (nobody, rawcd, messagebus) must reach files in here.
chmod 755 "$T"
DEST=$T/dest

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

# value_of KEY FILE: the value of the first KEY= line of a key file.
value_of() {
  sed -n "s/^$1=//p" "$2" | head -n 1
}

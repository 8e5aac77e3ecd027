#!/usr/bin/env bash
# The README's examples, run as written on a private session bus, so that
# what the README shows keeps working.  TAP output.
#
#   test-doc-examples.sh SRCDIR BUILDDIR
set -u
src=$1
build=$2
work=$(mktemp -d)
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
  done
  rm -rf "$work"
}
trap cleanup EXIT
cd "$work"

n=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
not_ok() { n=$((n + 1)); echo "not ok $n - $*"; }
diag() { sed 's/^/# /' "$@"; }

# Every file a script may write goes under $work/tmp (TMPDIR) or where it
# is told: what is left in $work/tmp afterwards was left behind.
mkdir -p tmp user
export TMPDIR=$work/tmp

sox -n -r 44100 -c 2 -b 16 a.wav synth 5 sine 440
sox -n -r 44100 -c 2 -b 16 b.flac synth 6 sine 550
head -c 1000 /dev/zero | tr '\0' x >junk.wav

# ---- 1. The gdbus walkthrough (docs/gdbus-session.sh starts its own rawcdd).

if (cd user && BUILD=$build dbus-run-session -- bash "$src/docs/gdbus-session.sh") >gdbus.log 2>&1 \
   && grep -qx 'image.img: 75276000 bytes' gdbus.log; then
  ok "docs/gdbus-session.sh drives a whole session and makes a 75276000-byte image"
else
  not_ok "docs/gdbus-session.sh"
  diag gdbus.log
fi
if [ -z "$(find user tmp -mindepth 1)" ]; then
  ok "docs/gdbus-session.sh writes only into a temporary directory, and removes it"
else
  not_ok "docs/gdbus-session.sh left files behind"
  find user tmp -mindepth 1 | diag
fi
# every path in the script's comments that names a file of the tree exists
missing=
for path in $(grep -o '\(docs\|daemon\|client\|introspection\|data\|scripts\|tests\)/[A-Za-z0-9_./-]*[A-Za-z0-9]' "$src/docs/gdbus-session.sh" | sort -u); do
  case $path in daemon/rawcdd|client/rawcdctl) continue ;; esac   # built, not in the source tree
  [ -e "$src/$path" ] || missing="$missing $path"
done
if [ -z "$missing" ]; then
  ok "docs/gdbus-session.sh names only files that exist"
else
  not_ok "docs/gdbus-session.sh names files that do not exist:$missing"
fi

# ---- 2. The Python client (needs Debian's python3 with python3-gi).

if RAWCD_BUS=session dbus-run-session -- bash -c \
     "'$build/daemon/rawcdd' --session --idle-timeout 0 & sleep 0.5;
      /usr/bin/python3 '$src/docs/example-client.py' py.img a.wav b.flac; rc=\$?; kill %1; exit \$rc" \
     >python.log 2>&1 \
   && grep -q '^succeeded' python.log \
   && [ "$(stat -c %s py.img)" = $(( (22650 + 375 + 450 + 6750) * 2448 )) ]; then
  ok "docs/example-client.py passes descriptors and makes a 73990800-byte image"
else
  not_ok "docs/example-client.py"
  diag python.log
fi

# With no rawcd service on the bus it starts a private one, as rawcdctl
# does.  MARK, in the environment of everything it starts, finds what
# outlives it.
MARK="RAWCD_DOCS_TEST_MARK=$$-$RANDOM"
if RAWCD_BUS=session RAWCDD=$build/daemon/rawcdd dbus-run-session -- env "$MARK" \
     /usr/bin/python3 "$src/docs/example-client.py" py2.img a.wav b.flac >python2.log 2>&1 \
   && grep -q '^succeeded' python2.log && cmp -s py.img py2.img; then
  ok "docs/example-client.py with no service on the bus: a private rawcdd makes the same image"
else
  not_ok "docs/example-client.py with no service on the bus"
  diag python2.log
fi
# ... and no dbus-daemon or rawcdd of its own is left running
if [ -z "$(grep -lsz "^$MARK\$" /proc/[0-9]*/environ 2>/dev/null | grep -v "^/proc/$$/")" ]; then
  ok "docs/example-client.py stops the private rawcdd it started"
else
  not_ok "docs/example-client.py left its private rawcdd running"
fi

# Errors: one line on stderr, exit 1 (a service error, a missing file).
RAWCD_BUS=session RAWCDD=$build/daemon/rawcdd dbus-run-session -- \
  /usr/bin/python3 "$src/docs/example-client.py" bad.img junk.wav >junk.out 2>junk.err
rc=$?
# (dbus-run-session's own bus may complain on stderr too: count our lines)
if [ $rc -eq 1 ] && [ "$(grep -c '^example-client.py: ' junk.err)" -eq 2 ] &&
   grep -q '^example-client.py: junk.wav: .*not audio' junk.err &&
   ! grep -q 'Traceback\|GDBus.Error\|org.rawcd' junk.err; then
  ok "docs/example-client.py: audio the service refuses is one line without the D-Bus name (after the private-service note), exit 1"
else
  not_ok "docs/example-client.py: audio the service refuses (exit $rc)"
  diag junk.err
fi
RAWCD_BUS=session RAWCDD=$build/daemon/rawcdd dbus-run-session -- \
  /usr/bin/python3 "$src/docs/example-client.py" bad.img missing.wav >missing.out 2>missing.err
rc=$?
if [ $rc -eq 1 ] && grep -qx 'example-client.py: cannot open missing.wav: No such file or directory' missing.err &&
   ! grep -q Traceback missing.err; then
  ok "docs/example-client.py: a missing file is one line, exit 1"
else
  not_ok "docs/example-client.py: a missing file (exit $rc)"
  diag missing.err
fi

# ---- 3. The same image through rawcdctl equals the Python client's, byte for byte.

if "$build/client/rawcdctl" create -o ctl.img a.wav b.flac >ctl.log 2>&1 && cmp -s ctl.img py.img; then
  ok "rawcdctl create makes the same bytes as the Python client"
else
  not_ok "rawcdctl create differs from the Python client"
  diag ctl.log
fi

# ---- 4. scripts/quickstart, run from another directory with relative names.

mkdir -p user/out
if (cd user && BUILD=$build QUICKSTART_NO_INSTALL=1 bash "$src/scripts/quickstart" \
      -o out/album.img ../a.wav ../b.flac) >quickstart.log 2>&1 \
   && [ "$(stat -c %s user/out/album.img)" = "$(stat -c %s ctl.img)" ] \
   && [ "$(tail -n 1 quickstart.log)" = clean ]; then
  ok "scripts/quickstart finds ../a.wav and writes out/album.img from the user's directory"
else
  not_ok "scripts/quickstart with relative names from another directory"
  diag quickstart.log
fi
if [ "$(grep -c 'using a private rawcdd' quickstart.log)" -le 1 ]; then
  ok "scripts/quickstart mentions the private rawcdd at most once"
else
  not_ok "scripts/quickstart mentions the private rawcdd more than once"
  diag quickstart.log
fi

echo "1..$n"

#!/usr/bin/env bash
# The README's examples, run as written on a private session bus, so that
# what the README shows keeps working.  TAP output.
#
#   test-doc-examples.sh SRCDIR BUILDDIR
set -u
src=$1
build=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

echo "1..3"

# 1. The gdbus walkthrough (docs/gdbus-session.sh starts its own rawcdd).
if BUILD=$build dbus-run-session -- bash "$src/docs/gdbus-session.sh" >gdbus.log 2>&1 \
   && [ "$(stat -c %s image.img)" = $(( (22650 + 1350 + 6750) * 2448 )) ]; then
  echo "ok 1 - docs/gdbus-session.sh drives a whole session and makes a 75276000-byte image"
else
  echo "not ok 1 - docs/gdbus-session.sh"
  sed 's/^/# /' gdbus.log
fi

# 2. The Python client (needs Debian's python3 with python3-gi).
sox -n -r 44100 -c 2 -b 16 a.wav synth 5 sine 440
sox -n -r 44100 -c 2 -b 16 b.flac synth 6 sine 550
if RAWCD_BUS=session dbus-run-session -- bash -c \
     "'$build/daemon/rawcdd' --session --idle-timeout 0 & sleep 0.5;
      /usr/bin/python3 '$src/docs/example-client.py' py.img a.wav b.flac; rc=\$?; kill %1; exit \$rc" \
     >python.log 2>&1 \
   && grep -q '^succeeded' python.log \
   && [ "$(stat -c %s py.img)" = $(( (22650 + 375 + 450 + 6750) * 2448 )) ]; then
  echo "ok 2 - docs/example-client.py passes descriptors and makes a 73990800-byte image"
else
  echo "not ok 2 - docs/example-client.py"
  sed 's/^/# /' python.log
fi

# 3. The same image through rawcdctl equals the Python client's, byte for byte.
if "$build/client/rawcdctl" create -o ctl.img a.wav b.flac >ctl.log 2>&1 && cmp -s ctl.img py.img; then
  echo "ok 3 - rawcdctl create makes the same bytes as the Python client"
else
  echo "not ok 3 - rawcdctl create differs from the Python client"
  sed 's/^/# /' ctl.log
fi

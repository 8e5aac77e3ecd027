#!/usr/bin/env bash
# The installed rawcdd works inside the sandbox the installed rawcd.service
# describes, without a running systemd: its system call filter, W^X memory
# and AF_UNIX-only sockets (seccomp-exec.py builds them as systemd does),
# and as root also its user (rawcd), PrivateUsers=yes and PrivateNetwork=yes.
# It makes the same image there as outside, logs no warning and exits 0 on
# SIGTERM.  A copy of the unit that filters what a daemon cannot do without
# shows the sandbox is really applied.  TAP output.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

need_tools dbus-daemon python3 systemd-analyze sox ffmpeg

install_tree
[ "$(id -u)" = 0 ] && ensure_service_user

unit=$DEST$SYSTEMD_SYSTEM_UNIT_DIR/rawcd.service
rawcdd=$DEST$LIBEXECDIR/rawcdd
rawcdctl=$DEST$BINDIR/rawcdctl
if [ ! -x "$rawcdd" ] || [ ! -x "$rawcdctl" ] || [ ! -f "$unit" ]; then
  not_ok "rawcdd, rawcdctl and rawcd.service are installed"
  finish
fi

# A bus anyone may use (the policy is another test's business).
mkdir -p "$T/bus"
cat >"$T/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>rawcd-test</type>
  <listen>unix:dir=$T/bus</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_type="method_call"/>
    <allow send_type="signal"/>
    <allow send_requested_reply="true" send_type="method_return"/>
    <allow send_requested_reply="true" send_type="error"/>
    <allow receive_type="method_call"/>
    <allow receive_type="method_return"/>
    <allow receive_type="error"/>
    <allow receive_type="signal"/>
  </policy>
</busconfig>
EOF
dbus-daemon --config-file="$T/bus.conf" --nofork --nopidfile --nosyslog \
  --print-address=1 >"$T/bus.address" 2>"$T/bus.log" &
bus_pid=$!
started_pids="$started_pids $bus_pid"
for _ in $(seq 100); do
  [ -s "$T/bus.address" ] && break
  kill -0 "$bus_pid" 2>/dev/null || break
  sleep 0.1
done
ADDRESS=$(head -n 1 "$T/bus.address")
if [ -z "$ADDRESS" ]; then
  not_ok "a private bus starts"
  diag <"$T/bus.log"
  finish
fi

# Audio: a WAV of 5 s (written here, no tools needed) and the same as
# FLAC and Ogg Vorbis (other decoders of libsndfile), and as ALAC and AAC
# in .m4a, which the second helper, rawcd-decoder-ffmpeg, reads.
python3 - "$T/a.wav" <<'EOF'
import math, struct, sys, wave
with wave.open(sys.argv[1], 'wb') as w:
    w.setnchannels(2); w.setsampwidth(2); w.setframerate(44100)
    w.writeframes(b''.join(struct.pack('<hh', int(8000 * math.sin(i / 20)),
                                       int(8000 * math.cos(i / 30)))
                           for i in range(5 * 44100)))
EOF
audio=("$T/a.wav")
check "sox makes the FLAC and Ogg inputs" sox "$T/a.wav" "$T/b.flac"
check "... and the Ogg one" sox "$T/a.wav" "$T/c.ogg"
check "ffmpeg makes the ALAC .m4a input" \
  ffmpeg -nostdin -loglevel error -i "$T/a.wav" -c:a alac "$T/d.m4a"
check "... and the AAC one" \
  ffmpeg -nostdin -loglevel error -i "$T/a.wav" -c:a aac -b:a 160k "$T/e.m4a"
audio+=("$T/b.flac" "$T/c.ogg" "$T/d.m4a" "$T/e.m4a")
chmod 644 "$T"/*.*

# rawcdctl on our bus, never with an embedded rawcdd of its own.
ctl() {
  RAWCDD=/nonexistent "$rawcdctl" --address "$ADDRESS" "$@"
}
# run_rawcdd NAME [WRAPPER...]: WRAPPER... rawcdd on our bus, with
# criticals fatal, output to $T/NAME.log; waits until it answers.
run_rawcdd() {
  local name=$1
  shift
  env G_DEBUG=fatal-criticals "$@" "$rawcdd" --address "$ADDRESS" --idle-timeout 0 \
    >"$T/$name.log" 2>&1 &
  rawcdd_pid=$!
  started_pids="$started_pids $rawcdd_pid"
  for _ in $(seq 100); do
    ctl status >/dev/null 2>&1 && return 0
    kill -0 "$rawcdd_pid" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# stop_rawcdd: SIGTERM; the exit status.
stop_rawcdd() {
  local status=0
  kill -TERM "$rawcdd_pid" 2>/dev/null
  wait "$rawcdd_pid" 2>/dev/null || status=$?
  return $status
}
# make_image OUTPUT: rawcdctl create through the bus (never an embedded one).
make_image() {
  ctl create -o "$1" --mcn 0012345678905 --isrc 1:USRC17607839 "${audio[@]}" >"$T/create.log" 2>&1
}

# --- the harness filters for real ------------------------------------------------
# No GLib program runs without poll(): under this copy of the unit, which
# also kills on a filtered call instead of failing it, rawcdd must die of
# SIGSYS at once.
sed -e 's/^SystemCallFilter=~.*/& @io-event/' -e '/^SystemCallErrorNumber=/d' \
  "$unit" >"$T/broken.service"
status=0
timeout 20 python3 "$HELPERS/seccomp-exec.py" "$T/broken.service" \
  "$rawcdd" --address "$ADDRESS" >"$T/broken.log" 2>&1 || status=$?
if [ "$status" = $((128 + 31)) ]; then
  ok "rawcdd dies of SIGSYS under a copy of the unit that filters @io-event"
else
  not_ok "rawcdd dies of SIGSYS under a copy of the unit that filters @io-event (status $status)"
  diag <"$T/broken.log"
fi

# --- the reference image, no sandbox --------------------------------------------------
if run_rawcdd plain && make_image "$T/plain.img"; then
  ok "rawcdd without a sandbox makes an image (${#audio[@]} tracks)"
else
  not_ok "rawcdd without a sandbox makes an image"
  cat "$T/plain.log" "$T/create.log" | diag
fi
stop_rawcdd

# --- the sandbox of the unit ---------------------------------------------------------
wrapper=()
what="system call filter, MemoryDenyWriteExecute, RestrictAddressFamilies"
if [ "$(id -u)" = 0 ] && getent passwd rawcd >/dev/null && command -v unshare >/dev/null; then
  wrapper=(unshare --net -- python3 "$HELPERS/private-users.py" rawcd)
  what="$what, user rawcd, PrivateUsers, PrivateNetwork"
else
  echo "# not root (or no user rawcd): only the seccomp part of the sandbox"
fi
echo "# sandbox: $what"

if run_rawcdd sandboxed "${wrapper[@]}" python3 "$HELPERS/seccomp-exec.py" "$unit"; then
  ok "rawcdd starts in the unit's sandbox"
else
  not_ok "rawcdd starts in the unit's sandbox"
  diag <"$T/sandboxed.log"
  finish
fi
if make_image "$T/sandboxed.img"; then
  ok "rawcdd in the sandbox makes an image"
else
  not_ok "rawcdd in the sandbox makes an image"
  cat "$T/sandboxed.log" "$T/create.log" | diag
fi
check "... the same image as without the sandbox" cmp "$T/plain.img" "$T/sandboxed.img"
if ctl info "${audio[@]}" >"$T/info.log" 2>&1; then
  ok "rawcdctl info works through it"
else
  not_ok "rawcdctl info works through it"
  diag <"$T/info.log"
fi
ctl info --json "${audio[@]}" >"$T/info.json" 2>&1
check "... the .m4a files read by FFmpeg in the sandbox (ALAC, AAC)" \
  bash -c "grep -q 'MP4, 44100 Hz, 2 channels, ALAC' '$T/info.json' && grep -q 'MP4, 44100 Hz, 2 channels, AAC' '$T/info.json'"
ctl status >"$T/status.log" 2>&1
check "... and its input formats are both helpers' (WAV, MP3, M4A, WavPack)" \
  bash -c "grep -q '^Input formats:.*WAV.*MP3.*M4A.*WavPack' '$T/status.log'"
diag <"$T/status.log"
if stop_rawcdd; then ok "rawcdd in the sandbox exits 0 on SIGTERM"; else not_ok "rawcdd in the sandbox exits 0 on SIGTERM (status $?)"; fi
if grep -E -q 'WARNING|CRITICAL|ERROR' "$T/sandboxed.log"; then
  not_ok "rawcdd in the sandbox logs no warning"
  diag <"$T/sandboxed.log"
else
  ok "rawcdd in the sandbox logs no warning"
fi

finish

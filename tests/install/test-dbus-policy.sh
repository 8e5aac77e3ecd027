#!/usr/bin/env bash
# The installed D-Bus policy on a real dbus-daemon configured as this
# system's system bus (its own system.conf, so the same default-deny
# context, the same system.d policies and the same messagebus user), plus
# the installed policy and activation directory, listening on a socket of
# our own.  Processes run as rawcd, nobody and root check what each may do.
# Needs root to run processes as other users.  TAP output.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

[ "$(id -u)" = 0 ] || skip_all "needs root to run clients as other users"
need_tools dbus-daemon gdbus setpriv python3
# The system bus's own configuration is what the policy is checked in: a
# machine without it (package dbus) cannot check anything, so it fails.
[ -f /usr/share/dbus-1/system.conf ] ||
  { echo "Bail out! no /usr/share/dbus-1/system.conf (package dbus, see .ci/packages)"; exit 1; }

install_tree

policy=$DEST$DBUS_POLICY_DIR/org.rawcd.RawCD1.conf
rawcdd=$DEST$LIBEXECDIR/rawcdd

# --- the service user ------------------------------------------------------------
ensure_service_user

for f in /usr/share/dbus-1/system.d/org.rawcd.RawCD1.conf /etc/dbus-1/system.d/org.rawcd.RawCD1.conf; do
  [ -e "$f" ] && echo "# note: this system has $f too; the bus below reads it as well"
done

# --- the bus ------------------------------------------------------------------------
mkdir -p "$T/bus"
cat >"$T/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <!-- This system's system bus as it is (the command line replaces its
       <listen>, <fork/>, <pidfile> and <syslog/>)... -->
  <include>/usr/share/dbus-1/system.conf</include>
  <!-- ... with rawcd's files as 'meson install' put them. -->
  <include>$policy</include>
  <servicedir>$DEST$DBUS_SYSTEM_SERVICES_DIR</servicedir>
</busconfig>
EOF
dbus-daemon --config-file="$T/bus.conf" --address="unix:path=$T/bus/socket" \
  --nofork --nopidfile --nosyslog --print-address=1 >"$T/bus.address" 2>"$T/bus.log" &
bus_pid=$!
started_pids="$started_pids $bus_pid"
for _ in $(seq 100); do
  [ -s "$T/bus.address" ] && break
  kill -0 "$bus_pid" 2>/dev/null || break
  sleep 0.1
done
ADDRESS=$(head -n 1 "$T/bus.address")
if [ -z "$ADDRESS" ]; then
  not_ok "dbus-daemon starts with the policy"
  diag <"$T/bus.log"
  finish
fi
ok "dbus-daemon starts with the policy"
# The bus complains on stderr about what it cannot use in a policy (an
# unknown user: 'Unknown username "rawcd"'; a bad activation file) and
# refuses to start on a malformed one.  Complaints about other packages'
# policies on this system, or its own limits, are not ours.
if grep -i -e rawcd -e "$DBUS_SYSTEM_SERVICES_DIR" "$T/bus.log" | grep -q .; then
  not_ok "dbus-daemon loads the policy without complaint"
  diag <"$T/bus.log"
else
  ok "dbus-daemon loads the policy without complaint"
fi

# as USER COMMAND...: run COMMAND as USER (and the user's group, no other).
as() {
  local user=$1
  shift
  setpriv --reuid="$user" --regid="$(id -g "$user")" --clear-groups -- \
    env DBUS_SYSTEM_BUS_ADDRESS="$ADDRESS" "$@"
}
# call USER DEST PATH METHOD [ARG...]: gdbus call as USER; stdout and stderr
# to $T/out, exit status of gdbus.
call() {
  local user=$1 dest=$2 path=$3
  shift 3
  as "$user" timeout 20 gdbus call --system --dest "$dest" --object-path "$path" \
    --method "$@" >"$T/out" 2>&1
}
# The bus's refusal, as opposed to an error of the service.
bus_denied() {
  grep -q 'org.freedesktop.DBus.Error.AccessDenied' "$T/out" &&
    grep -q -e 'Rejected send message' -e 'not allowed to own' "$T/out"
}
show() { diag <"$T/out"; }

request_name() { # USER -> $T/out
  call "$1" org.freedesktop.DBus /org/freedesktop/DBus \
    org.freedesktop.DBus.RequestName org.rawcd.RawCD1 4
}

# --- who may own the name ---------------------------------------------------------------
request_name nobody
if bus_denied; then ok "nobody may not own org.rawcd.RawCD1"; else not_ok "nobody may not own org.rawcd.RawCD1"; show; fi
request_name root
if bus_denied; then ok "root may not own org.rawcd.RawCD1"; else not_ok "root may not own org.rawcd.RawCD1"; show; fi
if request_name rawcd && grep -q '(uint32 1,)' "$T/out"; then
  ok "rawcd may own org.rawcd.RawCD1"
else
  not_ok "rawcd may own org.rawcd.RawCD1"
  show
fi

# The bus read the activation file (it lists the names it can activate).
if call nobody org.freedesktop.DBus /org/freedesktop/DBus \
  org.freedesktop.DBus.ListActivatableNames && grep -q "'org.rawcd.RawCD1'" "$T/out"; then
  ok "the bus reads the activation file"
else
  not_ok "the bus reads the activation file"
  show
fi

# --- an owner --------------------------------------------------------------------------
# The installed rawcdd, never a stand-in: what is checked below is what
# the real service does behind the policy.
if [ ! -x "$rawcdd" ]; then
  not_ok "rawcdd is installed (${rawcdd#"$DEST"})"
  finish
fi
# start_owner [WRAPPER...]: rawcdd as rawcd on our bus, through WRAPPER
# when given; waits for the name.
owner_pid=""
owner=rawcdd
start_owner() {
  set -- "$@" "$rawcdd" --address "$ADDRESS" --idle-timeout 600 --verbose
  "$@" >"$T/owner.log" 2>&1 &
  owner_pid=$!
  started_pids="$started_pids $owner_pid"
  for _ in $(seq 100); do
    call root org.freedesktop.DBus /org/freedesktop/DBus \
      org.freedesktop.DBus.NameHasOwner org.rawcd.RawCD1 &&
      grep -q true "$T/out" && return 0
    kill -0 "$owner_pid" 2>/dev/null || break
    sleep 0.1
  done
  diag <"$T/owner.log"
  return 1
}
stop_owner() {
  kill "$owner_pid" 2>/dev/null
  wait "$owner_pid" 2>/dev/null
  owner_pid=""
}

if start_owner setpriv --reuid=rawcd --regid="$(id -g rawcd)" --clear-groups --; then
  ok "$owner as rawcd owns org.rawcd.RawCD1"
else
  not_ok "$owner as rawcd owns org.rawcd.RawCD1"
  finish
fi

M=/org/rawcd/RawCD1
N=org.rawcd.RawCD1

# --- what everybody may call ----------------------------------------------------------
# allowed USER DESCRIPTION PATH METHOD [ARG...]: the call succeeds.
allowed() {
  local user=$1 desc=$2
  shift 2
  if call "$user" $N "$@"; then ok "$desc"; else not_ok "$desc"; show; fi
}
allowed nobody "nobody may call Peer.Ping" $M org.freedesktop.DBus.Peer.Ping
allowed nobody "nobody may call Introspectable.Introspect" $M \
  org.freedesktop.DBus.Introspectable.Introspect
check "... and it shows the Manager interface" grep -q "org.rawcd.RawCD1.Manager" "$T/out"
allowed nobody "nobody may call Properties.Get (Manager.Version)" $M \
  org.freedesktop.DBus.Properties.Get org.rawcd.RawCD1.Manager Version
allowed nobody "nobody may call Properties.GetAll (Manager)" $M \
  org.freedesktop.DBus.Properties.GetAll org.rawcd.RawCD1.Manager
allowed nobody "nobody may call ObjectManager.GetManagedObjects" $M \
  org.freedesktop.DBus.ObjectManager.GetManagedObjects

# reaches USER INTERFACE: a call of a method the service does not have, on
# INTERFACE, gets the service's answer (UnknownMethod, ...), not the bus's
# AccessDenied: the bus delivered it.
reaches() {
  local desc="$1 may call methods of $2"
  call "$1" $N $M "$2.PolicyProbe"
  if grep -q 'GDBus.Error:org.freedesktop.DBus.Error.Unknown' "$T/out" && ! bus_denied; then
    ok "$desc"
  else
    not_ok "$desc"
    show
  fi
}
for i in Manager ImageCreator Track Job; do
  reaches nobody org.rawcd.RawCD1.$i
done
reaches nobody org.freedesktop.DBus.Properties

# --- ... and nothing else ----------------------------------------------------------------
denied() { # USER INTERFACE.METHOD
  local desc="$1 may not call $2"
  call "$1" $N $M "$2"
  if bus_denied; then ok "$desc"; else not_ok "$desc"; show; fi
}
denied nobody org.rawcd.RawCD1.Bogus.PolicyProbe
denied nobody org.freedesktop.DBus.Debug.Stats.GetStats
denied nobody org.freedesktop.DBus.Monitoring.BecomeMonitor
denied root org.rawcd.RawCD1.Bogus.PolicyProbe

# --- the real service behind the policy --------------------------------------------
if call nobody $N $M org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" &&
  session=$(grep -o "'/org/rawcd/RawCD1/ImageCreator/[^']*'" "$T/out" | tr -d "'") &&
  [ -n "$session" ]; then
  ok "nobody may open a persistent session ($session)"
  allowed nobody "nobody may read its session's properties" "$session" \
    org.freedesktop.DBus.Properties.GetAll org.rawcd.RawCD1.ImageCreator
  call root $N "$session" org.rawcd.RawCD1.ImageCreator.Close
  check "root may not close nobody's session (the service's AccessDenied)" \
    grep -q 'org.rawcd.RawCD1.Error.AccessDenied' "$T/out"
  allowed nobody "nobody may close its session" "$session" org.rawcd.RawCD1.ImageCreator.Close
else
  not_ok "nobody may open a persistent session"
  show
fi

# --- as the unit runs it: PrivateUsers=yes -------------------------------------------
# rawcd.service puts rawcdd in a user namespace where only root and rawcd
# exist.  The bus must still see rawcd (owner check) and pass descriptors.
stop_owner
if start_owner python3 "$HELPERS/private-users.py" rawcd; then
  ok "$owner as rawcd in a PrivateUsers=yes namespace owns org.rawcd.RawCD1"
  allowed nobody "... and nobody may call it" $M \
    org.freedesktop.DBus.Properties.Get org.rawcd.RawCD1.Manager Version
  # A descriptor passed by nobody reaches it: a track of silence.
  head -c $((2352 * 300)) /dev/zero >"$T/silence.pcm"
  chmod 644 "$T/silence.pcm"
  if call nobody $N $M org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" &&
    session=$(grep -o "'/org/rawcd/RawCD1/ImageCreator/[^']*'" "$T/out" | tr -d "'") &&
    as nobody timeout 20 gdbus call --system --dest $N --object-path "$session" \
      --method org.rawcd.RawCD1.ImageCreator.AddTrack 0 3 "{'format': <'raw'>}" \
      3<"$T/silence.pcm" >"$T/out" 2>&1; then
    ok "... and it receives descriptors from nobody"
    call nobody $N "$session" org.rawcd.RawCD1.ImageCreator.Close
  else
    not_ok "... and it receives descriptors from nobody"
    show
  fi
else
  not_ok "$owner as rawcd in a PrivateUsers=yes namespace owns org.rawcd.RawCD1"
fi
stop_owner

finish

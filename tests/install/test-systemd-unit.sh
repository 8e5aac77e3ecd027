#!/usr/bin/env bash
# The installed rawcd.service: `systemd-analyze verify` finds nothing to say
# about it, and `systemd-analyze security --offline=yes` rates its exposure
# below 2.0.  Both checks are first shown to fail on broken copies.
# TAP output.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

need_tools systemd-analyze

install_tree

# A root for systemd-analyze: this system's units (the unit pulls in
# dbus.socket, sysinit.target...), with the installed tree on top, so that
# ExecStart= and Documentation= are looked up in what `meson install` put
# there.
ROOT=$DEST
for d in /usr/lib/systemd/system /etc/systemd/system; do
  [ -d "$d" ] || continue
  mkdir -p "$ROOT$d"
  cp -a -n "$d/." "$ROOT$d/"
done
unit_dir=$SYSTEMD_SYSTEM_UNIT_DIR
unit=$ROOT$unit_dir/rawcd.service
check "rawcd.service is installed" test -f "$unit"

# Documentation=man:rawcdd(8) is checked with man(1), on the installed page.
if command -v man >/dev/null; then
  man_opt=--man=yes
  export MANPATH=$ROOT$MANDIR
else
  man_opt=--man=no
  not_ok "man is installed (package man-db), to check Documentation="
fi

# verify UNIT_NAME: systemd-analyze verify succeeds and says nothing (it
# only warns about unknown keys and bad values, and still succeeds).
verify() {
  systemd-analyze verify --root="$ROOT" "$man_opt" "$unit_dir/$1" >"$T/verify.log" 2>&1 &&
    ! grep -q . "$T/verify.log"
}

# score UNIT_NAME: prints the overall exposure level (0.0 .. 10.0).
score() {
  systemd-analyze security --offline=yes --root="$ROOT" --no-pager "$unit_dir/$1" 2>&1 |
    sed -n 's/.*Overall exposure level for [^:]*: \([0-9][0-9.]*\).*/\1/p'
}
# below LIMIT SCORE
below() { awk -v s="$2" -v l="$1" 'BEGIN { exit !(s != "" && s + 0 < l + 0) }'; }

# --- the checks can fail ----------------------------------------------------------
# mutant NAME SED-EXPRESSION: a broken copy of the unit, installed beside it.
mutant() {
  sed "$2" "$unit" >"$ROOT$unit_dir/$1"
  cmp -s "$unit" "$ROOT$unit_dir/$1" && echo "# mutant $1 is not different: $2"
}
mutant broken-value.service 's/^ProtectSystem=strict$/ProtectSystem=stricter/'
mutant broken-key.service 's/^UMask=/Umask=/'
mutant broken-filter.service 's/^SystemCallFilter=@system-service$/SystemCallFilter=@system-servic/'
mutant broken-busname.service '/^BusName=/d'
mutant broken-exec.service 's|^ExecStart=[^ ]*|ExecStart=/nonexistent/rawcdd|'
mutant broken-doc.service 's|^Documentation=.*|Documentation=man:rawcdd-nonexistent(8)|'
for m in value key filter busname exec doc; do
  if verify broken-$m.service; then
    not_ok "verify rejects a unit with a broken $m"
  else
    ok "verify rejects a unit with a broken $m"
  fi
done
# No sandbox at all: everything from "CapabilityBoundingSet=" on removed.
mutant weak.service '/^CapabilityBoundingSet=/,$d'
weak=$(score weak.service)
echo "# exposure of rawcd.service without its sandbox: ${weak:-?}"
unsafe() { [ -n "$1" ] && ! below 2.0 "$1"; }
check "security rates an unsandboxed copy 2.0 or more" unsafe "$weak"

# --- the installed unit -----------------------------------------------------------------
if verify rawcd.service; then
  ok "systemd-analyze verify rawcd.service"
else
  not_ok "systemd-analyze verify rawcd.service"
  diag <"$T/verify.log"
fi

exposure=$(score rawcd.service)
echo "# overall exposure level of rawcd.service: ${exposure:-?}"
if below 2.0 "$exposure"; then
  ok "systemd-analyze security: exposure ${exposure} < 2.0"
else
  not_ok "systemd-analyze security: exposure ${exposure:-?} < 2.0"
fi

# Below 2.0 is the project's limit; the unit does better (0.2 with systemd
# 252), and losing one setting costs only 0.2 to 1.6.  So also: nothing is
# exposed but what the unit accepts on purpose.
#   RootDirectory=/RootImage=         it runs in the host's file system
#                                     (read-only, ProtectSystem=strict)
#   RestrictAddressFamilies=~AF_UNIX  the bus is a unix socket
#   DeviceAllow=                      ProtectClock= adds "char-rtc r", a device
#                                     PrivateDevices= does not show anyway
accepted='RootDirectory=/RootImage=
RestrictAddressFamilies=~AF_UNIX
DeviceAllow='
systemd-analyze security --offline=yes --root="$ROOT" --no-pager \
  "$unit_dir/rawcd.service" >"$T/security.log" 2>&1
exposed=$(sed -n 's/^✗ \([^ ]*\) .*/\1/p' "$T/security.log" | sort)
unexpected=$(comm -23 <(echo "$exposed") <(echo "$accepted" | sort))
if [ -n "$exposed" ] && [ -z "$unexpected" ]; then
  ok "systemd-analyze security: nothing exposed but $(echo "$exposed" | paste -sd ' ')"
else
  not_ok "systemd-analyze security: nothing exposed but the accepted settings"
  grep -a '^✗' "$T/security.log" | diag
fi

finish

#!/usr/bin/env bash
# `meson install` puts every file where the system looks for it, with the
# paths inside them filled in, and the man pages document exactly the
# options the programs accept.  TAP output.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

install_tree

policy=$DEST$DBUS_POLICY_DIR/org.rawcd.RawCD1.conf
activation=$DEST$DBUS_SYSTEM_SERVICES_DIR/org.rawcd.RawCD1.service
unit=$DEST$SYSTEMD_SYSTEM_UNIT_DIR/rawcd.service
sysusers=$DEST$SYSUSERS_DIR/rawcd.conf
interface=$DEST$DBUS_INTERFACES_DIR/org.rawcd.RawCD1.xml
man8=$DEST$MANDIR/man8/rawcdd.8
man1=$DEST$MANDIR/man1/rawcdctl.1
rawcdd=$DEST$LIBEXECDIR/rawcdd
rawcdctl=$DEST$BINDIR/rawcdctl

# --- each file in its place -----------------------------------------------
for f in "$policy" "$activation" "$unit" "$sysusers" "$interface" "$man8" "$man1"; do
  check "installed ${f#"$DEST"}" test -f "$f"
done
check "installed ${rawcdd#"$DEST"} (executable)" test -f "$rawcdd" -a -x "$rawcdd"
check "installed ${rawcdctl#"$DEST"} (executable)" test -f "$rawcdctl" -a -x "$rawcdctl"
# the decoder helpers, where rawcdd looks for them: beside it
for helper in rawcd-decoder rawcd-decoder-ffmpeg; do
  check "installed $LIBEXECDIR/$helper (executable), beside rawcdd" \
    test -f "$DEST$LIBEXECDIR/$helper" -a -x "$DEST$LIBEXECDIR/$helper"
done

# --- ... and the places are the system's ------------------------------------
# The directory pkg-config gives is the one used.  CI installs dbus-1.pc
# and systemd.pc (.ci/packages): without them nothing would be compared,
# so a missing one fails like a missing tool.
pc_matches() { # MODULE VARIABLE DIR
  local want
  if ! want=$(pkg-config --variable="$2" "$1" 2>/dev/null) || [ -z "$want" ]; then
    echo "# pkg-config knows no $2 of $1 (see .ci/packages): nothing to compare $3 with"
    return 1
  fi
  [ "$want" = "$3" ] || { echo "# pkg-config $1 $2 says $want, installed to $3"; return 1; }
}
check "activation file directory is dbus-1.pc's system_bus_services_dir" \
  pc_matches dbus-1 system_bus_services_dir "$DBUS_SYSTEM_SERVICES_DIR"
check "unit directory is systemd.pc's systemdsystemunitdir" \
  pc_matches systemd systemdsystemunitdir "$SYSTEMD_SYSTEM_UNIT_DIR"
check "sysusers.d directory is systemd.pc's sysusersdir" \
  pc_matches systemd sysusersdir "$SYSUSERS_DIR"
check "interface XML directory is dbus-1.pc's interfaces_dir" \
  pc_matches dbus-1 interfaces_dir "$DBUS_INTERFACES_DIR"

# The system bus reads policies from system.d next to its system.conf and
# from /etc/dbus-1/system.d; it activates from the standard system service
# directories.  A file anywhere else is never read.
in_list() { # WORD LIST...
  local w=$1 x
  shift
  for x in "$@"; do [ "$(realpath -m "$x")" = "$(realpath -m "$w")" ] && return 0; done
  echo "# $w is not one of: $*"
  return 1
}
check "policy directory is one the system bus reads" \
  in_list "$DBUS_POLICY_DIR" /usr/share/dbus-1/system.d /etc/dbus-1/system.d
check "activation directory is a standard system service directory" \
  in_list "$DBUS_SYSTEM_SERVICES_DIR" /usr/local/share/dbus-1/system-services \
    /usr/share/dbus-1/system-services /lib/dbus-1/system-services
# shellcheck disable=SC2046 # one word per directory
check "unit directory is one systemd reads" \
  in_list "$SYSTEMD_SYSTEM_UNIT_DIR" $(systemd-analyze unit-paths 2>/dev/null)

# --- the paths inside the files ---------------------------------------------
no_placeholders() {
  ! grep -n '@[A-Za-z_]*@' "$@"
}
check "no unsubstituted @VARIABLE@ in the installed files" \
  no_placeholders "$activation" "$unit" "$man8" "$man1"

exec_matches() { # FILE KEY
  local cmd
  cmd=$(value_of "$2" "$1")
  if [ "${cmd%% *}" = "$LIBEXECDIR/rawcdd" ] && [ "${cmd#* }" = "--system" ]; then
    return 0
  fi
  echo "# $2=$cmd, rawcdd is installed as $LIBEXECDIR/rawcdd"
  return 1
}
check "activation file: Exec= runs the installed rawcdd --system" exec_matches "$activation" Exec
check "activation file: Name=org.rawcd.RawCD1" \
  test "$(value_of Name "$activation")" = org.rawcd.RawCD1
check "activation file: User=rawcd" test "$(value_of User "$activation")" = rawcd
check "activation file: SystemdService=rawcd.service" \
  test "$(value_of SystemdService "$activation")" = rawcd.service
check "unit: ExecStart= runs the installed rawcdd --system" exec_matches "$unit" ExecStart
check "unit: Type=dbus, BusName=org.rawcd.RawCD1, User=rawcd" \
  test "$(value_of Type "$unit") $(value_of BusName "$unit") $(value_of User "$unit")" = \
  "dbus org.rawcd.RawCD1 rawcd"

# --- sysusers.d: the file creates the user (in an empty root) ------------------
if [ "$(id -u)" = 0 ]; then
  mkdir -p "$T/sysroot/etc"
  if systemd-sysusers --root="$T/sysroot" "$sysusers" >"$T/sysusers.log" 2>&1 &&
    entry=$(grep '^rawcd:' "$T/sysroot/etc/passwd"); then
    echo "# $entry"
    uid=$(echo "$entry" | cut -d: -f3)
    shell=$(echo "$entry" | cut -d: -f7)
    check "sysusers file creates a system user rawcd with no login shell" \
      test "$uid" -gt 0 -a "$uid" -lt 1000 -a "${shell##*/}" = nologin
  else
    not_ok "sysusers file creates a system user rawcd with no login shell"
    diag <"$T/sysusers.log"
  fi
else
  skip "sysusers file creates a system user rawcd" "not root"
fi

# --- man pages ------------------------------------------------------------------
for m in "$man8" "$man1"; do
  if ! command -v groff >/dev/null; then
    not_ok "${m##*/} formats without warnings: groff is not installed (package groff-base)"
  elif out=$(LC_ALL=C.UTF-8 groff -man -ww -z "$m" 2>&1) && [ -z "$out" ]; then
    ok "${m##*/} formats without warnings"
  else
    not_ok "${m##*/} formats without warnings"
    echo "$out" | diag
  fi
done

# The long options a program's --help lists (GOptionContext layout:
# "  -x, --name=ARG   description"), without --help itself.
help_options() {
  sed -n 's/^ *\(-[A-Za-z0-9], \)\{0,1\}\(--[a-z0-9][a-z0-9-]*\).*/\2/p' |
    grep -v '^--help' | sort -u
}
# The options a man page documents: the first option of each tagged
# paragraph (.TP followed by .B/.BI/.BR line).
man_options() {
  sed -n '/^\.TP/{n;s/\\-/-/g;s/^\.B[IR]\{0,1\} *"\{0,1\}\(--[a-z0-9][a-z0-9-]*\).*/\1/p}' "$1" |
    grep -v '^--help' | sort -u
}
# Every long option mentioned anywhere in a man page.
man_mentions() {
  sed 's/\\-/-/g' "$1" | grep -o -- '--[a-z0-9][a-z0-9-]*[a-z0-9]' | sort -u
}
# documents HELP_TEXT_FILE MAN: each option of the help text is in the man page.
documents() {
  local missing
  missing=$(comm -23 <(help_options <"$1") <(man_mentions "$2"))
  [ -z "$missing" ] || { echo "$missing" | sed 's/^/# not in the man page: /'; return 1; }
}
# lists_options HELP_TEXT_FILE: help_options finds options in it, so that a
# help layout it does not read cannot pass for "nothing missing".
lists_options() {
  [ -n "$(help_options <"$1")" ] || { echo "# no option found in $1"; return 1; }
}
# exists_in MAN HELP_TEXT_FILE...: each option the man page documents is
# accepted according to some help text.
exists_in() {
  local man=$1 missing
  shift
  missing=$(comm -13 <(cat "$@" | help_options | sort -u) <(man_options "$man"))
  [ -z "$missing" ] || { echo "$missing" | sed 's/^/# not in --help: /'; return 1; }
}

if [ -x "$rawcdd" ] && "$rawcdd" --help >"$T/rawcdd.help" 2>&1; then
  check "rawcdd --help lists options" lists_options "$T/rawcdd.help"
  check "rawcdd(8) documents every option of rawcdd --help" documents "$T/rawcdd.help" "$man8"
  check "every option rawcdd(8) documents is in rawcdd --help" exists_in "$man8" "$T/rawcdd.help"
else
  not_ok "rawcdd --help runs (to check rawcdd(8) against it)"
fi

# rawcdctl: the commands are the subsections of COMMANDS in the man page.
man_commands=$(sed -n '/^\.SH COMMANDS/,/^\.SH /s/^\.SS  *//p' "$man1")
if [ -x "$rawcdctl" ] && "$rawcdctl" --help >"$T/rawcdctl.help" 2>&1; then
  # Words listed like commands in rawcdctl --help ("  name   description").
  help_commands=$(sed -n 's/^  \{1,4\}\([a-z][a-z-]*\)  .*/\1/p' "$T/rawcdctl.help" | sort -u)
  missing=$(comm -23 <(echo "$help_commands") <(echo "$man_commands" | sort -u))
  check "rawcdctl(1) documents every command of rawcdctl --help" test -z "$missing"
  [ -n "$missing" ] && echo "$missing" | sed 's/^/# not in the man page: /'
  helps=("$T/rawcdctl.help")
  for c in $man_commands; do
    if "$rawcdctl" "$c" --help >"$T/rawcdctl-$c.help" 2>&1; then
      check "rawcdctl(1) documents every option of rawcdctl $c --help" \
        documents "$T/rawcdctl-$c.help" "$man1"
      helps+=("$T/rawcdctl-$c.help")
    else
      not_ok "rawcdctl $c --help runs (rawcdctl(1) documents the command)"
      diag <"$T/rawcdctl-$c.help"
    fi
  done
  check "rawcdctl --help lists options" lists_options "$T/rawcdctl.help"
  check "rawcdctl create --help lists options" lists_options "$T/rawcdctl-create.help"
  check "rawcdctl(1) documents every global option of rawcdctl --help" \
    documents "$T/rawcdctl.help" "$man1"
  check "every option rawcdctl(1) documents is in some rawcdctl --help" \
    exists_in "$man1" "${helps[@]}"
else
  not_ok "rawcdctl --help runs (to check rawcdctl(1) against it)"
fi

finish

#!/usr/bin/env bash
# A distribution builds the service without what only the tests need:
# with -Dtests=false the project configures on a machine where pkg-config
# knows neither libdiscid nor libburn, builds rawcdd and rawcdctl, and
# defines no test.  The same
# machine with the tests on must refuse, naming the missing library, or
# hiding the libraries proved nothing.  TAP output.
# shellcheck source=tests/install/lib.sh
. "$(dirname "$0")/lib.sh"

need_tools pkg-config ninja readelf

# A pkg-config directory with every .pc file of this machine but the two.
mkdir "$T/pc"
IFS=: read -r -a pc_dirs <<<"$(pkg-config --variable pc_path pkg-config)"
for d in "${pc_dirs[@]}"; do
  for f in "$d"/*.pc; do
    [ -f "$f" ] || continue
    case ${f##*/} in
      libdiscid.pc | libburn-1.pc) ;;
      *) ln -sf "$f" "$T/pc/" ;;
    esac
  done
done
without() { PKG_CONFIG_LIBDIR=$T/pc "$@"; }
check "pkg-config no longer finds libdiscid" bash -c "! PKG_CONFIG_LIBDIR='$T/pc' pkg-config --exists libdiscid"
check "... nor libburn-1" bash -c "! PKG_CONFIG_LIBDIR='$T/pc' pkg-config --exists libburn-1"
check "... but still finds glib-2.0 and sndfile" \
  env PKG_CONFIG_LIBDIR="$T/pc" pkg-config --exists glib-2.0 sndfile

if without "$MESON" setup "$T/on" "$SOURCE_ROOT" -Dtests=true >"$T/on.log" 2>&1; then
  not_ok "-Dtests=true refuses to configure without libdiscid and libburn"
  tail -n 20 "$T/on.log" | diag
else
  check "-Dtests=true refuses to configure without libdiscid and libburn (and says which)" \
    grep -E 'Dependency "(libdiscid|libburn-1)" not found' "$T/on.log"
fi

if without "$MESON" setup "$T/off" "$SOURCE_ROOT" --werror -Dtests=false >"$T/off.log" 2>&1; then
  ok "-Dtests=false configures without libdiscid and libburn"
  if ninja -C "$T/off" daemon/rawcdd client/rawcdctl >"$T/build.log" 2>&1; then
    ok "... and builds rawcdd and rawcdctl (warnings as errors)"
    check "... which need neither library" \
      bash -c "! readelf -d '$T/off/daemon/rawcdd' '$T/off/client/rawcdctl' | grep -E 'NEEDED.*lib(discid|burn)'"
  else
    not_ok "... and builds rawcdd and rawcdctl (warnings as errors)"
    tail -n 30 "$T/build.log" | diag
  fi
  "$MESON" introspect --tests "$T/off" >"$T/tests.json" 2>&1
  check "... and defines no test" grep -q -x -F '[]' "$T/tests.json"
else
  not_ok "-Dtests=false configures without libdiscid and libburn"
  tail -n 20 "$T/off.log" | diag
fi

finish

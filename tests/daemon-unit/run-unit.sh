#!/bin/sh
# Runs a unit test program under RAWCD_DAEMON_WRAPPER when it is set
# (`meson test --setup valgrind` sets it to a valgrind command line that
# exits 99 on memory errors or definite leaks), natively otherwise.
exec ${RAWCD_DAEMON_WRAPPER:-} "$@"

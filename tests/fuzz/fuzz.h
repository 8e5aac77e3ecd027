/* fuzz.h: what every fuzz target of tests/fuzz implements.
 *
 * A target is one function, LLVMFuzzerTestOneInput(), built two ways
 * (tests/fuzz/meson.build): with clang and -fsanitize=fuzzer (libFuzzer
 * calls it with generated inputs; tests/fuzz/run-fuzzers), and in every
 * normal build with replay.c as main(), which calls it once for each file
 * of the target's corpus, so that the seeds and every crash ever found stay
 * tested and a change of the APIs it calls breaks the build.
 *
 * A target returns 0.  It checks what must hold whatever the input (a
 * message exists, text is UTF-8 ...) with g_assert*: a failed check, like a
 * crash, a leak or undefined behaviour under the sanitizers, is a finding.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

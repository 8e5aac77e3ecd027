/* rc-error.c: the engine's error domain (its names on the bus are the
 * daemon's business: daemon/rcd-error.c). */
#include "rc-error.h"

G_DEFINE_QUARK (rc-error-quark, rc_error)

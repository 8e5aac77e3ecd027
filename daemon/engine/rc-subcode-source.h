/* rc-subcode-source.h: an R-W generator stream (IMAPI
 * AddSubcodeRWGenerator): 96 bytes per image sector, each byte one 6-bit
 * symbol, read from a seekable descriptor with positioned reads. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcSubcodeSource RcSubcodeSource;

/* Takes ownership of fd.  The descriptor must be seekable with a length
 * that is a multiple of 96 (RC_ERROR_INVALID_ARGUMENT otherwise). */
RcSubcodeSource *rc_subcode_source_new_from_fd (int fd, GError **error);
RcSubcodeSource *rc_subcode_source_ref         (RcSubcodeSource *source);
void             rc_subcode_source_unref       (RcSubcodeSource *source);

gint64           rc_subcode_source_get_sectors (RcSubcodeSource *source);

/* Reads the symbols of `n` sectors from sector `first` (0 = the image's
 * first sector).  A byte with either top bit set is an error naming its
 * offset. */
gboolean         rc_subcode_source_read        (RcSubcodeSource *source,
                                                gint64           first,
                                                guint            n,
                                                guint8          *buf,
                                                GError         **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcSubcodeSource, rc_subcode_source_unref)

G_END_DECLS

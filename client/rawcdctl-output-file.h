/* rawcdctl-output-file.h: the image file, written atomically.
 *
 * The image goes to an unnamed temporary file (O_TMPFILE) in the directory
 * of the output, or where the file system cannot do that, to a hidden
 * ".NAME.XXXXXX" beside it; only rcd_ctl_output_files_commit() gives it the
 * output's name (replacing any file there in one rename).  Until then the
 * output is untouched, and rcd_ctl_output_file_abort() (or freeing it)
 * leaves nothing behind.
 *
 * An output that exists and is not a regular file (a FIFO, /dev/null, a
 * terminal) is written directly: there is nothing to rename.  So is the
 * output "-", standard output (not when it is a terminal).
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _RcdCtlOutputFile RcdCtlOutputFile;

/* TRUE when path is "-": standard output. */
gboolean          rcd_ctl_output_file_is_stdout (const char *path);

/* Checks that the output can be created, without creating anything: its
 * directory exists, and the output is not a directory (standard output:
 * not a terminal). */
gboolean          rcd_ctl_output_file_check   (const char *path,
                                               GError    **error);

/* Creates the temporary file (or opens a non-regular output). */
RcdCtlOutputFile *rcd_ctl_output_file_new     (const char *path,
                                               GError    **error);

/* The descriptor to write the image to, open for writing. */
int               rcd_ctl_output_file_get_fd  (RcdCtlOutputFile *file);

/* Commits several files (an image and its side files) so that all of them
 * appear or none: each is synced and named beside its output first, then
 * they are renamed in order.  If one of those steps fails, the files
 * already renamed are removed again and the others aborted. */
gboolean          rcd_ctl_output_files_commit (RcdCtlOutputFile *const *files,
                                               guint                   n_files,
                                               GError                **error);

/* Writes all of bytes at the file's current offset. */
gboolean          rcd_ctl_output_file_write_bytes (RcdCtlOutputFile *file,
                                                   GBytes           *bytes,
                                                   GError          **error);

/* Removes the temporary file (nothing to do with O_TMPFILE). */
void              rcd_ctl_output_file_abort   (RcdCtlOutputFile *file);

/* Aborts unless committed, closes the descriptor. */
void              rcd_ctl_output_file_free    (RcdCtlOutputFile *file);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RcdCtlOutputFile, rcd_ctl_output_file_free)

G_END_DECLS

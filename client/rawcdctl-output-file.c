/* rawcdctl-output-file.c: the image file, written to a temporary file and renamed
 * to the output's name only when the image is complete.
 */
#define _GNU_SOURCE   /* O_TMPFILE, AT_EMPTY_PATH */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "rawcdctl-output-file.h"

struct _RcdCtlOutputFile {
  char    *path;        /* the output */
  char    *dir;         /* its directory */
  char    *temp_path;   /* the named temporary file, if any */
  int      fd;
  gboolean unnamed;     /* O_TMPFILE: no name until committed */
  gboolean direct;      /* not a regular file: written in place */
  gboolean prepared;    /* synced and named, ready for the rename */
  gboolean done;        /* committed or aborted */
};

/* "WHAT PATH: strerror(errsv)" */
static gboolean
set_errno_error (GError **error, int errsv, const char *what, const char *path)
{
  g_autofree char *display = g_filename_display_name (path);

  g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
               "%s %s: %s", what, display, g_strerror (errsv));
  return FALSE;
}

/* An existing output that is neither a regular file nor a directory. */
static gboolean
is_special (const char *path)
{
  struct stat st;

  return stat (path, &st) == 0 && !S_ISREG (st.st_mode) && !S_ISDIR (st.st_mode);
}

gboolean
rcd_ctl_output_file_is_stdout (const char *path)
{
  return g_strcmp0 (path, "-") == 0;
}

gboolean
rcd_ctl_output_file_check (const char *path, GError **error)
{
  g_autofree char *dir = NULL;
  struct stat st;

  if (rcd_ctl_output_file_is_stdout (path)) {
    /* an image is hundreds of megabytes of binary */
    if (isatty (STDOUT_FILENO)) {
      g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                           "standard output is a terminal; redirect it to a file "
                           "or a pipe to write the image there");
      return FALSE;
    }
    return TRUE;
  }
  if (*path == '\0') {
    g_set_error_literal (error, G_FILE_ERROR, G_FILE_ERROR_INVAL,
                         "the output file name is empty");
    return FALSE;
  }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    return set_errno_error (error, EISDIR, "cannot write", path);
  if (is_special (path))
    return TRUE;

  dir = g_path_get_dirname (path);
  if (stat (dir, &st) != 0)
    return set_errno_error (error, errno, "cannot write in", dir);
  if (!S_ISDIR (st.st_mode))
    return set_errno_error (error, ENOTDIR, "cannot write in", dir);
  if (access (dir, W_OK | X_OK) != 0)
    return set_errno_error (error, errno, "cannot write in", dir);
  return TRUE;
}

static void
output_file_clear (RcdCtlOutputFile *file)
{
  g_free (file->path);
  g_free (file->dir);
  g_free (file->temp_path);
  if (file->fd >= 0)
    close (file->fd);
  g_free (file);
}

RcdCtlOutputFile *
rcd_ctl_output_file_new (const char *path, GError **error)
{
  RcdCtlOutputFile *file = g_new0 (RcdCtlOutputFile, 1);
  g_autofree char *base = NULL;

  file->path = g_strdup (path);
  file->dir = g_path_get_dirname (path);
  file->fd = -1;

  if (rcd_ctl_output_file_is_stdout (path)) {
    file->direct = TRUE;
    file->fd = fcntl (STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (file->fd < 0) {
      set_errno_error (error, errno, "cannot write to", "standard output");
      output_file_clear (file);
      return NULL;
    }
    return file;
  }
  if (is_special (path)) {
    file->direct = TRUE;
    file->fd = open (path, O_WRONLY | O_CLOEXEC | O_NOCTTY);
    if (file->fd < 0) {
      set_errno_error (error, errno, "cannot open", path);
      output_file_clear (file);
      return NULL;
    }
    return file;
  }

  /* RAWCDCTL_NO_O_TMPFILE=1: the fallback, as on a file system without
   * O_TMPFILE (for the tests) */
  if (g_strcmp0 (g_getenv ("RAWCDCTL_NO_O_TMPFILE"), "1") != 0)
    file->fd = open (file->dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
  if (file->fd >= 0) {
    file->unnamed = TRUE;
    return file;
  }

  /* no O_TMPFILE on this file system: a hidden file beside the output */
  base = g_path_get_basename (path);
  file->temp_path = g_strdup_printf ("%s/.%s.XXXXXX", file->dir, base);
  file->fd = g_mkstemp_full (file->temp_path, O_WRONLY | O_CLOEXEC, 0666);
  if (file->fd < 0) {
    set_errno_error (error, errno, "cannot create a file in", file->dir);
    g_clear_pointer (&file->temp_path, g_free);
    output_file_clear (file);
    return NULL;
  }
  return file;
}

int
rcd_ctl_output_file_get_fd (RcdCtlOutputFile *file)
{
  return file->fd;
}

/* Gives the unnamed file a hidden name beside the output. */
static gboolean
link_unnamed (RcdCtlOutputFile *file, GError **error)
{
  g_autofree char *proc_path = g_strdup_printf ("/proc/self/fd/%d", file->fd);
  g_autofree char *base = g_path_get_basename (file->path);

  for (int attempt = 0; attempt < 100; attempt++) {
    g_autofree char *temp_path =
      g_strdup_printf ("%s/.%s.%08x", file->dir, base, g_random_int ());
    int r;

    r = linkat (AT_FDCWD, proc_path, AT_FDCWD, temp_path, AT_SYMLINK_FOLLOW);
    if (r != 0 && errno == ENOENT)   /* no /proc: needs CAP_DAC_READ_SEARCH */
      r = linkat (file->fd, "", AT_FDCWD, temp_path, AT_EMPTY_PATH);
    if (r == 0) {
      file->temp_path = g_steal_pointer (&temp_path);
      return TRUE;
    }
    if (errno != EEXIST)
      return set_errno_error (error, errno, "cannot create", file->path);
  }
  return set_errno_error (error, EEXIST, "cannot create", file->path);
}

/* The data on disk and a name beside the output: all that can fail before
 * the rename. */
static gboolean
prepare (RcdCtlOutputFile *file, GError **error)
{
  if (file->direct || file->prepared)
    return TRUE;
  /* the data first, so that the name never points at a partial image */
  if (fdatasync (file->fd) != 0) {
    int errsv = errno;

    rcd_ctl_output_file_abort (file);
    return set_errno_error (error, errsv, "cannot write", file->path);
  }
  if (file->unnamed && !link_unnamed (file, error)) {
    rcd_ctl_output_file_abort (file);
    return FALSE;
  }
  file->prepared = TRUE;
  return TRUE;
}

static gboolean
finish (RcdCtlOutputFile *file, GError **error)
{
  if (file->direct) {
    file->done = TRUE;
    return TRUE;
  }
  if (rename (file->temp_path, file->path) != 0) {
    int errsv = errno;

    rcd_ctl_output_file_abort (file);
    return set_errno_error (error, errsv, "cannot create", file->path);
  }
  g_clear_pointer (&file->temp_path, g_free);
  file->done = TRUE;
  return TRUE;
}

gboolean
rcd_ctl_output_files_commit (RcdCtlOutputFile *const *files,
                             guint                   n_files,
                             GError                **error)
{
  for (guint i = 0; i < n_files; i++)
    g_return_val_if_fail (!files[i]->done, FALSE);

  for (guint i = 0; i < n_files; i++) {
    if (!prepare (files[i], error)) {
      for (guint j = 0; j < n_files; j++)
        rcd_ctl_output_file_abort (files[j]);
      return FALSE;
    }
  }
  for (guint i = 0; i < n_files; i++) {
    if (!finish (files[i], error)) {
      /* take back the files already renamed (what they replaced is gone;
       * a rename in one directory after a successful link hardly fails) */
      for (guint j = 0; j < i; j++) {
        if (!files[j]->direct)
          g_unlink (files[j]->path);
      }
      for (guint j = i + 1; j < n_files; j++)
        rcd_ctl_output_file_abort (files[j]);
      return FALSE;
    }
  }
  return TRUE;
}

gboolean
rcd_ctl_output_file_write_bytes (RcdCtlOutputFile *file,
                                 GBytes           *bytes,
                                 GError          **error)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  while (len > 0) {
    ssize_t n = write (file->fd, data, len);

    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0)
      return set_errno_error (error, errno, "cannot write", file->path);
    data += n;
    len -= (gsize) n;
  }
  return TRUE;
}

void
rcd_ctl_output_file_abort (RcdCtlOutputFile *file)
{
  if (file->done)
    return;
  if (file->temp_path != NULL)
    g_unlink (file->temp_path);
  g_clear_pointer (&file->temp_path, g_free);
  file->done = TRUE;
}

void
rcd_ctl_output_file_free (RcdCtlOutputFile *file)
{
  if (file == NULL)
    return;
  rcd_ctl_output_file_abort (file);
  output_file_clear (file);
}

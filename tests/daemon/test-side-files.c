/* test-side-files.c: GetSideFiles: the CUE sheet, cdrdao TOC and CloneCD
 * control file for a data file the client names, the lines each must
 * hold, the layout frozen by the first one, and the names and options that
 * are refused.
 */
#define _GNU_SOURCE
#include "td-outputs.h"

#include <string.h>

static GVariant *
get_side_files (GDBusConnection *c, const char *creator, const char *format,
                const char *data_file, GVariant *options, GError **error)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *files = NULL;

  reply = td_call (c, creator, RAWCD_IFACE_CREATOR, "GetSideFiles",
                   g_variant_new ("(ss@a{sv})", format, data_file,
                                  options != NULL ? options : td_no_options ()),
                   G_VARIANT_TYPE ("(a{say})"), error);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(@a{say})", &files);
  return files;
}

/* The one file of a reply, as a NUL-terminated copy of its bytes. */
static char *
only_file (GVariant *files, const char *kind)
{
  g_autoptr(GVariant) bytes = g_variant_lookup_value (files, kind, G_VARIANT_TYPE_BYTESTRING);
  gsize len = 0;
  const char *data;

  g_assert_cmpuint (g_variant_n_children (files), ==, 1);
  if (bytes == NULL)
    g_error ("GetSideFiles gave no \"%s\"", kind);
  data = g_variant_get_fixed_array (bytes, &len, 1);
  g_assert_cmpuint (len, >, 0);
  /* the file's bytes: no NUL inside or at the end */
  g_assert_null (memchr (data, '\0', len));
  return g_strndup (data, len);
}

static void
assert_has_line (const char *text, const char *line, const char *what)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);
      if (g_str_equal (g_strchug (lines[i]), line))
        return;
    }
  g_error ("the %s has no line \"%s\":\n%s", what, line, text);
}

static void
side_files_fail (GDBusConnection *c, const char *creator, const char *format,
                 const char *data_file, GVariant *options, const char *name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) files = get_side_files (c, creator, format, data_file, options, &error);

  if (files != NULL)
    g_error ("GetSideFiles(%s, %s) succeeded; expected %s", format, data_file, name);
  td_assert_error (error, name);
}

/* GetSideFiles requests that must be refused: format, data file name,
 * options in GVariant text (NULL: none), the error. */
typedef struct {
  const char *format;
  const char *data_file;
  const char *options;
  const char *name;
} SideFilesRefusal;

/* Checked while the layout is open: none of them may freeze it. */
static const SideFilesRefusal refused_while_open[] = {
  /* the data file is a name in the sheet's directory, nothing else */
  { "cue", "dir/x.bin", NULL, "InvalidArgument" },
  { "cue", "", NULL, "InvalidArgument" },
  { "cue", "x\".bin", NULL, "InvalidArgument" },
  /* an unknown format */
  { "iso", "x.bin", NULL, "InvalidArgument" },
  /* a subchannel file is clonecd's only; unknown options */
  { "cue", "x.bin", "{'subchannel_file': <'x.sub'>}", "InvalidArgument" },
  { "cue", "x.bin", "{'colour': <'blue'>}", "InvalidArgument" },
};

/* Checked once frozen.  CloneCD readers find BASE.img and BASE.sub by the
 * control file: other names are refused. */
static const SideFilesRefusal refused_when_frozen[] = {
  { "clonecd", "x.bin", NULL, "InvalidArgument" },
  { "clonecd", "x.img", "{'subchannel_file': <'y.sub'>}", "InvalidArgument" },
  { "clonecd", "x.img", "{'subchannel_file': <'d/x.sub'>}", "InvalidArgument" },
  { "toc", "../x.bin", NULL, "InvalidArgument" },
};

static void
side_files_refuse_all (GDBusConnection *c, const char *creator,
                       const SideFilesRefusal *refusals, gsize n)
{
  for (gsize i = 0; i < n; i++)
    side_files_fail (c, creator, refusals[i].format, refusals[i].data_file,
                     refusals[i].options != NULL ? g_variant_new_parsed (refusals[i].options) : NULL,
                     refusals[i].name);
}

static void
test_side_files (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autoptr(GError) error = NULL;
  g_autofree char *creator = td_side_disc (c);
  g_autoptr(GVariant) cue_files = NULL, toc_files = NULL, ccd_files = NULL, named = NULL;
  g_autofree char *cue = NULL, *toc = NULL, *ccd = NULL, *ccd_named = NULL;

  /* Refused before anything is frozen */
  side_files_refuse_all (c, creator, refused_while_open, G_N_ELEMENTS (refused_while_open));
  td_add_track_ok (c, creator, "e5.wav", NULL);   /* still open: track 3 */

  cue_files = get_side_files (c, creator, "cue", "x.bin", NULL, &error);
  g_assert_no_error (error);
  cue = only_file (cue_files, "cue");
  assert_has_line (cue, "FILE \"x.bin\" BINARY", "CUE sheet");
  assert_has_line (cue, "TRACK 01 AUDIO", "CUE sheet");
  assert_has_line (cue, "INDEX 01 00:00:00", "CUE sheet");
  assert_has_line (cue, "INDEX 02 00:04:00", "CUE sheet");   /* offset 300 */
  assert_has_line (cue, "TRACK 02 AUDIO", "CUE sheet");
  assert_has_line (cue, "INDEX 00 00:08:00", "CUE sheet");   /* LBA 600 */
  assert_has_line (cue, "INDEX 01 00:10:00", "CUE sheet");   /* LBA 750 */
  assert_has_line (cue, "TRACK 03 AUDIO", "CUE sheet");
  assert_has_line (cue, "CATALOG " TD_MCN, "CUE sheet");
  assert_has_line (cue, "ISRC " TD_ISRC, "CUE sheet");
  /* ISO-8859-1 bytes, not UTF-8 */
  assert_has_line (cue, "TITLE \"Caf\xe9 Album\"", "CUE sheet");

  /* The layout is frozen now */
  {
    g_autoptr(GError) add_error = NULL;

    g_assert_cmpint (td_add_track (c, creator, td_audio ("e5.wav"), NULL, NULL, &add_error), ==, 0);
    td_assert_error (add_error, "ReadOnly");
  }

  toc_files = get_side_files (c, creator, "toc", "x.bin", NULL, &error);
  g_assert_no_error (error);
  toc = only_file (toc_files, "toc");
  assert_has_line (toc, "CD_DA", "TOC file");
  assert_has_line (toc, "CATALOG \"" TD_MCN "\"", "TOC file");
  assert_has_line (toc, "ISRC \"" TD_ISRC "\"", "TOC file");
  g_assert_nonnull (strstr (toc, "FILE \"x.bin\" 00:00:00"));
  g_assert_null (strstr (toc, "SWAP"));

  ccd_files = get_side_files (c, creator, "clonecd", "x.img", NULL, &error);
  g_assert_no_error (error);
  ccd = only_file (ccd_files, "ccd");
  assert_has_line (ccd, "[CloneCD]", "CloneCD file");
  assert_has_line (ccd, "CATALOG=" TD_MCN, "CloneCD file");
  assert_has_line (ccd, "[TRACK 2]", "CloneCD file");
  assert_has_line (ccd, "INDEX 1=750", "CloneCD file");
  assert_has_line (ccd, "ISRC=" TD_ISRC, "CloneCD file");
  named = get_side_files (c, creator, "clonecd", "x.img",
                          g_variant_new_parsed ("{'subchannel_file': <'x.sub'>}"), &error);
  g_assert_no_error (error);
  ccd_named = only_file (named, "ccd");
  g_assert_cmpstr (ccd_named, ==, ccd);

  /* CloneCD readers find BASE.img and BASE.sub by the control file */
  side_files_refuse_all (c, creator, refused_when_frozen, G_N_ELEMENTS (refused_when_frozen));
}

/* Issue 11's first attack: a name of a few hundred KB on a 99-track
 * session made a reply over the bus's limit, and the bus disconnected the
 * daemon.  Names are single path components of at most 255 bytes: longer
 * ones are refused at once, without being quoted, and the session goes on
 * answering.  A third client's reads are measured meanwhile. */
static void
test_side_files_oversize_names (TdFixture *f, gconstpointer data)
{
  static const gsize lengths[] = { 256, 300 * 1024, 1024 * 1024 };
  static const char *const formats[] = { "cue", "toc", "clonecd" };
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);
  g_autoptr(GVariant) files = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *toc = NULL;
  TdProbe *probe;
  gint64 since;

  for (guint i = 0; i < 99; i++)
    td_add_track_ok (c, creator, "e5.wav", NULL);
  probe = td_probe_start ("GetSideFiles with names up to 1 MB on a 99-track session");
  since = g_get_monotonic_time ();
  /* again and again while the probe measures */
  do
    for (guint l = 0; l < G_N_ELEMENTS (lengths); l++)
      for (guint k = 0; k < G_N_ELEMENTS (formats); k++)
        {
          g_autofree char *name = g_strnfill (lengths[l], 'n');
          g_autoptr(GError) refusal = NULL;
          g_autoptr(GVariant) refused = get_side_files (c, creator, formats[k], name, NULL, &refusal);

          if (refused != NULL)
            g_error ("GetSideFiles(%s) with a name of %" G_GSIZE_FORMAT " bytes succeeded",
                     formats[k], lengths[l]);
          td_assert_error (refusal, "InvalidArgument");
          g_assert_nonnull (strstr (refusal->message, "at most 255"));
          /* the name is not repeated in the message */
          g_assert_cmpuint (strlen (refusal->message), <, 1024);
        }
  while (td_probe_wants_more (probe, since));
  td_probe_stop (probe);

  /* The session still answers, and a name of 255 bytes is taken. */
  {
    g_autofree char *longest = g_strnfill (251, 'n');
    g_autofree char *name = g_strconcat (longest, ".bin", NULL);

    files = get_side_files (c, creator, "toc", name, NULL, &error);
    g_assert_no_error (error);
    toc = only_file (files, "toc");
    g_assert_nonnull (strstr (toc, name));
  }
  g_assert_cmpint (td_get_i (c, creator, RAWCD_IFACE_CREATOR, "NumberOfExistingTracks"), ==, 99);
  td_daemon_assert_alive (f->daemon);
}

static void
test_side_files_no_tracks (TdFixture *f, gconstpointer data)
{
  GDBusConnection *c = f->conn;
  g_autofree char *creator = td_create_session (c, NULL);

  side_files_fail (c, creator, "cue", "x.bin", NULL, "NoTracks");
  /* not frozen */
  td_add_track_ok (c, creator, "e5.wav", NULL);
}

int
main (int argc, char **argv)
{
  td_init (&argc, &argv);
  td_add ("/daemon/outputs/side-files", test_side_files);
  td_add ("/daemon/outputs/side-files/no-tracks", test_side_files_no_tracks);
  td_add ("/daemon/outputs/side-files/oversize-names", test_side_files_oversize_names);
  return td_run ();
}

/* rawcdctl-inspect-report.c: the report of Manager.InspectImage as rawcdctl
 * inspect prints it, as text or JSON (rawcdctl-inspect-report.h).  Every number
 * and time comes from the report: no CD arithmetic here.
 */
#include "rawcdctl-inspect-report.h"

#include "rawcdctl-json.h"

/* ---- reading the report ------------------------------------------------ */

static gboolean
lookup_boolean (GVariant *dict, const char *key, gboolean fallback)
{
  gboolean value;

  return g_variant_lookup (dict, key, "b", &value) ? value : fallback;
}

static guint32
lookup_uint32 (GVariant *dict, const char *key, guint32 fallback)
{
  guint32 value;

  return g_variant_lookup (dict, key, "u", &value) ? value : fallback;
}

static gint32
lookup_int32 (GVariant *dict, const char *key, gint32 fallback)
{
  gint32 value;

  return g_variant_lookup (dict, key, "i", &value) ? value : fallback;
}

static guint64
lookup_uint64 (GVariant *dict, const char *key, guint64 fallback)
{
  guint64 value;

  return g_variant_lookup (dict, key, "t", &value) ? value : fallback;
}

/* The string under key, or "" (owned by dict) */
static const char *
lookup_string (GVariant *dict, const char *key)
{
  const char *value;

  return g_variant_lookup (dict, key, "&s", &value) ? value : "";
}

/* "LBA (MM:SS:FF)" from the report's LBA and the absolute time the service
 * gives with it under msf_key: no CD arithmetic here. */
static char *
lba_and_msf (GVariant *dict, const char *lba_key, const char *msf_key)
{
  gint32 lba = lookup_int32 (dict, lba_key, G_MININT32);

  if (lba == G_MININT32)
    return g_strdup ("-");
  return g_strdup_printf ("%d (%s)", lba, lookup_string (dict, msf_key));
}

/* The absolute time of problem i, "" when the service gave none. */
static const char *
problem_msf (GVariant *msfs, gsize i)
{
  const char *msf = "";

  if (msfs != NULL && i < g_variant_n_children (msfs))
    g_variant_get_child (msfs, i, "&s", &msf);
  return msf;
}

gboolean
rcd_ctl_inspect_is_clean (GVariant *report)
{
  return lookup_boolean (report, "clean", lookup_uint32 (report, "problem_count", 0) == 0);
}

/* ---- text -------------------------------------------------------------- */

static const char *
copy_name (guint32 copy)
{
  static const char *const names[] = { "permitted", "prohibited", "scms" };

  return copy < G_N_ELEMENTS (names) ? names[copy] : "?";
}

static const char *
image_type_name (guint32 type)
{
  switch (type) {
  case 1: return "PQ_ONLY";
  case 2: return "IS_COOKED";
  case 3: return "IS_RAW";
  default: return "IS_RAW or IS_COOKED (no R-W data tells them apart)";
  }
}

static void
print_tracks (GVariant *tracks)
{
  GVariantIter iter;
  GVariant *track;

  g_print ("\n%5s  %10s  %9s  %8s  %9s  %-9s  %-3s  %-12s  %s\n",
           "Track", "Pregap LBA", "Start LBA", "MSF", "End LBA", "Copy", "Pre", "ISRC",
           "Indexes (LBA)");
  g_variant_iter_init (&iter, tracks);
  while (g_variant_iter_next (&iter, "@a{sv}", &track)) {
    g_autoptr(GVariant) owned = track;
    g_autoptr(GVariant) indexes = g_variant_lookup_value (track, "indexes", G_VARIANT_TYPE ("ai"));
    g_autoptr(GString) index_list = g_string_new (NULL);
    g_autofree char *pregap = NULL;
    const char *msf = lookup_string (track, "start_msf");
    gint32 start = lookup_int32 (track, "start_lba", G_MININT32);
    gint32 pregap_lba = lookup_int32 (track, "pregap_lba", G_MININT32);
    const char *isrc = lookup_string (track, "isrc");

    pregap = pregap_lba == G_MININT32 ? g_strdup ("-") : g_strdup_printf ("%d", pregap_lba);
    if (start == G_MININT32 || *msf == '\0')
      msf = "-";
    /* index 1 is the start; list 2.. as N@LBA */
    if (indexes != NULL) {
      gsize n = 0;
      const gint32 *lbas = g_variant_get_fixed_array (indexes, &n, sizeof (gint32));

      for (gsize i = 1; i < n; i++)
        g_string_append_printf (index_list, "%s%" G_GSIZE_FORMAT "@%d",
                                i > 1 ? "," : "", i + 1, lbas[i]);
    }
    if (index_list->len == 0)
      g_string_append (index_list, "-");
    g_print ("%5u  %10s  %9d  %8s  %9d  %-9s  %-3s  %-12s  %s\n",
             lookup_uint32 (track, "number", 0), pregap, start, msf,
             lookup_int32 (track, "end_lba", 0),
             copy_name (lookup_uint32 (track, "copy", 0)),
             lookup_boolean (track, "preemphasis", FALSE) ? "yes" : "no",
             *isrc != '\0' ? isrc : "-", index_list->str);
  }
}

static void
print_toc (GVariant *report, GVariant *tracks)
{
  GVariantIter iter;
  GVariant *track;
  gint32 leadout = lookup_int32 (report, "leadout_lba", G_MININT32);

  g_print ("\nTOC (first track %u, last track %u):\n",
           lookup_uint32 (report, "first_track", 0), lookup_uint32 (report, "last_track", 0));
  g_print ("%5s  %9s  %8s\n", "Track", "LBA", "MSF");
  g_variant_iter_init (&iter, tracks);
  while (g_variant_iter_next (&iter, "@a{sv}", &track)) {
    g_autoptr(GVariant) owned = track;
    gint32 start = lookup_int32 (track, "start_lba", G_MININT32);
    const char *msf = lookup_string (track, "start_msf");

    if (start == G_MININT32)
      continue;
    g_print ("   %02u  %9d  %8s\n", lookup_uint32 (track, "number", 0), start, msf);
  }
  if (leadout != G_MININT32)
    g_print ("   AA  %9d  %8s\n", leadout, lookup_string (report, "leadout_msf"));
}

static void
print_cdtext (GVariant *cdtext)
{
  GVariantIter iter;
  GVariant *item;

  if (cdtext == NULL || g_variant_n_children (cdtext) == 0) {
    g_print ("\nCD-TEXT: none\n");
    return;
  }
  g_print ("\nCD-TEXT:\n%5s  %5s  %-10s  %s\n", "Block", "Track", "Field", "Text");
  g_variant_iter_init (&iter, cdtext);
  while (g_variant_iter_next (&iter, "@a{sv}", &item)) {
    g_autoptr(GVariant) owned = item;
    guint32 track = lookup_uint32 (item, "track", 0);
    g_autofree char *track_name = track == 0 ? g_strdup ("disc") : g_strdup_printf ("%u", track);
    g_autofree char *text = g_strdup (lookup_string (item, "text"));

    /* one line each */
    g_strdelimit (text, "\t\r\n", ' ');
    g_print ("%5u  %5s  %-10s  \"%s\"\n", lookup_uint32 (item, "block", 0), track_name,
             lookup_string (item, "field"), text);
  }
}

static void
print_problems (GVariant *report)
{
  g_autoptr(GVariant) problems = g_variant_lookup_value (report, "problems",
                                                         G_VARIANT_TYPE ("a(iss)"));
  g_autoptr(GVariant) msfs = g_variant_lookup_value (report, "problem_msfs", G_VARIANT_TYPE ("as"));
  g_autoptr(GVariant) counts = g_variant_lookup_value (report, "counts", G_VARIANT_TYPE ("a{su}"));
  gsize i = 0;
  guint32 count = lookup_uint32 (report, "problem_count", 0);
  gsize listed = problems != NULL ? g_variant_n_children (problems) : 0;
  GVariantIter iter;
  gint32 lba;
  const char *check;
  const char *message;

  if (count == 0 && listed == 0)
    return;
  g_print ("\nProblems (%u):\n", MAX (count, (guint32) listed));
  if (problems != NULL) {
    g_variant_iter_init (&iter, problems);
    while (g_variant_iter_next (&iter, "(i&s&s)", &lba, &check, &message)) {
      g_autofree char *where = NULL;

      if (lba == G_MININT32)
        where = g_strdup ("image");
      else
        where = g_strdup_printf ("LBA %d (MSF %s)", lba, problem_msf (msfs, i));
      i++;
      g_print ("  %s  %s: %s\n", where, check, message);
    }
  }
  if (count > listed)
    g_print ("  ... %" G_GSIZE_FORMAT " listed of %u\n", listed, count);
  if (counts != NULL && g_variant_n_children (counts) > 0) {
    g_autoptr(GString) line = g_string_new ("By check:");
    guint32 n;

    g_variant_iter_init (&iter, counts);
    while (g_variant_iter_next (&iter, "{&su}", &check, &n)) {
      if (n > 0)
        g_string_append_printf (line, " %s %u,", check, n);
    }
    if (g_str_has_suffix (line->str, ","))
      g_string_truncate (line, line->len - 1);
    g_print ("%s\n", line->str);
  }
}

void
rcd_ctl_inspect_print_text (GVariant *report, const char *image, const char *sub)
{
  g_autoptr(GVariant) tracks = g_variant_lookup_value (report, "tracks", G_VARIANT_TYPE ("aa{sv}"));
  g_autoptr(GVariant) cdtext = g_variant_lookup_value (report, "cdtext", G_VARIANT_TYPE ("aa{sv}"));
  g_autofree char *image_display = g_filename_display_name (image);
  g_autofree char *first = lba_and_msf (report, "first_lba", "first_msf");
  g_autofree char *leadout = lba_and_msf (report, "leadout_lba", "leadout_msf");
  guint32 type = lookup_uint32 (report, "image_type", 0);
  const char *mcn = lookup_string (report, "mcn");
  guint32 count = lookup_uint32 (report, "problem_count", 0);

  g_print ("Image:        %s\n", image_display);
  if (sub != NULL) {
    g_autofree char *sub_display = g_filename_display_name (sub);

    g_print ("Subchannel:   %s\n", sub_display);
  }
  g_print ("Format:       %s\n", lookup_string (report, "format"));
  g_print ("Image type:   %s\n", image_type_name (type));
  g_print ("Sectors:      %" G_GUINT64_FORMAT " of %u bytes, the first at LBA %s\n",
           lookup_uint64 (report, "sectors", 0), lookup_uint32 (report, "sector_bytes", 0), first);
  g_print ("Tracks:       %u to %u\n",
           lookup_uint32 (report, "first_track", 0), lookup_uint32 (report, "last_track", 0));
  if (lookup_int32 (report, "leadout_lba", G_MININT32) == G_MININT32)
    g_print ("Lead-out:     not in the image\n");
  else
    g_print ("Lead-out:     LBA %s\n", leadout);
  g_print ("MCN:          %s\n", *mcn != '\0' ? mcn : "none");

  if (tracks != NULL && g_variant_n_children (tracks) > 0) {
    print_tracks (tracks);
    print_toc (report, tracks);
  }
  print_cdtext (cdtext);
  print_problems (report);

  g_print ("\n");
  if (rcd_ctl_inspect_is_clean (report))
    g_print ("clean\n");
  else
    g_print ("%u problem%s\n", MAX (count, 1u), count == 1 ? "" : "s");
}

/* ---- JSON ---------------------------------------------------------------- */

/* A value of the report as JSON: dictionaries as objects, arrays and
 * tuples as arrays; an LBA of G_MININT ("none applies") as null. */
static void
json_value (RcdJson *json, GVariant *value)
{
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_VARIANT)) {
    g_autoptr(GVariant) inner = g_variant_get_variant (value);

    json_value (json, inner);
    return;
  }
  switch (g_variant_classify (value)) {
  case G_VARIANT_CLASS_BOOLEAN:
    rcd_json_boolean (json, g_variant_get_boolean (value));
    break;
  case G_VARIANT_CLASS_BYTE:
    rcd_json_uint (json, g_variant_get_byte (value));
    break;
  case G_VARIANT_CLASS_INT16:
    rcd_json_int (json, g_variant_get_int16 (value));
    break;
  case G_VARIANT_CLASS_UINT16:
    rcd_json_uint (json, g_variant_get_uint16 (value));
    break;
  case G_VARIANT_CLASS_INT32:
    if (g_variant_get_int32 (value) == G_MININT32)
      rcd_json_null (json);
    else
      rcd_json_int (json, g_variant_get_int32 (value));
    break;
  case G_VARIANT_CLASS_UINT32:
    rcd_json_uint (json, g_variant_get_uint32 (value));
    break;
  case G_VARIANT_CLASS_INT64:
    rcd_json_int (json, g_variant_get_int64 (value));
    break;
  case G_VARIANT_CLASS_UINT64:
    rcd_json_uint (json, g_variant_get_uint64 (value));
    break;
  case G_VARIANT_CLASS_DOUBLE:
    rcd_json_double (json, g_variant_get_double (value));
    break;
  case G_VARIANT_CLASS_STRING:
  case G_VARIANT_CLASS_OBJECT_PATH:
  case G_VARIANT_CLASS_SIGNATURE:
    rcd_json_string (json, g_variant_get_string (value, NULL));
    break;
  case G_VARIANT_CLASS_ARRAY:
    if (g_variant_type_is_dict_entry (g_variant_type_element (g_variant_get_type (value))) &&
        g_variant_type_equal (g_variant_type_key (g_variant_type_element (g_variant_get_type (value))),
                              G_VARIANT_TYPE_STRING)) {
      GVariantIter iter;
      const char *key;
      GVariant *item;

      rcd_json_begin_object (json);
      g_variant_iter_init (&iter, value);
      while (g_variant_iter_next (&iter, "{&s@*}", &key, &item)) {
        g_autoptr(GVariant) owned = item;

        rcd_json_member (json, key);
        json_value (json, item);
      }
      rcd_json_end_object (json);
      break;
    }
    G_GNUC_FALLTHROUGH;
  case G_VARIANT_CLASS_TUPLE:
  case G_VARIANT_CLASS_DICT_ENTRY: {
    gsize n = g_variant_n_children (value);

    rcd_json_begin_array (json);
    for (gsize i = 0; i < n; i++) {
      g_autoptr(GVariant) child = g_variant_get_child_value (value, i);

      json_value (json, child);
    }
    rcd_json_end_array (json);
    break;
  }
  default:
    rcd_json_null (json);
    break;
  }
}

void
rcd_ctl_inspect_print_json (GVariant *report, const char *image, const char *sub)
{
  g_autoptr(RcdJson) json = rcd_json_new ();
  g_autoptr(GVariant) msfs = g_variant_lookup_value (report, "problem_msfs", G_VARIANT_TYPE ("as"));
  GVariantIter iter;
  const char *key;
  GVariant *value;

  rcd_json_begin_object (json);
  rcd_json_member (json, "file");
  rcd_json_string (json, image);
  rcd_json_member (json, "subchannel_file");
  rcd_json_string (json, sub);
  g_variant_iter_init (&iter, report);
  while (g_variant_iter_next (&iter, "{&sv}", &key, &value)) {
    g_autoptr(GVariant) owned = value;

    /* merged into the problems' objects below */
    if (g_str_equal (key, "problem_msfs"))
      continue;
    rcd_json_member (json, key);
    if (g_str_equal (key, "problems") && g_variant_is_of_type (value, G_VARIANT_TYPE ("a(iss)"))) {
      GVariantIter problems;
      gint32 lba;
      const char *check;
      const char *message;
      gsize i = 0;

      /* objects rather than [lba, check, message], with the time too */
      rcd_json_begin_array (json);
      g_variant_iter_init (&problems, value);
      while (g_variant_iter_next (&problems, "(i&s&s)", &lba, &check, &message)) {
        const char *msf = problem_msf (msfs, i++);

        rcd_json_begin_object (json);
        rcd_json_member (json, "lba");
        if (lba == G_MININT32)
          rcd_json_null (json);
        else
          rcd_json_int (json, lba);
        rcd_json_member (json, "msf");
        rcd_json_string (json, lba == G_MININT32 || *msf == '\0' ? NULL : msf);
        rcd_json_member (json, "check");
        rcd_json_string (json, check);
        rcd_json_member (json, "message");
        rcd_json_string (json, message);
        rcd_json_end_object (json);
      }
      rcd_json_end_array (json);
    } else {
      json_value (json, value);
    }
  }
  rcd_json_end_object (json);
  rcd_json_print_line (json);
}

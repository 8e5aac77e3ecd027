/* rawcdctl-cue-libcue.c: libcue's reading of a scanned CUE sheet
 * (rawcdctl-cue-sheet.c scans it first): the CD-TEXT, ISRC and FLAGS
 * DCP/PRE of the disc and its tracks.
 */
#include <string.h>

#include <libcue.h>

#include "rawcdctl-cue.h"

/* A text line libcue can take: quoted, no quote inside, no control
 * character; else none (the scan's value stays). */
static void
add_text_line (GString *out, const char *indent, const char *command, const char *value)
{
  if (value == NULL || strchr (value, '"') != NULL)
    return;
  g_string_append_printf (out, "%s%s \"%s\"\n", indent, command, value);
}

static void
add_texts (GString *out, const char *indent, char *const *text)
{
  static const char *const commands[] = {
    "TITLE", "PERFORMER", "SONGWRITER", "COMPOSER", "ARRANGER", "MESSAGE",
  };

  for (gsize i = 0; i < G_N_ELEMENTS (commands); i++)
    add_text_line (out, indent, commands[i], text[i]);
}

static void
add_time (GString *out, const char *what, guint frames)
{
  g_string_append_printf (out, "%s %02u:%02u:%02u\n", what, frames / (75 * 60),
                          frames / 75 % 60, frames % 75);
}

/* The sheet as the scan understood it, in the one spelling libcue 2.2
 * reads: it refuses sheets players and burners take (commands in lower
 * case, FLAGS SCMS, an unquoted title of several words, a quote inside a
 * title), says so on stderr, and leaks on the way out.  libcue reads this
 * copy instead of the user's bytes. */
static char *
canonical_text (const RcdCtlCueSheet *sheet)
{
  GString *out = g_string_new (NULL);
  gint file = -1;

  if (sheet->catalog != NULL)
    g_string_append_printf (out, "CATALOG %s\n", sheet->catalog);
  add_texts (out, "", sheet->text);
  for (guint t = 0; t < sheet->tracks->len; t++) {
    const RcdCtlCueTrack *track = g_ptr_array_index (sheet->tracks, t);
    guint first = track->index[0].file >= 0 ? 0 : 1;

    for (guint i = first; i < track->n_indexes; i++) {
      if (track->index[i].file != file) {
        file = track->index[i].file;
        g_string_append_printf (out, "FILE \"%u\" WAVE\n", (guint) file);
      }
      if (i == first) {
        g_string_append_printf (out, "  TRACK %02u AUDIO\n", track->number);
        add_texts (out, "    ", track->text);
        if (track->isrc != NULL && strchr (track->isrc, '"') == NULL)
          g_string_append_printf (out, "    ISRC %s\n", track->isrc);
        if (track->copy_permitted || track->preemphasis)
          g_string_append_printf (out, "    FLAGS%s%s\n", track->copy_permitted ? " DCP" : "",
                                  track->preemphasis ? " PRE" : "");
        if (track->pregap > 0)
          add_time (out, "    PREGAP", track->pregap);
      }
      g_string_append_printf (out, "    INDEX %02u ", i);
      add_time (out, "", track->index[i].frames);
    }
    if (track->postgap > 0)
      add_time (out, "    POSTGAP", track->postgap);
  }
  return g_string_free (out, FALSE);
}

/* libcue's reading of the sheet (its canonical copy): where it sees the
 * same tracks, its CD-TEXT, ISRC and FLAGS are the ones used; where it
 * cannot, the scan's stand (they are the same values, read by the scan). */
void
rcd_ctl_cue_sheet_read_libcue (RcdCtlCueSheet *sheet)
{
  g_autofree char *text = canonical_text (sheet);
  static const struct {
    enum Pti       pti;
    RcdCtlCueText  field;
  } fields[] = {
    { PTI_TITLE, RCD_CTL_CUE_TITLE }, { PTI_PERFORMER, RCD_CTL_CUE_PERFORMER },
    { PTI_SONGWRITER, RCD_CTL_CUE_SONGWRITER }, { PTI_COMPOSER, RCD_CTL_CUE_COMPOSER },
    { PTI_ARRANGER, RCD_CTL_CUE_ARRANGER }, { PTI_MESSAGE, RCD_CTL_CUE_MESSAGE },
  };
  Cd *cd = cue_parse_string (text);

  if (cd == NULL)
    return;
  if (cd_get_ntrack (cd) != (int) sheet->tracks->len) {
    cd_delete (cd);
    return;
  }
  for (guint t = 0; t <= sheet->tracks->len; t++) {
    RcdCtlCueTrack *track = t > 0 ? g_ptr_array_index (sheet->tracks, t - 1) : NULL;
    Track *cue_track = t > 0 ? cd_get_track (cd, (int) t) : NULL;
    Cdtext *cdtext = t > 0 ? track_get_cdtext (cue_track) : cd_get_cdtext (cd);
    char **text_slots = t > 0 ? track->text : sheet->text;

    for (gsize i = 0; i < G_N_ELEMENTS (fields); i++) {
      const char *value = cdtext != NULL ? cdtext_get (fields[i].pti, cdtext) : NULL;

      if (value != NULL) {
        g_free (text_slots[fields[i].field]);
        text_slots[fields[i].field] = g_strdup (value);
      }
    }
    if (track == NULL)
      continue;
    if (track_get_isrc (cue_track) != NULL) {
      g_free (track->isrc);
      track->isrc = g_strdup (track_get_isrc (cue_track));
    }
    track->copy_permitted = track_is_set_flag (cue_track, FLAG_COPY_PERMITTED) != 0;
    track->preemphasis = track_is_set_flag (cue_track, FLAG_PRE_EMPHASIS) != 0;
  }
  cd_delete (cd);
}

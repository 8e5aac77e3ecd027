/* rawcdctl-progress.c: the progress bar and the JSON progress objects of create. */
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "rawcdctl-json.h"
#include "rawcdctl-levels.h"
#include "rawcdctl-progress.h"

#define MIN_INTERVAL_US   (G_USEC_PER_SEC / 10)
#define BAR_MIN_WIDTH     10
#define BAR_MAX_WIDTH     40

struct _RcdCtlProgress {
  RcdCtlProgressFlags flags;
  char               *output;
  char               *label;        /* the output's base name */
  gint64              last_draw;    /* monotonic µs, 0 never */
  char               *last_state;
  gsize               line_length;  /* of the bar drawn last */
  GStrv               files;        /* every file written, NULL: output */
  GArray             *clipping;     /* RcdCtlClipping, NULL: none known */
  GArray             *levels;       /* RcdCtlLevels, NULL: not measured */
};

RcdCtlProgress *
rcd_ctl_progress_new (RcdCtlProgressFlags flags, const char *output)
{
  RcdCtlProgress *progress = g_new0 (RcdCtlProgress, 1);
  g_autofree char *base = g_path_get_basename (output);

  progress->flags = flags;
  progress->output = g_strdup (output);
  progress->label = g_str_equal (output, "-") ? g_strdup ("standard output")
                                              : g_filename_display_name (base);
  return progress;
}

void
rcd_ctl_progress_free (RcdCtlProgress *progress)
{
  if (progress == NULL)
    return;
  g_free (progress->output);
  g_free (progress->label);
  g_free (progress->last_state);
  g_strfreev (progress->files);
  g_clear_pointer (&progress->clipping, g_array_unref);
  g_clear_pointer (&progress->levels, g_array_unref);
  g_free (progress);
}

void
rcd_ctl_progress_set_files (RcdCtlProgress *progress, const char *const *files)
{
  g_strfreev (progress->files);
  progress->files = g_strdupv ((char **) files);
}

/* Seconds until the job is expected to end, -1 when unknown. */
static gint64
seconds_left (const RcdCtlProgressInfo *info)
{
  gint64 now = g_get_real_time ();

  if (info->expected_end_time == 0)
    return -1;
  if ((gint64) info->expected_end_time <= now)
    return 0;
  return ((gint64) info->expected_end_time - now + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC;
}

static int
terminal_width (void)
{
  struct winsize ws;

  if (ioctl (STDERR_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
    return ws.ws_col;
  return 80;
}

static void
draw_bar (RcdCtlProgress *progress, const RcdCtlProgressInfo *info)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *tail = NULL;
  double fraction = CLAMP (info->progress, 0.0, 1.0);
  gint64 left = seconds_left (info);
  int width;
  int filled;

  if (g_strcmp0 (info->state, "queued") == 0) {
    g_string_printf (line, "%s  waiting for the service to start writing", progress->label);
  } else {
    g_autofree char *rate = info->rate > 0
      ? g_strdup_printf ("%.1f MB/s", info->rate / 1e6) : g_strdup ("-- MB/s");
    g_autofree char *time_left = NULL;

    if (g_strcmp0 (info->state, "running") != 0)
      time_left = g_strdup (info->state);
    else if (left < 0)
      time_left = g_strdup ("--:-- left");
    else if (left >= 3600)
      time_left = g_strdup_printf ("%d:%02d:%02d left", (int) (left / 3600),
                                   (int) (left / 60 % 60), (int) (left % 60));
    else
      time_left = g_strdup_printf ("%d:%02d left", (int) (left / 60), (int) (left % 60));
    tail = g_strdup_printf ("  %s  %s", rate, time_left);

    g_string_printf (line, "%s %3d%% [", progress->label, (int) (fraction * 100));
    width = terminal_width () - 1 - (int) line->len - 1 - (int) strlen (tail);
    width = CLAMP (width, BAR_MIN_WIDTH, BAR_MAX_WIDTH);
    filled = (int) (fraction * width + 0.5);
    for (int i = 0; i < width; i++)
      g_string_append_c (line, i < filled ? '#' : '-');
    g_string_append_c (line, ']');
    g_string_append (line, tail);
  }

  /* pad over the rest of a longer line drawn before */
  if (line->len < progress->line_length) {
    gsize pad = progress->line_length - line->len;

    for (gsize i = 0; i < pad; i++)
      g_string_append_c (line, ' ');
  }
  progress->line_length = line->len;
  g_printerr ("\r%s", line->str);
  fflush (stderr);
}

static void
print_json_progress (const RcdCtlProgressInfo *info)
{
  g_autoptr(RcdJson) json = rcd_json_new ();
  gint64 left = seconds_left (info);

  rcd_json_begin_object (json);
  rcd_json_member (json, "type");
  rcd_json_string (json, "progress");
  rcd_json_member (json, "state");
  rcd_json_string (json, info->state);
  rcd_json_member (json, "progress");
  rcd_json_double (json, info->progress);
  rcd_json_member (json, "sectors_written");
  rcd_json_uint (json, info->sectors_written);
  rcd_json_member (json, "total_sectors");
  rcd_json_uint (json, info->total_sectors);
  rcd_json_member (json, "bytes_written");
  rcd_json_uint (json, info->bytes_written);
  rcd_json_member (json, "rate");
  rcd_json_uint (json, info->rate);
  rcd_json_member (json, "seconds_left");
  if (left < 0)
    rcd_json_null (json);
  else
    rcd_json_int (json, left);
  rcd_json_end_object (json);
  rcd_json_print_line (json);
}

void
rcd_ctl_progress_update (RcdCtlProgress *progress, const RcdCtlProgressInfo *info)
{
  gint64 now = g_get_monotonic_time ();
  gboolean new_state = g_strcmp0 (info->state, progress->last_state) != 0;

  if (!new_state && progress->last_draw != 0 &&
      now - progress->last_draw < MIN_INTERVAL_US)
    return;
  progress->last_draw = now;
  g_free (progress->last_state);
  progress->last_state = g_strdup (info->state);

  if (progress->flags & RCD_CTL_PROGRESS_BAR)
    draw_bar (progress, info);
  if (progress->flags & RCD_CTL_PROGRESS_JSON)
    print_json_progress (info);
}

/* [{"track": N, "samples": M}, ...]; null when the job failed */
static void
add_clipping (RcdJson *json, GArray *clipping, gboolean success)
{
  if (!success) {
    rcd_json_null (json);
    return;
  }
  rcd_json_begin_array (json);
  for (guint i = 0; clipping != NULL && i < clipping->len; i++) {
    const RcdCtlClipping *entry = &g_array_index (clipping, RcdCtlClipping, i);

    rcd_json_begin_object (json);
    rcd_json_member (json, "track");
    rcd_json_uint (json, entry->number);
    rcd_json_member (json, "samples");
    rcd_json_uint (json, entry->samples);
    rcd_json_end_object (json);
  }
  rcd_json_end_array (json);
}

void
rcd_ctl_progress_set_clipping (RcdCtlProgress *progress, GArray *clipping)
{
  g_clear_pointer (&progress->clipping, g_array_unref);
  if (clipping != NULL)
    progress->clipping = g_array_ref (clipping);
}

void
rcd_ctl_progress_set_levels (RcdCtlProgress *progress, GArray *levels)
{
  g_clear_pointer (&progress->levels, g_array_unref);
  if (levels != NULL)
    progress->levels = g_array_ref (levels);
}

/* [{"track": N, "sample_peak": ..., ...}], null when nothing was measured */
static void
add_levels (RcdJson *json, GArray *levels)
{
  if (levels == NULL) {
    rcd_json_null (json);
    return;
  }
  rcd_json_begin_array (json);
  for (guint i = 0; i < levels->len; i++) {
    const RcdCtlLevels *entry = &g_array_index (levels, RcdCtlLevels, i);

    rcd_json_begin_object (json);
    rcd_json_member (json, "track");
    rcd_json_uint (json, entry->number);
    rcd_json_member (json, "levels");
    rcd_ctl_levels_json (json, entry);
    rcd_json_end_object (json);
  }
  rcd_json_end_array (json);
}

void
rcd_ctl_progress_finish (RcdCtlProgress           *progress,
                         const char               *state,
                         gboolean                  success,
                         const char               *message,
                         const char               *error_name,
                         const RcdCtlProgressInfo *info)
{
  if ((progress->flags & RCD_CTL_PROGRESS_BAR) && info != NULL) {
    RcdCtlProgressInfo last = *info;

    last.state = state;
    if (success)
      last.progress = 1.0;
    /* the rate is the service's: it measures from when the writing began
     * (StartTime is when the job was made, queueing included), and says
     * 0 (shown as unknown) when there was nothing to measure */
    draw_bar (progress, &last);
    g_printerr ("\n");
  }

  if (progress->flags & RCD_CTL_PROGRESS_JSON) {
    g_autoptr(RcdJson) json = rcd_json_new ();

    rcd_json_begin_object (json);
    rcd_json_member (json, "type");
    rcd_json_string (json, "result");
    rcd_json_member (json, "state");
    rcd_json_string (json, state);
    rcd_json_member (json, "success");
    rcd_json_boolean (json, success);
    rcd_json_member (json, "message");
    rcd_json_string (json, message);
    rcd_json_member (json, "error_name");
    rcd_json_string (json, error_name);
    rcd_json_member (json, "output");
    rcd_json_string (json, success ? progress->output : NULL);
    rcd_json_member (json, "files");
    if (success) {
      rcd_json_begin_array (json);
      if (progress->files == NULL)
        rcd_json_string (json, progress->output);
      for (char **f = progress->files; f != NULL && *f != NULL; f++)
        rcd_json_string (json, *f);
      rcd_json_end_array (json);
    } else {
      rcd_json_null (json);
    }
    rcd_json_member (json, "bytes_written");
    rcd_json_uint (json, info != NULL ? info->bytes_written : 0);
    rcd_json_member (json, "clipped");
    add_clipping (json, success ? progress->clipping : NULL, success);
    rcd_json_member (json, "levels");
    add_levels (json, success ? progress->levels : NULL);
    rcd_json_end_object (json);
    rcd_json_print_line (json);
  }
}

/* rcd-job-levels.c: the levels a job measured, in words (rcd-job-levels.h). */
#include "rcd-job-levels.h"

#include "rc-measure.h"

static void
append_db (GString *text, double value, const char *unit)
{
  if (value == RC_LEVELS_SILENT)
    g_string_append_printf (text, "-inf %s", unit);
  else
    g_string_append_printf (text, "%.2f %s", value, unit);
}

char *
rcd_job_describe_levels (const RcLayout *layout)
{
  g_autoptr(GString) text = g_string_new (NULL);

  if (!layout->measure_levels)
    return g_strdup ("");
  /* index 0 is the special pregap (hidden track one audio) */
  for (guint index = 0; index <= layout->n_tracks; index++)
    {
      RcLevels levels;
      double sample_peak, true_peak, loudness;

      if (!rc_measure_get_levels (layout, index, &levels))
        continue;
      rc_measure_levels_db (&levels, &sample_peak, &true_peak, &loudness);
      if (index == 0)
        g_string_append (text, "; the special pregap: peak ");
      else
        g_string_append_printf (text, "; track %u: peak ", layout->tracks[index - 1].number);
      append_db (text, sample_peak, "dBFS");
      g_string_append (text, ", true peak ");
      append_db (text, true_peak, "dBTP");
      g_string_append (text, ", ");
      append_db (text, loudness, "LUFS");
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}

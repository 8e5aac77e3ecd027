/* rc-sndfile-format.c: names of formats, and libsndfile's account of a
 * header. */
#include "rc-sndfile-private.h"

#include <string.h>

/* "WAV" from "WAV (Microsoft)", "MPEG" from "MPEG-1/2 Audio". */
static char *
tidy_major_name (const char *name)
{
  gsize len = strcspn (name, " (-");

  return g_strndup (name, len);
}

char *
rc_sndfile_major_name (int format)
{
  SF_FORMAT_INFO info = { .format = format & SF_FORMAT_TYPEMASK };
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&rc_sndfile_lock);

  if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_RAW)
    return g_strdup ("RAW");
  if (sf_command (NULL, SFC_GET_FORMAT_INFO, &info, sizeof info) != 0 || info.name == NULL)
    return g_strdup_printf ("format 0x%x", (guint) (format & SF_FORMAT_TYPEMASK));
  return tidy_major_name (info.name);
}

char *
rc_sndfile_subtype_name (int format)
{
  SF_FORMAT_INFO info = { .format = format & SF_FORMAT_SUBMASK };
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&rc_sndfile_lock);

  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
      return g_strdup ("8-bit PCM");
    case SF_FORMAT_PCM_16:
      return g_strdup ("16-bit PCM");
    case SF_FORMAT_PCM_24:
      return g_strdup ("24-bit PCM");
    case SF_FORMAT_PCM_32:
      return g_strdup ("32-bit PCM");
    case SF_FORMAT_FLOAT:
      return g_strdup ("32-bit float");
    case SF_FORMAT_DOUBLE:
      return g_strdup ("64-bit float");
    default:
      break;
    }
  if (sf_command (NULL, SFC_GET_FORMAT_INFO, &info, sizeof info) != 0 || info.name == NULL)
    return g_strdup_printf ("encoding 0x%x", (guint) (format & SF_FORMAT_SUBMASK));
  return g_strdup (info.name);
}

/* Bytes per sample of uncompressed encodings, 0 for the others. */
guint
rc_sndfile_sample_bytes (int format)
{
  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
      return 1;
    case SF_FORMAT_PCM_16:
      return 2;
    case SF_FORMAT_PCM_24:
      return 3;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_FLOAT:
      return 4;
    case SF_FORMAT_DOUBLE:
      return 8;
    default:
      return 0;
    }
}

/* Encodings decoded to floating point: read as float and converted here.
 * libsndfile's own float-to-short conversion either does not scale
 * (SFC_SET_SCALE_FLOAT_INT_READ off) or normalises to the peak of the whole
 * stream (on), which changes the level and reads all the audio first. */
gboolean
rc_sndfile_subtype_is_float (int format)
{
  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_FLOAT:
    case SF_FORMAT_DOUBLE:
    case SF_FORMAT_VORBIS:
    case SF_FORMAT_OPUS:
    case SF_FORMAT_MPEG_LAYER_I:
    case SF_FORMAT_MPEG_LAYER_II:
    case SF_FORMAT_MPEG_LAYER_III:
      return TRUE;
    default:
      return FALSE;
    }
}

/* The precision of the decoded samples: the depth of integer encodings;
 * 0 for those decoded to floating point (float itself and the lossy
 * codecs); 16 for the companded and ADPCM encodings, which libsndfile
 * decodes to 16-bit integers. */
guint
rc_sndfile_subtype_bits (int format)
{
  if (rc_sndfile_subtype_is_float (format))
    return 0;
  switch (format & SF_FORMAT_SUBMASK)
    {
    case SF_FORMAT_PCM_S8:
    case SF_FORMAT_PCM_U8:
    case SF_FORMAT_DPCM_8:
      return 8;
    case SF_FORMAT_PCM_24:
    case SF_FORMAT_DWVW_24:
    case SF_FORMAT_ALAC_24:
      return 24;
    case SF_FORMAT_ALAC_20:
      return 20;
    case SF_FORMAT_PCM_32:
    case SF_FORMAT_ALAC_32:
      return 32;
    case SF_FORMAT_DWVW_N:
      return 0;
    default:
      return 16;
    }
}

const char *
rc_sndfile_channels_word (int channels)
{
  return channels == 1 ? "channel" : "channels";
}

/* "FLAC, 44100 Hz, 2 channels, 16-bit PCM" */
char *
rc_sndfile_describe (const SF_INFO *info)
{
  g_autofree char *major = rc_sndfile_major_name (info->format);
  g_autofree char *sub = rc_sndfile_subtype_name (info->format);

  return g_strdup_printf ("%s, %d Hz, %d %s, %s", major, info->samplerate,
                          info->channels, rc_sndfile_channels_word (info->channels), sub);
}

/* Reading libsndfile's account of a header. */

/* The bytes of audio a WAV, W64 or AIFF header declares, or -1 when the
 * header has no such field.  libsndfile logs the size field of the data
 * (WAV, W64) or SSND (AIFF) chunk, and then quietly uses a shorter length
 * when the file holds less: its log is the only place that tells. */
gint64
rc_sndfile_declared_bytes (SNDFILE *sndfile, int format)
{
  g_autofree char *log = NULL;
  g_auto(GStrv) lines = NULL;

  /* other containers log other fields, or other sizes, under these names */
  switch (format & SF_FORMAT_TYPEMASK)
    {
    case SF_FORMAT_WAV:
    case SF_FORMAT_WAVEX:
    case SF_FORMAT_W64:
    case SF_FORMAT_AIFF:
      break;
    default:
      return -1;
    }

  log = g_malloc0 (16384);
  sf_command (sndfile, SFC_GET_LOG_INFO, log, 16384 - 1);
  lines = g_strsplit (log, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      const char *line = g_strchug (lines[i]);
      const char *rest = NULL;
      guint64 header = 0;
      guint64 declared;

      if (g_str_has_prefix (line, "data : "))
        {
          rest = line + strlen ("data : ");
          /* W64 chunk sizes count the chunk's own 24-byte GUID and size */
          if ((format & SF_FORMAT_TYPEMASK) == SF_FORMAT_W64)
            header = 24;
        }
      else if (g_str_has_prefix (line, "SSND : "))
        {
          rest = line + strlen ("SSND : ");
          header = 8;  /* the SSND size counts its offset and block size fields */
        }
      if (rest == NULL || !g_ascii_isdigit (*rest))
        continue;
      declared = g_ascii_strtoull (rest, NULL, 10);
      return (gint64) MIN (declared > header ? declared - header : 0, (guint64) G_MAXINT64);
    }
  return -1;
}

gboolean
rc_sndfile_chunk_length_is_placeholder (gint64 declared)
{
  return declared == 0 || declared >= PLACEHOLDER_CHUNK_BYTES;
}


GStrv
rc_audio_supported_formats (void)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&rc_sndfile_lock);
  int count = 0;

  sf_command (NULL, SFC_GET_FORMAT_MAJOR_COUNT, &count, sizeof count);
  for (int i = 0; i < count; i++)
    {
      SF_FORMAT_INFO info = { .format = i };
      g_autofree char *name = NULL;

      if (sf_command (NULL, SFC_GET_FORMAT_MAJOR, &info, sizeof info) != 0 || info.name == NULL)
        continue;
      name = tidy_major_name (info.name);
      if (!g_ptr_array_find_with_equal_func (names, name, g_str_equal, NULL))
        g_ptr_array_add (names, g_steal_pointer (&name));
    }
  g_ptr_array_add (names, NULL);
  return (GStrv) g_ptr_array_free (g_steal_pointer (&names), FALSE);
}

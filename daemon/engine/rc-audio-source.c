/* rc-audio-source.c: what every audio source and reader shares.
 *
 * The backends (rc-audio-source-private.h) deliver samples; this file
 * keeps the counts and the rules of the public API: a reader never reads
 * past the declared length, and its first failure is final.
 */
#include "rc-audio-source-private.h"

#include "rc-cd.h"
#include "rc-error.h"

struct _RcAudioSource {
  gint                  ref_count;   /* atomic */
  const RcAudioBackend *backend;
  gpointer              data;
  gint64                frames;
  char                 *description;
  GStrv                 conversions; /* NULL: none */
  gboolean              rereadable;
  /* what readers learnt of clipping; `lock` guards them */
  GMutex                lock;
  gboolean              clipped_known;
  guint64               clipped;
  GArray               *levels;      /* of RcLevels, one per segment measured */
  RcAudioSource        *measurer;    /* NULL: measured by its own readers, if at all */
};

struct _RcAudioReader {
  RcAudioSource *source;      /* a reference */
  gpointer       data;
  gint64         position;    /* frames delivered so far */
  GError        *error;       /* a failure is final */
};

RcAudioSource *
rc_audio_source_new_with_backend (const RcAudioBackend *backend,
                                  gpointer              source_data,
                                  gint64                frames,
                                  const char           *description,
                                  gboolean              rereadable)
{
  RcAudioSource *source = g_new0 (RcAudioSource, 1);

  source->ref_count = 1;
  source->backend = backend;
  source->data = source_data;
  source->frames = frames;
  source->description = g_strdup (description);
  source->rereadable = rereadable;
  g_mutex_init (&source->lock);
  source->levels = g_array_new (FALSE, FALSE, sizeof (RcLevels));
  return source;
}

gpointer
rc_audio_source_get_backend_data (RcAudioSource *source, const RcAudioBackend *backend)
{
  g_return_val_if_fail (source != NULL, NULL);
  return source->backend == backend ? source->data : NULL;
}

RcAudioSource *
rc_audio_source_ref (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);
  g_atomic_int_inc (&source->ref_count);
  return source;
}

void
rc_audio_source_unref (RcAudioSource *source)
{
  g_return_if_fail (source != NULL);
  if (!g_atomic_int_dec_and_test (&source->ref_count))
    return;
  if (source->data != NULL)
    source->backend->free_source (source->data);
  g_free (source->description);
  g_strfreev (source->conversions);
  g_array_unref (source->levels);
  g_clear_pointer (&source->measurer, rc_audio_source_unref);
  g_mutex_clear (&source->lock);
  g_free (source);
}

gint64
rc_audio_source_get_frames (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, 0);
  return source->frames;
}

gint
rc_audio_source_get_sectors (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, 0);
  return (gint) MIN ((source->frames + RC_FRAMES_PER_SECTOR - 1) / RC_FRAMES_PER_SECTOR,
                     (gint64) G_MAXINT);
}

const char *
rc_audio_source_get_description (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, NULL);
  return source->description;
}

const char *const *
rc_audio_source_get_conversions (RcAudioSource *source)
{
  static const char *const none[] = { NULL };

  g_return_val_if_fail (source != NULL, NULL);
  return source->conversions != NULL ? (const char *const *) source->conversions : none;
}

void
rc_audio_source_set_conversions (RcAudioSource *source, const char *const *conversions)
{
  g_return_if_fail (source != NULL);
  g_strfreev (source->conversions);
  source->conversions = g_strdupv ((char **) conversions);
}

void
rc_audio_source_note_clipped (RcAudioSource *source, guint64 clipped)
{
  g_return_if_fail (source != NULL);
  g_mutex_lock (&source->lock);
  source->clipped = clipped;
  source->clipped_known = TRUE;
  g_mutex_unlock (&source->lock);
}

gboolean
rc_audio_source_get_clipped (RcAudioSource *source, guint64 *clipped)
{
  gboolean known;

  g_return_val_if_fail (source != NULL, FALSE);
  g_mutex_lock (&source->lock);
  known = source->clipped_known;
  *clipped = source->clipped;
  g_mutex_unlock (&source->lock);
  /* read through its measurer, it learnt the count there */
  if (!known && source->measurer != NULL)
    return rc_audio_source_get_clipped (source->measurer, clipped);
  return known;
}

void
rc_audio_source_note_levels (RcAudioSource *source, const RcLevels *levels)
{
  g_return_if_fail (source != NULL);
  g_mutex_lock (&source->lock);
  /* a later reading replaces an earlier one of the same range */
  for (guint i = 0; i < source->levels->len; i++)
    {
      RcLevels *known = &g_array_index (source->levels, RcLevels, i);

      if (known->first == levels->first && known->frames == levels->frames)
        {
          *known = *levels;
          g_mutex_unlock (&source->lock);
          return;
        }
    }
  g_array_append_val (source->levels, *levels);
  g_mutex_unlock (&source->lock);
}

gboolean
rc_audio_source_get_levels (RcAudioSource *source, gint64 first, gint64 frames,
                            RcLevels *levels)
{
  gboolean found = FALSE;

  g_return_val_if_fail (source != NULL, FALSE);
  g_mutex_lock (&source->lock);
  for (guint i = 0; i < source->levels->len && !found; i++)
    {
      const RcLevels *known = &g_array_index (source->levels, RcLevels, i);

      if (known->first == first && known->frames == frames)
        {
          *levels = *known;
          found = TRUE;
        }
    }
  g_mutex_unlock (&source->lock);
  if (!found && source->measurer != NULL)
    return rc_audio_source_get_levels (source->measurer, first, frames, levels);
  return found;
}

void
rc_audio_source_set_measurer (RcAudioSource *source, RcAudioSource *measurer)
{
  g_return_if_fail (source != NULL && measurer != NULL && source->measurer == NULL);
  source->measurer = rc_audio_source_ref (measurer);
}

RcAudioReader *
rc_audio_source_open_measuring_reader (RcAudioSource  *source,
                                       const gint64   *marks,
                                       guint           n_marks,
                                       GError        **error)
{
  RcAudioSource *reading = source->measurer != NULL ? source->measurer : source;
  RcAudioReader *reader;
  gpointer data;

  g_return_val_if_fail (n_marks >= 2 && n_marks <= 256, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (reading->backend->open_measuring_reader == NULL)
    return rc_audio_source_open_reader (reading, error);
  data = reading->backend->open_measuring_reader (reading, reading->data, marks, n_marks, error);
  if (data == NULL)
    return NULL;
  reader = g_new0 (RcAudioReader, 1);
  reader->source = rc_audio_source_ref (reading);
  reader->data = data;
  return reader;
}

gboolean
rc_audio_source_is_rereadable (RcAudioSource *source)
{
  g_return_val_if_fail (source != NULL, FALSE);
  return source->rereadable;
}

RcAudioReader *
rc_audio_source_open_reader (RcAudioSource *source, GError **error)
{
  RcAudioReader *reader;
  gpointer data;

  g_return_val_if_fail (source != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = source->backend->open_reader (source, source->data, error);
  if (data == NULL)
    return NULL;
  reader = g_new0 (RcAudioReader, 1);
  reader->source = rc_audio_source_ref (source);
  reader->data = data;
  return reader;
}

void
rc_audio_reader_free (RcAudioReader *reader)
{
  if (reader == NULL)
    return;
  reader->source->backend->free_reader (reader->data);
  g_clear_error (&reader->error);
  rc_audio_source_unref (reader->source);
  g_free (reader);
}

void
rc_audio_reader_set_cancellable (RcAudioReader *reader, GCancellable *cancellable)
{
  g_return_if_fail (reader != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (cancellable != NULL && reader->source->backend->set_cancellable != NULL)
    reader->source->backend->set_cancellable (reader->data, cancellable);
}

gboolean
rc_audio_reader_read (RcAudioReader  *reader,
                      gint16         *buf,
                      gsize           n_frames,
                      GError        **error)
{
  gsize got = 0;

  return rc_audio_reader_read_some (reader, buf, n_frames, &got, error);
}

gboolean
rc_audio_reader_read_some (RcAudioReader  *reader,
                           gint16         *buf,
                           gsize           n_frames,
                           gsize          *got,
                           GError        **error)
{
  RcAudioSource *source;

  g_return_val_if_fail (reader != NULL, FALSE);
  g_return_val_if_fail (buf != NULL || n_frames == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  source = reader->source;
  *got = 0;
  if (reader->error != NULL)
    {
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }
  if (n_frames > (guint64) (source->frames - reader->position))
    {
      g_set_error (error, RC_ERROR, RC_ERROR_INVALID_ARGUMENT,
                   "%s: %" G_GSIZE_FORMAT " frames asked for at frame %" G_GINT64_FORMAT
                   ", past the end of its %" G_GINT64_FORMAT " frames",
                   source->description, n_frames, reader->position, source->frames);
      return FALSE;
    }
  if (n_frames == 0)
    return TRUE;
  if (!source->backend->read (reader->data, buf, n_frames, got, &reader->error))
    {
      *got = MIN (*got, n_frames);
      reader->position += (gint64) *got;
      if (reader->error == NULL)  /* a backend bug; never pretend success */
        reader->error = g_error_new (RC_ERROR, RC_ERROR_FAILED, "%s: reading failed",
                                     source->description);
      g_propagate_error (error, g_error_copy (reader->error));
      return FALSE;
    }
  *got = n_frames;
  reader->position += (gint64) n_frames;
  if (reader->position == source->frames && source->backend->unconverted)
    rc_audio_source_note_clipped (source, 0);
  return TRUE;
}

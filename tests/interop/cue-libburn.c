/* cue-libburn: reads a CUE sheet with libburn's burn_session_by_cue_file()
 * (the reader behind cdrskin and xorriso) and prints what it understood,
 * for test-sidefiles.py:
 *   session START_TNO N_TRACKS
 *   track INDEX SECTORS MODE_FLAGS        (sectors from the track's index 0)
 *   text TRACK FIELD CHARCODE HEX         (block 0; TRACK 0 is the disc)
 */
#include <libburn/libburn.h>
#include <stdio.h>

static void
print_text (int track, const char *field, int char_code, const unsigned char *payload, int length)
{
  if (payload == NULL)
    return;
  printf ("text %d %s %d ", track, field, char_code);
  for (int i = 0; i < length && payload[i] != 0; i++)
    printf ("%02x", payload[i]);
  printf ("\n");
}

int
main (int argc, char **argv)
{
  static const char *const fields[] = { "TITLE", "PERFORMER", "SONGWRITER" };
  struct burn_session *session;
  struct burn_source *fifo = NULL;
  struct burn_track **tracks;
  unsigned char *packs = NULL;
  int n_packs = 0, n_tracks = 0;
  int char_codes[8], copyrights[8], languages[8];

  if (argc != 2 || !burn_initialize ())
    return 2;
  session = burn_session_create ();
  if (burn_session_by_cue_file (session, argv[1], 0, &fifo, &packs, &n_packs, 0) <= 0)
    {
      fprintf (stderr, "burn_session_by_cue_file failed\n");
      return 1;
    }
  burn_session_get_cdtext_par (session, char_codes, copyrights, languages, 0);
  tracks = burn_session_get_tracks (session, &n_tracks);
  printf ("session %d %d\n", burn_session_get_start_tno (session, 0), n_tracks);
  for (int f = 0; f < 3; f++)
    {
      unsigned char *payload = NULL;
      int length = 0;
      burn_session_get_cdtext (session, 0, 0, (char *) fields[f], &payload, &length, 0);
      print_text (0, fields[f], char_codes[0], payload, length);
    }
  for (int i = 0; i < n_tracks; i++)
    {
      printf ("track %d %d 0x%x\n", i, burn_track_get_sectors (tracks[i]),
              (unsigned) burn_track_get_mode (tracks[i]));
      for (int f = 0; f < 3; f++)
        {
          unsigned char *payload = NULL;
          int length = 0;
          burn_track_get_cdtext (tracks[i], 0, 0, (char *) fields[f], &payload, &length, 0);
          print_text (i + 1, fields[f], char_codes[0], payload, length);
        }
    }
  if (fifo != NULL)
    burn_source_free (fifo);
  burn_session_free (session);
  burn_finish ();
  return 0;
}

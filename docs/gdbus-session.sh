# Driving rawcdd by hand with gdbus: a whole session, step by step.
#
# Every line below is a working shell command (bash); this file runs as it
# is inside a private session bus, from the top of a build of rawcd:
#
#     dbus-run-session -- bash docs/gdbus-session.sh
#
# (BUILD=DIR names another build directory.)  It works in a temporary
# directory of its own, which it removes at the end, and leaves nothing
# behind.  On a real system the service is on the system bus: drop the
# daemon start below and write --system instead of --session.
#
# Each `gdbus call` is a new bus connection, and a session ends with the
# connection that created it; so a shell user creates a *persistent*
# session (option persist): it belongs to the user's uid, survives between
# calls, and is freed by Close() or after 10 minutes without a call.
#
# Descriptors: an argument of type h is a descriptor number of the gdbus
# process: `3<file` opens the file for reading as descriptor 3 and the
# argument 3 sends it; `4>file` opens a file for writing.  The daemon never
# opens a path itself.

set -e
BUILD=$(realpath "${BUILD:-build}")
WORK=$(mktemp -d "${TMPDIR:-/tmp}/rawcd-gdbus.XXXXXX")
trap 'kill %1 2>/dev/null; rm -rf "$WORK"' EXIT
cd "$WORK"

# 0. The daemon on the private bus (here: --session), and two test tracks.
"$BUILD"/daemon/rawcdd --session --verbose &
sleep 1
sox -n -r 44100 -c 2 -b 16 track1.wav synth 10 sine 440
sox -n -r 44100 -c 2 -b 16 track2.flac synth 8 sine 660

# 1. The service.
gdbus call --session --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1 \
  --method org.freedesktop.DBus.Properties.GetAll org.rawcd.RawCD1.Manager
# ({'Version': <'0.1.0'>, 'SupportedInputFormats': <['AIFF', ..., 'FLAC', ..., 'WAV', ...]>},)

# 2. A persistent session.
S=$(gdbus call --session --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1 \
      --method org.rawcd.RawCD1.Manager.CreateImageCreator "{'persist': <true>}" \
    | sed -E "s/^\(objectpath '(.*)',\)$/\1/")
echo "$S"
# /org/rawcd/RawCD1/ImageCreator/1

# 3. Disc settings (properties; an invalid value fails with the engine's error).
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
  --method org.freedesktop.DBus.Properties.Set \
  org.rawcd.RawCD1.ImageCreator MediaCatalogNumber "<'0012345678905'>"
# ()

# 4. Tracks: the file goes as descriptor 3.  Option format "raw" is for
#    headerless 44.1 kHz 16-bit stereo little-endian PCM.
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
  --method org.rawcd.RawCD1.ImageCreator.AddTrack 0 3 {} 3<track1.wav
# (1, objectpath '/org/rawcd/RawCD1/ImageCreator/1/Track/1')
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
  --method org.rawcd.RawCD1.ImageCreator.AddTrack 0 3 {} 3<track2.flac
# (2, objectpath '/org/rawcd/RawCD1/ImageCreator/1/Track/2')

# 5. Track settings: ISRC and an index 2 at 4 seconds (300 sectors).
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S/Track/1" \
  --method org.freedesktop.DBus.Properties.Set \
  org.rawcd.RawCD1.Track ISRC "<'USS1Z9900001'>"
# ()
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S/Track/1" \
  --method org.rawcd.RawCD1.Track.AddTrackIndex 300
# (false,)
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S/Track/1" \
  --method org.freedesktop.DBus.Properties.GetAll org.rawcd.RawCD1.Track
# ({'StartingLba': <0>, 'SectorCount': <600>, 'TrackNumber': <1>, 'SectorType': <uint32 0>,
#   'ISRC': <'US-S1Z-99-00001'>, 'DigitalAudioCopySetting': <uint32 0>,
#   'AudioHasPreemphasis': <false>, 'TrackIndexes': <[0, 300]>},)

# 6. The layout as IMAPI computes it.
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
  --method org.freedesktop.DBus.Properties.GetAll org.rawcd.RawCD1.ImageCreator
# ({'ResultingImageType': <uint32 3>, 'StartOfLeadout': <1350>, ..., 'NumberOfExistingTracks': <2>,
#   'ExpectedTableOfContents': <[byte 0x00, 0x1a, 0x01, 0x02, ...]>, 'Tracks': <[...]>, ...},)

# 7. The image: written to descriptor 4 (image.img, opened by the shell).
#    The call returns a Job at once; the image is written in the background.
J=$(gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
      --method org.rawcd.RawCD1.ImageCreator.CreateResultImage 4 {} 4>image.img \
    | sed -E "s/^\(objectpath '(.*)',\)$/\1/")
echo "$J"
# /org/rawcd/RawCD1/Job/1

# 8. Wait for the job: State goes queued -> running -> succeeded (or failed,
#    cancelled).  `gdbus monitor --session --dest org.rawcd.RawCD1` shows the
#    Completed signal and the progress as it happens.
while gdbus call --session --dest org.rawcd.RawCD1 --object-path "$J" \
        --method org.freedesktop.DBus.Properties.Get org.rawcd.RawCD1.Job State \
      | grep -qE "'(queued|running)'"; do
  sleep 0.2
done
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$J" \
  --method org.freedesktop.DBus.Properties.GetAll org.rawcd.RawCD1.Job
# ({'Progress': <1.0>, 'SectorsWritten': <uint64 30750>, 'TotalSectors': <uint64 30750>,
#   'BytesWritten': <uint64 75276000>, 'Rate': <uint64 ...>, 'StartTime': <uint64 ...>,
#   'ExpectedEndTime': <uint64 ...>, 'State': <'succeeded'>,
#   'Message': <'the image is complete: 75276000 bytes, 30750 sectors'>},)
echo "image.img: $(stat -c %s image.img) bytes"
# image.img: 75276000 bytes ((22650 lead-in + 1350 program + 6750 lead-out sectors) x 2448)

# 9. The layout is frozen now: changes fail with ReadOnly.
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
  --method org.rawcd.RawCD1.ImageCreator.AddTrack 0 3 {} 3<track1.wav || true
# Error: GDBus.Error:org.rawcd.RawCD1.Error.ReadOnly: AddTrack: the session is read-only
#   since CreateResultImage was called

# 10. Done: free the session (its tracks, descriptors and job objects).
gdbus call --session --dest org.rawcd.RawCD1 --object-path "$S" \
  --method org.rawcd.RawCD1.ImageCreator.Close
# ()

# Cancelling a running job:
#   gdbus call --session --dest org.rawcd.RawCD1 --object-path "$J" --method org.rawcd.RawCD1.Job.Cancel
# The interfaces, documented: introspection/org.rawcd.RawCD1.xml, or
#   gdbus introspect --session --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1

# The exit trap stops the daemon and removes $WORK with image.img.

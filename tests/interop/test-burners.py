#!/usr/bin/env python3
"""Side files that burning programs accept: the checks cdrdao and cdrskin
run before they burn, run here without a CD writer.

- cdrdao checks a TOC file's (and a CUE sheet's) CD-TEXT only in its drive
  drivers, after it has opened a drive (`show-toc` skips that check).  The
  LD_PRELOAD module fake-drive.so answers cdrdao's SCSI commands for an
  empty file given as --device and ends the process with status 77 at the
  first command of the write itself: status 77 means every check passed,
  without --force.
- cdrskin reads a CUE sheet with libburn before it looks at the medium;
  with the pseudo-drive stdio:/dev/null it then refuses to put audio on a
  "non-CD", which is the only complaint a good sheet may cause.

Every disc comes from make-side-files (the engine); what is expected is
written here from the options given, never read back from the engine.

The command lines of the README's "Burning the image" are run too, with the
drive replaced by the fake one.

Usage: test-burners.py MAKE_SIDE_FILES FAKE_DRIVE_SO README  (prints TAP)
"""

import os
import re
import shutil
import subprocess
import sys
import tempfile

from tap import Tap

HELPER = os.path.abspath(sys.argv[1]) if len(sys.argv) > 1 else "make-side-files"
FAKE_DRIVE = os.path.abspath(sys.argv[2]) if len(sys.argv) > 2 else "fake-drive.so"
README = os.path.abspath(sys.argv[3]) if len(sys.argv) > 3 else "README.md"
STOPPED_BEFORE_WRITE = 77


T = Tap()


def run(args, cwd, env=None):
    p = subprocess.run(args, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                       env=env, timeout=300)
    return p.returncode, p.stdout.decode("latin-1"), p.stderr.decode("latin-1")


def sox_wav(path, seconds, freq):
    subprocess.run(["sox", "-n", "-r", "44100", "-c", "2", "-b", "16", path, "synth",
                    str(seconds), "sine", str(freq)], check=True)


def make_disc(d, name, disc_args, tracks):
    """tracks: list of (seconds, [track options])."""
    args = [HELPER, "--out", d, "--name", name] + disc_args
    for k, (seconds, opts) in enumerate(tracks):
        wav = os.path.join(d, "%s-%d.wav" % (name, k + 1))
        sox_wav(wav, seconds, 300 + 110 * k)
        args += ["--track", wav] + opts
    rc, out, err = run(args, d)
    T.ok(rc == 0, "%s: make-side-files builds the disc" % name, err)
    return rc == 0


def cdrdao_write_check(d, sheet, args=None):
    """cdrdao write --simulate against the fake drive; (passed, output).
    args: a whole cdrdao command line whose --device is replaced."""
    dev = os.path.join(d, "fake-drive")
    open(dev, "wb").close()
    env = dict(os.environ, LD_PRELOAD=FAKE_DRIVE, RAWCD_FAKE_DRIVE=dev)
    if args is None:
        args = ["cdrdao", "write", "--simulate", "--device", "DEV", "--driver", "generic-mmc:0x10",
                sheet]
    args = [dev if a == "/dev/sr0" or a == "DEV" else a for a in args]
    # the fake drive reports no capacity
    args = args[:-1] + ["--overburn", args[-1]]
    rc, out, err = run(args, d, env)
    text = out + err
    return rc == STOPPED_BEFORE_WRITE and "Starting write" in text, "rc %d\n%s" % (rc, text)


def cdrskin_sheet_check(d, cue, args=None):
    """cdrskin's CUE reading (libburn) against the stdio:/dev/null pseudo drive.
    args: a whole cdrskin command line whose dev= is replaced."""
    if args is None:
        args = ["cdrskin", "-v", "-dummy", "-sao", "-text", "dev=/dev/sr0", "cuefile=" + cue]
    args = ["dev=stdio:/dev/null" if a == "dev=/dev/sr0" else a for a in args]
    rc, out, err = run(args[:1] + ["--allow_emulated_drives"] + args[1:], d)
    text = out + err
    sheet_problems = [l for l in text.splitlines()
                      if re.search(r"cue sheet|Cue sheet", l) and re.search(r"FAILURE|SORRY|WARNING", l)]
    refused_only_for_medium = "audio track prohibited by non-CD" in text
    return not sheet_problems and refused_only_for_medium, "rc %d\n%s" % (rc, text)


def toc_languages(toc):
    """{language number: {track (0 = disc): {ITEM: text}}} and the LANGUAGE_MAP,
    parsed from a TOC file here (octal escapes undone)."""
    m = re.search(r"LANGUAGE_MAP \{([^}]*)\}", toc)
    lmap = {int(a): int(b) for a, b in re.findall(r"(\d+)\s*:\s*(\d+)", m.group(1))} if m else {}
    langs = {}
    parts = re.split(r"\n// Track (\d+)\n", toc)
    sections = [(0, parts[0])] + [(int(parts[i]), parts[i + 1]) for i in range(1, len(parts), 2)]
    for k, (_, text) in enumerate(sections):
        for lang, body in re.findall(r"LANGUAGE (\d+) \{\n(.*?)\n  \}", text, re.S):
            items = {}
            for key, val in re.findall(r"^\s+([A-Z_]+) (\".*\"|\{.*\})$", body, re.M):
                if val.startswith('"'):
                    val = re.sub(r"\\([0-7]{3})", lambda x: chr(int(x.group(1), 8)), val[1:-1])
                items[key] = val
            langs.setdefault(int(lang), {})[k] = items
    return lmap, langs


# ---- scenarios ----

def scenario_toc_cdtext(work):
    """CD-TEXT that cdrdao's write-time check refused before: a MESSAGE for
    one track only, an MS-JIS block between two Latin-1 blocks, a genre in
    one language, titles without performers, a UPC and one ISRC."""
    name = "toc-cdtext"
    d = os.path.join(work, name)
    os.makedirs(d)
    disc = ["--cdtext", "0:0:title=Caf\u00e9", "--cdtext", "0:0:genre=Chanson",
            "--cdtext", "0:0:upc_isrc=0012345678905", "--cdtext", "0:2:message=Live",
            "--cdtext", "0:3:upc_isrc=GBXYZ9900042",
            "--cdtext", "1:0:title=\u65e5\u672c\u8a9e", "--language", "1:105",
            "--cdtext", "2:0:title=Deutsch", "--cdtext", "2:1:title=Erstes", "--language", "2:8"]
    if not make_disc(d, name, disc, [(6, []), (6, []), (6, [])]):
        return
    toc = open(os.path.join(d, name + ".toc"), encoding="ascii").read()
    passed, diag = cdrdao_write_check(d, name + ".toc")
    T.ok(passed, "%s: cdrdao write --simulate (CD-TEXT checked by its driver) accepts the TOC "
         "file without --force" % name, diag)
    lmap, langs = toc_languages(toc)
    T.ok(lmap == {0: 9, 1: 8} and sorted(langs) == [0, 1],
         "%s: the MS-JIS block is left out and the others numbered 0, 1 with the map to match"
         % name, "map %s, languages %s\n%s" % (lmap, sorted(langs), toc[:1200]))
    want0 = {0: {"TITLE": "Caf\u00e9", "PERFORMER": "", "MESSAGE": "", "UPC_EAN": "0012345678905",
                 "GENRE": "{ 0, 0, 67, 104, 97, 110, 115, 111, 110, 0 }"},
             1: {"TITLE": "", "PERFORMER": "", "MESSAGE": "", "ISRC": ""},
             2: {"TITLE": "", "PERFORMER": "", "MESSAGE": "Live", "ISRC": ""},
             3: {"TITLE": "", "PERFORMER": "", "MESSAGE": "", "ISRC": "GBXYZ9900042"}}
    want1 = {0: {"TITLE": "Deutsch", "PERFORMER": "",
                 "GENRE": "{ 0, 0, 67, 104, 97, 110, 115, 111, 110, 0 }"},
             1: {"TITLE": "Erstes", "PERFORMER": ""},
             2: {"TITLE": "", "PERFORMER": ""},
             3: {"TITLE": "", "PERFORMER": ""}}
    T.ok(langs.get(0) == want0 and langs.get(1) == want1,
         "%s: every item of a language for the disc and every track, the disc's genre in every "
         "language, TITLE and PERFORMER always" % name,
         "want %s\n     %s\ngot  %s\n     %s" % (want0, want1, langs.get(0), langs.get(1)))
    # The check can fail: cdrdao refuses the same file with one track's
    # MESSAGE taken out (all or none), and with a hole in the numbers.
    holed = toc.replace("LANGUAGE_MAP { 0 : 9 1 : 8 }", "LANGUAGE_MAP { 0 : 9 2 : 8 }") \
               .replace("LANGUAGE 1 {", "LANGUAGE 2 {")
    open(os.path.join(d, "holed.toc"), "w").write(holed)
    bad_message = re.sub(r'\n    MESSAGE "Live"', "", toc)
    open(os.path.join(d, "message.toc"), "w").write(bad_message)
    r1, d1 = cdrdao_write_check(d, "holed.toc")
    r2, d2 = cdrdao_write_check(d, "message.toc")
    T.ok(not r1 and "not continuously used" in d1 and not r2 and "MESSAGE field not defined" in d2,
         "%s: the same check refuses language numbers with a hole and a partial MESSAGE" % name,
         d1 + "\n" + d2)


def scenario_cue(work):
    """A CUE sheet with a hidden track, an index 2 on a track that is not
    the last, and titles and performers for the disc and every track."""
    name = "cue"
    d = os.path.join(work, name)
    os.makedirs(d)
    hidden = os.path.join(d, "hidden.wav")
    sox_wav(hidden, 3, 200)
    disc = ["--hidden", hidden]
    for t, (title, performer) in enumerate([("Album", "Band"), ("One", "Band"), ("Two", "Guest")]):
        disc += ["--cdtext", "0:%d:title=%s" % (t, title), "--cdtext", "0:%d:performer=%s" % (t, performer)]
    if not make_disc(d, name, disc, [(7, ["--index", "150"]), (6, [])]):
        return
    passed, diag = cdrdao_write_check(d, name + ".cue")
    T.ok(passed, "%s: cdrdao write --simulate accepts the CUE sheet (hidden track, index 2, "
         "CD-TEXT) without --force" % name, diag)
    passed, diag = cdrskin_sheet_check(d, name + ".cue")
    T.ok(passed, "%s: cdrskin -sao -text reads the CUE sheet without a complaint" % name, diag)
    passed, diag = cdrdao_write_check(d, name + ".toc")
    T.ok(passed, "%s: cdrdao write --simulate accepts the TOC file of the same disc" % name, diag)
    # Where cdrdao puts track 1's index 2 (150 sectors after its index 1):
    # from the TOC file right, from the CUE sheet late by the time of
    # INDEX 01 in the BIN (as documented).
    cue = open(os.path.join(d, name + ".cue"), encoding="latin-1").read()
    i1 = re.search(r"TRACK 01 AUDIO.*?INDEX 01 (\d\d):(\d\d):(\d\d)", cue, re.S)
    index1 = (int(i1.group(1)) * 60 + int(i1.group(2))) * 75 + int(i1.group(3))
    got = {}
    for sheet in ("toc", "cue"):
        rc, out, err = run(["cdrdao", "show-toc", name + "." + sheet], d)
        m = re.search(r"TRACK\s+1\s.*?START\s+\S+\(\s*(\d+)\).*?INDEX\s+2\s+\S+\(\s*(\d+)\)", out, re.S)
        got[sheet] = (int(m.group(1)), int(m.group(2))) if rc == 0 and m else None
    T.ok(got["toc"] == (index1, index1 + 150) and got["cue"] == (index1, index1 + 150 + index1),
         "%s: cdrdao puts index 2 150 sectors after index 1 from the TOC file, and %d sectors "
         "late from the CUE sheet (as documented)" % (name, index1),
         "index 1 at %d; got (start, index 2) %s" % (index1, got))
    # The cdrskin check can fail: a sheet naming a missing BIN file.
    cue = open(os.path.join(d, name + ".cue"), encoding="latin-1").read()
    open(os.path.join(d, "missing.cue"), "w", encoding="latin-1").write(cue.replace(name + ".bin", "gone.bin"))
    passed, diag = cdrskin_sheet_check(d, "missing.cue")
    T.ok(not passed and "Unusable FILE" in diag,
         "%s: the cdrskin check refuses a sheet whose BIN file is missing" % name, diag)


def scenario_cue_limits(work):
    """What a CUE sheet cannot carry to cdrdao 1.2.4 (docs/formats.md): its
    CUE reader takes INDEX 02 and later as times from the track's INDEX 01,
    so it misplaces them, and refuses them past the track's end (an index 2
    on the last track); and it needs a
    TITLE for the disc and every track once one has it.  The TOC file of the
    same disc carries both to cdrdao correctly."""
    name = "cue-limits"
    d = os.path.join(work, name)
    os.makedirs(d)
    disc = ["--cdtext", "0:0:title=Album", "--cdtext", "0:2:title=Two"]
    if not make_disc(d, name, disc, [(6, []), (7, ["--index", "150"])]):
        return
    cue = open(os.path.join(d, name + ".cue"), encoding="latin-1").read()
    T.ok("REM cdrdao" in cue and "INDEX 02" in cue,
         "%s: the CUE sheet keeps INDEX 02 and says in a REM line that cdrdao misreads it" % name, cue)
    rc, out, err = run(["cdrdao", "show-toc", name + ".cue"], d)
    T.ok(rc != 0 and "Index beyond track end" in err,
         "%s: cdrdao 1.2.4 refuses the last track's INDEX 02 in a CUE sheet, read from INDEX 01 "
         "past the track's end (as documented)" % name,
         "rc %d\n%s" % (rc, out + err))
    rc, out, err = run(["cdrdao", "show-toc", name + ".toc"], d)
    m = re.search(r"TRACK\s+2\s.*?START\s+\S+\(\s*(\d+)\).*?INDEX\s+2\s+\S+\(\s*(\d+)\)", out, re.S)
    T.ok(rc == 0 and m and int(m.group(2)) - int(m.group(1)) == 150,
         "%s: cdrdao reads the TOC file's index 2 at 150 sectors after the track's start" % name,
         out + err)
    passed, diag = cdrdao_write_check(d, name + ".toc")
    T.ok(passed, "%s: cdrdao write --simulate accepts the TOC file (titles filled in)" % name, diag)
    passed, diag = cdrskin_sheet_check(d, name + ".cue")
    T.ok(passed, "%s: cdrskin reads the same CUE sheet, last track's INDEX 02 included" % name, diag)
    # Without the index: cdrdao still refuses the CUE sheet's CD-TEXT, as a
    # CUE sheet has no way to give track 1 an empty TITLE.
    open(os.path.join(d, "no-index.cue"), "w", encoding="latin-1").write(
        re.sub(r"\n *INDEX 02 [0-9:]+", "", cue))
    passed, diag = cdrdao_write_check(d, "no-index.cue")
    T.ok(not passed and "TITLE field not defined for all tracks" in diag,
         "%s: cdrdao refuses CUE CD-TEXT with a TITLE for the disc and some tracks only "
         "(as documented)" % name, diag)


def scenario_readme(work):
    """The README's burning command lines, as written, on a disc with
    CD-TEXT for the disc and every track (the drive replaced)."""
    name = "readme"
    d = os.path.join(work, name)
    os.makedirs(d)
    text = open(README, encoding="utf-8").read()
    m = re.search(r"\n## Burning the image\n(.*?)\n## ", text, re.S)
    if not T.ok(m, "README has a section \"Burning the image\""):
        return
    lines = [l.split("#")[0].split() for l in m.group(1).splitlines()
             if re.match(r"(cdrdao|cdrskin) ", l)]
    cdrdao_lines = [l for l in lines if l[0] == "cdrdao"]
    cdrskin_lines = [l for l in lines if l[0] == "cdrskin"]
    T.ok(len(cdrdao_lines) >= 2 and len(cdrskin_lines) >= 2
         and all(any(a.endswith(".toc") for a in l) for l in cdrdao_lines)
         and all(any(a.startswith("cuefile=") for a in l) for l in cdrskin_lines),
         "%s: the section shows cdrdao lines for the TOC file and cdrskin lines for the CUE sheet"
         % name, m.group(1))
    disc = []
    for t, title in enumerate(["Album", "One", "Two"]):
        disc += ["--cdtext", "0:%d:title=%s" % (t, title), "--cdtext", "0:%d:performer=Band" % t]
    if not make_disc(d, "album", disc, [(6, []), (6, [])]):
        return
    for l in cdrdao_lines:
        passed, diag = cdrdao_write_check(d, None, l)
        T.ok(passed, "%s: '%s' passes cdrdao's checks (fake drive)" % (name, " ".join(l)), diag)
    for l in cdrskin_lines:
        passed, diag = cdrskin_sheet_check(d, None, l)
        T.ok(passed, "%s: '%s' reads the CUE sheet (pseudo drive)" % (name, " ".join(l)), diag)


def main():
    missing = [t for t in ("sox", "cdrdao", "cdrskin") if shutil.which(t) is None]
    if missing:
        T.ok(False, "the burning programs are installed", "missing: %s" % " ".join(missing))
        return T.done()
    with tempfile.TemporaryDirectory(prefix="rawcd-burners-") as work:
        for scenario in (scenario_toc_cdtext, scenario_cue, scenario_cue_limits, scenario_readme):
            try:
                scenario(work)
            except Exception:
                import traceback
                T.ok(False, "%s runs to its end" % scenario.__name__, traceback.format_exc())
    return T.done()


if __name__ == "__main__":
    sys.exit(main())

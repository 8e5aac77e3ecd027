#!/usr/bin/env bash
# The examples of docs/api.md, run as written on a private session bus, so
# that the API reference shows what the service does.  TAP output.
#
#   test-api-examples.sh SRCDIR BUILDDIR
#
# Every command of the ```sh blocks of section 11 runs in one shell, in
# order (so $S and $J carry over).  A command whose first comment line is
# "# Error: GDBus.Error:NAME..." must fail with that error name; every other
# command must succeed.  The ```python block of section 12 must print the
# error name, a successful Completed and the MusicBrainz id the text shows.
# Messages are not compared: they are for people and may be reworded.
set -u
src=$1
build=$2
doc=$src/docs/api.md
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"

if [ ! -f "$doc" ]; then
  echo "Bail out! $doc does not exist"
  exit 1
fi

# The blocks of a section: the lines between ``` fences after the heading
# "## N. " up to the next "## ".
blocks() {  # SECTION LANGUAGE
  awk -v sec="## $1. " -v lang="$2" '
    index($0, "## ") == 1 { in_sec = index($0, sec) == 1 }
    in_sec && /^```/ { if (in_code) { in_code = 0 } else if ($0 == "```" lang) { in_code = 1 }; next }
    in_sec && in_code { print }' "$doc"
}

# One logical command per record: continuation lines joined, then its
# comment lines.  Written as a script that records each command's status
# and output in files numbered from 1.
blocks 11 sh | awk '
  function flush() {
    if (cmd == "") return
    n++
    printf "{ %s\n} >out.%d 2>&1; echo $? >rc.%d\n", cmd, n, n
    # NAME=$(...) keeps an object path for the next commands: record it
    if (match(cmd, /^[A-Z]+=\$\(/))
      printf "printf \"%%s\\n\" \"$%s\" >var.%d\n", substr(cmd, 1, RLENGTH - 3), n
    printf "%s\n", expect > ("expect." n)
    close("expect." n)
    cmd = ""; expect = ""; got_comment = 0
  }
  /^#/ { if (!got_comment && cmd != "") { expect = $0; got_comment = 1 }; next }
  /^[[:space:]]*$/ { next }
  {
    if (cont) { cmd = cmd "\n" $0 } else { flush(); cmd = $0 }
    cont = ($0 ~ /\\$/)
  }
  END { flush() }' >examples.sh

n=$(ls expect.* 2>/dev/null | wc -l)
if [ "$n" -lt 10 ]; then
  echo "Bail out! found only $n commands in section 11 of docs/api.md"
  exit 1
fi

sox -n -r 44100 -c 2 -b 16 one.wav synth 10 sine 440 || exit 1
sox -n -r 44100 -c 2 -b 16 two.flac synth 8 sine 660 || exit 1
sox -n -r 44100 -c 2 -b 16 short.wav synth 3 sine 440 || exit 1

cat >run.sh <<EOF
'$build/daemon/rawcdd' --session --idle-timeout 0 2>rawcdd.log &
for i in \$(seq 50); do
  gdbus introspect --session --dest org.rawcd.RawCD1 --object-path /org/rawcd/RawCD1 \
    >/dev/null 2>&1 && break
  sleep 0.1
done
. ./examples.sh
/usr/bin/python3 example.py >python.out 2>&1; echo \$? >python.rc
kill %1
EOF
blocks 12 python >example.py
dbus-run-session -- bash run.sh >/dev/null 2>run.log

echo "1..$((n + 1))"
for i in $(seq "$n"); do
  expect=$(cat "expect.$i")
  rc=$(cat "rc.$i" 2>/dev/null || echo missing)
  # "--method NAME ARGS" of the command, to say which one it was
  cmd=$(awk -v i="$i" '/^\{ / { n++ } n == i' examples.sh | tr -d '\\\n' \
        | grep -o -- '--method .*' | sed -e 's/^--method //' -e 's/} >out.*//' | tr -s ' ' | cut -c1-100)
  if [[ $expect =~ ^#\ Error:\ GDBus\.Error:([A-Za-z0-9.]+): ]]; then
    name=${BASH_REMATCH[1]}
    if [ "$rc" != 0 ] && grep -q "GDBus.Error:$name:" "out.$i"; then
      echo "ok $i - fails with $name: $cmd"
    else
      echo "not ok $i - expected $name (exit $rc): $cmd"
      sed 's/^/# /' "out.$i"
    fi
  elif [ -f "var.$i" ] && ! grep -q '^/org/rawcd/RawCD1/' "var.$i"; then
    echo "not ok $i - gave no object path ($(cat "var.$i")): $cmd"
    sed 's/^/# /' "out.$i"
  elif [ "$rc" = 0 ]; then
    echo "ok $i - succeeds: $cmd"
  else
    echo "not ok $i - failed with exit $rc: $cmd"
    sed 's/^/# /' "out.$i"
  fi
done

if [ "$(cat python.rc 2>/dev/null)" = 0 ] \
   && grep -qx 'org.rawcd.RawCD1.Error.TracksAlreadyAdded' python.out \
   && grep -q "^(True, 'the image is complete" python.out \
   && grep -qx 'QTbVtbhZrNrbrY5b7fYIS.5qAhg-' python.out \
   && grep -q 'QTbVtbhZrNrbrY5b7fYIS.5qAhg-' "$doc"; then
  echo "ok $((n + 1)) - the Python client of section 12 prints what the text shows"
else
  echo "not ok $((n + 1)) - the Python client of section 12"
  sed 's/^/# /' python.out run.log 2>/dev/null
fi

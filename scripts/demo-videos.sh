#!/usr/bin/env bash
# demo-videos.sh generates the four small videos that internal/annotations/testdata's demo
# annotations name, with Debian's ffmpeg command, into the folder given as $1:
#   demo_a.mp4   12 s  H.264 with B-frames (x264, 3 B-frames), MP4
#   demo_b.mkv   15 s  HEVC (x265), Matroska
#   demo_c.webm  10 s  VP9 (libvpx), WebM
#   demo_d.avi   18 s  MPEG-4 part 2, AVI
# All are 320x240 at 25 fps (a moving test pattern), so the demo decodes fast. The
# durations are the ones the demo annotations' outcomes assume (docs/annotations.md).
set -euo pipefail

dir=${1:?usage: scripts/demo-videos.sh OUTPUT_FOLDER}
ffmpeg=$(command -v /usr/bin/ffmpeg || command -v ffmpeg || true)
if [ -z "$ffmpeg" ]; then
  echo "demo-videos: ffmpeg not found (apt-get install ffmpeg)" >&2
  exit 1
fi
mkdir -p "$dir"

gen() { # gen NAME SECONDS CODEC-ARGS...
  local name=$1 seconds=$2
  shift 2
  "$ffmpeg" -y -hide_banner -loglevel error \
    -f lavfi -i "testsrc2=size=320x240:rate=25" -frames:v $((seconds * 25)) \
    "$@" "$dir/$name"
  echo "$dir/$name"
}

gen demo_a.mp4 12 -c:v libx264 -preset veryfast -bf 3 -g 50 -pix_fmt yuv420p
gen demo_b.mkv 15 -c:v libx265 -preset veryfast -x265-params log-level=error:keyint=50 -pix_fmt yuv420p
gen demo_c.webm 10 -c:v libvpx-vp9 -deadline realtime -cpu-used 8 -b:v 300k -g 50 -pix_fmt yuv420p
gen demo_d.avi 18 -c:v mpeg4 -q:v 5 -g 50

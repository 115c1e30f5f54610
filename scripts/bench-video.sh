#!/usr/bin/env bash
# bench-video.sh measures `runner video build` against the ffmpeg CLI on one long video,
# in CPU seconds (user + system) measured in the same run:
#
#   scripts/bench-video.sh MINUTES [GOP]
#
# The input is MINUTES of 1280x720 at 30 fps, H.264 (x264 veryfast, 3 B-frames), a
# keyframe every GOP frames (default: x264's 250), made once with Debian's ffmpeg and
# kept under ~/.cache/rlcurate/bench. The job samples it with MUSEG's settings (2 fps,
# at most 448 frames, smart_resize); the CLI extracts the same frame size at 2 fps
# (`-vf fps=2,scale=W:H`, the issue's comparison) and at the job's frame count
# (`fps=N/DURATION`). Needs bin/runner (make runner). Prints one markdown table.
#
# With BOUND=1 it also decodes the video once with ffprobe to get every frame's picture
# type and prints a lower bound for any sampler that must return qwen-vl-utils' exact
# frames: each target's I/P chain from its keyframe, the target, and for a B target the
# I/P frame after it (decoded before it). Reference B-frames are left out, so the true
# minimum is higher still.
set -euo pipefail

minutes=${1:?usage: scripts/bench-video.sh MINUTES [GOP]}
gop=${2:-250}
root=$(cd "$(dirname "$0")/.." && pwd)
runner=$root/bin/runner
[ -x "$runner" ] || { echo "bench-video: $runner missing (make runner)" >&2; exit 1; }
ffmpeg=/usr/bin/ffmpeg
cache=${RLCURATE_BENCH_CACHE:-$HOME/.cache/rlcurate/bench}
mkdir -p "$cache"

name=h264_720p_${minutes}min_gop${gop}
video=$cache/$name.mp4
frames=$((minutes * 60 * 30))
if [ ! -s "$video" ]; then
  echo "bench-video: encoding $video ($frames frames; several minutes)" >&2
  "$ffmpeg" -y -hide_banner -loglevel error -f lavfi -i testsrc2=size=1280x720:rate=30 \
    -frames:v "$frames" -c:v libx264 -preset veryfast -bf 3 -g "$gop" -pix_fmt yuv420p "$video.tmp.mp4"
  mv "$video.tmp.mp4" "$video"
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# Two annotations naming the video, far apart.
end=$((minutes * 60 - 10))
printf '%s 1.0 5.0##a pattern moves.\n%s %d.0 %d.0##the counter rises.\n' "$name" "$name" $((end - 60)) "$end" >"$work/ann.txt"

# measure LABEL CMD...: runs CMD under /usr/bin/time, prints "cpu wall maxrss_kib".
measure() {
  local label=$1
  shift
  /usr/bin/time -f '%U %S %e %M' -o "$work/time" "$@" >"$work/$label.log" 2>&1 ||
    { cat "$work/$label.log" >&2; exit 1; }
  awk '{printf "%.2f %.2f %d\n", $1 + $2, $3, $4}' "$work/time"
}

read -r job_cpu job_wall job_rss < <(measure job "$runner" video build --annotations "$work/ann.txt" \
  --format charades --videos "$cache" --output "$work/out" --shards 1)
read -r n w h sent packets resets < <(python3 -c '
import json, sys
r = json.loads(open(sys.argv[1]).readline())
s = r["stats"]
print(r["frames"], r["width"], r["height"], s["sent"], s["packets"], s["resets"])' "$work"/out/videos/*.jsonl)
dur=$((minutes * 60))

mkdir -p "$work/ff2" "$work/ffn"
read -r cli_cpu cli_wall cli_rss < <(measure cli "$ffmpeg" -hide_banner -i "$video" \
  -vf "fps=2,scale=$w:$h" -q:v 2 "$work/ff2/%06d.jpg")
read -r same_cpu same_wall same_rss < <(measure same "$ffmpeg" -hide_banner -i "$video" \
  -vf "fps=$n/$dur,scale=$w:$h" -q:v 2 "$work/ffn/%06d.jpg")

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
echo "input: $name ($frames frames, keyframe every $gop); job: $n frames at ${w}x${h}, sent $sent of $packets packets, $resets decoder resets"
echo
echo "| run | CPU s | wall s | peak RSS MiB | CLI CPU / job CPU |"
echo "|---|---|---|---|---|"
echo "| runner video build | $job_cpu | $job_wall | $((job_rss / 1024)) | |"
echo "| ffmpeg \`fps=2,scale=$w:$h\` ($(ls "$work/ff2" | wc -l) JPEGs) | $cli_cpu | $cli_wall | $((cli_rss / 1024)) | $(ratio "$cli_cpu" "$job_cpu") |"
echo "| ffmpeg \`fps=$n/$dur,scale=$w:$h\` ($(ls "$work/ffn" | wc -l) JPEGs) | $same_cpu | $same_wall | $((same_rss / 1024)) | $(ratio "$same_cpu" "$job_cpu") |"

if [ "${BOUND:-0}" = 1 ]; then
  ffprobe -v error -select_streams v -show_entries frame=pict_type,pts -of csv=p=0 "$video" >"$work/types.csv"
  python3 - "$work/types.csv" "$n" <<'PY'
import sys
fields = [l.strip().split(",") for l in open(sys.argv[1])]
rows = sorted((int(f[0]), f[1]) for f in fields if len(f) >= 2 and f[0].lstrip("-").isdigit())
types = [t for _, t in rows]
total, n = len(types), int(sys.argv[2])
# qwen-vl-utils 0.0.10: torch.linspace(0, total - 1, n).round() (half to even, as Python's round)
targets = [round(i * (total - 1) / (n - 1)) for i in range(n)]
need = set(targets)
for k in targets:
    key = k
    while types[key] != "I":
        key -= 1
    need.update(j for j in range(key, k + 1) if types[j] in "IP")
    j = k + 1
    while types[k] == "B" and j < total and types[j] == "B":
        j += 1
    if types[k] == "B" and j < total:
        need.add(j)
print()
print(f"bound: {len(need)} of {total} frames ({100 * len(need) / total:.1f}%) must be decoded by any exact sampler;"
      f" by frame count it can cost at most {total / len(need):.2f}x less than decoding all of them")
PY
fi

#!/usr/bin/env bash
# demo.sh runs rlcurate's jobs on the bundled sample data with the embedded runner (prism),
# offline: the writing jobs use the heuristic judge (no endpoint, no key). Outputs go to
# out/demo/; open any PREFIX/report.html in a browser.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${DEMO_OUT:-out/demo}
runner=bin/runner
rm -rf "$out"
mkdir -p "$out"

step() { printf '\n=== %s\n' "$*" >&2; }

step "generating the demo videos (Debian's ffmpeg)"
scripts/demo-videos.sh "$out/videos" >/dev/null

step "video build: MUSEG annotations -> validated, phased samples with pre-sampled frames"
$runner video build --annotations internal/annotations/testdata/museg_demo.jsonl --format museg \
  --videos "$out/videos" --output "$out/video-build"

step "video build: Charades-STA annotations"
$runner video build --annotations internal/annotations/testdata/charades_demo.txt --format charades \
  --videos "$out/videos" --output "$out/video-build-charades"

step "video score: MUSEG phase-1 rewards of sample rollouts"
$runner video score --input examples/museg_rollouts.jsonl --output "$out/video-score" --phase 1 --mode compat

step "writing select: margin-aware selection (heuristic judge)"
$runner writing select --input examples/writing_samples.jsonl --output "$out/writing-select" --top-k 9

step "writing label: pairwise rewards against each sample's scheduled reference"
$runner writing label --input examples/writing_rollouts.jsonl --samples "$out/writing-select/data" \
  --schedule "$out/schedule.json" --output "$out/writing-label"

step "writing advance: move the reference ladders"
$runner writing advance --schedule "$out/schedule.json" --input "$out/writing-label/data" --output "$out/schedule.json"

step "writing label, round 2: against the advanced ladders (the report plots each sample's level)"
$runner writing label --input examples/writing_rollouts.jsonl --samples "$out/writing-select/data" \
  --schedule "$out/schedule.json" --output "$out/writing-label-2"

step "done"
for r in "$out"/*/report.html; do echo "report: $r" >&2; done

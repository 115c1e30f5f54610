#!/usr/bin/env bash
# bench-scale.sh measures how rlcurate's jobs scale with their input (issue 15): it
# generates deterministic inputs from the bundled examples (video rollouts and writing
# samples, ids made unique), runs each job under /usr/bin/time -v with the built runner
# (prism in process) and writes a table of peak RSS, CPU seconds and wall time against
# input size between the bench-scale markers of docs/benchmarks.md.
#
#   scripts/bench-scale.sh                      # the issue's sizes (minutes; ~1 GB of /tmp)
#   ROLLOUTS="10000 100000" SAMPLES="10000" scripts/bench-scale.sh   # a quick run
#
# `rewards museg` (stdin to stdout, no Beam) scores the same rollouts as `video score`,
# so the ratio of their CPU times is Beam's overhead.
set -euo pipefail
cd "$(dirname "$0")/.."
ROLLOUTS=${ROLLOUTS:-10000 100000 1000000 3000000}
SAMPLES=${SAMPLES:-10000 100000 300000}
TOPK=${TOPK:-1000}
work=${BENCH_DIR:-$(mktemp -d /tmp/rlcurate-bench.XXXXXX)}
runner=${RUNNER:-bin/runner}
doc=${BENCH_DOC:-docs/benchmarks.md}
trap 'rm -rf "$work"' EXIT

# repeat FILE N: N rows cycling through FILE's rows, the i-th row's "id" made "<id>-i".
repeat() {
  awk -v n="$2" 'FNR==NR { row[m++] = $0; next } END {
    for (i = 0; i < n; i++) { r = row[i % m]; match(r, /"id": *"[^"]*"/)
      print substr(r, 1, RSTART + RLENGTH - 2) "-" i "\"" substr(r, RSTART + RLENGTH) } }' "$1" /dev/null
}

# measure NAME SIZE CMD...: runs CMD under /usr/bin/time -v and prints a table row.
measure() {
  local name=$1 size=$2 log="$work/time.log"
  shift 2
  if ! /usr/bin/time -v "$@" >"$work/stdout" 2>"$log"; then
    tail -5 "$log" >&2
    echo "| $name | $size | failed | | | |"
    return
  fi
  awk -v name="$name" -v size="$size" -F': ' '
    /Maximum resident set size/ { rss = $2 / 1024 }
    /User time/ { cpu += $2 } /System time/ { cpu += $2 }
    /Elapsed \(wall clock\)/ { n = split($2, t, ":"); wall = (n == 3 ? t[1]*3600 + t[2]*60 + t[3] : t[1]*60 + t[2]) }
    END { printf "| %s | %\047d | %.0f MB | %.1f | %.1f | %.0f%% |\n", name, size, rss, cpu, wall, (wall > 0 ? 100*cpu/wall : 0) }' "$log"
}

table() {
  echo "| job | rows | peak RSS | CPU-s | wall s | CPU/wall |"
  echo "|---|---|---|---|---|---|"
  for n in $ROLLOUTS; do
    repeat examples/museg_rollouts.jsonl "$n" >"$work/rollouts.jsonl"
    measure "video score" "$n" "$runner" video score --input "$work/rollouts.jsonl" --output "$work/score" --phase 1 --mode compat
    measure "rewards museg" "$n" bash -c "$runner rewards museg --phase 1 --mode compat <'$work/rollouts.jsonl' >/dev/null"
    rm -rf "$work/score" "$work/rollouts.jsonl"
  done
  for n in $SAMPLES; do
    repeat examples/writing_samples.jsonl "$n" >"$work/samples.jsonl"
    measure "writing select (heuristic, top-k $TOPK)" "$n" "$runner" writing select --input "$work/samples.jsonl" --output "$work/select" --top-k "$TOPK"
    rm -rf "$work/select" "$work/samples.jsonl"
  done
}

rows=$(table)
echo "$rows"
{
  echo "<!-- bench-scale:begin -->"
  echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GB", $2/1048576}' /proc/meminfo) RAM, with \`scripts/bench-scale.sh\` (\`make bench-scale\`):"
  echo
  echo "$rows"
  echo "<!-- bench-scale:end -->"
} >"$work/section"
if grep -q '<!-- bench-scale:begin -->' "$doc"; then
  awk -v f="$work/section" '/<!-- bench-scale:begin -->/ { while ((getline l < f) > 0) print l; skip = 1; next }
    /<!-- bench-scale:end -->/ { skip = 0; next } !skip' "$doc" >"$work/doc" && cp "$work/doc" "$doc"
else
  printf '\n## Scale (issue 15)\n\n' >>"$doc"
  cat "$work/section" >>"$doc"
fi
echo "table written to $doc" >&2

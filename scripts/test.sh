#!/usr/bin/env bash
# test.sh runs every test of rlcurate, then each fuzz target for a bounded time.
# The tests start what they need themselves: fake-gcs-server, a loopback judge, prism,
# an external Beam worker pool, Chromium, and videos generated with Debian's ffmpeg.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/env.sh

# The Go build cache and the tests' videos, databases and Beam workers need room: say so
# up front rather than fail later with "no space left on device" in the middle of a build.
for dir in "$(go env GOCACHE)" "${TMPDIR:-/tmp}"; do
  free_gb=$(df --output=avail -BG "$dir" | tail -1 | tr -dc 0-9)
  if [ "$free_gb" -lt 8 ]; then
    echo "test.sh: only ${free_gb} GB free for $dir; the tests need about 8 GB (try: go clean -cache)" >&2
    exit 1
  fi
done

echo "== go vet" >&2
go vet ./...

echo "== staticcheck" >&2
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 ./...

echo "== house rules (functions over 80 lines, packages missing from docs/architecture.md)" >&2
go run ./cmd/housecheck .

echo "== go test" >&2
go test -timeout 40m -count=1 ./...

echo "== fuzz (${FUZZTIME:=10s} per target)" >&2
log=$(mktemp)
trap 'rm -f "$log"' EXIT
grep -rl --include='*_test.go' '^func Fuzz' . | while read -r f; do
  dir=$(dirname "$f")
  for name in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$f" | cut -d' ' -f2); do
    echo "fuzz $dir $name" >&2
    if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$dir" >"$log" 2>&1; then
      # On a loaded machine the fuzzer can miss its own shutdown deadline ("context deadline
      # exceeded", no failing input): run that target once more; a real failure names its input.
      if grep -q 'context deadline exceeded' "$log" && ! grep -q 'Failing input' "$log" &&
        go test -run '^$' -fuzz "^${name}\$" -fuzztime "$FUZZTIME" "$dir" >"$log" 2>&1; then
        continue
      fi
      cat "$log" >&2 # the failing input, or why the fuzzer stopped
      exit 1
    fi
  done
done
echo "== all tests passed" >&2

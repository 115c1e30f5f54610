# rlcurate's build. `make demo` and `make test` are the README's two commands.
SHELL := /bin/bash
ENV := source scripts/env.sh &&

.PHONY: setup runner worker boot demo test check-static bench bench-video bench-scale clean

setup:
	scripts/setup.sh

## runner: bin/runner, linked against the static FFmpeg (cgo).
runner: setup
	$(ENV) go build -o bin/runner ./cmd/runner
	$(MAKE) --no-print-directory check-static

## worker: the Dataflow worker binary (linux/amd64). Beam's own worker build sets
## CGO_ENABLED=0 and cannot build rlcurate; pass this file as --worker_binary.
worker: setup
	$(ENV) GOOS=linux GOARCH=amd64 go build -o bin/worker ./cmd/runner
	BIN=bin/worker $(MAKE) --no-print-directory check-static

## boot: Beam's worker boot program, for an external worker pool on prism.
boot: setup
	go build -o bin/boot github.com/apache/beam/sdks/v2/go/container

## check-static: the runner must not depend on any FFmpeg shared library.
check-static:
	@bin=$${BIN:-bin/runner}; if ldd $$bin | grep -E 'libav|libsw'; then echo "$$bin links FFmpeg dynamically" >&2; exit 1; fi; echo "$$bin: no FFmpeg shared library (ldd)"

demo: runner
	scripts/demo.sh

test: setup
	scripts/test.sh

bench: setup
	$(ENV) go test -run '^$$' -bench . -benchmem ./...

## bench-video: runner video build against the ffmpeg CLI on one long video (docs/benchmarks.md).
MINUTES ?= 30
GOP ?= 250
bench-video: runner
	scripts/bench-video.sh $(MINUTES) $(GOP)

## bench-scale: peak RSS, CPU and wall time of the jobs against input size (docs/benchmarks.md).
bench-scale: runner
	scripts/bench-scale.sh

clean:
	rm -rf bin out

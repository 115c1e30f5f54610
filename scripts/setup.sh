#!/usr/bin/env bash
# setup.sh installs what rlcurate's build, demo and tests need on Debian 12 with Go 1.26:
# Debian packages (FFmpeg's build tools, Debian's ffmpeg CLI for generating test videos,
# Chromium for the report tests, PostgreSQL for the schedule store tests), the static
# FFmpeg build (cached outside the checkout) and the Go modules. It is idempotent and
# quick when everything is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(nasm meson ninja-build pkg-config make gcc xz-utils zlib1g-dev dpkg-dev ffmpeg chromium python3 python3-torchvision python3-numpy python3-pil ca-certificates postgresql)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}" >&2
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

scripts/build-ffmpeg.sh >/dev/null
go mod download
go run honnef.co/go/tools/cmd/staticcheck@v0.8.2 -version >/dev/null # fetch and build the linter once

# env.sh, sourced by the Makefile's recipes and scripts: points cgo at the static FFmpeg
# that scripts/build-ffmpeg.sh built (building it first if the cache is empty).
prefix=$("$(dirname "${BASH_SOURCE[0]}")/build-ffmpeg.sh")
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export PKG_CONFIG="pkg-config --static"
export CGO_ENABLED=1

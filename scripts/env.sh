# env.sh, sourced by the Makefile's recipes and scripts: points cgo at the static FFmpeg
# that scripts/build-ffmpeg.sh built (building it first if the cache is empty).
#
# CGO_CFLAGS and CGO_LDFLAGS name the prefix too: Go's build cache keys cgo packages on
# them but not on PKG_CONFIG_PATH, so without them a rebuilt FFmpeg under a new prefix
# would be linked through stale cached flags.
prefix=$("$(dirname "${BASH_SOURCE[0]}")/build-ffmpeg.sh")
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
export PKG_CONFIG="pkg-config --static"
export CGO_ENABLED=1
export CGO_CFLAGS="-O2 -g -I$prefix/include"
export CGO_LDFLAGS="-O2 -g -L$prefix/lib"

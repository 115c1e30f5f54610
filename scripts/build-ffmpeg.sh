#!/usr/bin/env bash
# build-ffmpeg.sh builds FFmpeg 7.1 (and dav1d for software AV1) as static libraries from
# Debian trixie's source packages, into a cache directory outside the checkout.
#
# The cache key is the FFmpeg version plus a hash of this script (which holds the configure
# flags), so a changed flag set builds into a new directory and an unchanged one is reused.
# It never edits the machine's apt sources: apt-get runs with a private configuration under
# a temporary directory.
#
# libavdevice stays enabled (with no devices): go-astiav asks pkg-config for all seven
# libraries.
#
# Output: prints the install prefix on its last line. Use
#   PKG_CONFIG_PATH=$prefix/lib/pkgconfig PKG_CONFIG="pkg-config --static"
set -euo pipefail

CACHE_ROOT=${RLCURATE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/rlcurate}
here=$(cd "$(dirname "$0")" && pwd)
key=$(sha256sum "$here/build-ffmpeg.sh" | cut -c1-12)
prefix="$CACHE_ROOT/ffmpeg-7.1-$key"

if [ -f "$prefix/.complete" ]; then
  echo "$prefix"
  exit 0
fi

log() { echo "build-ffmpeg: $*" >&2; }
need=()
for tool in nasm meson ninja pkg-config make gcc xz; do
  command -v "$tool" >/dev/null || need+=("$tool")
done
[ -f /usr/include/zlib.h ] || need+=(zlib)
if [ ${#need[@]} -gt 0 ]; then
  log "missing build tools (${need[*]}); installing with apt-get"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
  $SUDO apt-get update -qq
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
    nasm meson ninja-build pkg-config make gcc xz-utils zlib1g-dev dpkg-dev >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/lists/partial" "$work/archives/partial"
echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main" >"$work/src.list"
apt_private=(-o "Dir::Etc::SourceList=$work/src.list" -o Dir::Etc::SourceParts=/dev/null
  -o "Dir::State::Lists=$work/lists" -o "Dir::Cache::Archives=$work/archives" -o APT::Sandbox::User=root)

log "fetching source packages (private apt configuration in $work)"
apt-get "${apt_private[@]}" update -qq >&2
(cd "$work" && apt-get "${apt_private[@]}" source --download-only ffmpeg dav1d >&2)

staging="$prefix.tmp"
rm -rf "$staging"
mkdir -p "$staging"
jobs=$(nproc)

log "building dav1d"
mkdir -p "$work/dav1d"
tar -xf "$(ls "$work"/dav1d_*.orig.tar.* | head -1)" -C "$work/dav1d" --strip-components=1
(cd "$work/dav1d" &&
  meson setup build --prefix="$staging" --libdir=lib --default-library=static --buildtype=release \
    -Denable_tools=false -Denable_tests=false -Denable_examples=false >&2 &&
  ninja -C build install >&2)

log "building ffmpeg"
mkdir -p "$work/ffmpeg"
tar -xf "$(ls "$work"/ffmpeg_*.orig.tar.* | head -1)" -C "$work/ffmpeg" --strip-components=1
(cd "$work/ffmpeg" &&
  PKG_CONFIG_PATH="$staging/lib/pkgconfig" ./configure \
    --prefix="$staging" \
    --pkg-config-flags=--static \
    --enable-static --disable-shared --enable-pic \
    --disable-programs --disable-doc --disable-network --disable-autodetect \
    --disable-everything \
    --disable-postproc \
    --enable-zlib --enable-libdav1d \
    --enable-protocol=file,pipe \
    --enable-demuxer=mov,matroska,avi,mpegts,flv,image2 \
    --enable-parser=h264,hevc,vp8,vp9,av1,mpeg4video,mpegvideo,mjpeg,png \
    --enable-bsf=h264_mp4toannexb,hevc_mp4toannexb,vp9_superframe_split,av1_frame_split \
    --enable-decoder=h264,hevc,vp8,vp9,libdav1d,mpeg4,mpeg2video,mjpeg,png \
    --enable-encoder=mjpeg,png \
    --enable-muxer=image2,mjpeg \
    --enable-swscale \
    --enable-filter=buffer,buffersink,format,scale,transpose,hflip,vflip,rotate,fps,null >&2 &&
  make -j"$jobs" >&2 && make install >&2)

# zlib (for png) would otherwise link as libz.so: a copy of Debian's libz.a beside FFmpeg's
# libraries, found first through their -L, makes the runner depend on libc and libm only.
cp "$(gcc -print-file-name=libz.a)" "$staging/lib/libz.a"

rm -rf "$prefix"
mv "$staging" "$prefix"
# pkg-config files carry the staging prefix; point them at the final one.
sed -i "s#$staging#$prefix#g" "$prefix"/lib/pkgconfig/*.pc
touch "$prefix/.complete"
log "done"
echo "$prefix"

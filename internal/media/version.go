package media

//#cgo pkg-config: libavutil
//#include <libavutil/avutil.h>
import "C"

// FFmpegVersion returns the version of the FFmpeg libraries linked into the binary
// (av_version_info), e.g. "7.1" or "n7.1-12-g…".
func FFmpegVersion() string {
	return C.GoString(C.av_version_info())
}

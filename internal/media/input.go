package media

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/asticode/go-astiav"
)

func init() {
	// FFmpeg logs warnings for every damaged packet; errors come back through our API.
	astiav.SetLogLevel(astiav.LogLevelFatal)
}

// withInput opens path, finds its video stream (other streams are discarded by the
// demuxer) and calls fn. Reads stop with ErrTimeout when ctx ends.
func withInput(ctx context.Context, path string, fn func(fc *astiav.FormatContext, st *astiav.Stream) error) error {
	if fi, err := os.Stat(path); err != nil {
		return fmt.Errorf("%w: %w", ErrNotFound, err)
	} else if fi.IsDir() {
		return fmt.Errorf("%w: is a directory", ErrNotFound)
	}
	fc := astiav.AllocFormatContext()
	if fc == nil {
		return errors.New("allocating format context failed")
	}
	defer fc.Free()
	interrupter := astiav.NewIOInterrupter()
	defer interrupter.Free()
	fc.SetIOInterrupter(interrupter)
	stop := context.AfterFunc(ctx, interrupter.Interrupt)
	defer stop()

	if err := fc.OpenInput(path, nil, nil); err != nil {
		return classify(ctx, ErrInvalid, "open", err)
	}
	defer fc.CloseInput()
	if err := fc.FindStreamInfo(nil); err != nil {
		return classify(ctx, ErrInvalid, "find stream info", err)
	}
	st, _, err := fc.FindBestStream(astiav.MediaTypeVideo, -1, -1)
	if err != nil {
		if errors.Is(err, astiav.ErrDecoderNotFound) {
			return classify(ctx, ErrUnsupported, "find video stream", err)
		}
		return classify(ctx, ErrNoVideo, "find video stream", err)
	}
	for _, other := range fc.Streams() {
		if other.Index() != st.Index() {
			other.SetDiscard(astiav.DiscardAll)
		}
	}
	return fn(fc, st)
}

// classify wraps err with kind, or with ErrTimeout when ctx has ended (an interrupted
// read reports AVERROR_EXIT), or ErrNotFound for a file the OS refuses.
func classify(ctx context.Context, kind error, op string, err error) error {
	switch {
	case ctx.Err() != nil || errors.Is(err, astiav.ErrExit):
		return fmt.Errorf("%s: %w: %w", op, ErrTimeout, errors.Join(ctx.Err(), err))
	case errors.Is(err, astiav.Error(-int(syscall.ENOENT))) || errors.Is(err, astiav.Error(-int(syscall.EACCES))) || errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("%s: %w: %w", op, ErrNotFound, err)
	}
	return fmt.Errorf("%s: %w: %w", op, kind, err)
}

// withDeadline applies the Limits timeout to ctx.
func withDeadline(ctx context.Context, lim Limits) (context.Context, context.CancelFunc) {
	if t := lim.timeout(); t > 0 {
		return context.WithTimeout(ctx, t)
	}
	return context.WithCancel(ctx)
}

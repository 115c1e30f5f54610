package blob

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
)

var (
	rangeMu      sync.Mutex
	rangeClients = map[string]*GCS{}
)

// OpenRange opens length bytes of p from offset for reading (length < 0: to the end). The
// reader may return fewer bytes when p is shorter. Local files are seeked; gs:// objects
// are read with a ranged request, through one client per GCS endpoint. A missing file
// gives an error wrapping fs.ErrNotExist.
func OpenRange(ctx context.Context, p string, offset, length int64) (io.ReadCloser, error) {
	if offset < 0 {
		return nil, fmt.Errorf("open %s: negative offset %d", p, offset)
	}
	if IsGCS(p) {
		g, err := rangeClient(ctx)
		if err != nil {
			return nil, err
		}
		o, err := g.object(p)
		if err != nil {
			return nil, err
		}
		r, err := o.NewRangeReader(ctx, offset, length)
		if err != nil {
			return nil, fmt.Errorf("open %s at %d: %w", p, offset, notExist(err))
		}
		return r, nil
	}
	f, err := os.Open(p)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", p, err)
	}
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		f.Close()
		return nil, fmt.Errorf("open %s at %d: %w", p, offset, err)
	}
	if length < 0 {
		return f, nil
	}
	return limitedFile{Reader: io.LimitReader(f, length), Closer: f}, nil
}

type limitedFile struct {
	io.Reader
	io.Closer
}

// rangeClient returns the shared client for the current STORAGE_EMULATOR_HOST.
func rangeClient(ctx context.Context) (*GCS, error) {
	key := os.Getenv("STORAGE_EMULATOR_HOST")
	rangeMu.Lock()
	defer rangeMu.Unlock()
	if g, ok := rangeClients[key]; ok {
		return g, nil
	}
	g, err := NewGCS(context.WithoutCancel(ctx))
	if err != nil {
		return nil, err
	}
	rangeClients[key] = g
	return g, nil
}

package blob

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"cloud.google.com/go/storage"
	"google.golang.org/api/googleapi"
)

// ErrPreconditionFailed means a conditional write lost a race: the object was no longer
// at the generation the write was conditioned on (GCS answered 412), or another write
// to it was in progress (409).
var ErrPreconditionFailed = errors.New("precondition failed: the object changed")

// GCS reads and writes single gs:// objects together with their generation, for
// read-modify-write updates that several workers make at once (Beam's filesystem, which
// the rest of the package uses, knows no generations). It holds one storage client,
// which honours STORAGE_EMULATOR_HOST; Close releases it.
type GCS struct {
	client *storage.Client
}

// NewGCS returns a GCS with its own client.
func NewGCS(ctx context.Context) (*GCS, error) {
	c, err := storage.NewClient(ctx)
	if err != nil {
		return nil, fmt.Errorf("cannot create a GCS client: %w", err)
	}
	return &GCS{client: c}, nil
}

// Close releases the client.
func (g *GCS) Close() error { return g.client.Close() }

// SplitGCS splits gs://bucket/object into its bucket and object name.
func SplitGCS(p string) (bucket, object string, err error) {
	bucket, object, ok := strings.Cut(strings.TrimPrefix(p, "gs://"), "/")
	if !IsGCS(p) || !ok || bucket == "" || object == "" {
		return "", "", fmt.Errorf("%s: want gs://bucket/object", p)
	}
	return bucket, object, nil
}

func (g *GCS) object(p string) (*storage.ObjectHandle, error) {
	bucket, object, err := SplitGCS(p)
	if err != nil {
		return nil, err
	}
	return g.client.Bucket(bucket).Object(object), nil
}

// ReadGeneration reads the whole object p and returns it with its generation. A missing
// object gives an error wrapping fs.ErrNotExist.
func (g *GCS) ReadGeneration(ctx context.Context, p string) ([]byte, int64, error) {
	o, err := g.object(p)
	if err != nil {
		return nil, 0, err
	}
	r, err := o.NewReader(ctx)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", p, notExist(err))
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		return nil, 0, fmt.Errorf("read %s: %w", p, err)
	}
	return b, r.Attrs.Generation, nil
}

// WriteIfGeneration writes data (of the given content type) to the object p only if it
// is still at generation gen, or, when gen is 0, only if it does not exist. A lost race
// gives an error wrapping ErrPreconditionFailed.
func (g *GCS) WriteIfGeneration(ctx context.Context, p string, data []byte, contentType string, gen int64) error {
	o, err := g.object(p)
	if err != nil {
		return err
	}
	cond := storage.Conditions{GenerationMatch: gen}
	if gen == 0 {
		cond = storage.Conditions{DoesNotExist: true}
	}
	w := o.If(cond).NewWriter(ctx)
	w.ContentType = contentType
	_, err = w.Write(data)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		return nil
	}
	if isConflict(err) {
		return fmt.Errorf("write %s: %w (%w)", p, ErrPreconditionFailed, err)
	}
	return fmt.Errorf("write %s: %w", p, err)
}

// isConflict reports a failed precondition (412) or a concurrent-write conflict (409).
func isConflict(err error) bool {
	var ge *googleapi.Error
	if errors.As(err, &ge) {
		return ge.Code == http.StatusPreconditionFailed || ge.Code == http.StatusConflict
	}
	return false
}

// Checksums returns the checksums GCS keeps for the object p: its MD5 (hex; empty for a
// composite object, which has none) and its CRC32C (hex, big-endian as GCS shows it).
// They cost one metadata request, not a download.
func (g *GCS) Checksums(ctx context.Context, p string) (md5Hex, crc32cHex string, err error) {
	o, err := g.object(p)
	if err != nil {
		return "", "", err
	}
	a, err := o.Attrs(ctx)
	if err != nil {
		return "", "", fmt.Errorf("stat %s: %w", p, notExist(err))
	}
	return hex.EncodeToString(a.MD5), fmt.Sprintf("%08x", a.CRC32C), nil
}

package launch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// HashLimit is the largest gs:// input object whose sha256 DescribeInputs computes (by
// reading it) before the job starts; a larger object is described by the MD5 and CRC32C
// that GCS keeps for it, so it is not downloaded twice. Local files are always hashed.
var HashLimit int64 = 64 << 20

// MaxDescribedInputs is the most input files DescribeInputs describes.
const MaxDescribedInputs = 1000

// InputFile describes one input file of a run, for its manifest and report: its path,
// size and a digest of its bytes (SHA256, or for a gs:// object over HashLimit, the MD5
// and CRC32C of GCS; MD5 is empty for a composite object).
type InputFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256,omitempty"`
	MD5    string `json:"md5,omitempty"`
	CRC32C string `json:"crc32c,omitempty"`
}

// DescribeInputs lists the files glob stands for (at most MaxDescribedInputs) with their
// sizes and digests, hashing up to GOMAXPROCS files at once.
func DescribeInputs(ctx context.Context, glob string) ([]InputFile, error) {
	files, err := blob.Expand(ctx, glob)
	if err != nil {
		return nil, err
	}
	out := make([]InputFile, min(len(files), MaxDescribedInputs))
	errs := make([]error, len(out))
	var gcs *blob.GCS // for the checksums of large gs:// objects
	if slices.ContainsFunc(files[:len(out)], blob.IsGCS) {
		if gcs, err = blob.NewGCS(ctx); err != nil {
			return nil, err
		}
		defer gcs.Close()
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	for i, f := range files[:len(out)] {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer func() { <-sem; wg.Done() }()
			out[i], errs[i] = describeInput(ctx, gcs, f)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// describeInput describes one file (gcs is used for gs:// objects over HashLimit).
func describeInput(ctx context.Context, gcs *blob.GCS, f string) (InputFile, error) {
	n, err := blob.Size(ctx, f)
	if err != nil {
		return InputFile{}, err
	}
	in := InputFile{Path: f, Bytes: n}
	if blob.IsGCS(f) && n > HashLimit {
		in.MD5, in.CRC32C, err = gcs.Checksums(ctx, f)
	} else {
		in.SHA256, err = hashFile(ctx, f)
	}
	return in, err
}

// hashFile returns the hex sha256 of the file at p.
func hashFile(ctx context.Context, p string) (string, error) {
	r, err := blob.Open(ctx, p)
	if err != nil {
		return "", err
	}
	defer r.Close()
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

package launch

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"

	"github.com/rlcurate/rlcurate/internal/blob"
)

// HashLimit is the largest input file whose sha256 DescribeInputs computes before the
// job starts; larger files are described by path and size only.
const HashLimit = 64 << 20

// InputFile describes one input file of a run, for its manifest and report.
type InputFile struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256,omitempty"` // empty for files over HashLimit
}

// DescribeInputs lists the files glob stands for with their sizes and, for files of at
// most HashLimit bytes, their sha256 (at most 1000 files are described).
func DescribeInputs(ctx context.Context, glob string) ([]InputFile, error) {
	files, err := blob.Expand(ctx, glob)
	if err != nil {
		return nil, err
	}
	var out []InputFile
	for _, f := range files[:min(len(files), 1000)] {
		n, err := blob.Size(ctx, f)
		if err != nil {
			return nil, err
		}
		in := InputFile{Path: f, Bytes: n}
		if n <= HashLimit {
			if in.SHA256, err = hashFile(ctx, f); err != nil {
				return nil, err
			}
		}
		out = append(out, in)
	}
	return out, nil
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

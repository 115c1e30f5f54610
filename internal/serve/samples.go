package serve

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"strings"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/export"
)

// maxLineBytes bounds one sample row (as transforms.MaxLineBytes bounds job input).
const maxLineBytes = 64 << 20

// Sample is what the writing reward needs of one writing sample.
type Sample struct {
	Prompt   string
	Criteria string
	// References are ordered weakest to strongest.
	References []string
}

// LoadSamples reads the writing select job's data rows (export.DecodeWriting) from the
// JSONL files glob stands for (blob.Expand: a file, a glob or a folder's *.jsonl files,
// local or gs://) and returns the samples by id. A glob matching nothing, an unreadable
// or bad row, or an id seen twice with different content is an error naming the file and
// line.
func LoadSamples(ctx context.Context, glob string) (map[string]Sample, error) {
	kept, err := blob.Expand(ctx, glob)
	if err != nil {
		return nil, fmt.Errorf("samples %w", err)
	}
	out := map[string]Sample{}
	for _, f := range kept {
		b, err := blob.ReadFile(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("samples: %w", err)
		}
		sc := bufio.NewScanner(bytes.NewReader(b))
		sc.Buffer(nil, maxLineBytes)
		for line := 1; sc.Scan(); line++ {
			text := bytes.TrimSpace(sc.Bytes())
			if len(text) == 0 {
				continue
			}
			in, err := export.DecodeWriting(text)
			if err != nil {
				return nil, fmt.Errorf("samples %s:%d: %w", f, line, err)
			}
			s := Sample{Prompt: in.Prompt, References: in.Targets()}
			if c := in.CriteriaText(); c != nil {
				s.Criteria = *c
			}
			if old, ok := out[in.ID]; ok && !sameSample(old, s) {
				return nil, fmt.Errorf("samples %s:%d: id %q seen twice with different content", f, line, in.ID)
			}
			out[in.ID] = s
		}
		if err := sc.Err(); err != nil {
			return nil, fmt.Errorf("samples %s: %w", f, err)
		}
	}
	return out, nil
}

func sameSample(a, b Sample) bool {
	return a.Prompt == b.Prompt && a.Criteria == b.Criteria && strings.Join(a.References, "\x00") == strings.Join(b.References, "\x00")
}

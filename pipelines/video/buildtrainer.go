package video

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/transforms/stats"
	"github.com/rlcurate/rlcurate/internal/export"
)

// MaxPromptLengthExtra is the manifest extra (and the JSON summary field) holding the
// longest prompt of a video build in tokens, export.PromptTokens's estimate: the least
// data.max_prompt_length for verl.
const MaxPromptLengthExtra = "max_prompt_length"

func init() {
	register.Function1x1[Row, int64](promptTokens)
	register.Function2x0[int64, func(string, string)](maxPromptExtra)
}

// MaxPromptLength returns the manifest extra MaxPromptLengthExtra of rows (a KV<string,
// string> of one element; none when there are no rows). The maximum is a Combine: each
// worker keeps one number, not the rows.
func MaxPromptLength(s beam.Scope, rows beam.PCollection) beam.PCollection {
	s = s.Scope("MaxPromptLength")
	return beam.ParDo(s, maxPromptExtra, stats.Max(s, beam.ParDo(s, promptTokens, rows)))
}

// promptTokens is a row's prompt length in tokens (export.PromptTokens).
func promptTokens(r Row) int64 {
	return export.PromptTokens(r.Prompt, len(r.Frames.Paths), r.Frames.Width, r.Frames.Height)
}

// maxPromptExtra turns the maximum into the manifest extra.
func maxPromptExtra(n int64, emit func(string, string)) {
	emit(MaxPromptLengthExtra, strconv.FormatInt(n, 10))
}

// frameRoot is the prefix of frame paths in trainer rows: root when given (--frame-root,
// where the trainer mounts the output), otherwise the output prefix itself, made
// absolute when local (a gs:// prefix is kept as it is).
func frameRoot(root, output string) (string, error) {
	if root != "" {
		return root, nil
	}
	if strings.Contains(output, "://") || filepath.IsAbs(output) {
		return output, nil
	}
	abs, err := filepath.Abs(output)
	if err != nil {
		return "", fmt.Errorf("frame root: %w", err)
	}
	return abs, nil
}

package transforms

import (
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.Function1x2[layout.DeadLetter, string, error](encodeDeadLetter)
}

// WriteDeadLetters writes every layout.DeadLetter of the given collections to
// PREFIX/deadletter/ and returns their shards. Each collection is encoded and spilled
// where it is produced (writeJSONL): no dead letter crosses a shuffle or a Flatten, so
// a job that rejects many rows does not hold them in the runner's memory.
func WriteDeadLetters(s beam.Scope, prefix string, shards int, letters ...beam.PCollection) beam.PCollection {
	s = s.Scope("DeadLetters")
	rows := make([]beam.PCollection, len(letters))
	for i, l := range letters {
		rows[i] = beam.ParDo(s, encodeDeadLetter, l)
	}
	return writeJSONL(s, Sink{Prefix: prefix, Output: layout.DeadLetterOutput, Name: "deadletter", Shards: shards}, rows...)
}

func encodeDeadLetter(d layout.DeadLetter) (string, error) {
	b, err := json.Marshal(d)
	if err != nil {
		return "", fmt.Errorf("encode dead letter from %s:%d: %w", d.File, d.Line, err)
	}
	return string(b), nil
}

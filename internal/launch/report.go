package launch

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
	"github.com/rlcurate/rlcurate/internal/report"
)

// Reporter builds a job's report from its finished output: the manifest, and whatever
// rows it reads back through EachRow.
type Reporter func(ctx context.Context, prefix string, m layout.Manifest, run report.Run) (*report.Report, error)

// WriteReport builds the report with r and writes it to PREFIX/report.html.
func WriteReport(ctx context.Context, prefix string, m layout.Manifest, r Reporter) error {
	run, err := RunInfo(ctx, prefix, m)
	if err != nil {
		return err
	}
	rep, err := r(ctx, prefix, m, run)
	if err != nil {
		return fmt.Errorf("report: %w", err)
	}
	var buf bytes.Buffer
	if err := rep.Render(&buf); err != nil {
		return fmt.Errorf("report: %w", err)
	}
	return blob.WriteAtomic(ctx, blob.Join(prefix, "report.html"), buf.Bytes())
}

// RunInfo is what every report starts with: the manifest's accounting, the job's config
// and the dead letters' reasons, most common first.
func RunInfo(ctx context.Context, prefix string, m layout.Manifest) (report.Run, error) {
	run := report.Run{Title: m.Job, Prefix: prefix, Counts: report.Counts{
		Read: m.Counts[layout.CountRead], Written: m.Counts[layout.CountWritten],
		Filtered: m.Counts[layout.CountFiltered], DeadLettered: m.Counts[layout.CountDeadLettered],
		Extra: map[string]int64{},
	}}
	for k, v := range m.Counts {
		switch k {
		case layout.CountRead, layout.CountWritten, layout.CountFiltered, layout.CountDeadLettered:
		default:
			run.Counts.Extra[k] = v
		}
	}
	keys := make([]string, 0, len(m.Config))
	for k := range m.Config {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !metaKeys[k] {
			run.Params = append(run.Params, report.KV{Key: k, Value: fmt.Sprint(m.Config[k])})
		}
	}
	run.Meta = metadata(m)
	reasons := map[string]int64{}
	err := EachRow(ctx, prefix, m, layout.DeadLetterOutput, func(row []byte) error {
		var d struct { // the record, often most of the row, is not kept
			Stage  string `json:"stage"`
			Reason string `json:"reason"`
		}
		if err := json.Unmarshal(row, &d); err != nil {
			return err
		}
		reasons[d.Stage+": "+d.Reason]++
		return nil
	})
	if err != nil {
		return run, err
	}
	for r, n := range reasons {
		run.DeadLetters = append(run.DeadLetters, report.ReasonCount{Reason: r, Count: n})
	}
	sort.Slice(run.DeadLetters, func(i, j int) bool {
		a, b := run.DeadLetters[i], run.DeadLetters[j]
		return a.Count > b.Count || a.Count == b.Count && a.Reason < b.Reason
	})
	return run, nil
}

// EachRow calls fn with every row of the manifest's shards of one output, in shard order,
// reading each shard as a stream (a shard may be hundreds of megabytes).
func EachRow(ctx context.Context, prefix string, m layout.Manifest, out string, fn func(row []byte) error) error {
	for _, sh := range m.Shards {
		if sh.Output != out {
			continue
		}
		if err := eachLine(ctx, blob.Join(prefix, sh.Path), fn); err != nil {
			return fmt.Errorf("%s: %w", sh.Path, err)
		}
	}
	return nil
}

// eachLine calls fn with every line of the file at p.
func eachLine(ctx context.Context, p string, fn func(row []byte) error) error {
	r, err := blob.Open(ctx, p)
	if err != nil {
		return err
	}
	defer r.Close()
	sc := bufio.NewScanner(r)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

package transforms

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/rlcurate/rlcurate/internal/blob"
	"github.com/rlcurate/rlcurate/internal/layout"
)

func init() {
	register.DoFn5x1[context.Context, []byte, func(*string, *int64) bool, func(*layout.Shard) bool, func(*string, *string) bool, error](&writeManifestFn{})
	register.Iter2[string, int64]()
	register.Iter1[layout.Shard]()
	register.Iter2[string, string]()
	register.Function2x0[string, func(string, string)](noExtras)
}

// noExtras gives a job without extras an empty KV<string, string> collection.
func noExtras(string, func(string, string)) {}

// Job identifies a job for its manifest.
type Job struct {
	Name    string         // e.g. "video score"
	Version string         // rlcurate's version
	Prefix  string         // output prefix; the manifest is PREFIX/manifest.json
	Config  map[string]any // the job's settings, recorded as given

	MaxLineBytes int // --max-line-bytes: bound of one input line for ReadLines (0: MaxLineBytes)
}

// Accounts is what a job hands WriteManifest.
type Accounts struct {
	Tallies []beam.PCollection // KV<string, int64>; one must be named layout.CountRead
	Shards  []beam.PCollection // layout.Shard of every output, dead letters included
	Extras  []beam.PCollection // KV<string, string>: name -> JSON value, for Manifest.Extra
}

// WriteManifest writes PREFIX/manifest.json once every shard is committed. It fails the
// job, writing nothing, when read != written + filtered + dead_lettered.
func WriteManifest(s beam.Scope, job Job, acc Accounts) {
	s = s.Scope("Manifest")
	config, err := json.Marshal(job.Config)
	if err != nil {
		panic(fmt.Sprintf("manifest config of %s does not encode: %v", job.Name, err)) // a programming error
	}
	extrasKV := beam.ParDo(s, noExtras, beam.CreateList(s, []string{}))
	if len(acc.Extras) > 0 {
		extrasKV = beam.Flatten(s, acc.Extras...)
	}
	beam.ParDo0(s, &writeManifestFn{Job: job.Name, Version: job.Version, Prefix: job.Prefix, Config: string(config)},
		beam.Impulse(s),
		beam.SideInput{Input: SumTallies(s, acc.Tallies...)},
		beam.SideInput{Input: beam.Flatten(s, acc.Shards...)},
		beam.SideInput{Input: extrasKV})
}

type writeManifestFn struct {
	Job, Version, Prefix string
	Config               string // JSON
}

func (fn *writeManifestFn) ProcessElement(ctx context.Context, _ []byte, tallies func(*string, *int64) bool, shards func(*layout.Shard) bool, extras func(*string, *string) bool) error {
	counts := map[string]int64{}
	var name string
	var n int64
	for tallies(&name, &n) {
		counts[name] += n
	}
	var all []layout.Shard
	var sh layout.Shard
	for shards(&sh) {
		all = append(all, sh)
	}
	var config map[string]any
	if err := json.Unmarshal([]byte(fn.Config), &config); err != nil {
		return fmt.Errorf("manifest config: %w", err)
	}
	m := layout.NewManifest(fn.Job, fn.Version, counts, all, config)
	var value string
	for extras(&name, &value) {
		if m.Extra == nil {
			m.Extra = map[string]any{}
		}
		m.Extra[name] = json.RawMessage(value)
	}
	if err := m.Check(); err != nil {
		return fmt.Errorf("%s: %w; no manifest written to %s", fn.Job, err, fn.Prefix)
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("encode manifest: %w", err)
	}
	return blob.WriteAtomic(ctx, blob.Join(fn.Prefix, "manifest.json"), append(b, '\n'))
}

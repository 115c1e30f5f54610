package transforms

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"

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

	// Input is the job's main input (a path, glob or gs:// URL) and Cuts, with --limit,
	// where ReadInput stops reading it (CutInput); nil Cuts read it all. Limit is
	// --limit itself (0: none), for readers of inputs that are not lines.
	Input string
	Cuts  []FileCut
	Limit int64
}

// Accounts is what a job hands WriteManifest.
type Accounts struct {
	Tallies []beam.PCollection // KV<string, int64>; one must be named layout.CountRead
	Shards  []beam.PCollection // layout.Shard of every output, dead letters included
	Extras  []beam.PCollection // KV<string, string>: name -> JSON value, for Manifest.Extra
}

// WriteManifest publishes the job's output: once every shard is committed it writes
// PREFIX/manifest.json (atomically, the last file of the run to appear), then removes the
// shards of earlier runs that the new manifest does not list (RemoveUnlisted). It fails
// the job, writing nothing, when read != written + filtered + dead_lettered. A run that
// dies before this step leaves the previous manifest and the shards it lists as they
// were: new shards carry their content digest in their names, so they never replace one.
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
	if err := blob.WriteAtomic(ctx, blob.Join(fn.Prefix, "manifest.json"), append(b, '\n')); err != nil {
		return err
	}
	return RemoveUnlisted(ctx, fn.Prefix, m)
}

// RemoveUnlisted is the last step of publishing: once m is PREFIX/manifest.json, it
// removes from every output folder of m (data/ and deadletter/ always) the shard files
// and temporary files that m does not list: an earlier run's shards, and whatever a run
// that died before publishing left. Files that do not look like shards
// (layout.IsShardFile) are left alone. Local disk and gs:// alike.
func RemoveUnlisted(ctx context.Context, prefix string, m layout.Manifest) error {
	for _, out := range m.Outputs() {
		dir := blob.Join(prefix, out)
		files, err := blob.List(ctx, blob.Join(dir, "*"))
		if err != nil {
			return fmt.Errorf("publish %s: %w", dir, err)
		}
		listed := m.Listed(out)
		for _, name := range files {
			base, ok := strings.CutPrefix(filepath.ToSlash(name), filepath.ToSlash(dir)+"/")
			if !ok || strings.Contains(base, "/") || listed[out+"/"+base] || !layout.IsShardFile(base) {
				continue
			}
			if err := blob.Remove(ctx, name); err != nil {
				return fmt.Errorf("publish: %s is not listed in the new manifest and could not be removed: %w", name, err)
			}
		}
	}
	return nil
}

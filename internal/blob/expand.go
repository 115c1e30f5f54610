package blob

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"sort"
	"strings"

	"github.com/rlcurate/rlcurate/internal/layout"
)

// ErrNoMatch means an input pattern named no file.
var ErrNoMatch = errors.New("no such file")

// Pattern returns the glob that the input p stands for: p itself when it holds a
// wildcard (* ? [) or names a file, else the glob of the JSONL files in the folder p
// (PREFIX/data becomes PREFIX/data/*.jsonl). A local folder is one that exists as a
// folder; on GCS, where folders are name prefixes, a path ending in "/" or one that is
// neither a .jsonl name nor an existing object is a folder. The empty path stays empty.
func Pattern(ctx context.Context, p string) string {
	if p == "" || strings.ContainsAny(p, "*?[") {
		return p
	}
	if !IsGCS(p) {
		if fi, err := os.Stat(p); err == nil && fi.IsDir() {
			return Join(p, "*.jsonl")
		}
		return p
	}
	if strings.HasSuffix(p, "/") {
		return p + "*.jsonl"
	}
	if strings.HasSuffix(p, ".jsonl") {
		return p
	}
	if ok, err := Exists(ctx, p); err == nil && ok {
		return p
	}
	return Join(p, "*.jsonl")
}

// Expand returns the files the input p stands for, sorted: p may be a file, a folder
// (its *.jsonl files, see Pattern) or a glob, local or gs://. Temporary files (TempName)
// are skipped. A folder or glob inside a job's output (PREFIX/data, PREFIX/data/*.jsonl)
// stands for the shards PREFIX/manifest.json lists in that folder, never for whatever
// else the folder holds (see Published). When nothing is left the error wraps
// ErrNoMatch.
func Expand(ctx context.Context, p string) ([]string, error) {
	glob := Pattern(ctx, p)
	files, err := List(ctx, glob)
	if err != nil {
		return nil, err
	}
	var kept []string
	for _, f := range files {
		if !IsTemp(f) {
			kept = append(kept, f)
		}
	}
	if strings.ContainsAny(glob, "*?[") {
		if kept, err = Published(ctx, glob, kept); err != nil {
			return nil, err
		}
	}
	if len(kept) == 0 {
		if glob != p {
			return nil, fmt.Errorf("%s (%s): %w", p, glob, ErrNoMatch)
		}
		return nil, fmt.Errorf("%s: %w", p, ErrNoMatch)
	}
	sort.Strings(kept)
	return kept, nil
}

// Published narrows the files a glob matched to what is published: for every folder
// DIR involved (the glob's own folder when it has no wildcard, and the folder of every
// match) whose parent holds a job's manifest.json listing shards in DIR, the result
// holds exactly the listed shards that match the glob, and a listed shard that is
// missing is an error. Files of other folders are kept as they are. A manifest that
// does not parse is an error: manifests are written atomically, so it is not one of
// rlcurate's.
func Published(ctx context.Context, glob string, files []string) ([]string, error) {
	present := map[string]bool{}
	byDir := map[string][]string{}
	for _, f := range files {
		present[clean(f)] = true
		dir, _ := split(f)
		byDir[dir] = append(byDir[dir], f)
	}
	if dir, _ := split(glob); !strings.ContainsAny(dir, "*?[") {
		if _, ok := byDir[dir]; !ok {
			byDir[dir] = nil
		}
	}
	var out []string
	for dir, matched := range byDir {
		listed, err := listed(ctx, dir)
		if err != nil {
			return nil, err
		}
		if listed == nil {
			out = append(out, matched...)
			continue
		}
		for _, l := range listed {
			if ok, err := path.Match(filepath.ToSlash(glob), filepath.ToSlash(l)); err == nil && !ok {
				continue
			}
			if !present[clean(l)] {
				return nil, fmt.Errorf("%s lists %s, which is missing: %w", Join(parent(dir), "manifest.json"), l, ErrNoMatch)
			}
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out, nil
}

// listed returns the full paths of the shards that the manifest beside the folder dir
// (PARENT/manifest.json for PARENT/NAME) lists in dir, or nil when there is no manifest
// or it lists nothing there.
func listed(ctx context.Context, dir string) ([]string, error) {
	if IsGCS(dir) && !strings.Contains(strings.TrimPrefix(dir, "gs://"), "/") {
		return nil, nil // a bucket's root has no parent folder
	}
	top, name := split(dir)
	mpath := Join(top, "manifest.json")
	if ok, err := Exists(ctx, mpath); err != nil || !ok {
		return nil, err
	}
	b, err := ReadFile(ctx, mpath)
	if err != nil {
		return nil, err
	}
	var m layout.Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", mpath, err)
	}
	var out []string
	for rel := range m.Listed(name) {
		out = append(out, Join(top, rel))
	}
	return out, nil
}

// split splits p at its last slash into folder and name (gs:// and local alike).
func split(p string) (dir, name string) {
	i := strings.LastIndex(p, "/")
	if i < 0 {
		return ".", p
	}
	return p[:i], p[i+1:]
}

func parent(dir string) string {
	top, _ := split(dir)
	return top
}

// clean normalizes a local path for comparison; gs:// paths are kept as they are.
func clean(p string) string {
	if IsGCS(p) {
		return p
	}
	return filepath.Clean(p)
}

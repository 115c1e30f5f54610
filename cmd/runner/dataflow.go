package main

import "flag"

// pathFlags are the flags whose values are paths the job's workers read or write.
var pathFlags = []string{"input", "samples", "rollouts", "annotations", "videos", "schedule", "judge-cache", "cache", "output", "source"}

// dataflowPaths returns the path flags the command registered, with their values, for
// launch.CheckDataflow.
func dataflowPaths(fs *flag.FlagSet) map[string]string {
	out := map[string]string{}
	for _, name := range pathFlags {
		if f := fs.Lookup(name); f != nil && ownFlags[name] {
			out[name] = f.Value.String()
		}
	}
	return out
}

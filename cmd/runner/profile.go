package main

import (
	"flag"
	"fmt"
	"os"
	"runtime/pprof"
)

// cpuProfile is --cpuprofile: a pprof CPU profile of a job. On the embedded runner (prism)
// the workers run in this process, so the profile covers the pipeline's own code too.
var cpuProfile = flag.String("cpuprofile", "", "write a pprof CPU profile of the job to this local file (go tool pprof FILE)")

// startCPUProfile starts --cpuprofile when it is set and returns the function that stops
// it and closes the file.
func startCPUProfile() (stop func(), err error) {
	if *cpuProfile == "" {
		return func() {}, nil
	}
	f, err := os.Create(*cpuProfile)
	if err != nil {
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("--cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}

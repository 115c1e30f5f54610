package curriculum

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
)

// UnfillableQuota starts the error of a quota larger than its source without
// --with-replacement; the runner recognises it and exits 1.
const UnfillableQuota = "unfillable quota"

// QuotaError is a source that cannot give its quota.
type QuotaError struct {
	Source      string
	Rows, Quota int64
	Replace     bool
}

func (e *QuotaError) Error() string {
	if e.Replace {
		return fmt.Sprintf("%s: source %q has no rows to draw its quota of %d from", UnfillableQuota, e.Source, e.Quota)
	}
	return fmt.Sprintf("%s: source %q has %d rows, fewer than its quota of %d (lower --total or its weight, or pass --with-replacement)", UnfillableQuota, e.Source, e.Rows, e.Quota)
}

// seeded returns the generator of one source's draw: PCG seeded by
// sha256("rlcurate mix", seed, source), so sources draw independently and another seed
// draws differently.
func seeded(seed int64, source string) *rand.Rand {
	h := sha256.Sum256([]byte("rlcurate mix\x00" + strconv.FormatInt(seed, 10) + "\x00" + source))
	return rand.New(rand.NewPCG(binary.BigEndian.Uint64(h[:8]), binary.BigEndian.Uint64(h[8:16])))
}

// Draw returns k indices into [0, n), sorted ascending, drawn by the source's seeded
// generator: without replacement, a uniform k-subset (Floyd's algorithm, O(k) space),
// and a *QuotaError when k > n; with replacement, k independent uniform indices
// (repeats kept), and a *QuotaError when n is 0 and k is not. The same arguments always
// give the same indices.
func Draw(seed int64, source string, n, k int64, replace bool) ([]int64, error) {
	switch {
	case k == 0:
		return nil, nil
	case k < 0 || n < 0:
		return nil, fmt.Errorf("draw %d of %d rows of %q", k, n, source)
	case n == 0 || (!replace && k > n):
		return nil, &QuotaError{Source: source, Rows: n, Quota: k, Replace: replace}
	}
	rng := seeded(seed, source)
	out := make([]int64, 0, k)
	if replace {
		for range k {
			out = append(out, rng.Int64N(n))
		}
	} else {
		chosen := make(map[int64]bool, k)
		for j := n - k; j < n; j++ {
			t := rng.Int64N(j + 1)
			if chosen[t] {
				t = j
			}
			chosen[t] = true
			out = append(out, t)
		}
	}
	slices.Sort(out)
	return out, nil
}

// OrderKey is the seeded sort key a mixed row leads with (mix_key): 16 hex digits of
// sha256(seed, source, file, line, copy). Rows sorted by it are in a seeded random order.
func OrderKey(seed int64, source, file string, line, copy int64) string {
	h := sha256.Sum256(fmt.Appendf(nil, "rlcurate mix order\x00%d\x00%s\x00%s\x00%d\x00%d", seed, source, file, line, copy))
	return hex.EncodeToString(h[:8])
}

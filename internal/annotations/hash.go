package annotations

import (
	"encoding/binary"
	"hash/fnv"
)

// seededHash returns a well-mixed 64-bit hash of seed, a domain label and key.
// The domain keeps hashes for different decisions (question choice, phase)
// independent of each other for the same key.
func seededHash(seed uint64, domain, key string) uint64 {
	h := fnv.New64a()
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], seed)
	h.Write(b[:])
	h.Write([]byte(domain))
	h.Write([]byte{0})
	h.Write([]byte(key))
	return mix64(h.Sum64())
}

// mix64 is the splitmix64 finaliser; it spreads FNV's weak low bits.
func mix64(x uint64) uint64 {
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// contentKey builds a Sample.Key from the format and the raw annotation text.
func contentKey(f Format, raw []byte) string {
	h := fnv.New64a()
	h.Write(raw)
	var b [8]byte
	binary.BigEndian.PutUint64(b[:], h.Sum64())
	const hexdigits = "0123456789abcdef"
	out := make([]byte, 0, len(f)+1+16)
	out = append(out, f...)
	out = append(out, ':')
	for _, c := range b {
		out = append(out, hexdigits[c>>4], hexdigits[c&15])
	}
	return string(out)
}

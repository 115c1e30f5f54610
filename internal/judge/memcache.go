package judge

import (
	"context"
	"sync"
)

// MemCache is an in-memory CacheStore, for tests and single-process runs.
// The zero value is ready to use.
type MemCache struct {
	mu sync.RWMutex
	m  map[string][]byte
}

// Get returns a copy of the value stored under key.
func (c *MemCache) Get(_ context.Context, key string) ([]byte, bool, error) {
	c.mu.RLock()
	defer c.mu.RUnlock()
	v, ok := c.m[key]
	return append([]byte(nil), v...), ok, nil
}

// Put stores a copy of val under key.
func (c *MemCache) Put(_ context.Context, key string, val []byte) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil {
		c.m = make(map[string][]byte)
	}
	c.m[key] = append([]byte(nil), val...)
	return nil
}

// Len returns the number of stored keys.
func (c *MemCache) Len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.m)
}

package media

import (
	"context"
	"testing"
	"time"
)

// testCtx bounds each media call of a test, so no test can hang.
func testCtx(t *testing.T) context.Context {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

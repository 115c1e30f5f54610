package blob

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"cloud.google.com/go/storage"
)

// CheckTimeout bounds CheckWritable's probe of a GCS endpoint. Beam's own GCS client
// retries an unreachable endpoint forever; rlcurate asks once, up front, and gives up.
var CheckTimeout = 20 * time.Second

// CheckWritable fails fast, with a message a user can act on, when prefix cannot take
// output: a local folder that cannot be created or written, a gs:// bucket that does not
// exist (Beam never creates buckets), or a GCS endpoint that does not answer.
func CheckWritable(ctx context.Context, prefix string) error {
	if !IsGCS(prefix) {
		if err := mkdirAll(prefix); err != nil {
			return fmt.Errorf("output %s is not writable: %w", prefix, err)
		}
		probe := Join(prefix, TempName("probe"))
		if err := os.WriteFile(probe, nil, 0o644); err != nil {
			return fmt.Errorf("output %s is not writable: %w", prefix, err)
		}
		return os.Remove(probe)
	}
	return CheckBucket(ctx, prefix)
}

// CheckBucket fails fast when the bucket of the gs:// path p does not exist or its
// endpoint does not answer within CheckTimeout.
func CheckBucket(ctx context.Context, p string) error {
	bucket, _, _ := strings.Cut(strings.TrimPrefix(p, "gs://"), "/")
	if bucket == "" {
		return fmt.Errorf("%s: no bucket in gs:// path", p)
	}
	ctx, cancel := context.WithTimeout(ctx, CheckTimeout)
	defer cancel()
	client, err := storage.NewClient(ctx)
	if err != nil {
		return fmt.Errorf("gs://%s: cannot create a GCS client: %w", bucket, err)
	}
	defer client.Close()
	_, err = client.Bucket(bucket).Attrs(ctx)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, storage.ErrBucketNotExist):
		return fmt.Errorf("gs://%s does not exist: create it first (rlcurate never creates buckets)", bucket)
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		return fmt.Errorf("gs://%s: the GCS endpoint %s did not answer within %v: %w", bucket, endpoint(), CheckTimeout, err)
	default:
		return fmt.Errorf("gs://%s: %w", bucket, err)
	}
}

func endpoint() string {
	if h := os.Getenv("STORAGE_EMULATOR_HOST"); h != "" {
		return h + " (STORAGE_EMULATOR_HOST)"
	}
	return "storage.googleapis.com"
}

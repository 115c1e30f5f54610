package pgtest

import (
	"context"
	"testing"

	"github.com/jackc/pgx/v5"
)

func TestStart(t *testing.T) {
	s := Start(t)
	ctx := context.Background()
	for _, url := range []string{s.URL, s.Database(t), s.Database(t)} {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatalf("connect %s: %v", url, err)
		}
		var one int
		err = conn.QueryRow(ctx, "SELECT 1").Scan(&one)
		conn.Close(ctx)
		if err != nil || one != 1 {
			t.Fatalf("%s: SELECT 1 = %d, %v", url, one, err)
		}
	}
}

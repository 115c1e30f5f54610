package export

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
)

// duckdbVersion is the @duckdb/node-api release the independent-reader test installs.
const duckdbVersion = "1.5.6-r.1"

// duckdbDir returns a folder holding node_modules/@duckdb/node-api, installing it with
// npm into the user cache (outside the checkout) when missing. It skips the test when
// node or npm is absent.
func duckdbDir(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Skip("node not found: the DuckDB reader test needs node and npm")
	}
	cache, err := os.UserCacheDir()
	if err != nil {
		cache = os.TempDir()
	}
	dir := filepath.Join(cache, "rlcurate-test", "duckdb-node-"+duckdbVersion)
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@duckdb", "node-api", "package.json")); err == nil {
		return dir
	}
	if _, err := exec.LookPath("npm"); err != nil {
		t.Skip("npm not found: cannot install @duckdb/node-api for the DuckDB reader test")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("npm", "install", "--prefix", dir, "--no-audit", "--no-fund", "@duckdb/node-api@"+duckdbVersion)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("npm install @duckdb/node-api: %v\n%s", err, out)
	}
	return dir
}

// duckdbScript runs each SQL statement of argv[2] (a JSON object name -> SQL) and prints
// {name: [row objects]}.
const duckdbScript = `
const { DuckDBInstance } = require('@duckdb/node-api');
(async () => {
  const queries = JSON.parse(process.argv[2]);
  const db = await DuckDBInstance.create(':memory:');
  const con = await db.connect();
  const out = {};
  for (const [name, sql] of Object.entries(queries)) {
    const reader = await con.runAndReadAll(sql);
    out[name] = reader.getRowObjectsJson();
  }
  process.stdout.write(JSON.stringify(out));
})().catch((e) => { console.error(e); process.exit(1); });
`

// duckdb runs queries with DuckDB and returns their rows.
func duckdb(t *testing.T, queries map[string]string) map[string][]map[string]any {
	t.Helper()
	dir := duckdbDir(t)
	script := filepath.Join(t.TempDir(), "query.js")
	if err := os.WriteFile(script, []byte(duckdbScript), 0o644); err != nil {
		t.Fatal(err)
	}
	q, _ := json.Marshal(queries)
	cmd := exec.Command("node", script, string(q))
	cmd.Env = append(os.Environ(), "NODE_PATH="+filepath.Join(dir, "node_modules"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("node duckdb: %v\n%s", err, stderr.String())
	}
	var res map[string][]map[string]any
	if err := json.Unmarshal(out, &res); err != nil {
		t.Fatalf("duckdb output: %v\n%s", err, out)
	}
	return res
}

func writeShard(t *testing.T, name string, rows []string, opts Options) string {
	t.Helper()
	var buf bytes.Buffer
	if _, err := EncodeParquet(&buf, rows, opts); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// schemaOf maps column names to DuckDB's types, with identifier quotes removed.
func schemaOf(rows []map[string]any) map[string]string {
	s := map[string]string{}
	for _, r := range rows {
		s[r["column_name"].(string)] = strings.ReplaceAll(r["column_type"].(string), `"`, "")
	}
	return s
}

func rowJSON(t *testing.T, rows []map[string]any) []any {
	t.Helper()
	var out []any
	for _, r := range rows {
		var v any
		if err := json.Unmarshal([]byte(r["j"].(string)), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	return out
}

func asJSON(t *testing.T, v any) any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var out any
	json.Unmarshal(b, &out)
	return out
}

func TestDuckDBReadsWritingShard(t *testing.T) {
	rows := readLines(t, "writing.jsonl")
	p := writeShard(t, "writing-00000-of-00001.parquet", rows, Options{Kind: Writing})
	from := "read_parquet('" + p + "')"
	res := duckdb(t, map[string]string{
		"schema": "DESCRIBE SELECT * FROM " + from,
		"rows":   "SELECT to_json(t)::VARCHAR AS j FROM " + from + " t ORDER BY t.extra_info.index",
		"picks": "SELECT prompt[1].role AS r1, prompt[2].content AS c2, reward_model.ground_truth.target AS target, " +
			"reward_model.ground_truth.criteria AS criteria, extra_info.index AS idx, len(prompt) AS n FROM " + from + " ORDER BY idx",
	})
	wantSchema := map[string]string{
		"data_source":  "VARCHAR",
		"prompt":       "STRUCT(role VARCHAR, content VARCHAR)[]",
		"ability":      "VARCHAR",
		"reward_model": "STRUCT(style VARCHAR, ground_truth STRUCT(prompt VARCHAR, target VARCHAR[], criteria VARCHAR, id VARCHAR))",
		"extra_info":   "STRUCT(index VARCHAR, split VARCHAR)",
		"label":        "VARCHAR",
	}
	if got := schemaOf(res["schema"]); !reflect.DeepEqual(got, wantSchema) {
		t.Errorf("DuckDB schema =\n%v\nwant\n%v", got, wantSchema)
	}
	picks := res["picks"]
	if len(picks) != 3 {
		t.Fatalf("DuckDB read %d rows, want 3", len(picks))
	}
	want0 := map[string]any{"r1": "system", "c2": "Write a 300-word story about a lighthouse.",
		"target": []any{"weak story", "middle story", "strong story"}, "criteria": "Vivid imagery", "idx": "w-1", "n": "2"} // DuckDB JSON gives BIGINT as a string
	if !reflect.DeepEqual(picks[0], want0) {
		t.Errorf("row w-1 = %#v, want %#v", picks[0], want0)
	}
	if picks[1]["criteria"] != nil || !reflect.DeepEqual(picks[1]["target"], []any{"春天一", "春天二"}) {
		t.Errorf("row w-2 = %v, want null criteria and two targets", picks[1])
	}
	for i, got := range rowJSON(t, res["rows"]) {
		want, _ := FromWriting([]byte(rows[i]), Options{})
		if w := asJSON(t, want); !reflect.DeepEqual(got, w) {
			t.Errorf("DuckDB row %d =\n%v\nwant\n%v", i, got, w)
		}
	}
}

func TestDuckDBReadsVideoShard(t *testing.T) {
	rows := readLines(t, "video.jsonl")
	opts := Options{Kind: Video, FrameRoot: "file:///mnt/gcs/run"}
	p := writeShard(t, "video-00000-of-00001.parquet", rows, opts)
	from := "read_parquet('" + p + "')"
	res := duckdb(t, map[string]string{
		"schema": "DESCRIBE SELECT * FROM " + from,
		"rows":   "SELECT to_json(t)::VARCHAR AS j FROM " + from + " t ORDER BY t.extra_info.index DESC",
		"picks": "SELECT prompt[1].content AS content, videos[1].video[1] AS frame1, len(videos[1].video) AS frames, " +
			"videos[1].fps AS fps, videos[1].sample_fps AS sample_fps, reward_model.ground_truth.solution AS solution, " +
			"reward_model.ground_truth.phase AS phase, extra_info.index AS idx FROM " + from + " ORDER BY idx DESC",
	})
	wantSchema := map[string]string{
		"data_source":  "VARCHAR",
		"prompt":       "STRUCT(role VARCHAR, content VARCHAR)[]",
		"ability":      "VARCHAR",
		"videos":       "STRUCT(video VARCHAR[], fps DOUBLE, sample_fps DOUBLE, resized_height BIGINT, resized_width BIGINT)[]",
		"reward_model": "STRUCT(style VARCHAR, ground_truth STRUCT(solution DOUBLE[][], phase BIGINT, task VARCHAR, duration DOUBLE))",
		"extra_info":   "STRUCT(index VARCHAR, split VARCHAR, video VARCHAR, question VARCHAR)",
		"label":        "VARCHAR",
	}
	if got := schemaOf(res["schema"]); !reflect.DeepEqual(got, wantSchema) {
		t.Errorf("DuckDB schema =\n%v\nwant\n%v", got, wantSchema)
	}
	picks := res["picks"]
	if len(picks) != 2 {
		t.Fatalf("DuckDB read %d rows, want 2", len(picks))
	}
	want0 := map[string]any{"content": "<video>When does the person put a book on a shelf? Think first.",
		"frame1": "file:///mnt/gcs/run/frames/v-1/000000.jpg", "frames": "4", "fps": float64(2), "sample_fps": float64(2),
		"solution": []any{[]any{float64(0), 6.9}}, "phase": "1", "idx": "v-1"}
	if !reflect.DeepEqual(picks[0], want0) {
		t.Errorf("row v-1 = %#v\nwant %#v", picks[0], want0)
	}
	for i, got := range rowJSON(t, res["rows"]) {
		want, _ := FromVideo([]byte(rows[i]), opts)
		if w := asJSON(t, want); !reflect.DeepEqual(got, w) {
			t.Errorf("DuckDB row %d =\n%v\nwant\n%v", i, got, w)
		}
	}
}

package annotations

import (
	"fmt"
	"strings"
	"testing"
)

func TestTemplates(t *testing.T) {
	for _, task := range []Task{TaskTVG, TaskTAL} {
		t.Run(string(task), func(t *testing.T) {
			tpls, err := Templates(task)
			if err != nil {
				t.Fatal(err)
			}
			if len(tpls) != 6 {
				t.Fatalf("%d templates, want 6", len(tpls))
			}
			seen := map[string]bool{}
			for _, tpl := range tpls {
				if seen[tpl] {
					t.Errorf("duplicate template %q", tpl)
				}
				seen[tpl] = true
				if strings.Count(tpl, "'"+QueryPlaceholder+"'") != 1 || strings.Count(tpl, QueryPlaceholder) != 1 {
					t.Errorf("template %q must hold the query once, in single quotes", tpl)
				}
				if strings.HasSuffix(tpl, ".") {
					t.Errorf("template %q ends with a period", tpl)
				}
				for _, w := range []string{"start", "end", "seconds"} {
					if !strings.Contains(tpl, w) {
						t.Errorf("template %q does not ask for %q", tpl, w)
					}
				}
				if task == TaskTAL && !containsAny(tpl, "every", "all", "each") {
					t.Errorf("tal template %q does not ask for every instance", tpl)
				}
			}
		})
	}
	if _, err := Templates("slc"); err == nil {
		t.Error("unknown task: want an error")
	}
}

func containsAny(s string, words ...string) bool {
	for _, w := range words {
		if strings.Contains(s, w) {
			return true
		}
	}
	return false
}

func TestQuestionDeterministicAndUniform(t *testing.T) {
	const n = 6000
	counts := map[string]int{}
	for i := range n {
		key := fmt.Sprintf("k%d", i)
		q1, err := Question(TaskTVG, "a dog barks.", key, 42)
		if err != nil {
			t.Fatal(err)
		}
		q2, _ := Question(TaskTVG, "a dog barks.", key, 42)
		if q1 != q2 {
			t.Fatalf("key %s: %q then %q", key, q1, q2)
		}
		if !strings.Contains(q1, "'a dog barks'") {
			t.Fatalf("question %q does not quote the cleaned query", q1)
		}
		counts[q1]++
	}
	if len(counts) != 6 {
		t.Fatalf("%d distinct questions, want 6", len(counts))
	}
	for q, c := range counts {
		// Expected 1000 each; 5 standard deviations is about 150.
		if c < 850 || c > 1150 {
			t.Errorf("template used %d times of %d: %q", c, n, q)
		}
	}
}

func TestQuestionSeedChangesChoice(t *testing.T) {
	differ := 0
	for i := range 100 {
		key := fmt.Sprintf("k%d", i)
		if TemplateIndex(key, 1) != TemplateIndex(key, 2) {
			differ++
		}
	}
	// With independent choices about 5/6 of keys differ.
	if differ < 60 {
		t.Errorf("only %d of 100 keys change template with the seed", differ)
	}
}

func TestQuestionUnknownTask(t *testing.T) {
	if _, err := Question("cap", "x", "k", 0); err == nil {
		t.Error("want an error for an unknown task")
	}
}

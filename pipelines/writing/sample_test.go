package writing

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

func TestParseSample(t *testing.T) {
	tests := []struct {
		name     string
		row      string
		criteria []string
		refs     int
		wantErr  string
	}{
		{"null criteria", `{"id":"a","prompt":"p","criteria":null,"references":["r"],"policy_response":"x"}`, nil, 1, ""},
		{"string criterion", `{"id":"a","prompt":"p","criteria":"c1","references":["r","s"],"policy_response":"x"}`, []string{"c1"}, 2, ""},
		{"list criteria", `{"id":"a","prompt":"p","criteria":["c1","c2"],"references":["r"],"policy_response":"x","extra":1}`, []string{"c1", "c2"}, 1, ""},
		{"chinese", `{"id":"z","prompt":"写一篇短文","references":["参考"],"policy_response":"回答"}`, nil, 1, ""},
		{"no references", `{"id":"a","prompt":"p","references":[],"policy_response":"x"}`, nil, 0, "no references"},
		{"empty reference", `{"id":"a","prompt":"p","references":["r"," "],"policy_response":"x"}`, nil, 0, "reference 1 is empty"},
		{"empty response", `{"id":"a","prompt":"p","references":["r"],"policy_response":""}`, nil, 0, "policy_response is empty"},
		{"criteria number", `{"id":"a","prompt":"p","criteria":5,"references":["r"],"policy_response":"x"}`, nil, 0, "criteria must be"},
		{"criteria object", `{"id":"a","prompt":"p","criteria":{"a":1},"references":["r"],"policy_response":"x"}`, nil, 0, "criteria must be"},
		{"id not string", `{"id":7,"prompt":"p","references":["r"],"policy_response":"x"}`, nil, 0, "id is not a string"},
		{"not an object", `[1,2]`, nil, 0, "not a JSON object"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParseSample([]byte(tc.row))
			if tc.wantErr != "" {
				if err == nil || !errors.Is(err, ErrBadSample) || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(s.Criteria, tc.criteria) || len(s.References) != tc.refs {
				t.Errorf("criteria %q refs %d, want %q %d", s.Criteria, len(s.References), tc.criteria, tc.refs)
			}
		})
	}
}

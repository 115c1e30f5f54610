package rewards

import "testing"

func TestParseStrategy(t *testing.T) {
	tests := []struct {
		name    string
		want    Strategy
		wantErr bool
	}{
		{"", PolicySecond, false},
		{"policy-second", PolicySecond, false},
		{"policy-first", PolicyFirst, false},
		{"both", BothOrders, false},
		{"sideways", 0, true},
	}
	for _, tc := range tests {
		got, err := ParseStrategy(tc.name)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParseStrategy(%q) = %v, %v; want %v, error %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

func TestParsePairwiseRewards(t *testing.T) {
	tests := []struct {
		name    string
		want    PairwiseRewards
		wantErr bool
	}{
		{"", PaperRewards, false},
		{"paper", PaperRewards, false},
		{"released", ReleasedRewards, false},
		{"generous", PairwiseRewards{}, true},
	}
	for _, tc := range tests {
		got, err := ParsePairwiseRewards(tc.name)
		if (err != nil) != tc.wantErr || got != tc.want {
			t.Errorf("ParsePairwiseRewards(%q) = %v, %v; want %v, error %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
}

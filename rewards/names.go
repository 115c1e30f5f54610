package rewards

import "fmt"

// ParseStrategy maps an order's name (the --order flag) to its Strategy: policy-second
// (the released default; also ""), policy-first or both.
func ParseStrategy(name string) (Strategy, error) {
	switch name {
	case "policy-second", "":
		return PolicySecond, nil
	case "policy-first":
		return PolicyFirst, nil
	case "both":
		return BothOrders, nil
	}
	return 0, fmt.Errorf("unknown order %q (want policy-second, policy-first or both)", name)
}

// ParsePairwiseRewards maps a reward scheme's name (the --rewards flag) to its values:
// paper (1, 0.5, 0; also "") or released (1.1, 0.55, 0.1).
func ParsePairwiseRewards(name string) (PairwiseRewards, error) {
	switch name {
	case "paper", "":
		return PaperRewards, nil
	case "released":
		return ReleasedRewards, nil
	}
	return PairwiseRewards{}, fmt.Errorf("unknown rewards %q (want paper or released)", name)
}

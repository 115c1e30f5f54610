package rewards

import (
	"errors"
	"fmt"
)

// ErrBadSegment means a segment given to a peer reward is reversed or not finite.
var ErrBadSegment = errors.New("bad segment")

// TimeZeroIoU is TimeZero's grounding reward: the IoU of one predicted segment
// with the ground truth. Disjoint segments give 0; two zero-length segments at
// the same point give 0 (empty union).
func TimeZeroIoU(pred, gt [2]float64) (float64, error) {
	if err := checkSegment("prediction", pred); err != nil {
		return 0, err
	}
	if err := checkSegment("ground truth", gt); err != nil {
		return 0, err
	}
	inter := max(0, min(pred[1], gt[1])-max(pred[0], gt[0]))
	union := (pred[1] - pred[0]) + (gt[1] - gt[0]) - inter
	if union <= 0 {
		return 0, nil
	}
	return inter / union, nil
}

// TimeR1IoU is Time-R1's grounding reward: IoU * (1 - |pred.start - gt.start| /
// duration) * (1 - |pred.end - gt.end| / duration). durationSec must be positive.
func TimeR1IoU(pred, gt [2]float64, durationSec float64) (float64, error) {
	if !(durationSec > 0) || !isFinite(durationSec) {
		return 0, fmt.Errorf("time-r1 reward: duration %v: %w", durationSec, ErrBadSegment)
	}
	iou, err := TimeZeroIoU(pred, gt)
	if err != nil {
		return 0, err
	}
	ds := abs(pred[0]-gt[0]) / durationSec
	de := abs(pred[1]-gt[1]) / durationSec
	return iou * (1 - ds) * (1 - de), nil
}

func checkSegment(what string, s [2]float64) error {
	if !isFinite(s[0]) || !isFinite(s[1]) || s[0] > s[1] {
		return fmt.Errorf("%s %v: %w", what, s, ErrBadSegment)
	}
	return nil
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

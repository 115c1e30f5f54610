// Package video holds the Beam jobs of the MUSEG video-grounding branch: building
// timestamped multi-segment samples from annotations and videos, and scoring rollouts
// with MUSEG's phased rewards.
package video

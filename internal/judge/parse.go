package judge

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"
)

// MinScore and MaxScore bound a pointwise score.
const (
	MinScore = 1
	MaxScore = 10
)

// ParsePointwise extracts the score and reason from a pointwise reply.
//
// The reply must contain a JSON object with a "score" key, bare or inside a
// ```json fence, possibly surrounded by other text. When several objects
// carry a "score" key the last one wins. The score must be a JSON number with
// an integral value (7 or 7.0; not 7.5, not "7") within 1..10; "reason"
// should be a string (a missing reason gives ""). Anything else is a
// *ReplyError (errors.Is(err, ErrBadReply)).
func ParsePointwise(reply string) (score int, reason string, err error) {
	obj, ok := lastScoreObject(reply)
	if !ok {
		return 0, "", newReplyError("no JSON object with a \"score\" key", reply)
	}
	raw := obj["score"]
	var f float64
	// A JSON string ("7") or null does not unmarshal into a *float64 as a
	// number; null leaves f untouched, so check the token too.
	if err := json.Unmarshal(raw, &f); err != nil || string(raw) == "null" {
		return 0, "", newReplyError(fmt.Sprintf("score %s is not a number", raw), reply)
	}
	if math.Trunc(f) != f {
		return 0, "", newReplyError(fmt.Sprintf("score %s is not an integer", raw), reply)
	}
	if f < MinScore || f > MaxScore {
		return 0, "", newReplyError(fmt.Sprintf("score %s outside %d..%d", raw, MinScore, MaxScore), reply)
	}
	if raw, ok := obj["reason"]; ok {
		if err := json.Unmarshal(raw, &reason); err != nil {
			// A non-string reason (object, list) is kept verbatim.
			reason = string(raw)
		}
	}
	return int(f), reason, nil
}

// lastScoreObject returns the last JSON object in s that has a "score" key. Objects are
// found left to right: a valid object is taken whole (objects nested in it are its
// values), and an invalid one gives way to the valid objects inside it. The scan reads s
// in linear time, whatever its braces.
func lastScoreObject(s string) (map[string]json.RawMessage, bool) {
	var found map[string]json.RawMessage
	for i := 0; i < len(s); {
		j := strings.IndexByte(s[i:], '{')
		if j < 0 {
			break
		}
		objects, next := scanObjects(s, i+j)
		for _, o := range objects {
			var obj map[string]json.RawMessage
			if json.Unmarshal([]byte(s[o.from:o.to]), &obj) != nil {
				continue
			}
			if _, ok := obj["score"]; ok {
				found = obj
			}
		}
		i = next
	}
	return found, found != nil
}

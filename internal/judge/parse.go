package judge

import (
	"encoding/json"
	"fmt"
	"math"
	"strings"

	"github.com/rlcurate/rlcurate/rewards"
)

// Structured is how the client asks for, and reads, the judge's verdict or score
// (--judge-structured).
type Structured string

const (
	// StructuredAuto (the default) sends response_format json_object and reads the
	// object; a reply that is not the requested object is read by the text protocol.
	StructuredAuto Structured = "auto"
	// StructuredOn sends response_format and accepts only the requested object.
	StructuredOn Structured = "on"
	// StructuredOff sends no response_format and reads the text protocol.
	StructuredOff Structured = "off"
)

// ParseStructured reads a --judge-structured value ("" is auto).
func ParseStructured(s string) (Structured, error) {
	switch Structured(s) {
	case "", StructuredAuto:
		return StructuredAuto, nil
	case StructuredOn, StructuredOff:
		return Structured(s), nil
	}
	return "", fmt.Errorf("--judge-structured %q: want auto, on or off", s)
}

// MinScore and MaxScore bound a pointwise score.
const (
	MinScore = 1
	MaxScore = 10
)

// ParsePointwise extracts the score and reason from a pointwise reply, reading the
// judge's own words only (StructuredAuto): a reply that is one JSON object with a
// "score" key is that object; otherwise the quoted blocks are cut out (StripQuoted) and
// the text protocol below applies to what is left.
//
// The text protocol: the reply must contain a JSON object with a "score" key, bare or inside a
// ```json fence, possibly surrounded by other text. When several objects
// carry a "score" key the last one wins. The score must be a JSON number with
// an integral value (7 or 7.0; not 7.5, not "7") within 1..10; "reason"
// should be a string (a missing reason gives ""). Anything else is a
// *ReplyError (errors.Is(err, ErrBadReply)).
func ParsePointwise(reply string) (score int, reason string, err error) {
	return parsePointwise(reply, StructuredAuto)
}

// parsePointwise is ParsePointwise under a mode: StructuredOn accepts only a reply that
// is one JSON object with a "score" key.
func parsePointwise(reply string, mode Structured) (score int, reason string, err error) {
	obj, ok := wholeObject(reply)
	if _, has := obj["score"]; !ok || !has {
		if mode == StructuredOn {
			return 0, "", newReplyError("reply is not the requested JSON object with a \"score\" key", reply)
		}
		if obj, ok = lastScoreObject(StripQuoted(reply)); !ok {
			return 0, "", newReplyError("no JSON object with a \"score\" key", reply)
		}
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

// wholeObject returns the reply as a JSON object when the whole reply (trimmed, or the
// content of one ``` fence that is the whole reply) is one.
func wholeObject(reply string) (map[string]json.RawMessage, bool) {
	s := strings.TrimSpace(reply)
	if strings.HasPrefix(s, "```") && strings.HasSuffix(s, "```") && len(s) >= 6 {
		s = strings.TrimSuffix(s[3:], "```")
		if nl := strings.IndexByte(s, '\n'); nl >= 0 && !strings.Contains(s[:nl], "{") {
			s = s[nl+1:] // the fence's language tag
		}
		s = strings.TrimSpace(s)
	}
	if !strings.HasPrefix(s, "{") {
		return nil, false
	}
	var obj map[string]json.RawMessage
	if json.Unmarshal([]byte(s), &obj) != nil {
		return nil, false
	}
	return obj, true
}

// ParsePairwise returns the verdict a pairwise reply states in the judge's own words
// (StructuredAuto): a reply that is one JSON object with a "verdict" (or "winner") key
// naming A, B or C is that verdict; otherwise the quoted blocks are cut out
// (StripQuoted) and rewards.ParseVerdict reads the rest, so a plain reply keeps
// ParseVerdict's meaning (the last token counts). No verdict is VerdictUnknown, never a
// win.
func ParsePairwise(reply string) rewards.Verdict { return parsePairwise(reply, StructuredAuto) }

// parsePairwise is ParsePairwise under a mode: StructuredOn accepts only the object.
func parsePairwise(reply string, mode Structured) rewards.Verdict {
	if obj, ok := wholeObject(reply); ok {
		if v := objectVerdict(obj); v != rewards.VerdictUnknown {
			return v
		}
	}
	if mode == StructuredOn {
		return rewards.VerdictUnknown
	}
	return rewards.ParseVerdict(StripQuoted(reply))
}

// objectVerdict reads the "verdict" (or "winner") string of a structured reply: "A",
// "B", "C" or "tie", with or without [[ ]], any case.
func objectVerdict(obj map[string]json.RawMessage) rewards.Verdict {
	for k, raw := range obj {
		if k = strings.ToLower(k); k != "verdict" && k != "winner" {
			continue
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			continue
		}
		s = strings.ToUpper(strings.Trim(strings.TrimSpace(s), "[] "))
		switch s {
		case "A":
			return rewards.VerdictA
		case "B":
			return rewards.VerdictB
		case "C", "TIE":
			return rewards.VerdictTie
		}
	}
	return rewards.VerdictUnknown
}

package layout

// DeadLetter is one rejected record: where it came from, the stage that rejected it and
// why, and the record itself as it was read, so that it can be fixed and fed back.
type DeadLetter struct {
	File   string `json:"file"`             // input file the record came from, if any
	Line   int64  `json:"line"`             // 1-based line (or element) number in File; 0 if unknown
	ID     string `json:"id,omitempty"`     // the record's id, when it could be parsed
	Stage  string `json:"stage"`            // the step that rejected it, e.g. "parse", "judge", "validate"
	Reason string `json:"reason"`           // human-readable cause
	Record string `json:"record,omitempty"` // the raw input text
}

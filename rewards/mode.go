package rewards

import "fmt"

// Mode selects how MUSEG rewards are computed.
type Mode int

const (
	// Compat reproduces the released Python reward code, defects included.
	Compat Mode = iota
	// Strict keeps Compat's scores where the reference is sound and fixes its
	// known defects (see docs/rewards.md).
	Strict
)

// String returns "compat" or "strict".
func (m Mode) String() string {
	switch m {
	case Compat:
		return "compat"
	case Strict:
		return "strict"
	}
	return fmt.Sprintf("Mode(%d)", int(m))
}

// ParseMode parses "compat" or "strict".
func ParseMode(s string) (Mode, error) {
	switch s {
	case "compat":
		return Compat, nil
	case "strict":
		return Strict, nil
	}
	return 0, fmt.Errorf("unknown reward mode %q (want compat or strict)", s)
}

// MarshalText encodes the mode as its name.
func (m Mode) MarshalText() ([]byte, error) {
	if m != Compat && m != Strict {
		return nil, fmt.Errorf("marshal %v: unknown mode", m)
	}
	return []byte(m.String()), nil
}

// UnmarshalText decodes a mode name.
func (m *Mode) UnmarshalText(b []byte) error {
	v, err := ParseMode(string(b))
	if err != nil {
		return err
	}
	*m = v
	return nil
}

package judge

import "strings"

// redactedError is an error message with a secret removed. It deliberately
// does not unwrap to the original error, whose message holds the secret.
type redactedError struct{ msg string }

func (e *redactedError) Error() string { return e.msg }

// redact returns err unchanged unless its message contains secret; then it
// returns an error whose message has every occurrence replaced by
// "[REDACTED]" (and which no longer unwraps to err).
func redact(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	msg := err.Error()
	if !strings.Contains(msg, secret) {
		return err
	}
	return &redactedError{msg: strings.ReplaceAll(msg, secret, "[REDACTED]")}
}

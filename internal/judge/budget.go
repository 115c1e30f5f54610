package judge

import "sync"

// Budget caps the dollars a process spends on completions (Client.Complete). Before a call
// that is not answered from the cache, the call's worst case (its prompt estimated at one
// token per 3 bytes, plus Sampling.MaxTokens of reply, at the model's Prices) is reserved;
// when the reservation would take spent + reserved past the limit, the call is not made
// and the budget stops: every later reservation fails too, so the job winds down instead
// of spending the last cents on whatever call is smallest. Once a call returns, its
// reservation is replaced by its reported cost. A nil *Budget has no limit. It is safe for
// concurrent use.
type Budget struct {
	mu                          sync.Mutex
	limitUSD, spentUSD, heldUSD float64
	stopped                     bool
}

// NewBudget returns a Budget of limitUSD dollars; a limit of 0 or less returns nil (no
// limit).
func NewBudget(limitUSD float64) *Budget {
	if limitUSD <= 0 {
		return nil
	}
	return &Budget{limitUSD: limitUSD}
}

// reserve holds usd for a call, or reports false (and stops the budget) when that would
// pass the limit or the budget has stopped.
func (b *Budget) reserve(usd float64) bool {
	if b == nil {
		return true
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopped || b.spentUSD+b.heldUSD+usd > b.limitUSD {
		b.stopped = true
		return false
	}
	b.heldUSD += usd
	return true
}

// settle replaces a reservation of heldUSD with the call's reported cost spentUSD.
func (b *Budget) settle(heldUSD, spentUSD float64) {
	if b == nil {
		return
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	b.heldUSD -= heldUSD
	b.spentUSD += spentUSD
}

// Spent returns the dollars spent so far (0 for a nil Budget).
func (b *Budget) Spent() float64 {
	if b == nil {
		return 0
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.spentUSD
}

// Stopped reports whether a call was refused for the budget (false for a nil Budget).
func (b *Budget) Stopped() bool {
	if b == nil {
		return false
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stopped
}

package audit

// Retries is how often a timed-out challenge is asked again before it counts as a miss
// (Storj's containment).
const Retries = 3

// Containment remembers, per provider, the challenge that timed out, so the next audit asks
// the same one again rather than a fresh one a provider that had lost the piece could hope
// to pass. Not safe for concurrent use: its owner locks.
type Containment struct {
	pending map[string]*contained
}

type contained struct {
	ch       Challenge
	timeouts int
}

// NewContainment is an empty one.
func NewContainment() *Containment { return &Containment{pending: map[string]*contained{}} }

// Pending is the challenge provider must answer next, if one timed out.
func (c *Containment) Pending(provider string) (Challenge, bool) {
	p, ok := c.pending[provider]
	if !ok {
		return Challenge{}, false
	}
	return p.ch, true
}

// Record folds the outcome of asking provider ch into its containment and returns the
// verdict: Contained while a timed-out challenge has retries left, Miss once it timed out
// 1 + Retries times, else the outcome itself (which releases the provider).
func (c *Containment) Record(provider string, ch Challenge, o Outcome) Outcome {
	if o != Timeout {
		delete(c.pending, provider)
		return o
	}
	p, ok := c.pending[provider]
	if !ok || p.ch != ch {
		p = &contained{ch: ch}
		c.pending[provider] = p
	}
	p.timeouts++
	if p.timeouts > Retries {
		delete(c.pending, provider)
		return Miss
	}
	return Contained
}

// Package admission is the allocator's decision about one submitted job, as pure steps over
// plain data: which of the job's groups stay where they run and which must be packed (Diff),
// the packing request for the latter (Changes.Problem), what the packer's answer means
// (Changes.Place), and the capacity to hold until Nomad shows the new instances (Holds).
// It does no I/O and knows nothing of HTTP: what it refuses it says with a *Refusal of a
// Kind, which the HTTP front turns into a status.
package admission

import "fmt"

// Kind sorts refusals by what the caller can do about them.
type Kind int

const (
	// Internal: the allocator itself failed.
	Internal Kind = iota
	// BadInput: something in the request or the job is malformed.
	BadInput
	// Forbidden: the caller's token or the job's tenancy does not allow it.
	Forbidden
	// Unplaceable: the job is well formed but does not fit on the nodes it may use.
	Unplaceable
	// Unavailable: the allocator is not ready to decide yet (no model of the region).
	Unavailable
	// Upstream: Nomad, which the allocator had to ask, did not answer.
	Upstream
)

var kindNames = [...]string{Internal: "internal", BadInput: "bad input", Forbidden: "forbidden",
	Unplaceable: "unplaceable", Unavailable: "unavailable", Upstream: "upstream"}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Refusal is a decision not to admit a job: its kind and a message for the caller.
type Refusal struct {
	Kind Kind
	Msg  string
}

// Error is the message as callers see it, naming the allocator.
func (r *Refusal) Error() string { return "dec2-allocator: " + r.Msg }

// Refuse builds a refusal of kind k with a formatted message.
func Refuse(k Kind, format string, args ...any) *Refusal {
	return &Refusal{Kind: k, Msg: fmt.Sprintf(format, args...)}
}

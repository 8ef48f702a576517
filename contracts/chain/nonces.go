package chain

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
)

// PendingNonceReader is the node's count of an account's transactions, pending included.
type PendingNonceReader interface {
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
}

// Nonces hands out one account's nonces: the node's pending nonce, or past it the next one
// this process has used. A node's pool can report its pending nonce before counting a
// transaction it just accepted, and a transaction signed now and sent later (billing journals
// before it broadcasts) is not counted at all; two transactions with one nonce make the second
// a failed replacement. Not safe for concurrent use: its owner locks around Next and Used.
type Nonces struct {
	next uint64 // after the last nonce used; 0 = trust the node
}

// Next is the nonce to use now for from.
func (n *Nonces) Next(ctx context.Context, r PendingNonceReader, from common.Address) (uint64, error) {
	pending, err := r.PendingNonceAt(ctx, from)
	if err != nil {
		return 0, fmt.Errorf("reading the pending nonce of %s: %w", from.Hex(), err)
	}
	return max(pending, n.next), nil
}

// Used records that nonce went into a transaction (signed or sent).
func (n *Nonces) Used(nonce uint64) { n.next = nonce + 1 }

// Forget trusts the node's count again: after a failed send, or to resynchronise.
func (n *Nonces) Forget() { n.next = 0 }

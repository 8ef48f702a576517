package chain

import (
	"context"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

type pendingAt uint64

func (p pendingAt) PendingNonceAt(context.Context, common.Address) (uint64, error) {
	return uint64(p), nil
}

// Nonces used but not yet counted by the node (signed now, sent later; or a pool that lags) are
// never handed out twice; after Forget the node's count is trusted again.
func TestNonces(t *testing.T) {
	ctx, from := context.Background(), common.Address{1}
	var n Nonces
	next := func(node uint64) uint64 {
		t.Helper()
		got, err := n.Next(ctx, pendingAt(node), from)
		if err != nil {
			t.Fatal(err)
		}
		return got
	}
	if got := next(5); got != 5 {
		t.Fatalf("first nonce %d, want the node's 5", got)
	}
	n.Used(5)
	n.Used(6)
	if got := next(5); got != 7 {
		t.Fatalf("after signing 5 and 6 with the node still at 5: %d, want 7", got)
	}
	if got := next(9); got != 9 {
		t.Fatalf("the node ahead (another sender): %d, want 9", got)
	}
	n.Forget()
	if got := next(5); got != 5 {
		t.Fatalf("after Forget: %d, want the node's 5", got)
	}
}

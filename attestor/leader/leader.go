// Package leader decides which attestor proposes a report and when the others step in.
// One proposer per report keeps attestors from racing each other with competing evidence
// (and wasting signatures and gas); a staged fallback keeps a dead or partitioned leader from
// blocking the report. The order is a hash of the report's identity, so every attestor
// computes the same one without talking, and a provider cannot predict or court a fixed
// leader across reports: each nonce and epoch reshuffles it.
package leader

import (
	"bytes"
	"encoding/binary"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Order returns attestors, duplicates removed, sorted by
// keccak256(provider ‖ nonce ‖ epoch ‖ attestor) with addresses as their 20 bytes and the
// numbers as 8-byte big-endian; the first is the leader. Equal hashes (never in practice)
// fall back to address order so that the result stays deterministic.
func Order(attestors []common.Address, provider common.Address, nonce, epoch uint64) []common.Address {
	type ranked struct {
		addr common.Address
		key  common.Hash
	}
	seen := make(map[common.Address]bool, len(attestors))
	rs := make([]ranked, 0, len(attestors))
	var buf [20 + 8 + 8 + 20]byte
	copy(buf[:20], provider[:])
	binary.BigEndian.PutUint64(buf[20:28], nonce)
	binary.BigEndian.PutUint64(buf[28:36], epoch)
	for _, a := range attestors {
		if seen[a] {
			continue
		}
		seen[a] = true
		copy(buf[36:], a[:])
		rs = append(rs, ranked{a, crypto.Keccak256Hash(buf[:])})
	}
	slices.SortFunc(rs, func(x, y ranked) int {
		if c := bytes.Compare(x.key[:], y.key[:]); c != 0 {
			return c
		}
		return bytes.Compare(x.addr[:], y.addr[:])
	})
	out := make([]common.Address, len(rs))
	for i, r := range rs {
		out[i] = r.addr
	}
	return out
}

// Turn says whether self may propose at now: the i-th in order (0 is the leader) may from
// dueAt + i×stage. Earlier ones keep their turn, so a late leader that wakes up still may;
// the registry's nonce makes only one of the competing reports land. An attestor not in order
// never may.
func Turn(order []common.Address, self common.Address, dueAt, now time.Time, stage time.Duration) bool {
	i := slices.Index(order, self)
	if i < 0 {
		return false
	}
	return !now.Before(dueAt.Add(time.Duration(i) * stage))
}

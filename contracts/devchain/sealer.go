package devchain

import (
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
)

// recheckInterval is how often the on-demand sealer looks at the pool without being told to.
const recheckInterval = 250 * time.Millisecond

// maxBlocksPerWake bounds the blocks sealed back to back before the sealer waits for the next
// event or tick (a backlog larger than a block's gas takes several).
const maxBlocksPerWake = 64

// sealer seals blocks on demand: whenever the pool holds executable transactions. It replaces
// go-ethereum's period-0 loop (catalyst's simulatedBeaconAPI.loop), which seals only when a
// new-transactions event arrives: an event it misses (its subscription is made on a goroutine
// of its own, so a transaction sent right after start can beat it) leaves the transaction in
// the pool with nothing to seal it, and a transaction the miner will not include makes it seal
// empty blocks in a busy loop. This one subscribes before the node starts, re-checks the pool
// after every block and on a ticker, and stops sealing when a block takes nothing from the pool.
type sealer struct {
	beacon *catalyst.SimulatedBeacon
	eth    *eth.Ethereum
	txs    chan core.NewTxsEvent
	wake   chan struct{}
	sub    event.Subscription
	quit   chan struct{}
	wg     sync.WaitGroup
}

func newSealer(beacon *catalyst.SimulatedBeacon, backend *eth.Ethereum) *sealer {
	s := &sealer{beacon: beacon, eth: backend, txs: make(chan core.NewTxsEvent, 64), wake: make(chan struct{}, 1), quit: make(chan struct{})}
	s.sub = backend.TxPool().SubscribeTransactions(s.txs, true)
	return s
}

// Start implements node.Lifecycle.
func (s *sealer) Start() error {
	s.wg.Add(2)
	go s.listen()
	go s.loop()
	return nil
}

// Stop implements node.Lifecycle.
func (s *sealer) Stop() error {
	close(s.quit)
	s.wg.Wait()
	s.sub.Unsubscribe()
	return nil
}

// listen turns new-transaction events into a wake-up. It never blocks on the sealer: the pool
// sends events from its reorg, which sealPending waits for (TxPool.Sync), so a sealer that
// received them itself could deadlock with a full channel.
func (s *sealer) listen() {
	defer s.wg.Done()
	for {
		select {
		case <-s.quit:
			return
		case <-s.sub.Err():
			return
		case <-s.txs:
			select {
			case s.wake <- struct{}{}:
			default: // a wake-up is pending already; it will see this transaction too
			}
		}
	}
}

func (s *sealer) loop() {
	defer s.wg.Done()
	tick := time.NewTicker(recheckInterval)
	defer tick.Stop()
	for {
		select {
		case <-s.quit:
			return
		case <-s.wake:
		case <-tick.C:
		}
		s.sealPending()
	}
}

// sealPending seals blocks while the pool has executable transactions and blocks take them.
func (s *sealer) sealPending() {
	pool := s.eth.TxPool()
	for range maxBlocksPerWake {
		select {
		case <-s.quit:
			return
		default:
		}
		// Sync waits out the pool's reset after the last block, so Stats counts what is left.
		if err := pool.Sync(); err != nil {
			return
		}
		pending, _ := pool.Stats()
		if pending == 0 {
			return
		}
		head := s.beacon.Commit()
		if b := s.eth.BlockChain().GetBlockByHash(head); b == nil || b.Transactions().Len() == 0 {
			// Pending transactions the miner did not take (fee cap below the base fee, say):
			// try again on the next tick rather than seal empty blocks as fast as possible.
			log.Debug("Dev chain sealed no pending transaction", "pending", pending)
			return
		}
	}
}

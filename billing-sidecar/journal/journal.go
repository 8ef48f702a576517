// Package journal is the sidecar's durable memory, a bbolt file: every chain action it intends
// (with an idempotency key, written before anything is sent), the Nomad event index it has
// processed, and usage records. After a crash the intents are what the sidecar reconciles with
// the chain, so an action is never taken twice and never forgotten.
//
// Intents are never deleted, so the history only grows. The periodic loops read two indexes
// instead, kept in their own buckets by the very transactions that write intents: the
// unfinished intents (Unfinished) and the open streams (OpenStreams). Their cost follows what is
// open, not what ever happened. A journal written before the indexes existed gets them built
// from its history once, when it is first opened for writing.
package journal

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/dec2-cloud/dec2/metering"
	bolt "go.etcd.io/bbolt"
)

// Kind is what an intent does on chain.
type Kind string

const (
	KindOpen  Kind = "open"
	KindClose Kind = "close"
)

// State is how far an intent has got.
type State string

const (
	// Pending: decided and recorded, nothing signed yet.
	Pending State = "pending"
	// Signed: a signed transaction is recorded (Txs); it may or may not have been broadcast.
	Signed State = "signed"
	// Done: the chain shows the effect at the confirmation depth.
	Done State = "done"
	// Failed: the chain refused it for good (e.g. the consumer's deposit could not cover it).
	Failed State = "failed"
)

// Tx is one signed transaction for an intent; gas bumps add more with the same nonce.
type Tx struct {
	Hash  string `json:"hash"`
	Nonce uint64 `json:"nonce"`
	Raw   []byte `json:"raw"`
}

// Intent is one chain action the sidecar decided on. Key is its idempotency key
// (IntentKey: allocation id, stream segment and action).
type Intent struct {
	Key       string `json:"key"`
	Kind      Kind   `json:"kind"`
	AllocID   string `json:"alloc_id"`
	Segment   int    `json:"segment"`
	StreamKey string `json:"stream_key"` // 0x-hex bytes32 the contract knows the stream by
	Consumer  string `json:"consumer"`
	Provider  string `json:"provider"`
	Rate      string `json:"rate"` // base units per second, decimal
	At        int64  `json:"at"`   // unix seconds: the stream's start (open) or end (close)

	State   State     `json:"state"`
	Txs     []Tx      `json:"txs,omitempty"`
	Err     string    `json:"err,omitempty"`    // why it waits or failed, for people
	Reason  Reason    `json:"reason,omitempty"` // the same, for code
	Created time.Time `json:"created"`
	Updated time.Time `json:"updated"`
}

// Reason is why an intent waits or failed, in a form code can act on (Err carries the chain's
// words for people). Empty while nothing went wrong.
type Reason string

const (
	// ReasonConsumer: the chain refuses it until the consumer acts (its deposit does not cover
	// the stream, or it has not authorised the billing operator). The intent waits for it; the
	// insolvency monitor counts the wait.
	ReasonConsumer Reason = "consumer"
	// ReasonReverted: its transaction reverted for a reason that no longer holds; it is retried.
	ReasonReverted Reason = "reverted"
	// ReasonNeverOpened: a close whose stream was never opened (its open failed or is missing).
	ReasonNeverOpened Reason = "never_opened"
	// ReasonRefused: the chain refuses it for good.
	ReasonRefused Reason = "refused"
)

// Texts that journals written before Reason existed stored in Err (see legacyReason).
const (
	legacyConsumerErr    = "waiting for the consumer" // ledger.ErrConsumer, wrapped by the chain adapter
	legacyNeverOpenedErr = "its stream was never opened"
)

// legacyReason derives the Reason of an intent journaled before the field existed.
func legacyReason(in Intent) Reason {
	switch {
	case in.Err == "":
		return ""
	case strings.Contains(in.Err, legacyConsumerErr):
		return ReasonConsumer
	case in.State != Failed:
		return ReasonReverted
	case in.Err == legacyNeverOpenedErr:
		return ReasonNeverOpened
	default:
		return ReasonRefused
	}
}

// decode reads a stored intent.
func decode(k, v []byte) (Intent, error) {
	var in Intent
	if err := json.Unmarshal(v, &in); err != nil {
		return in, fmt.Errorf("decoding intent %s: %w", k, err)
	}
	if in.Reason == "" {
		in.Reason = legacyReason(in)
	}
	return in, nil
}

// IntentKey is the idempotency key of an action on an allocation's stream segment.
func IntentKey(allocID string, segment int, kind Kind) string {
	return fmt.Sprintf("%s/%d/%s", allocID, segment, kind)
}

var (
	bIntents = []byte("intents")
	bMeta    = []byte("meta")
	bUsage   = []byte("usage")
	bSamples = []byte("samples")
	kIndex   = []byte("nomad_index")

	// bUnfinished holds every Pending or Signed intent, by key (a copy of its bIntents entry).
	bUnfinished = []byte("unfinished")
	// bOpenStreams holds the done open intent of every open stream (no close journaled), by
	// stream key.
	bOpenStreams = []byte("open_streams")
	// bLatest holds, by allocation id, the intent of its latest stream segment (its close once
	// one is journaled, else its open): where a stream that is re-rated segment after segment
	// stands, read without its history.
	bLatest = []byte("latest")
	// kIndexed in bMeta marks that the index buckets were built (indexVersion; a file with
	// another version has them rebuilt).
	kIndexed     = []byte("intent_index")
	indexVersion = []byte{3}
)

// Journal is an open journal file. It is safe for concurrent use.
type Journal struct {
	db  *bolt.DB
	now func() time.Time
	// indexed: the file has the index buckets (always after Open; a read-only open of a file
	// no writer has opened since they were introduced has not, and scans instead).
	indexed bool
	// noUnfinished and noOpenStreams say the index buckets were empty after the last write
	// this handle committed (only a writing handle keeps them): a tick with nothing open then
	// reads nothing at all, so even bbolt's per-transaction cost, which grows a little with the
	// file, stays out of it.
	noUnfinished, noOpenStreams atomic.Bool
	// writing orders the flags' stores as the commits: bbolt serialises writers already, so
	// it costs nothing, and without it a slower writer could store a stale "empty".
	writing sync.Mutex
}

// Open opens (creating if needed) the journal at path.
func Open(path string) (*Journal, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 5 * time.Second})
	if err != nil {
		return nil, fmt.Errorf("opening journal %s: %w (is another dec2-billing using it?)", path, err)
	}
	j := &Journal{db: db, now: time.Now, indexed: true}
	err = j.write(func(tx *bolt.Tx) error {
		for _, b := range [][]byte{bIntents, bMeta, bUsage, bSamples} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return migrate(tx)
	})
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("initialising journal %s: %w", path, err)
	}
	return j, nil
}

// write runs f in a write transaction that may change intents and, once it has committed,
// records whether the index buckets are empty.
func (j *Journal) write(f func(tx *bolt.Tx) error) error {
	j.writing.Lock()
	defer j.writing.Unlock()
	var noUnfinished, noOpen bool
	err := j.db.Update(func(tx *bolt.Tx) error {
		if err := f(tx); err != nil {
			return err
		}
		k, _ := tx.Bucket(bUnfinished).Cursor().First()
		noUnfinished = k == nil
		k, _ = tx.Bucket(bOpenStreams).Cursor().First()
		noOpen = k == nil
		return nil
	})
	if err == nil {
		j.noUnfinished.Store(noUnfinished)
		j.noOpenStreams.Store(noOpen)
	}
	return err
}

// migrate builds the index buckets from the full history when they are missing (a journal
// written before they existed), in the transaction that opens the journal: a crash during it
// leaves the file as it was, and the next Open builds them again.
func migrate(tx *bolt.Tx) error {
	if indexed(tx) {
		return nil
	}
	for _, name := range [][]byte{bUnfinished, bOpenStreams, bLatest} {
		if tx.Bucket(name) != nil {
			if err := tx.DeleteBucket(name); err != nil {
				return err
			}
		}
		if _, err := tx.CreateBucket(name); err != nil {
			return err
		}
	}
	err := tx.Bucket(bIntents).ForEach(func(k, v []byte) error {
		in, err := decode(k, v)
		if err != nil {
			return err
		}
		return reindex(tx, in, append([]byte(nil), v...))
	})
	if err != nil {
		return fmt.Errorf("building the intent indexes: %w", err)
	}
	return tx.Bucket(bMeta).Put(kIndexed, indexVersion)
}

// indexed tells whether the index buckets were built (by migrate) and are kept up to date.
func indexed(tx *bolt.Tx) bool {
	return string(tx.Bucket(bMeta).Get(kIndexed)) == string(indexVersion)
}

// OpenReadOnly opens an existing journal for reading (statements while no sidecar holds it).
func OpenReadOnly(path string) (*Journal, error) {
	db, err := bolt.Open(path, 0o600, &bolt.Options{Timeout: 2 * time.Second, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("opening journal %s read-only: %w (a running dec2-billing holds it: ask it with --addr)", path, err)
	}
	j := &Journal{db: db, now: time.Now}
	// No writer can migrate the file while this handle holds it (bbolt's file lock).
	if err := db.View(func(tx *bolt.Tx) error { j.indexed = tx.Bucket(bMeta) != nil && indexed(tx); return nil }); err != nil {
		db.Close()
		return nil, err
	}
	return j, nil
}

// Close closes the file.
func (j *Journal) Close() error { return j.db.Close() }

// ErrExists is returned by Add when an intent with the same key is already recorded.
var ErrExists = errors.New("intent already recorded")

// Add records a new intent in state Pending. A second Add with the same key returns ErrExists
// and leaves the first untouched: that is the idempotency guarantee.
func (j *Journal) Add(in Intent) error {
	added, err := j.AddMany([]Intent{in})
	if err == nil && len(added) == 0 {
		return fmt.Errorf("%w: %s", ErrExists, in.Key)
	}
	return err
}

// AddMany records new intents in one transaction (one disk sync for a whole batch of
// decisions) and returns those that were not recorded already.
func (j *Journal) AddMany(ins []Intent) ([]Intent, error) {
	var added []Intent
	err := j.write(func(tx *bolt.Tx) error {
		added = added[:0]
		b := tx.Bucket(bIntents)
		for _, in := range ins {
			if b.Get([]byte(in.Key)) != nil {
				continue
			}
			in.State, in.Created, in.Updated = Pending, j.now(), j.now()
			if err := put(tx, in); err != nil {
				return err
			}
			added = append(added, in)
		}
		return nil
	})
	return added, err
}

// put stores an intent and brings the indexes up to date with it, in the caller's transaction.
func put(tx *bolt.Tx, in Intent) error {
	v, err := json.Marshal(in)
	if err != nil {
		return fmt.Errorf("encoding intent %s: %w", in.Key, err)
	}
	if err := tx.Bucket(bIntents).Put([]byte(in.Key), v); err != nil {
		return err
	}
	return reindex(tx, in, v)
}

// reindex brings the index entries of one intent (v: its stored encoding) up to date with it:
// listed as unfinished while Pending or Signed; its stream listed as open while the intent is
// a done open and no close is journaled for the stream; a close unlists its stream as soon as
// it is journaled. An open and its close share allocation and segment (IntentKey) and so the
// stream key. The allocation's latest intent is the one of its highest segment, a close over
// an open. The entries hold a copy of the intent, so reading an index never touches the
// history's B+tree (whose depth grows with it).
func reindex(tx *bolt.Tx, in Intent, v []byte) error {
	key := []byte(in.Key)
	latest := tx.Bucket(bLatest)
	if cur := latest.Get([]byte(in.AllocID)); cur == nil || !later(cur, in) {
		if err := latest.Put([]byte(in.AllocID), v); err != nil {
			return err
		}
	}
	un := tx.Bucket(bUnfinished)
	var err error
	if in.State == Pending || in.State == Signed {
		err = un.Put(key, v)
	} else {
		err = un.Delete(key)
	}
	if err != nil {
		return err
	}
	open, sk := tx.Bucket(bOpenStreams), []byte(in.StreamKey)
	switch in.Kind {
	case KindClose:
		return open.Delete(sk)
	case KindOpen:
		closed := tx.Bucket(bIntents).Get([]byte(IntentKey(in.AllocID, in.Segment, KindClose))) != nil
		if in.State == Done && !closed {
			return open.Put(sk, v)
		}
		return open.Delete(sk)
	}
	return nil
}

// later reports whether the stored intent cur comes after in: a higher segment, or in's
// segment's close where in is its open.
func later(cur []byte, in Intent) bool {
	var c Intent
	if err := json.Unmarshal(cur, &c); err != nil {
		return false // an undecodable entry is replaced
	}
	if c.Segment != in.Segment {
		return c.Segment > in.Segment
	}
	return c.Kind == KindClose && in.Kind == KindOpen
}

// Update applies f to the intent under key and stores the result atomically.
func (j *Journal) Update(key string, f func(*Intent) error) (Intent, error) {
	var out Intent
	err := j.write(func(tx *bolt.Tx) error {
		v := tx.Bucket(bIntents).Get([]byte(key))
		if v == nil {
			return fmt.Errorf("updating intent %s: not recorded", key)
		}
		var err error
		if out, err = decode([]byte(key), v); err != nil {
			return err
		}
		if err := f(&out); err != nil {
			return err
		}
		out.Updated = j.now()
		return put(tx, out)
	})
	return out, err
}

// Get returns the intent under key; ok is false when there is none.
func (j *Journal) Get(key string) (in Intent, ok bool, err error) {
	err = j.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bIntents).Get([]byte(key))
		if v == nil {
			return nil
		}
		ok = true
		in, err = decode([]byte(key), v)
		return err
	})
	return in, ok, err
}

// Intents returns every intent whose state is one of states (all when none given), by key. It
// reads the whole history: statements and tests use it, periodic loops use Unfinished and
// OpenStreams.
func (j *Journal) Intents(states ...State) ([]Intent, error) {
	var out []Intent
	err := j.db.View(func(tx *bolt.Tx) error {
		var err error
		out, err = scan(tx, func(in Intent) bool { return len(states) == 0 || hasState(states, in.State) })
		return err
	})
	return out, err
}

func scan(tx *bolt.Tx, keep func(Intent) bool) ([]Intent, error) {
	var out []Intent
	err := tx.Bucket(bIntents).ForEach(func(k, v []byte) error {
		in, err := decode(k, v)
		if err == nil && keep(in) {
			out = append(out, in)
		}
		return err
	})
	return out, err
}

// Unfinished returns the Pending and Signed intents, by key: what the ledger still has to
// carry to the chain. It reads the unfinished index, not the history.
func (j *Journal) Unfinished() ([]Intent, error) {
	if j.noUnfinished.Load() {
		return nil, nil
	}
	var out []Intent
	err := j.db.View(func(tx *bolt.Tx) error {
		var err error
		if !j.indexed {
			out, err = scan(tx, func(in Intent) bool { return in.State == Pending || in.State == Signed })
		} else {
			out, err = byIndex(tx, bUnfinished)
		}
		return err
	})
	return out, err
}

// byIndex decodes the intents an index bucket holds.
func byIndex(tx *bolt.Tx, index []byte) ([]Intent, error) {
	var out []Intent
	err := tx.Bucket(index).ForEach(func(k, v []byte) error {
		in, err := decode(k, v)
		out = append(out, in)
		return err
	})
	return out, err
}

// OpenStreams returns the done open intent of every stream that is open on chain and has no
// close journaled, by stream key. It reads the open-streams index, not the history.
func (j *Journal) OpenStreams() ([]Intent, error) {
	if j.noOpenStreams.Load() {
		return nil, nil
	}
	var out []Intent
	err := j.db.View(func(tx *bolt.Tx) error {
		var err error
		if !j.indexed {
			out, err = openStreamsByScan(tx)
		} else {
			out, err = byIndex(tx, bOpenStreams)
		}
		return err
	})
	return out, err
}

// openStreamsByScan is OpenStreams from the full history: what the index must agree with.
func openStreamsByScan(tx *bolt.Tx) ([]Intent, error) {
	all, err := scan(tx, func(Intent) bool { return true })
	if err != nil {
		return nil, err
	}
	open := map[string]Intent{}
	for _, in := range all {
		if in.Kind == KindOpen && in.State == Done {
			open[in.StreamKey] = in
		}
	}
	for _, in := range all {
		if in.Kind == KindClose {
			delete(open, in.StreamKey)
		}
	}
	out := make([]Intent, 0, len(open))
	for _, in := range open {
		out = append(out, in)
	}
	sort.Slice(out, func(a, b int) bool { return out[a].StreamKey < out[b].StreamKey })
	return out, nil
}

// Latest returns the intent of an allocation's latest stream segment (its close if one is
// journaled, else its open); ok is false when the allocation has none. It reads one index
// entry, not the allocation's history.
func (j *Journal) Latest(allocID string) (in Intent, ok bool, err error) {
	if !j.indexed {
		ins, err := j.Alloc(allocID)
		if err != nil || len(ins) == 0 {
			return Intent{}, false, err
		}
		return ins[len(ins)-1], true, nil
	}
	err = j.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bLatest).Get([]byte(allocID))
		if v == nil {
			return nil
		}
		ok = true
		in, err = decode([]byte(allocID), v)
		return err
	})
	return in, ok, err
}

// Alloc returns the intents of one allocation, ordered by segment then open before close.
func (j *Journal) Alloc(allocID string) ([]Intent, error) {
	var out []Intent
	prefix := []byte(allocID + "/")
	err := j.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bIntents).Cursor()
		for k, v := c.Seek(prefix); k != nil && len(k) >= len(prefix) && string(k[:len(prefix)]) == string(prefix); k, v = c.Next() {
			in, err := decode(k, v)
			if err != nil {
				return err
			}
			out = append(out, in)
		}
		return nil
	})
	sort.Slice(out, func(a, b int) bool {
		if out[a].Segment != out[b].Segment {
			return out[a].Segment < out[b].Segment
		}
		return out[a].Kind == KindOpen && out[b].Kind == KindClose
	})
	return out, err
}

func hasState(states []State, s State) bool {
	for _, x := range states {
		if x == s {
			return true
		}
	}
	return false
}

// Index is the Nomad event index processed so far (0 = none: reconcile from scratch).
func (j *Journal) Index() (uint64, error) {
	var idx uint64
	err := j.db.View(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bMeta).Get(kIndex); len(v) == 8 {
			idx = binary.BigEndian.Uint64(v)
		}
		return nil
	})
	return idx, err
}

// SetIndex records the Nomad event index processed so far.
func (j *Journal) SetIndex(idx uint64) error {
	return j.db.Update(func(tx *bolt.Tx) error {
		return tx.Bucket(bMeta).Put(kIndex, binary.BigEndian.AppendUint64(nil, idx))
	})
}

// AddUsage stores usage records in one transaction, keyed by end time so statements read in
// time order.
func (j *Journal) AddUsage(recs ...metering.Record) error { return j.Meter(recs, nil, nil) }

// Meter stores usage records, each allocation's latest stats sample (so a restarted sidecar
// meters on from it) and drops the samples of allocations in forget, in one transaction.
func (j *Journal) Meter(recs []metering.Record, last map[string]metering.Sample, forget []string) error {
	return j.db.Update(func(tx *bolt.Tx) error {
		b := tx.Bucket(bUsage)
		for _, r := range recs {
			v, err := json.Marshal(r)
			if err != nil {
				return fmt.Errorf("encoding usage record of %s: %w", r.AllocID, err)
			}
			k := binary.BigEndian.AppendUint64(nil, uint64(r.To.UnixNano()))
			if err := b.Put(append(k, r.AllocID...), v); err != nil {
				return err
			}
		}
		sb := tx.Bucket(bSamples)
		for id, smp := range last {
			v, err := json.Marshal(smp)
			if err != nil {
				return fmt.Errorf("encoding sample of %s: %w", id, err)
			}
			if err := sb.Put([]byte(id), v); err != nil {
				return err
			}
		}
		for _, id := range forget {
			if err := sb.Delete([]byte(id)); err != nil {
				return err
			}
		}
		return nil
	})
}

// LastSample is the latest stats sample Meter stored for an allocation.
func (j *Journal) LastSample(allocID string) (smp metering.Sample, ok bool, err error) {
	err = j.db.View(func(tx *bolt.Tx) error {
		v := tx.Bucket(bSamples).Get([]byte(allocID))
		if v == nil {
			return nil
		}
		ok = true
		return json.Unmarshal(v, &smp)
	})
	return smp, ok, err
}

// Usage returns the stored usage records that f matches.
func (j *Journal) Usage(f metering.Filter) ([]metering.Record, error) {
	var out []metering.Record
	err := j.db.View(func(tx *bolt.Tx) error {
		c := tx.Bucket(bUsage).Cursor()
		k, v := c.First()
		if !f.Since.IsZero() {
			k, v = c.Seek(binary.BigEndian.AppendUint64(nil, uint64(f.Since.UnixNano())))
		}
		for ; k != nil; k, v = c.Next() {
			var r metering.Record
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("decoding usage record: %w", err)
			}
			if f.Match(r) {
				out = append(out, r)
			}
		}
		return nil
	})
	return out, err
}

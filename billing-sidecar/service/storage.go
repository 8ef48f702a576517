package service

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/billing-sidecar/journal"
	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/lifecycle"
	"github.com/dec2-cloud/dec2/billing-sidecar/storagestreams"
	"github.com/dec2-cloud/dec2/metering"
)

// storageState is what the storage loop remembers between snapshots (guarded by Service.mu).
type storageState struct {
	at     time.Time                      // the last snapshot decided on; zero before the first
	held   map[storagestreams.Pair]int64  // bytes each pair held at it
	unpaid map[storagestreams.Pair]string // pairs reported unpaid, with the reason reported
}

// meterStorage pays for stored pieces: it reads every tenant's usage per provider from the
// storage service and the providers' disk prices from Nomad, decides the pairs' streams
// (storagestreams) against the journal's latest segment of each, and journals the actions for
// the ledger to carry to the chain, exactly once as every stream action. It also journals a
// usage record per paid pair for the interval since the last snapshot. A failed read skips the
// round: streams carry time, so a late decision only moves a rate change later.
func (s *Service) meterStorage(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	usage, err := s.meter.UsageAll(ctx)
	if err != nil {
		s.log.Warn("storage usage unreadable; storage streams wait", "storage", s.cfg.StorageURL, "err", err)
		return nil
	}
	prices, err := s.diskPrices(ctx)
	if err != nil {
		s.log.Warn("disk prices unreadable; storage streams wait", "err", err)
		return nil
	}
	held := make([]storagestreams.Holding, 0, len(usage))
	for _, u := range usage {
		if !common.IsHexAddress(u.Tenant) || !common.IsHexAddress(u.Provider) {
			s.log.Warn("storage usage names no wallet; skipped", "tenant", u.Tenant, "provider", u.Provider)
			continue
		}
		held = append(held, storagestreams.Holding{Pair: storagestreams.Pair{Consumer: common.HexToAddress(u.Tenant), Provider: common.HexToAddress(u.Provider)},
			Pieces: u.Pieces, Bytes: u.Bytes})
	}

	s.decide.Lock()
	defer s.decide.Unlock()
	now := s.cfg.Now()
	streams, err := s.storageStreams(held)
	if err != nil {
		return fmt.Errorf("reading storage streams from the journal: %w", err)
	}
	d := storagestreams.Decide(s.cfg.StoragePolicy, now, held, prices, streams)

	recs := s.storageRecords(now, streams)
	acts := map[string][]lifecycle.Action{}
	for _, a := range d.Actions {
		id := storagestreams.StreamID(a.Pair)
		act := lifecycle.Action{Kind: lifecycle.Close, Segment: a.Segment, At: a.At}
		if a.Kind == storagestreams.Open {
			act = lifecycle.Action{Kind: lifecycle.Open, Segment: a.Segment, At: a.At,
				Terms: lifecycle.Terms{Consumer: a.Pair.Consumer, Provider: a.Pair.Provider, Rate: a.Rate}}
		}
		acts[id] = append(acts[id], act)
	}
	recorded, err := s.ledger.RecordAll(acts)
	if errors.Is(err, ledger.ErrCrash) {
		return err
	}
	if err != nil {
		s.log.Error("journaling storage stream actions", "err", err)
		return nil
	}
	bytesOf := map[storagestreams.Pair]int64{}
	for _, h := range held {
		bytesOf[h.Pair] += h.Bytes
	}
	for _, in := range recorded {
		pr, _ := storagestreams.ParseStreamID(in.AllocID)
		detail := fmt.Sprintf("segment %d at %s", in.Segment, time.Unix(in.At, 0).UTC().Format(time.RFC3339))
		if in.Kind == journal.KindOpen {
			detail += fmt.Sprintf(": %d bytes on %s at %s base units/s", bytesOf[pr], pr.Provider.Hex(), in.Rate)
		}
		s.event(Event{Kind: "storage_" + string(in.Kind), AllocID: in.AllocID, Consumer: pr.Consumer.Hex(), Detail: detail})
	}
	if len(recorded) > 0 {
		s.wake()
	}
	if err := s.j.AddUsage(recs...); err != nil {
		s.log.Error("storing storage usage records", "records", len(recs), "err", err)
	}
	s.reportUnpaid(d.Unpaid)

	s.mu.Lock()
	s.storage.at, s.storage.held = now, bytesOf
	s.mu.Unlock()
	s.metrics.storageBytes.Set(float64(sum(bytesOf)))
	return nil
}

func sum(m map[storagestreams.Pair]int64) int64 {
	var n int64
	for _, v := range m {
		n += v
	}
	return n
}

// storageStreams is the journal's latest segment of every pair that holds bytes or has a
// storage stream open or on its way: one index read per pair, never its history.
func (s *Service) storageStreams(held []storagestreams.Holding) (map[storagestreams.Pair]storagestreams.Stream, error) {
	ids := map[string]bool{}
	for _, h := range held {
		ids[storagestreams.StreamID(h.Pair)] = true
	}
	open, err := s.j.OpenStreams()
	if err != nil {
		return nil, err
	}
	waiting, err := s.j.Unfinished()
	if err != nil {
		return nil, err
	}
	for _, in := range append(open, waiting...) {
		if strings.HasPrefix(in.AllocID, storagestreams.AllocPrefix) {
			ids[in.AllocID] = true
		}
	}
	out := make(map[storagestreams.Pair]storagestreams.Stream, len(ids))
	for id := range ids {
		pr, ok := storagestreams.ParseStreamID(id)
		if !ok {
			continue
		}
		in, ok, err := s.j.Latest(id)
		if err != nil {
			return nil, err
		}
		if ok {
			out[pr] = streamOf(in)
		}
	}
	return out, nil
}

// streamOf is where the segment of a pair's latest intent stands.
func streamOf(in journal.Intent) storagestreams.Stream {
	st := storagestreams.Stream{Segment: in.Segment, Since: time.Unix(in.At, 0),
		Busy: in.State == journal.Pending || in.State == journal.Signed}
	if in.Kind == journal.KindOpen {
		st.Rate, _ = new(big.Int).SetString(in.Rate, 10)
		st.Refused = in.State == journal.Failed
		st.Open = !st.Refused
	}
	return st
}

// storageRecords are the usage records of the pairs whose streams ran since the last
// snapshot, at the rate they ran at: after a restart the first snapshot starts afresh.
func (s *Service) storageRecords(now time.Time, streams map[storagestreams.Pair]storagestreams.Stream) []metering.Record {
	s.mu.Lock()
	last, held := s.storage.at, s.storage.held
	s.mu.Unlock()
	if last.IsZero() {
		return nil
	}
	var recs []metering.Record
	for pr, st := range streams {
		from := last
		if st.Since.After(from) {
			from = st.Since
		}
		if !st.Open || st.Rate == nil || !now.After(from) {
			continue
		}
		c := new(big.Int).Mul(st.Rate, big.NewInt(now.Sub(from).Milliseconds()))
		recs = append(recs, metering.Record{Kind: metering.KindStorage, AllocID: storagestreams.StreamID(pr),
			Consumer: pr.Consumer.Hex(), Provider: pr.Provider.Hex(), From: from, To: now, StoredBytes: held[pr],
			Rate: st.Rate.String(), Charged: c.Quo(c, big.NewInt(1000)).String()})
	}
	sort.Slice(recs, func(a, b int) bool { return recs[a].AllocID < recs[b].AllocID })
	return recs
}

// reportUnpaid logs a storage_unpaid event when a pair starts going unpaid, or for another
// reason, and counts the bytes nobody pays for.
func (s *Service) reportUnpaid(us []storagestreams.Unpaid) {
	now := map[storagestreams.Pair]string{}
	var bytes int64
	for _, u := range us {
		now[u.Pair] = u.Reason
		bytes += u.Bytes
		s.mu.Lock()
		known := s.storage.unpaid[u.Pair] == u.Reason
		s.mu.Unlock()
		if !known {
			s.event(Event{Kind: "storage_unpaid", AllocID: storagestreams.StreamID(u.Pair), Consumer: u.Pair.Consumer.Hex(),
				Detail: fmt.Sprintf("%s: %d bytes on provider %s paid by nobody: %v", u.Reason, u.Bytes, u.Pair.Provider.Hex(), u.Err)})
		}
	}
	s.mu.Lock()
	s.storage.unpaid = now
	s.mu.Unlock()
	s.metrics.storageUnpaid.Set(float64(bytes))
}

// settleStorage pays out open storage streams up to a second before the last snapshot that
// saw their pair holding bytes (not past a moment the pieces were seen held), 100 a
// transaction.
func (s *Service) settleStorage(ctx context.Context, open map[string]journal.Intent) {
	s.mu.Lock()
	at, held := s.storage.at, s.storage.held
	s.mu.Unlock()
	if at.IsZero() {
		return
	}
	var keys []common.Hash
	for k, in := range open {
		pr, ok := storagestreams.ParseStreamID(in.AllocID)
		if ok && held[pr] > 0 && time.Unix(in.At, 0).Before(at.Add(-time.Second)) {
			keys = append(keys, common.HexToHash(k))
		}
	}
	sort.Slice(keys, func(a, b int) bool { return keys[a].Hex() < keys[b].Hex() })
	for len(keys) > 0 {
		n := min(len(keys), 100)
		if _, err := s.sink.SettleMany(ctx, keys[:n], at.Add(-time.Second)); err != nil {
			s.log.Warn("settleMany of storage streams deferred", "streams", n, "err", err)
			s.sink.Resync()
			return
		}
		s.metrics.settled.Add(float64(n))
		keys = keys[n:]
	}
}

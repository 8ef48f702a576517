package service

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/dec2-cloud/dec2/attestor/chainview"
	"github.com/dec2-cloud/dec2/attestor/downtime"
	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/attestor/leader"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

// ObserveRequest asks a peer for its own signed observation of a node.
type ObserveRequest struct {
	NodeID     string `json:"node_id"`
	Nonce      uint64 `json:"nonce"`
	Epoch      uint64 `json:"epoch"`
	NomadIndex uint64 `json:"nomad_index"`
}

// SignRequest asks a peer to sign a report over evidence (canonical JSON).
type SignRequest struct {
	Evidence []byte       `json:"evidence"`
	Report   ReportFields `json:"report"`
}

// ReportFields is chain.SlashReport in JSON.
type ReportFields struct {
	Provider     common.Address `json:"provider"`
	Consumer     common.Address `json:"consumer"`
	Reason       common.Hash    `json:"reason"`
	EvidenceHash common.Hash    `json:"evidence_hash"`
	Amount       *hexutil.Big   `json:"amount"`
	Nonce        uint64         `json:"nonce"`
	Deadline     uint64         `json:"deadline"`
	Epoch        uint64         `json:"epoch"`
}

func (f ReportFields) report() chain.SlashReport {
	amt := new(big.Int)
	if f.Amount != nil {
		amt = f.Amount.ToInt()
	}
	return chain.SlashReport{Provider: f.Provider, Consumer: f.Consumer, Reason: f.Reason, EvidenceHash: f.EvidenceHash,
		Amount: amt, Nonce: new(big.Int).SetUint64(f.Nonce), Deadline: new(big.Int).SetUint64(f.Deadline), Epoch: f.Epoch}
}

// SignResponse is a peer's EIP-712 signature over the report.
type SignResponse struct {
	Signature hexutil.Bytes `json:"signature"`
}

// pursue makes one step towards slashing a due node's provider: when it is this attestor's
// turn, it gathers k observations, builds the evidence and the report for the next consumer
// of the incident not yet paid, gathers k signatures and submits.
func (s *Service) pursue(ctx context.Context, c downtime.Candidate, now time.Time) error {
	provider, err := s.chain.ProviderOfNode(ctx, c.NodeID)
	if err != nil {
		return err
	}
	if provider == (common.Address{}) {
		return fmt.Errorf("node %s stakes under no wallet: nothing to slash", c.NodeID)
	}
	st, err := s.chain.Standing(ctx, provider)
	if err != nil {
		return err
	}
	order := leader.Order(s.attestors(), provider, st.Nonce, st.Epoch)
	if !leader.Turn(order, s.self, c.DownSince.Add(c.Grace), now, s.cfg.Stage) {
		return nil
	}
	obs, err := s.gatherObservations(ctx, ObserveRequest{NodeID: c.NodeID, Nonce: st.Nonce, Epoch: st.Epoch, NomadIndex: s.nomad.Index()}, int(st.Threshold))
	if err != nil {
		return err
	}
	ev, groups, err := s.buildEvidence(ctx, c, provider, st, obs, now)
	if err != nil {
		return err
	}
	done, err := s.chain.Reported(ctx, provider, ev.Incident())
	if err != nil {
		return err
	}
	consumer, ok := nextConsumer(groups, done)
	if !ok {
		return nil // every consumer of this incident was paid
	}
	body, err := ev.Canonical()
	if err != nil {
		return fmt.Errorf("encoding evidence: %w", err)
	}
	hash, _ := ev.Hash()
	amt, err := s.amountFor(ev, consumer, st)
	if err != nil {
		return err
	}
	req := SignRequest{Evidence: body, Report: ReportFields{
		Provider: provider, Consumer: consumer, Reason: ev.Incident(), EvidenceHash: hash, Amount: (*hexutil.Big)(amt),
		Nonce: st.Nonce, Deadline: uint64(now.Add(s.cfg.ReportTTL).Unix()), Epoch: st.Epoch,
	}}
	sigs, err := s.gatherSignatures(ctx, req, int(st.Threshold))
	if err != nil {
		return err
	}
	start := time.Now()
	tx, err := s.chain.Slash(ctx, req.Report.report(), sigs)
	if errors.Is(err, chainview.ErrAlreadySlashed) {
		return nil
	}
	if err != nil {
		s.metrics.submitFailures.Inc()
		return err
	}
	s.metrics.slashes.Inc()
	s.metrics.vanishToSlash.Observe(time.Since(c.DownSince).Seconds())
	s.mu.Lock()
	s.eventLocked(Event{At: start, Kind: "slashed", NodeID: c.NodeID,
		Detail: fmt.Sprintf("slashed %s by %s for consumer %s in tx %s (evidence %s)", provider.Hex(), amt, consumer.Hex(), tx.Hex(), common.Hash(hash).Hex())})
	s.mu.Unlock()
	return nil
}

// attestors is the set this attestor knows: itself and its peers.
func (s *Service) attestors() []common.Address {
	out := []common.Address{s.self}
	for _, p := range s.cfg.Peers {
		out = append(out, p.Addr)
	}
	return out
}

// gatherObservations collects this attestor's own observation and its peers', k at least.
func (s *Service) gatherObservations(ctx context.Context, req ObserveRequest, k int) ([]evidence.Observation, error) {
	own, err := s.observe(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("this attestor does not observe node %s down: %w", req.NodeID, err)
	}
	out := []evidence.Observation{own}
	var mu sync.Mutex
	var refusals []error
	s.eachPeer(ctx, func(ctx context.Context, p peers.Peer) {
		var o evidence.Observation
		s.metrics.messages.Inc()
		err := s.peers.Post(ctx, p, "/v1/observe", req, &o)
		if err == nil {
			err = s.validObservation(o, req)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			refusals = append(refusals, err)
			return
		}
		out = append(out, o)
	})
	if len(out) < k {
		return nil, fmt.Errorf("%d of the %d observations a report needs: %w", len(out), k, errors.Join(refusals...))
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Attestor < out[j].Attestor })
	return out, nil
}

// gatherSignatures asks every peer to sign and signs itself; k at least.
func (s *Service) gatherSignatures(ctx context.Context, req SignRequest, k int) ([][]byte, error) {
	own, err := s.checkAndSign(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("this attestor refuses its own report: %w", err)
	}
	sigs := [][]byte{own}
	digest, err := chain.SlashDigest(s.chainID, s.cfg.Registry, req.Report.report())
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex
	var refusals []error
	s.eachPeer(ctx, func(ctx context.Context, p peers.Peer) {
		var res SignResponse
		s.metrics.messages.Inc()
		err := s.peers.Post(ctx, p, "/v1/sign", req, &res)
		if err == nil {
			err = signedBy(digest, res.Signature, p.Addr)
		}
		mu.Lock()
		defer mu.Unlock()
		if err != nil {
			refusals = append(refusals, err)
			return
		}
		sigs = append(sigs, res.Signature)
	})
	if len(sigs) < k {
		return nil, fmt.Errorf("%d of the %d signatures a slash needs: %w", len(sigs), k, errors.Join(refusals...))
	}
	return sigs, nil
}

// buildEvidence reads the node's lost allocations and their streams into the evidence, and
// groups the lost rates by consumer.
func (s *Service) buildEvidence(ctx context.Context, c downtime.Candidate, provider common.Address, st chainview.Standing, obs []evidence.Observation, now time.Time) (evidence.Evidence, map[common.Address][]*big.Int, error) {
	evals, err := s.nomad.Evals(ctx, c.NodeID, c.DownSince)
	if err != nil {
		return evidence.Evidence{}, nil, err
	}
	lost, groups, err := s.lostWithStreams(ctx, c.NodeID, c.DownSince, provider)
	if err != nil {
		return evidence.Evidence{}, nil, err
	}
	ev := evidence.Evidence{
		Kind: evidence.Downtime, ChainID: s.chainID.Uint64(), Registry: s.cfg.Registry.Hex(), Provider: provider.Hex(),
		NodeID: c.NodeID, DownSince: c.DownSince.Unix(), WindowEnd: now.Unix(), NomadIndex: s.nomad.Index(),
		Evals: evals, Lost: lost, Observations: obs, Nonce: st.Nonce, Epoch: st.Epoch,
	}
	if ev.Evals == nil {
		ev.Evals = []string{}
	}
	return ev, groups, ev.Validate()
}

// lostWithStreams lists the node's lost allocations with their on-chain consumer and rate.
func (s *Service) lostWithStreams(ctx context.Context, node string, since time.Time, provider common.Address) ([]evidence.LostAlloc, map[common.Address][]*big.Int, error) {
	lost := []evidence.LostAlloc{}
	groups := map[common.Address][]*big.Int{}
	for _, a := range s.nomad.LostOn(node, since) {
		st, ok, err := s.chain.StreamOf(ctx, a.ID, provider)
		if err != nil {
			return nil, nil, err
		}
		la := evidence.LostAlloc{ID: a.ID, Namespace: a.Namespace, JobID: a.JobID, Consumer: (common.Address{}).Hex(), Rate: "0"}
		if ok {
			la.Consumer, la.Rate = st.Consumer.Hex(), st.Rate.String()
			groups[st.Consumer] = append(groups[st.Consumer], st.Rate)
		}
		lost = append(lost, la)
	}
	if len(groups) == 0 {
		groups[common.Address{}] = nil // unbilled work still vanished: the treasury takes it
	}
	return lost, groups, nil
}

// nextConsumer is the first consumer, by address, whose report of the incident is not mined.
func nextConsumer(groups map[common.Address][]*big.Int, done map[common.Address]bool) (common.Address, bool) {
	var all []common.Address
	for a := range groups {
		if !done[a] {
			all = append(all, a)
		}
	}
	if len(all) == 0 {
		return common.Address{}, false
	}
	sort.Slice(all, func(i, j int) bool { return all[i].Cmp(all[j]) < 0 })
	return all[0], true
}

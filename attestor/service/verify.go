package service

import (
	"bytes"
	"context"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/attestor/amount"
	"github.com/dec2-cloud/dec2/attestor/chainview"
	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/attestor/gates"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/attestor/probe"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

// Refusal is why this attestor will not observe or sign; Reason is a stable word.
type Refusal struct {
	Reason string
	Detail string
}

func (r *Refusal) Error() string { return r.Reason + ": " + r.Detail }

func refuse(reason, format string, args ...any) error {
	return &Refusal{Reason: reason, Detail: fmt.Sprintf(format, args...)}
}

// observe is this attestor's signed view of req's node: it must be due here, Nomad (read at
// or after the asker's index) must have it down, and none of its client probes may answer.
func (s *Service) observe(ctx context.Context, req ObserveRequest) (evidence.Observation, error) {
	now := time.Now()
	if err := gates.Check(s.cfg.Gates, s.gateView(now)); err != nil {
		return evidence.Observation{}, err
	}
	if !s.nomad.WaitIndex(ctx, req.NomadIndex, 5*time.Second) {
		return evidence.Observation{}, refuse("behind_nomad", "this attestor has not read Nomad up to index %d (it is at %d)", req.NomadIndex, s.nomad.Index())
	}
	s.mu.Lock()
	_, err := s.watch.Check(req.NodeID, now)
	s.mu.Unlock()
	if err != nil {
		return evidence.Observation{}, err
	}
	if err := s.sameStanding(ctx, req.NodeID, req.Nonce, req.Epoch); err != nil {
		return evidence.Observation{}, err
	}
	probes := s.dial.All(ctx, s.nomad.Targets(req.NodeID), time.Now)
	if probe.Reachable(probes) {
		return evidence.Observation{}, refuse("node_answers", "node %s's client answers this attestor's probe: it is cut off from Nomad, not gone", req.NodeID)
	}
	o := evidence.Observation{NodeID: req.NodeID, Nonce: req.Nonce, Epoch: req.Epoch, NomadIndex: max(req.NomadIndex, s.nomad.Index()),
		NodeDown: s.nomad.Down(req.NodeID), Probes: probes, At: now.Unix()}
	if !o.NodeDown {
		return evidence.Observation{}, refuse("not_down", "Nomad has node %s up", req.NodeID)
	}
	if err := o.Sign(s.key); err != nil {
		return evidence.Observation{}, fmt.Errorf("signing the observation: %w", err)
	}
	return o, nil
}

// sameStanding checks that node's provider is at nonce and the registry at epoch: a report for
// another nonce is a replay or stale.
func (s *Service) sameStanding(ctx context.Context, node string, nonce, epoch uint64) error {
	provider, err := s.chain.ProviderOfNode(ctx, node)
	if err != nil {
		return err
	}
	if provider == (common.Address{}) {
		return refuse("unknown_node", "no provider stakes for node %s", node)
	}
	st, err := s.chain.Standing(ctx, provider)
	if err != nil {
		return err
	}
	if st.Nonce != nonce {
		return refuse("stale_nonce", "provider %s is at slash nonce %d, not %d: a replayed or stale report", provider.Hex(), st.Nonce, nonce)
	}
	if st.Epoch != epoch {
		return refuse("stale_epoch", "the attestor set is at epoch %d, not %d", st.Epoch, epoch)
	}
	return nil
}

// validObservation checks a peer's observation answers req and is signed by a member.
func (s *Service) validObservation(o evidence.Observation, req ObserveRequest) error {
	signer, err := o.Signer()
	if err != nil {
		return refuse("bad_observation", "%v", err)
	}
	if !s.isMember(signer) {
		return refuse("bad_observation", "observation signed by %s, not an attestor", signer.Hex())
	}
	if o.NodeID != req.NodeID || o.Nonce != req.Nonce || o.Epoch != req.Epoch || !o.NodeDown {
		return refuse("bad_observation", "%s's observation is of node %s at nonce %d, epoch %d, down %v", signer.Hex(), o.NodeID, o.Nonce, o.Epoch, o.NodeDown)
	}
	if probe.Reachable(o.Probes) {
		return refuse("bad_observation", "%s reached node %s", signer.Hex(), o.NodeID)
	}
	return nil
}

func (s *Service) isMember(a common.Address) bool {
	for _, m := range s.attestors() {
		if m == a {
			return true
		}
	}
	return false
}

// checkAndSign signs req's report when this attestor, from its own view, agrees with every
// part of it; the proposer runs it on its own report too.
func (s *Service) checkAndSign(ctx context.Context, req SignRequest) ([]byte, error) {
	now := time.Now()
	ev, err := evidence.Parse(req.Evidence)
	if err != nil {
		return nil, refuse("bad_evidence", "%v", err)
	}
	r := req.Report.report()
	if err := s.checkReport(ctx, ev, r, now); err != nil {
		return nil, err
	}
	// The cooldown and the cap count incidents: a retry, or the report for an incident's next
	// consumer, is not another slash of the provider.
	incident := ev.Incident()
	s.mu.Lock()
	again := s.signedIncidents[incident]
	s.mu.Unlock()
	if !again {
		if err := s.limiter.Allow(r.Provider.Hex(), now); err != nil {
			return nil, err
		}
	}
	sig, err := chain.SignSlashReport(s.key, s.chainID, s.cfg.Registry, r)
	if err != nil {
		return nil, fmt.Errorf("signing the report: %w", err)
	}
	s.metrics.signed.Inc()
	s.mu.Lock()
	if !again {
		s.limiter.Record(r.Provider.Hex(), now)
		s.signedIncidents[incident] = true
	}
	s.published[common.Hash(r.EvidenceHash)] = bytes.Clone(req.Evidence)
	s.mu.Unlock()
	return sig, nil
}

// checkReport is every check of a report against this attestor's own view and the chain.
func (s *Service) checkReport(ctx context.Context, ev evidence.Evidence, r chain.SlashReport, now time.Time) error {
	if h, _ := ev.Hash(); h != r.EvidenceHash {
		return refuse("evidence_mismatch", "the report names evidence %x, the evidence sent hashes to %x", r.EvidenceHash, h)
	}
	if ev.ChainID != s.chainID.Uint64() || !sameAddr(ev.Registry, s.cfg.Registry) {
		return refuse("other_deployment", "evidence for chain %d registry %s", ev.ChainID, ev.Registry)
	}
	// What needs only the request itself comes first: a forged or inconsistent report is
	// refused before this attestor's view is consulted.
	if r.Reason != ev.Incident() || r.Nonce.Uint64() != ev.Nonce || r.Epoch != ev.Epoch || !sameAddr(ev.Provider, r.Provider) {
		return refuse("report_mismatch", "the report's reason, nonce, epoch or provider differ from its evidence")
	}
	if ev.Kind == evidence.DataLoss {
		// Data loss rests on the provider's own signatures, not on Nomad's view: the gates that
		// guard against a blinking control plane still hold (quorum, a fresh chain head).
		if err := gates.Check(s.cfg.Gates, s.gateView(now)); err != nil {
			return err
		}
		if err := s.checkDataLoss(ctx, ev, r, now); err != nil {
			return err
		}
		return s.checkAmount(ctx, ev, r)
	}
	if err := s.checkObservations(ev); err != nil {
		return err
	}
	if err := gates.Check(s.cfg.Gates, s.gateView(now)); err != nil {
		return err
	}
	if !s.nomad.WaitIndex(ctx, ev.NomadIndex, 5*time.Second) {
		return refuse("behind_nomad", "this attestor has not read Nomad up to index %d", ev.NomadIndex)
	}
	s.mu.Lock()
	cand, err := s.watch.Check(ev.NodeID, now)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	if cand.DownSince.Unix() != ev.DownSince {
		return refuse("different_incident", "node %s went down at %d here, not %d", ev.NodeID, cand.DownSince.Unix(), ev.DownSince)
	}
	if ev.WindowEnd > now.Add(10*time.Second).Unix() || ev.WindowEnd < cand.DownSince.Add(cand.Grace).Unix() {
		return refuse("bad_window", "window end %d is not between the grace's end and now", ev.WindowEnd)
	}
	if d := r.Deadline.Int64(); d <= now.Unix() || d > now.Add(2*s.cfg.ReportTTL).Unix() {
		return refuse("bad_deadline", "deadline %d is past or too far ahead", d)
	}
	if err := s.sameStanding(ctx, ev.NodeID, ev.Nonce, ev.Epoch); err != nil {
		return err
	}
	if provider, _ := s.chain.ProviderOfNode(ctx, ev.NodeID); provider != r.Provider {
		return refuse("wrong_provider", "node %s stakes under %s, not %s", ev.NodeID, provider.Hex(), r.Provider.Hex())
	}
	if probe.Reachable(s.dial.All(ctx, s.nomad.Targets(ev.NodeID), time.Now)) {
		return refuse("node_answers", "node %s's client answers this attestor", ev.NodeID)
	}
	if err := s.checkLost(ctx, ev, r.Provider); err != nil {
		return err
	}
	return s.checkAmount(ctx, ev, r)
}

// checkAmount recomputes the report's amount from the chain.
func (s *Service) checkAmount(ctx context.Context, ev evidence.Evidence, r chain.SlashReport) error {
	st, err := s.chain.Standing(ctx, r.Provider)
	if err != nil {
		return err
	}
	want, err := s.amountFor(ev, r.Consumer, st)
	if err != nil {
		return err
	}
	if want.Cmp(r.Amount) != 0 {
		return refuse("amount_mismatch", "the formula gives %s, the report asks %s", want, r.Amount)
	}
	return nil
}

// checkObservations needs k observations by distinct members that saw the node down and did
// not reach it.
func (s *Service) checkObservations(ev evidence.Evidence) error {
	s.mu.Lock()
	k := max(s.threshold, 1)
	s.mu.Unlock()
	seen := map[common.Address]bool{}
	req := ObserveRequest{NodeID: ev.NodeID, Nonce: ev.Nonce, Epoch: ev.Epoch}
	for _, o := range ev.Observations {
		if err := s.validObservation(o, req); err != nil {
			return err
		}
		a, _ := o.Signer()
		seen[a] = true
	}
	if len(seen) < k {
		return refuse("too_few_observations", "%d attestors observed node %s down; %d must", len(seen), ev.NodeID, k)
	}
	return nil
}

// checkLost checks each lost allocation ran on the node here and its consumer and rate are the
// chain's.
func (s *Service) checkLost(ctx context.Context, ev evidence.Evidence, provider common.Address) error {
	here := map[string]bool{}
	for _, a := range s.nomad.LostOn(ev.NodeID, time.Unix(ev.DownSince, 0)) {
		here[a.ID] = true
	}
	for _, la := range ev.Lost {
		if !here[la.ID] {
			return refuse("unknown_allocation", "allocation %s did not run on node %s when it went down", la.ID, ev.NodeID)
		}
		st, ok, err := s.chain.StreamOf(ctx, la.ID, provider)
		if err != nil {
			return err
		}
		consumer, rate := common.Address{}, "0"
		if ok {
			consumer, rate = st.Consumer, st.Rate.String()
		}
		if !sameAddr(la.Consumer, consumer) || la.Rate != rate {
			return refuse("stream_mismatch", "allocation %s's stream is %s at %s/s on chain, not %s at %s/s", la.ID, consumer.Hex(), rate, la.Consumer, la.Rate)
		}
	}
	return nil
}

// amountFor is the formula over the consumer's lost rates and the provider's standing.
func (s *Service) amountFor(ev evidence.Evidence, consumer common.Address, st chainview.Standing) (*big.Int, error) {
	var rates []*big.Int
	for _, la := range ev.Lost {
		if sameAddr(la.Consumer, consumer) {
			r, ok := new(big.Int).SetString(la.Rate, 10)
			if !ok {
				return nil, refuse("bad_evidence", "rate %q of allocation %s", la.Rate, la.ID)
			}
			rates = append(rates, r)
		}
	}
	// A data loss names no streams: the amount is the floor, escalated for repeats.
	if len(rates) == 0 && consumer != (common.Address{}) && ev.Kind != evidence.DataLoss {
		return nil, refuse("unknown_consumer", "no lost allocation of consumer %s", consumer.Hex())
	}
	amt, err := amount.Compute(s.cfg.Amount, amount.Inputs{
		Rates: rates, DownSince: time.Unix(ev.DownSince, 0), WindowEnd: time.Unix(ev.WindowEnd, 0),
		Stake: st.Stake, Unbonding: st.Unbonding, Slashes: st.Slashes, LastSlashedAt: st.LastSlashedAt,
	})
	if err != nil {
		return nil, fmt.Errorf("computing the slash amount: %w", err)
	}
	return amt, nil
}

func signedBy(digest, sig []byte, want common.Address) error {
	if len(sig) != 65 {
		return refuse("bad_signature", "%s sent a %d-byte signature", want.Hex(), len(sig))
	}
	rs := bytes.Clone(sig)
	rs[64] -= 27
	pub, err := crypto.SigToPub(digest, rs)
	if err != nil || crypto.PubkeyToAddress(*pub) != want {
		return refuse("bad_signature", "%s's signature is not over this report", want.Hex())
	}
	return nil
}

func sameAddr(s string, a common.Address) bool {
	return common.IsHexAddress(s) && common.HexToAddress(s) == a
}

// eachPeer runs f for every peer concurrently and waits.
func (s *Service) eachPeer(ctx context.Context, f func(context.Context, peers.Peer)) {
	var wg sync.WaitGroup
	for _, p := range s.cfg.Peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(ctx, p)
		}()
	}
	wg.Wait()
}

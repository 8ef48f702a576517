package service

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/dec2-cloud/dec2/attestor/chainview"
	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/meta"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

// target is one audit: a piece a provider holds, its receipt, the seed and the challenge.
type target struct {
	provider common.Address
	piece    meta.HeldPiece
	receipt  receipt.Signed
	seed     audit.Seed
	ch       audit.Challenge
}

// auditAll challenges every storage provider once, each with one piece of its own.
func (s *Service) auditAll(ctx context.Context) {
	if !s.nomad.Synced() {
		return
	}
	byWallet := map[common.Address]bool{}
	endpoints := s.nomad.Meta(conventions.MetaStorageEndpoint)
	for node, w := range s.nomad.Meta(conventions.MetaWallet) {
		if endpoints[node] != "" && common.IsHexAddress(w) {
			byWallet[common.HexToAddress(w)] = true
		}
	}
	var wg sync.WaitGroup
	for provider := range byWallet {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := s.auditProvider(ctx, provider, endpoints); err != nil {
				s.log.Info("no audit of a storage provider", "provider", provider.Hex(), "err", err)
			}
		}()
	}
	wg.Wait()
}

// auditProvider asks provider its contained challenge again, or a fresh one, and acts on the
// verdict: reputation, and a data_loss report on evidence.
func (s *Service) auditProvider(ctx context.Context, provider common.Address, endpoints map[string]string) error {
	s.mu.Lock()
	t, contained := s.containedTargets[provider]
	s.mu.Unlock()
	if !contained {
		var ok bool
		var err error
		if t, ok, err = s.draw(ctx, provider); err != nil || !ok {
			return err
		}
	}
	url := endpoints[t.piece.NodeID]
	if url == "" {
		return fmt.Errorf("piece %s is on node %s, which advertises no storage endpoint", t.piece.PieceID, t.piece.NodeID)
	}
	a, outcome, err := s.challenge(ctx, url, t)
	s.mu.Lock()
	verdict := s.containment.Record(provider.Hex(), t.ch, outcome)
	if verdict == audit.Contained {
		s.containedTargets[provider] = t
	} else {
		delete(s.containedTargets, provider)
	}
	if ok, counted := verdict.Reputation(); counted {
		s.book.ObserveAudit(t.piece.NodeID, ok)
	}
	if verdict.Evidence() {
		// Published with the reputations, for repairers to rebuild exactly this piece.
		lost := "corrupt"
		if verdict == audit.Missing {
			lost = "missing"
		}
		s.book.ObserveLoss(reputation.LostPiece{NodeID: t.piece.NodeID, Provider: provider.Hex(), PieceID: t.piece.PieceID, Outcome: lost, At: time.Now().UTC()})
	}
	s.mu.Unlock()
	s.metrics.audits.WithLabelValues(verdict.String()).Inc()
	level := s.log.Debug
	if verdict != audit.Pass && verdict != audit.Contained {
		level = s.log.Warn
	}
	level("audited a storage provider", "provider", provider.Hex(), "node", t.piece.NodeID, "piece", t.piece.PieceID,
		"leaf", t.ch.Leaf, "seed_block", t.seed.Block, "outcome", outcome.String(), "verdict", verdict.String(), "err", err)
	if !verdict.Evidence() {
		return nil
	}
	return s.reportDataLoss(ctx, t, a, verdict)
}

// draw picks provider's piece and leaf from the latest block: the first piece after the
// seed's point in the provider's pieces by id (wrapping around).
func (s *Service) draw(ctx context.Context, provider common.Address) (target, bool, error) {
	seed, err := s.chain.Seed(ctx)
	if err != nil {
		return target{}, false, err
	}
	mixed := audit.AuditorSeed(seed.Hash, s.self)
	held, err := s.storage.PiecesOn(ctx, provider, audit.Point(mixed, provider), 1)
	if err == nil && len(held) == 0 {
		held, err = s.storage.PiecesOn(ctx, provider, "", 1)
	}
	if err != nil {
		return target{}, false, fmt.Errorf("listing provider %s's pieces: %w", provider.Hex(), err)
	}
	if len(held) == 0 {
		return target{}, false, nil
	}
	var rc receipt.Signed
	if err := json.Unmarshal(held[0].Receipt, &rc); err != nil {
		return target{}, false, fmt.Errorf("piece %s's receipt: %w", held[0].PieceID, err)
	}
	if rc.Provider != provider || piecestore.ID(rc.PieceID).String() != held[0].PieceID {
		return target{}, false, fmt.Errorf("piece %s's receipt is for piece %s by %s", held[0].PieceID, rc.PieceID.Hex(), rc.Provider.Hex())
	}
	return target{provider: provider, piece: held[0], receipt: rc, seed: seed, ch: audit.Draw(mixed, rc.Receipt)}, true, nil
}

// challenge asks the node at url for t's challenge within the deadline and judges the answer.
func (s *Service) challenge(ctx context.Context, url string, t target) (audit.Answer, audit.Outcome, error) {
	cctx, cancel := context.WithTimeout(ctx, s.cfg.AuditDeadline)
	defer cancel()
	node := &nodeapi.Client{URL: url, HTTP: s.auditHTTP, ChainID: s.chainID.Uint64()}
	a, err := node.Challenge(cctx, t.provider, t.ch)
	var bad *audit.BadAnswer
	var refused *nodeapi.Refused
	switch {
	case errors.As(err, &bad), errors.As(err, &refused):
		return a, audit.Unattributable, err
	case err != nil:
		// Unreachable, reset or slow: the same challenge is asked again (containment).
		return a, audit.Timeout, err
	}
	o, err := audit.Judge(s.chainID.Uint64(), t.receipt, t.ch, t.seed.Time, a)
	return a, o, err
}

// reportDataLoss proposes a data_loss slash on the provider's signed answer: the evidence is
// the receipt and the answer, which every peer checks for itself before signing.
func (s *Service) reportDataLoss(ctx context.Context, t target, a audit.Answer, verdict audit.Outcome) error {
	now := time.Now()
	if staked, err := s.chain.ProviderOfNode(ctx, t.piece.NodeID); err != nil || staked != t.provider {
		return fmt.Errorf("node %s stakes under %s, not the piece's provider %s (%v): nothing to slash", t.piece.NodeID, staked.Hex(), t.provider.Hex(), err)
	}
	st, err := s.chain.Standing(ctx, t.provider)
	if err != nil {
		return err
	}
	consumer := common.Address{}
	if common.IsHexAddress(t.piece.Tenant) {
		consumer = common.HexToAddress(t.piece.Tenant)
	}
	outcome := evidence.AuditCorrupt
	if verdict == audit.Missing {
		outcome = evidence.AuditMissing
	}
	ev := evidence.Evidence{
		Kind: evidence.DataLoss, ChainID: s.chainID.Uint64(), Registry: s.cfg.Registry.Hex(), Provider: t.provider.Hex(),
		NodeID: t.piece.NodeID, DownSince: t.seed.Time.Unix(), WindowEnd: max(now.Unix(), t.seed.Time.Unix()+1), NomadIndex: s.nomad.Index(),
		Nonce: st.Nonce, Epoch: st.Epoch,
		Audit: &evidence.Audit{Outcome: outcome, Consumer: consumer.Hex(), Auditor: s.self.Hex(), SeedBlock: t.seed.Block, Receipt: t.receipt, Answer: a},
	}
	incident := ev.Incident()
	s.mu.Lock()
	busy := s.pursuing[string(incident[:])]
	s.pursuing[string(incident[:])] = true
	s.mu.Unlock()
	if busy {
		return nil
	}
	defer func() { s.mu.Lock(); delete(s.pursuing, string(incident[:])); s.mu.Unlock() }()
	done, err := s.chain.Reported(ctx, t.provider, incident)
	if err != nil || len(done) > 0 {
		return err // this piece's loss was slashed already
	}
	body, err := ev.Canonical()
	if err != nil {
		return fmt.Errorf("encoding data_loss evidence: %w", err)
	}
	hash, _ := ev.Hash()
	amt, err := s.amountFor(ev, consumer, st)
	if err != nil {
		return err
	}
	req := SignRequest{Evidence: body, Report: ReportFields{
		Provider: t.provider, Consumer: consumer, Reason: incident, EvidenceHash: hash, Amount: (*hexutil.Big)(amt),
		Nonce: st.Nonce, Deadline: uint64(now.Add(s.cfg.ReportTTL).Unix()), Epoch: st.Epoch,
	}}
	sigs, err := s.gatherSignatures(ctx, req, int(st.Threshold))
	if err != nil {
		return err
	}
	tx, err := s.chain.Slash(ctx, req.Report.report(), sigs)
	if errors.Is(err, chainview.ErrAlreadySlashed) {
		return nil
	}
	if err != nil {
		s.metrics.submitFailures.Inc()
		return err
	}
	s.metrics.slashes.Inc()
	s.mu.Lock()
	s.eventLocked(Event{At: now, Kind: "slashed", NodeID: t.piece.NodeID,
		Detail: fmt.Sprintf("slashed %s by %s for data loss (%s piece %s) for consumer %s in tx %s (evidence %s)",
			t.provider.Hex(), amt, outcome, t.piece.PieceID, consumer.Hex(), tx.Hex(), common.Hash(hash).Hex())})
	s.mu.Unlock()
	return nil
}

// checkDataLoss is a signer's own check of a data_loss report: the seed is the chain's block
// and fresh, the answer is the provider's and fails against its receipt as the evidence says,
// the catalog still has the provider holding the piece for the consumer, and the node, asked
// again now, does not prove it holds the piece after all.
func (s *Service) checkDataLoss(ctx context.Context, ev evidence.Evidence, r chain.SlashReport, now time.Time) error {
	if s.storage == nil {
		return refuse("unsupported_kind", "this attestor audits no storage (no --storage): it judges no data_loss report")
	}
	au := ev.Audit
	seed, err := s.chain.Block(ctx, au.SeedBlock)
	if err != nil {
		return err
	}
	mixed := audit.AuditorSeed(seed.Hash, common.HexToAddress(au.Auditor))
	if mixed != au.Answer.Seed || seed.Time.Unix() != ev.DownSince {
		return refuse("bad_seed", "block %d (%s at %d) with auditor %s seeds %s, the evidence has seed %s at %d",
			au.SeedBlock, seed.Hash.Hex(), seed.Time.Unix(), au.Auditor, mixed.Hex(), au.Answer.Seed.Hex(), ev.DownSince)
	}
	if now.Sub(seed.Time) > s.cfg.AuditFresh {
		return refuse("stale_audit", "the audit's seed block %d is %s old, more than %s", au.SeedBlock, now.Sub(seed.Time).Round(time.Second), s.cfg.AuditFresh)
	}
	ch := audit.Draw(mixed, au.Receipt.Receipt)
	got, err := audit.Judge(s.chainID.Uint64(), au.Receipt, ch, seed.Time, au.Answer)
	if want := map[string]audit.Outcome{evidence.AuditCorrupt: audit.Corrupt, evidence.AuditMissing: audit.Missing}[au.Outcome]; got != want {
		return refuse("not_data_loss", "the answer judges %s (%v), not %s", got, err, au.Outcome)
	}
	if ev.WindowEnd > now.Add(10*time.Second).Unix() {
		return refuse("bad_window", "window end %d is in the future", ev.WindowEnd)
	}
	if d := r.Deadline.Int64(); d <= now.Unix() || d > now.Add(2*s.cfg.ReportTTL).Unix() {
		return refuse("bad_deadline", "deadline %d is past or too far ahead", d)
	}
	if !sameAddr(au.Consumer, r.Consumer) {
		return refuse("report_mismatch", "the report pays %s, the evidence's consumer is %s", r.Consumer.Hex(), au.Consumer)
	}
	if err := s.sameStanding(ctx, ev.NodeID, ev.Nonce, ev.Epoch); err != nil {
		return err
	}
	if provider, _ := s.chain.ProviderOfNode(ctx, ev.NodeID); provider != r.Provider {
		return refuse("wrong_provider", "node %s stakes under %s, not %s", ev.NodeID, provider.Hex(), r.Provider.Hex())
	}
	held, err := s.storage.HeldPiece(ctx, r.Provider, au.Receipt.PieceID)
	if err != nil {
		return err
	}
	if held == nil || held.NodeID != ev.NodeID || !sameAddr(held.Tenant, common.HexToAddress(au.Consumer)) {
		return refuse("not_held", "the storage service has piece %s on no node %s of %s for %s: deleted by its owner, or never placed", au.Receipt.PieceID.Hex(), ev.NodeID, r.Provider.Hex(), au.Consumer)
	}
	var stored receipt.Signed
	if json.Unmarshal(held.Receipt, &stored) != nil || stored.Receipt != au.Receipt.Receipt {
		return refuse("not_held", "the storage service holds another receipt for piece %s", au.Receipt.PieceID.Hex())
	}
	return s.askAgain(ctx, ev.NodeID, r.Provider, au.Receipt)
}

// askAgain challenges the node now with a fresh seed: a node that proves it holds the piece
// was framed (an owner may re-upload a piece id it deleted, or have asked before uploading),
// so the report is refused. A node that fails or does not answer leaves the evidence standing.
func (s *Service) askAgain(ctx context.Context, node string, provider common.Address, rc receipt.Signed) error {
	url := s.nomad.Meta(conventions.MetaStorageEndpoint)[node]
	if url == "" {
		return nil
	}
	seed, err := s.chain.Seed(ctx)
	if err != nil {
		return err
	}
	t := target{provider: provider, receipt: rc, seed: seed, ch: audit.Draw(audit.AuditorSeed(seed.Hash, s.self), rc.Receipt)}
	if _, o, _ := s.challenge(ctx, url, t); o == audit.Pass {
		return refuse("node_answers", "node %s proves piece %s now", node, rc.PieceID.Hex())
	}
	return nil
}

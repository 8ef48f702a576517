package service

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"github.com/dec2-cloud/dec2/allocator/admission"
	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/reputation"
	"github.com/dec2-cloud/dec2/reputation/reputationclient"
)

// staleAfter is how many refresh intervals a combined view outlives its last successful
// refresh. Past it, with every attestor unreachable, the allocator forgets it and gives every
// node work again: attestors that are down must not keep providers out for ever.
const staleAfter = 5

// reputations is the attestors' combined view as last fetched. A nil *reputations knows no
// node: every node is a newcomer, with reputation 1 and eligible.
type reputations struct {
	nodes map[string]reputation.Combined
	at    time.Time
}

// eligible reports whether a node may get new work.
func (r *reputations) eligible(node string) bool {
	if r == nil {
		return true
	}
	c, ok := r.nodes[node]
	return !ok || c.Eligible
}

// score sets each node's reputation, the packer's tie-break.
func (r *reputations) score(nodes []pack.Node) {
	for i := range nodes {
		nodes[i].Reputation = 1
		if r == nil {
			continue
		}
		if c, ok := r.nodes[nodes[i].ID]; ok {
			nodes[i].Reputation = c.Score
		}
	}
}

// explain adds to an unplaceable refusal that some nodes were left out for their reputation,
// since the packer's reasons only speak of the nodes it was given.
func explain(err error, job, namespace string, kept, excluded int) error {
	var r *admission.Refusal
	if excluded == 0 || !errors.As(err, &r) || r.Kind != admission.Unplaceable {
		return err
	}
	if kept == 0 {
		return admission.Refuse(admission.Unplaceable, "cannot place job %q in namespace %q: all %d node(s) it may use get no new work, their reputation with the attestors being below the threshold",
			job, namespace, excluded)
	}
	return admission.Refuse(admission.Unplaceable, "%s; %d more node(s) get no new work, their reputation with the attestors being below the threshold", r.Msg, excluded)
}

// refreshReputations fetches and combines the attestors' reports every cfg.ReputationEvery
// until ctx ends. The fetch runs outside any lock; the view is swapped in atomically.
func (s *Server) refreshReputations(ctx context.Context) {
	client := &http.Client{Timeout: reputationclient.Timeout}
	t := time.NewTicker(s.cfg.ReputationEvery)
	defer t.Stop()
	for {
		s.refreshReputationsOnce(ctx, client)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (s *Server) refreshReputationsOnce(ctx context.Context, client *http.Client) {
	reports, err := reputationclient.Fetch(ctx, client, s.cfg.ReputationURLs)
	if ctx.Err() != nil {
		return
	}
	if err != nil {
		s.log.Warn("attestors unreachable or their reports invalid", "answered", len(reports), "of", len(s.cfg.ReputationURLs), "err", err)
	}
	now := s.now()
	if len(reports) == 0 {
		if old := s.rep.Load(); old != nil && now.Sub(old.at) > staleAfter*s.cfg.ReputationEvery {
			s.log.Warn("no attestor answered since the last view; every node gets work again", "last_view", old.at)
			s.rep.Store(nil)
			s.m.ineligible.Set(0)
		}
		return
	}
	view := &reputations{nodes: reputation.Combine(reports), at: now}
	ineligible := 0
	for _, c := range view.nodes {
		if !c.Eligible {
			ineligible++
		}
	}
	s.rep.Store(view)
	s.m.ineligible.Set(float64(ineligible))
	s.log.Debug("reputations refreshed", "attestors", len(reports), "nodes", len(view.nodes), "ineligible", ineligible)
}

// checkReputationURLs refuses attestor URLs that are not http(s) base URLs.
func checkReputationURLs(urls []string) error {
	for _, u := range urls {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("the attestor address %q is not an http(s) URL such as http://10.0.0.5:4658", u)
		}
	}
	return nil
}

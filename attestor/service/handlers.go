package service

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/dec2-cloud/dec2/attestor/downtime"
	"github.com/dec2-cloud/dec2/attestor/evidence"
	"github.com/dec2-cloud/dec2/attestor/gates"
	"github.com/dec2-cloud/dec2/attestor/peers"
)

// Handler serves the attestor's API: peers' authenticated /v1/observe and /v1/sign, and the
// public evidence, reputation, status, health and metrics.
func (s *Service) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/observe", s.handleObserve)
	mux.HandleFunc("POST /v1/sign", s.handleSign)
	mux.HandleFunc("GET /v1/evidence/{hash}", s.handleEvidence)
	mux.HandleFunc("GET /v1/reputation", s.handleReputation)
	mux.HandleFunc("GET /v1/status", s.handleStatus)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{}))
	return mux
}

// authenticated verifies the sender is a peer and decodes the body into v.
func (s *Service) authenticated(w http.ResponseWriter, r *http.Request, v any) (common.Address, bool) {
	sender, body, err := peers.Verify(r, s.isPeer, time.Now())
	if err != nil {
		s.refused(w, r, common.Address{}, err)
		return common.Address{}, false
	}
	dec := json.NewDecoder(strings.NewReader(string(body)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		s.refused(w, r, sender, refuse("bad_request", "decoding the request: %v", err))
		return common.Address{}, false
	}
	return sender, true
}

func (s *Service) isPeer(a common.Address) bool {
	for _, p := range s.cfg.Peers {
		if p.Addr == a {
			return true
		}
	}
	return false
}

func (s *Service) handleObserve(w http.ResponseWriter, r *http.Request) {
	var req ObserveRequest
	sender, ok := s.authenticated(w, r, &req)
	if !ok {
		return
	}
	o, err := s.observe(r.Context(), req)
	if err != nil {
		s.refused(w, r, sender, err)
		return
	}
	writeJSON(w, http.StatusOK, o)
}

func (s *Service) handleSign(w http.ResponseWriter, r *http.Request) {
	var req SignRequest
	sender, ok := s.authenticated(w, r, &req)
	if !ok {
		return
	}
	sig, err := s.checkAndSign(r.Context(), req)
	if err != nil {
		s.refused(w, r, sender, err)
		return
	}
	s.log.Info("signed a slash report", "peer", sender.Hex(), "provider", req.Report.Provider.Hex(), "nonce", req.Report.Nonce, "evidence", req.Report.EvidenceHash.Hex())
	writeJSON(w, http.StatusOK, SignResponse{Signature: sig})
}

// refused logs and answers why nothing was signed; the HTTP code says whose fault it is.
func (s *Service) refused(w http.ResponseWriter, r *http.Request, sender common.Address, err error) {
	reason, code := "error", http.StatusBadGateway
	var (
		ua  *peers.Unauthenticated
		rf  *Refusal
		nd  *downtime.NotDue
		cl  *gates.Closed
		lim *gates.Limited
		inv *evidence.Invalid
	)
	switch {
	case errors.As(err, &ua):
		reason, code = "unauthenticated", http.StatusUnauthorized
	case errors.As(err, &rf):
		reason, code = rf.Reason, http.StatusConflict
		if rf.Reason == "bad_request" || rf.Reason == "bad_evidence" {
			code = http.StatusBadRequest
		}
	case errors.As(err, &inv):
		reason, code = "bad_evidence", http.StatusBadRequest
	case errors.As(err, &nd):
		reason, code = nd.Reason, http.StatusConflict
	case errors.As(err, &cl):
		reason, code = cl.Reason, http.StatusServiceUnavailable
	case errors.As(err, &lim):
		reason, code = lim.Reason, http.StatusTooManyRequests
	}
	s.metrics.refusals.WithLabelValues(reason).Inc()
	s.log.Warn("refused to "+strings.TrimPrefix(r.URL.Path, "/v1/"), "peer", sender.Hex(), "reason", reason, "err", err)
	writeJSON(w, code, peers.ErrorBody{Error: err.Error(), Reason: reason})
}

func (s *Service) handleEvidence(w http.ResponseWriter, r *http.Request) {
	h := r.PathValue("hash")
	if len(strings.TrimPrefix(h, "0x")) != 64 {
		writeJSON(w, http.StatusBadRequest, peers.ErrorBody{Error: "evidence hash " + h + " is not 32 bytes of 0x-hex"})
		return
	}
	s.mu.Lock()
	b, ok := s.published[common.HexToHash(h)]
	s.mu.Unlock()
	if !ok {
		writeJSON(w, http.StatusNotFound, peers.ErrorBody{Error: "this attestor signed no evidence " + h})
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(b)
}

func (s *Service) handleReputation(w http.ResponseWriter, _ *http.Request) {
	s.mu.Lock()
	rep := s.book.Report(s.self.Hex(), time.Now().UTC())
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, rep)
}

// Status is what GET /v1/status answers.
type Status struct {
	Attestor string  `json:"attestor"`
	Gate     string  `json:"gate"` // "open" or why signing is closed
	Events   []Event `json:"events"`
}

func (s *Service) handleStatus(w http.ResponseWriter, _ *http.Request) {
	gate := "open"
	if err := gates.Check(s.cfg.Gates, s.gateView(time.Now())); err != nil {
		gate = err.Error()
	}
	s.mu.Lock()
	st := Status{Attestor: s.self.Hex(), Gate: gate, Events: append([]Event{}, s.events...)}
	s.mu.Unlock()
	writeJSON(w, http.StatusOK, st)
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// Package node is dec2-storagenode's HTTP API over a piece store: signed uploads answered with
// a signed receipt, reads with ranges, owner-only deletes, audit challenges, capacity, metrics.
//
// Uploads and deletes are signed by a wallet (see Sign); a piece belongs to the wallet that
// uploaded it and only that wallet may delete it. Reads and challenges are open: pieces are
// ciphertext under ids only their owners know, and auditors that are not owners must be able to
// challenge.
package node

import (
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

// Config is one storage node.
type Config struct {
	Store   *piecestore.Store
	Key     *ecdsa.PrivateKey // the provider's key: it signs receipts
	ChainID uint64            // the chain receipts are signed for
	// MaxPieceSize bounds one upload; larger bodies are refused with 413.
	MaxPieceSize int64
	Now          func() time.Time
	Logger       *slog.Logger
}

// Server serves the API.
type Server struct {
	cfg      Config
	provider common.Address
	metrics  *metrics
}

// New returns a Server for cfg; Now and Logger default to the clock and slog's default.
func New(cfg Config) *Server {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.Default()
	}
	return &Server{cfg: cfg, provider: crypto.PubkeyToAddress(cfg.Key.PublicKey), metrics: newMetrics(cfg.Store)}
}

// Provider is the address that signs this node's receipts.
func (s *Server) Provider() common.Address { return s.provider }

// Handler routes the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("PUT /v1/pieces/{id}", s.metrics.count("put", http.HandlerFunc(s.put)))
	mux.Handle("GET /v1/pieces", s.metrics.count("list", http.HandlerFunc(s.list)))
	mux.Handle("GET /v1/pieces/{id}", s.metrics.count("get", http.HandlerFunc(s.get)))
	mux.Handle("DELETE /v1/pieces/{id}", s.metrics.count("delete", http.HandlerFunc(s.delete)))
	mux.Handle("GET /v1/pieces/{id}/challenge", s.metrics.count("challenge", http.HandlerFunc(s.challenge)))
	mux.HandleFunc("GET /v1/capacity", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, s.cfg.Store.Usage())
	})
	mux.Handle("GET /metrics", s.metrics.handler())
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write([]byte("ok\n"))
	})
	return mux
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// fail answers err with the status its type calls for; anything untyped is the node's own
// failure and is logged.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	var (
		badID   *piecestore.BadID
		prefix  *piecestore.BadPrefix
		nf      *piecestore.NotFound
		exists  *piecestore.Exists
		over    *piecestore.OverCapacity
		owner   *piecestore.NotOwner
		unauth  *nodeapi.Unauthenticated
		bad     *badRequest
		tooBig  *http.MaxBytesError
		outside *merkle.OutOfRange
	)
	status := http.StatusInternalServerError
	switch {
	case errors.As(err, &badID), errors.As(err, &prefix), errors.As(err, &bad), errors.As(err, &outside):
		status = http.StatusBadRequest
	case errors.As(err, &unauth):
		status = http.StatusUnauthorized
	case errors.As(err, &owner):
		status = http.StatusForbidden
	case errors.As(err, &nf):
		status = http.StatusNotFound
	case errors.As(err, &exists):
		status = http.StatusConflict
	case errors.As(err, &tooBig):
		status = http.StatusRequestEntityTooLarge
	case errors.As(err, &over):
		status = http.StatusInsufficientStorage
	default:
		s.cfg.Logger.Error("storage request failed", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	writeJSON(w, status, nodeapi.ErrorBody{Error: err.Error()})
}

// badRequest is malformed input other than the piece id.
type badRequest struct{ reason string }

func (e *badRequest) Error() string { return e.reason }

// put stores the body as piece {id}, owned by the signing wallet, and answers the signed receipt.
// The signature is checked before a byte is written; that the body is what was signed is
// checked once it is on disk and before the piece becomes visible.
func (s *Server) put(w http.ResponseWriter, r *http.Request) {
	id, err := piecestore.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	now := s.cfg.Now()
	expiry, err := strconv.ParseUint(r.URL.Query().Get("expiry"), 10, 64)
	if err != nil || expiry <= uint64(now.Unix()) {
		s.fail(w, r, &badRequest{reason: "expiry: want unix seconds in the future"})
		return
	}
	wallet, signed, err := nodeapi.Authenticate(r, now)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if r.ContentLength > s.cfg.MaxPieceSize {
		s.fail(w, r, &http.MaxBytesError{Limit: s.cfg.MaxPieceSize})
		return
	}
	body := http.MaxBytesReader(w, r.Body, s.cfg.MaxPieceSize)
	info, err := s.cfg.Store.Put(id, wallet, expiry, body, func(i piecestore.Info) error {
		if i.Root != signed {
			return &nodeapi.Unauthenticated{Reason: fmt.Sprintf("the body's root %s is not the signed %s", i.Root, signed)}
		}
		return nil
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.metrics.received.Add(float64(info.Size))
	rc, err := receipt.Sign(s.cfg.Key, s.cfg.ChainID, receipt.Receipt{
		PieceID: common.Hash(info.ID), MerkleRoot: common.Hash(info.Root), Size: info.Size, Expiry: info.Expiry, Provider: s.provider,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Logger.Info("piece stored", "piece", id.String(), "size", info.Size, "owner", wallet.Hex(), "expiry", expiry)
	writeJSON(w, http.StatusCreated, rc)
}

// get serves piece {id}; http.ServeContent answers Range (206, 416) and HEAD.
func (s *Server) get(w http.ResponseWriter, r *http.Request) {
	id, err := piecestore.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.cfg.Store.Get(id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer p.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set(nodeapi.HeaderMerkleRoot, p.Root.String())
	// The root names the bytes exactly: an ETag that If-Range can rely on.
	w.Header().Set("ETag", `"`+p.Root.String()+`"`)
	cw := &countingWriter{ResponseWriter: w}
	http.ServeContent(cw, r, "", time.Time{}, p)
	s.metrics.sent.Add(float64(cw.n))
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(b []byte) (int, error) {
	n, err := c.ResponseWriter.Write(b)
	c.n += int64(n)
	return n, err
}

// bodilessSigner is the wallet that signed r, a request without a body (a delete, a listing):
// it must have signed the empty body's root, so that no signature over an upload serves as one.
func (s *Server) bodilessSigner(r *http.Request, what string) (common.Address, error) {
	wallet, signed, err := nodeapi.Authenticate(r, s.cfg.Now())
	if err != nil {
		return common.Address{}, err
	}
	if signed != merkle.Root(nil) {
		return common.Address{}, &nodeapi.Unauthenticated{Reason: "a " + what + " signs an empty body"}
	}
	return wallet, nil
}

// delete removes piece {id} when the signing wallet owns it.
func (s *Server) delete(w http.ResponseWriter, r *http.Request) {
	id, err := piecestore.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	wallet, err := s.bodilessSigner(r, "delete")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.cfg.Store.Delete(id, wallet); err != nil {
		s.fail(w, r, err)
		return
	}
	s.cfg.Logger.Info("piece deleted", "piece", id.String(), "owner", wallet.Hex())
	w.WriteHeader(http.StatusNoContent)
}

// list answers the signing wallet's own pieces whose ids start with ?prefix= (hex): how an
// owner that lost its records finds what it put under ids it derived, such as the storage
// service's metadata snapshots. Nobody learns of another owner's pieces.
func (s *Server) list(w http.ResponseWriter, r *http.Request) {
	prefix, err := hex.DecodeString(r.URL.Query().Get("prefix"))
	if err != nil {
		s.fail(w, r, &badRequest{reason: "prefix: want an even number of hex digits"})
		return
	}
	wallet, err := s.bodilessSigner(r, "listing")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	infos, err := s.cfg.Store.List(wallet, prefix)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]nodeapi.Listed, 0, len(infos))
	for _, i := range infos {
		out = append(out, nodeapi.Listed{ID: i.ID.String(), Size: i.Size, Expiry: i.Expiry})
	}
	writeJSON(w, http.StatusOK, out)
}

// challenge answers an audit with the provider's signature over the answer: the leaf and
// its proof, or that no such piece is here. Both are signed, so that a wrong leaf or a lost
// piece is the provider's own word against its receipt. The seed is the challenger's (a
// recent block hash) and is signed with the rest, so an answer cannot be replayed to another
// challenge.
func (s *Server) challenge(w http.ResponseWriter, r *http.Request) {
	id, err := piecestore.ParseID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	index, err := strconv.ParseUint(r.URL.Query().Get("leaf"), 10, 64)
	if err != nil {
		s.fail(w, r, &badRequest{reason: "leaf: want a leaf index"})
		return
	}
	var seed common.Hash
	if err := seed.UnmarshalText([]byte(r.URL.Query().Get("seed"))); err != nil {
		s.fail(w, r, &badRequest{reason: "seed: want 32 bytes of 0x-hex"})
		return
	}
	a := audit.Answer{PieceID: common.Hash(id), Leaf: index, Seed: seed, ChainID: s.cfg.ChainID}
	_, leaf, proof, err := s.cfg.Store.Challenge(id, index)
	var nf *piecestore.NotFound
	var outside *merkle.OutOfRange
	switch {
	case errors.As(err, &nf):
	case errors.As(err, &outside):
		// The piece here is shorter than the leaf asked for: its receipt promised more. The
		// answer says so under signature (found, no leaf), which fails against the receipt.
		a.Found = true
	case err != nil:
		s.fail(w, r, err)
		return
	default:
		a.Found, a.Data, a.Proof = true, leaf, proof
	}
	if err := a.Sign(s.cfg.Key); err != nil {
		s.fail(w, r, err)
		return
	}
	s.metrics.sent.Add(float64(len(a.Data)))
	writeJSON(w, http.StatusOK, a)
}

package service

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/attestor/downtime"
	"github.com/dec2-cloud/dec2/attestor/gates"
	"github.com/dec2-cloud/dec2/attestor/peers"
	"github.com/dec2-cloud/dec2/contracts/chain"
)

func TestNextConsumer(t *testing.T) {
	a, b := common.HexToAddress("0x0a"), common.HexToAddress("0x0b")
	groups := map[common.Address][]*big.Int{b: {big.NewInt(1)}, a: {big.NewInt(2)}}
	if got, ok := nextConsumer(groups, nil); !ok || got != a {
		t.Fatalf("first: %s %v", got.Hex(), ok)
	}
	if got, ok := nextConsumer(groups, map[common.Address]bool{a: true}); !ok || got != b {
		t.Fatalf("after a: %s %v", got.Hex(), ok)
	}
	if _, ok := nextConsumer(groups, map[common.Address]bool{a: true, b: true}); ok {
		t.Fatal("every consumer paid, yet another report")
	}
}

func TestConfigValidate(t *testing.T) {
	key, _ := crypto.GenerateKey()
	peer := peers.Peer{Addr: common.HexToAddress("0x01"), URL: "http://127.0.0.1:1"}
	good := Config{NomadAddr: "http://127.0.0.1:4646", ChainRPC: "http://127.0.0.1:8545", Registry: peer.Addr, Escrow: peer.Addr, Key: key}.WithDefaults()
	if err := good.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := good
	bad.Key, bad.NomadAddr, bad.Peers = nil, "", []peers.Peer{peer, peer}
	err := bad.Validate()
	for _, want := range []string{"--key-file", "--nomad-addr", "listed twice"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%v does not name %s", err, want)
		}
	}
}

// A refusal's HTTP code says whose fault it is: the sender's (4xx) or this attestor's state.
func TestRefusedCodes(t *testing.T) {
	s := &Service{metrics: newMetrics(), log: (Config{}).WithDefaults().Logger}
	for _, tc := range []struct {
		err    error
		code   int
		reason string
	}{
		{&peers.Unauthenticated{Reason: "x"}, http.StatusUnauthorized, "unauthenticated"},
		{refuse("stale_nonce", "x"), http.StatusConflict, "stale_nonce"},
		{refuse("bad_evidence", "x"), http.StatusBadRequest, "bad_evidence"},
		{&downtime.NotDue{NodeID: "n", Reason: downtime.Frozen}, http.StatusConflict, downtime.Frozen},
		{&gates.Closed{Reason: gates.LeaderUnknown}, http.StatusServiceUnavailable, gates.LeaderUnknown},
		{&gates.Limited{Reason: gates.SigningCap}, http.StatusTooManyRequests, gates.SigningCap},
		{errors.New("chain down"), http.StatusBadGateway, "error"},
	} {
		w := httptest.NewRecorder()
		s.refused(w, httptest.NewRequest(http.MethodPost, "/v1/sign", nil), common.Address{}, tc.err)
		if w.Code != tc.code || !strings.Contains(w.Body.String(), `"reason":"`+tc.reason+`"`) {
			t.Errorf("%v: %d %s, want %d %s", tc.err, w.Code, w.Body.String(), tc.code, tc.reason)
		}
	}
}

// signedBy accepts the signer's EIP-712 signature over the report's digest and nothing else.
func TestSignedBy(t *testing.T) {
	key, _ := crypto.GenerateKey()
	other, _ := crypto.GenerateKey()
	r := chain.SlashReport{Amount: big.NewInt(1), Nonce: big.NewInt(0), Deadline: big.NewInt(10), Epoch: 1}
	digest, err := chain.SlashDigest(big.NewInt(1337), common.HexToAddress("0x01"), r)
	if err != nil {
		t.Fatal(err)
	}
	sign := func(k *ecdsa.PrivateKey) []byte {
		sig, err := chain.SignSlashReport(k, big.NewInt(1337), common.HexToAddress("0x01"), r)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	me := crypto.PubkeyToAddress(key.PublicKey)
	if err := signedBy(digest, sign(key), me); err != nil {
		t.Fatal(err)
	}
	if err := signedBy(digest, sign(other), me); err == nil {
		t.Fatal("another key's signature accepted")
	}
	if err := signedBy(digest, []byte{1, 2}, me); err == nil {
		t.Fatal("a short signature accepted")
	}
}

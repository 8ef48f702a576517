// Package evidence is the evidence behind a slash: what Nomad said of a node that vanished,
// the consumer work it lost, and each attestor's own signed observation. Evidence travels
// between attestors as canonical JSON and its keccak256 is the report's evidenceHash, so the
// encoding is fixed byte for byte: compact JSON as Go's encoding/json writes it without HTML
// escaping, slices sorted, fields in a fixed order, addresses in their EIP-55 form, numbers
// without leading zeros. Parse refuses anything else, so two attestors
// that accept the same evidence always hash it the same.
package evidence

import (
	"bytes"
	"cmp"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

// Kind of misconduct.
type Kind string

const (
	Downtime Kind = "downtime"
	DataLoss Kind = "data_loss"
)

// Probe kinds.
const (
	ProbeClient = "client" // the node's Nomad HTTP address
	ProbePort   = "port"   // an allocation's published port
)

// Probe is one dial an attestor made to the node.
type Probe struct {
	Target string `json:"target"` // host:port dialed
	Kind   string `json:"kind"`   // ProbeClient or ProbePort
	OK     bool   `json:"ok"`
	At     int64  `json:"at"` // unix seconds
}

// Observation is one attestor's own view, signed by it (EIP-191 personal_sign over Digest()).
type Observation struct {
	Attestor   string  `json:"attestor"` // 0x checksummed address
	NodeID     string  `json:"node_id"`
	Nonce      uint64  `json:"nonce"`
	Epoch      uint64  `json:"epoch"`
	NomadIndex uint64  `json:"nomad_index"` // the Nomad index the attestor read at
	NodeDown   bool    `json:"node_down"`
	Probes     []Probe `json:"probes"`
	At         int64   `json:"at"`
	Signature  string  `json:"signature,omitempty"` // 0x, 65 bytes
}

// LostAlloc is a consumer allocation the node lost.
type LostAlloc struct {
	ID        string `json:"id"`
	Namespace string `json:"namespace"`
	JobID     string `json:"job_id"`
	Consumer  string `json:"consumer"`        // 0x address from the allocation's on-chain stream; zero address if none
	Rate      string `json:"rate_per_second"` // decimal token base units per second, from chain; "0" if no stream
}

// Evidence is what a slash report's evidenceHash commits to.
type Evidence struct {
	Kind         Kind          `json:"kind"`
	ChainID      uint64        `json:"chain_id"`
	Registry     string        `json:"registry"`
	Provider     string        `json:"provider"`
	NodeID       string        `json:"node_id"`
	DownSince    int64         `json:"down_since"` // unix s: when Nomad marked the node down
	WindowEnd    int64         `json:"window_end"` // unix s: the end of the judged window (chosen by the proposer)
	NomadIndex   uint64        `json:"nomad_index"`
	Evals        []string      `json:"evals"` // Nomad eval ids for the node's lost allocations
	Lost         []LostAlloc   `json:"lost"`
	Observations []Observation `json:"observations"`
	Nonce        uint64        `json:"nonce"`
	Epoch        uint64        `json:"epoch"`
	// Audit is a data_loss report's proof; absent from downtime evidence (whose encoding,
	// and so whose hashes, it leaves as they were).
	Audit *Audit `json:"audit,omitempty"`
}

// Audit outcomes that are evidence.
const (
	AuditCorrupt = "corrupt" // a signed leaf or proof that fails against the receipt's root
	AuditMissing = "missing" // a signed "no such piece" under an unexpired receipt
)

// Audit is the proof of a data loss: the provider's own receipt for a piece and its own signed
// answer to a challenge of that piece, seeded by block SeedBlock's hash and the Auditor's
// address (audit.AuditorSeed). Anyone with the chain can check it: both signatures, that the
// seed is that block's and auditor's and the leaf the one it draws, and that the answer fails
// against the receipt.
type Audit struct {
	Outcome   string         `json:"outcome"`
	Consumer  string         `json:"consumer"` // the tenant whose piece it is, EIP-55; it gets the consumer's share
	Auditor   string         `json:"auditor"`  // the attestor that drew the challenge, EIP-55
	SeedBlock uint64         `json:"seed_block"`
	Receipt   receipt.Signed `json:"receipt"`
	Answer    audit.Answer   `json:"answer"`
}

// Invalid names what is wrong with evidence or an observation; Field is a JSON path
// ("lost[2].rate_per_second"), with indices as given, before sorting.
type Invalid struct {
	Field, Problem string
}

func (e *Invalid) Error() string { return "evidence: " + e.Field + ": " + e.Problem }

// ErrNotCanonical is returned by Parse for input that decodes to valid evidence but is not
// its canonical encoding.
var ErrNotCanonical = errors.New("evidence: not in canonical form")

// decimal is a non-negative integer without sign or leading zeros.
var decimal = regexp.MustCompile(`^(0|[1-9][0-9]*)$`)

var maxUint256 = new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), 256), big.NewInt(1))

// Validate names the first problem found; observations' signatures must recover to their
// attestors, so evidence that validates carries no forged view.
func (e Evidence) Validate() error {
	bad := func(field, format string, args ...any) error {
		return &Invalid{field, fmt.Sprintf(format, args...)}
	}
	switch {
	case e.Kind != Downtime && e.Kind != DataLoss:
		return bad("kind", "unknown kind %q", e.Kind)
	case e.ChainID == 0:
		return bad("chain_id", "zero")
	case e.NodeID == "":
		return bad("node_id", "empty")
	case e.DownSince <= 0:
		return bad("down_since", "not a positive unix time")
	case e.WindowEnd <= e.DownSince:
		return bad("window_end", "%d not after down_since %d", e.WindowEnd, e.DownSince)
	}
	if err := address("registry", e.Registry, false); err != nil {
		return err
	}
	if err := address("provider", e.Provider, false); err != nil {
		return err
	}
	if e.Kind == DataLoss {
		return e.validateAudit()
	}
	if e.Audit != nil {
		return bad("audit", "only data_loss evidence carries an audit")
	}
	evals := map[string]bool{}
	for i, id := range e.Evals {
		field := fmt.Sprintf("evals[%d]", i)
		if id == "" {
			return bad(field, "empty")
		}
		if evals[id] {
			return bad(field, "duplicate eval %q", id)
		}
		evals[id] = true
	}
	if len(e.Lost) == 0 {
		return bad("lost", "no lost allocation: evidence of lost work names the work")
	}
	allocs := map[string]bool{}
	for i, a := range e.Lost {
		field := fmt.Sprintf("lost[%d]", i)
		switch {
		case a.ID == "":
			return bad(field+".id", "empty")
		case allocs[a.ID]:
			return bad(field+".id", "duplicate allocation %q", a.ID)
		case a.Namespace == "":
			return bad(field+".namespace", "empty")
		case a.JobID == "":
			return bad(field+".job_id", "empty")
		}
		allocs[a.ID] = true
		if err := address(field+".consumer", a.Consumer, true); err != nil {
			return err
		}
		if err := rate(field+".rate_per_second", a.Rate); err != nil {
			return err
		}
	}
	if len(e.Observations) == 0 {
		return bad("observations", "none")
	}
	attestors := map[string]bool{}
	for i, o := range e.Observations {
		field := fmt.Sprintf("observations[%d]", i)
		if attestors[o.Attestor] {
			return bad(field+".attestor", "duplicate attestor %s", o.Attestor)
		}
		attestors[o.Attestor] = true
		switch {
		case o.NodeID != e.NodeID:
			return bad(field+".node_id", "%q, evidence is for %q", o.NodeID, e.NodeID)
		case o.Nonce != e.Nonce:
			return bad(field+".nonce", "%d, evidence is for %d", o.Nonce, e.Nonce)
		case o.Epoch != e.Epoch:
			return bad(field+".epoch", "%d, evidence is for %d", o.Epoch, e.Epoch)
		}
		if err := o.validate(field); err != nil {
			return err
		}
	}
	return nil
}

// validateAudit checks data_loss evidence's shape: an audit whose receipt and answer are of
// one piece and name the provider, and no downtime parts. Whether the answer fails against
// the receipt is the signer's to judge (audit.Judge), with the chain's seed block.
func (e Evidence) validateAudit() error {
	bad := func(field, format string, args ...any) error {
		return &Invalid{field, fmt.Sprintf(format, args...)}
	}
	a := e.Audit
	switch {
	case a == nil:
		return bad("audit", "data_loss evidence without an audit")
	case a.Outcome != AuditCorrupt && a.Outcome != AuditMissing:
		return bad("audit.outcome", "unknown outcome %q", a.Outcome)
	case len(e.Lost) != 0 || len(e.Evals) != 0 || len(e.Observations) != 0:
		return bad("lost", "data_loss evidence names no allocations, evaluations or observations")
	case a.SeedBlock == 0:
		return bad("audit.seed_block", "zero")
	case a.Receipt.PieceID != a.Answer.PieceID:
		return bad("audit.answer.pieceId", "%s, the receipt is for %s", a.Answer.PieceID.Hex(), a.Receipt.PieceID.Hex())
	case a.Receipt.Provider.Hex() != e.Provider || a.Answer.Provider.Hex() != e.Provider:
		return bad("audit.receipt.provider", "receipt by %s, answer by %s, evidence against %s", a.Receipt.Provider.Hex(), a.Answer.Provider.Hex(), e.Provider)
	}
	if err := address("audit.auditor", a.Auditor, false); err != nil {
		return err
	}
	return address("audit.consumer", a.Consumer, true)
}

// validate checks an observation on its own, its signature included; field prefixes the
// problem's path.
func (o Observation) validate(field string) error {
	if err := address(field+".attestor", o.Attestor, false); err != nil {
		return err
	}
	if o.NodeID == "" {
		return &Invalid{field + ".node_id", "empty"}
	}
	if o.At <= 0 {
		return &Invalid{field + ".at", "not a positive unix time"}
	}
	for i, p := range o.Probes {
		pf := fmt.Sprintf("%s.probes[%d]", field, i)
		switch {
		case p.Target == "":
			return &Invalid{pf + ".target", "empty"}
		case p.Kind != ProbeClient && p.Kind != ProbePort:
			return &Invalid{pf + ".kind", fmt.Sprintf("unknown probe kind %q", p.Kind)}
		case p.At <= 0:
			return &Invalid{pf + ".at", "not a positive unix time"}
		}
	}
	signer, err := o.recover()
	if err != nil {
		return &Invalid{field + ".signature", err.Error()}
	}
	if signer != common.HexToAddress(o.Attestor) {
		return &Invalid{field + ".signature", fmt.Sprintf("signed by %s, not %s", signer, o.Attestor)}
	}
	return nil
}

// address requires the EIP-55 spelling, so that one address has one encoding and one hash.
func address(field, s string, zeroOK bool) error {
	if !common.IsHexAddress(s) || len(s) != 42 || s[:2] != "0x" {
		return &Invalid{field, fmt.Sprintf("%q is not a 0x address", s)}
	}
	a := common.HexToAddress(s)
	if a.Hex() != s {
		return &Invalid{field, fmt.Sprintf("%q is not checksummed (EIP-55): %s", s, a.Hex())}
	}
	if !zeroOK && a == (common.Address{}) {
		return &Invalid{field, "zero address"}
	}
	return nil
}

func rate(field, s string) error {
	if !decimal.MatchString(s) {
		return &Invalid{field, fmt.Sprintf("%q is not a decimal integer without leading zeros", s)}
	}
	if v, _ := new(big.Int).SetString(s, 10); v.Cmp(maxUint256) > 0 {
		return &Invalid{field, "exceeds uint256"}
	}
	return nil
}

// Canonical validates e and returns its canonical encoding: compact JSON in field order, with
// evals sorted, lost allocations by id, observations by attestor address and each one's probes
// by all their fields; empty slices encode as [].
func (e Evidence) Canonical() ([]byte, error) {
	if err := e.Validate(); err != nil {
		return nil, err
	}
	e.Evals = nonNil(slices.Sorted(slices.Values(e.Evals)))
	e.Lost = nonNil(slices.SortedFunc(slices.Values(e.Lost), func(a, b LostAlloc) int { return cmp.Compare(a.ID, b.ID) }))
	obs := make([]Observation, len(e.Observations))
	for i, o := range e.Observations {
		obs[i] = o.sorted()
	}
	slices.SortFunc(obs, func(a, b Observation) int {
		return bytes.Compare(common.HexToAddress(a.Attestor).Bytes(), common.HexToAddress(b.Attestor).Bytes())
	})
	e.Observations = obs
	return marshal(e), nil
}

// Hash is the report's evidenceHash: keccak256 of Canonical.
func (e Evidence) Hash() ([32]byte, error) {
	b, err := e.Canonical()
	if err != nil {
		return [32]byte{}, err
	}
	return crypto.Keccak256Hash(b), nil
}

// Incident is the report's reason: keccak256("dec2/" + kind + "/" + node_id + "/" +
// down_since in decimal). It names the incident, not the evidence, so reports of one outage
// can be told apart from reports of another whatever window or observations they carry.
//
// A data loss's incident is the piece instead: keccak256("dec2/data_loss/" + node_id + "/" +
// piece id in 0x-hex), so a piece lost is slashed once however often it is caught, and each
// other piece lost is an incident of its own (and escalates).
func (e Evidence) Incident() [32]byte {
	if e.Kind == DataLoss && e.Audit != nil {
		return crypto.Keccak256Hash([]byte("dec2/" + string(e.Kind) + "/" + e.NodeID + "/" + e.Audit.Receipt.PieceID.Hex()))
	}
	return crypto.Keccak256Hash([]byte("dec2/" + string(e.Kind) + "/" + e.NodeID + "/" + strconv.FormatInt(e.DownSince, 10)))
}

// Parse decodes evidence strictly: unknown fields are refused, the evidence
// must validate, and b must be exactly its canonical encoding, so that its hash is the one
// every attestor computes.
func Parse(b []byte) (Evidence, error) {
	var e Evidence
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Evidence{}, fmt.Errorf("evidence: decode: %w", err)
	}
	c, err := e.Canonical()
	if err != nil {
		return Evidence{}, err
	}
	if !bytes.Equal(b, c) {
		return Evidence{}, ErrNotCanonical
	}
	return e, nil
}

// Digest is what an attestor signs: keccak256 of the observation's canonical JSON, without
// its signature and with its probes sorted.
func (o Observation) Digest() [32]byte {
	o = o.sorted()
	o.Signature = ""
	return crypto.Keccak256Hash(marshal(o))
}

// Sign sets Attestor to key's address and Signature to its personal_sign of Digest, with v in
// {27, 28} as wallets produce it.
func (o *Observation) Sign(key *ecdsa.PrivateKey) error {
	o.Attestor = crypto.PubkeyToAddress(key.PublicKey).Hex()
	d := o.Digest()
	sig, err := crypto.Sign(accounts.TextHash(d[:]), key)
	if err != nil {
		return fmt.Errorf("evidence: sign observation: %w", err)
	}
	sig[crypto.RecoveryIDOffset] += 27
	o.Signature = hexutil.Encode(sig)
	return nil
}

// Signer recovers the observation's signer; the error is an *Invalid when the signature is
// malformed or recovers to another address than Attestor.
func (o Observation) Signer() (common.Address, error) {
	if err := address("attestor", o.Attestor, false); err != nil {
		return common.Address{}, err
	}
	signer, err := o.recover()
	if err != nil {
		return common.Address{}, &Invalid{"signature", err.Error()}
	}
	if want := common.HexToAddress(o.Attestor); signer != want {
		return common.Address{}, &Invalid{"signature", fmt.Sprintf("signed by %s, not %s", signer, want)}
	}
	return signer, nil
}

// recover returns the address that signed o. Only the lower-case 0x hex of a low-s signature
// is accepted: each signature has one spelling, so evidence carrying it has one hash.
func (o Observation) recover() (common.Address, error) {
	sig, err := hexutil.Decode(o.Signature)
	switch {
	case err != nil:
		return common.Address{}, fmt.Errorf("not 0x hex: %w", err)
	case len(sig) != crypto.SignatureLength:
		return common.Address{}, fmt.Errorf("%d bytes, want %d", len(sig), crypto.SignatureLength)
	case hexutil.Encode(sig) != o.Signature:
		return common.Address{}, errors.New("hex not in lower case")
	case sig[crypto.RecoveryIDOffset] != 27 && sig[crypto.RecoveryIDOffset] != 28:
		return common.Address{}, fmt.Errorf("v %d, want 27 or 28", sig[crypto.RecoveryIDOffset])
	}
	sig[crypto.RecoveryIDOffset] -= 27
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if !crypto.ValidateSignatureValues(sig[crypto.RecoveryIDOffset], r, s, true) {
		return common.Address{}, errors.New("r or s out of range (s must be in the lower half)")
	}
	d := o.Digest()
	pub, err := crypto.SigToPub(accounts.TextHash(d[:]), sig)
	if err != nil {
		return common.Address{}, fmt.Errorf("recover: %w", err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// sorted returns o with its own sorted copy of the probes, never nil.
func (o Observation) sorted() Observation {
	o.Probes = nonNil(slices.SortedFunc(slices.Values(o.Probes), func(a, b Probe) int {
		return cmp.Or(cmp.Compare(a.Target, b.Target), cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.At, b.At), boolCmp(a.OK, b.OK))
	}))
	return o
}

func boolCmp(a, b bool) int {
	switch {
	case a == b:
		return 0
	case b:
		return -1
	}
	return 1
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// marshal encodes v compactly without HTML escaping (a Go habit other encoders do not share,
// and the hash must be reproducible outside Go). v holds only strings, integers, booleans and
// slices of them, so encoding cannot fail.
func marshal(v any) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		panic(fmt.Sprintf("evidence: encoding cannot fail: %v", err))
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

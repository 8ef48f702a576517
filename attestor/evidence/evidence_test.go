package evidence

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
)

func key(t testing.TB, seed string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte(seed)))
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func addr(t testing.TB, seed string) string {
	return crypto.PubkeyToAddress(key(t, seed).PublicKey).Hex()
}

func observation(t testing.TB, seed string, probes ...Probe) Observation {
	o := Observation{NodeID: "node-1", Nonce: 4, Epoch: 2, NomadIndex: 991, NodeDown: true, Probes: probes, At: 1_800_000_700}
	if err := o.Sign(key(t, seed)); err != nil {
		t.Fatal(err)
	}
	return o
}

// valid is evidence with every slice out of canonical order.
func valid(t testing.TB) Evidence {
	return Evidence{
		Kind: Downtime, ChainID: 31337, Registry: addr(t, "registry"), Provider: addr(t, "provider"),
		NodeID: "node-1", DownSince: 1_800_000_000, WindowEnd: 1_800_000_900, NomadIndex: 1000,
		Evals: []string{"eval-b", "eval-a"},
		Lost: []LostAlloc{
			{ID: "alloc-2", Namespace: "tenant-x", JobID: "web", Consumer: addr(t, "consumer"), Rate: "1000"},
			{ID: "alloc-1", Namespace: "tenant-x", JobID: "db", Consumer: common.Address{}.Hex(), Rate: "0"},
		},
		Observations: []Observation{
			observation(t, "attestor-1",
				Probe{Target: "10.0.0.1:4646", Kind: ProbeClient, OK: false, At: 1_800_000_650},
				Probe{Target: "10.0.0.1:20000", Kind: ProbePort, OK: false, At: 1_800_000_660}),
			observation(t, "attestor-2", Probe{Target: "10.0.0.1:4646", Kind: ProbeClient, At: 1_800_000_640}),
			observation(t, "attestor-3"),
		},
		Nonce: 4, Epoch: 2,
	}
}

func TestSigner(t *testing.T) {
	o := observation(t, "attestor-1", Probe{Target: "h:1", Kind: ProbePort, At: 1})
	signer, err := o.Signer()
	if err != nil || signer.Hex() != addr(t, "attestor-1") || o.Attestor != signer.Hex() {
		t.Fatalf("signer %s (attestor %s), %v", signer, o.Attestor, err)
	}
	sig := hexutil.MustDecode(o.Signature)
	if v := sig[64]; v != 27 && v != 28 {
		t.Errorf("v %d, want 27 or 28", v)
	}
	highS := func(o *Observation) {
		b := hexutil.MustDecode(o.Signature)
		s := new(big.Int).Sub(crypto.S256().Params().N, new(big.Int).SetBytes(b[32:64]))
		s.FillBytes(b[32:64])
		b[64] ^= 1 // 27 ↔ 28: the same signer, malleated
		o.Signature = hexutil.Encode(b)
	}
	for _, tc := range []struct {
		name   string
		modify func(*Observation)
	}{
		{"a field changed after signing", func(o *Observation) { o.NodeDown = false }},
		{"a probe changed after signing", func(o *Observation) { o.Probes[0].OK = true }},
		{"another attestor claimed", func(o *Observation) { o.Attestor = addr(t, "attestor-2") }},
		{"attestor not checksummed", func(o *Observation) { o.Attestor = strings.ToLower(o.Attestor) }},
		{"no signature", func(o *Observation) { o.Signature = "" }},
		{"short signature", func(o *Observation) { o.Signature = o.Signature[:128] }},
		{"upper-case hex", func(o *Observation) { o.Signature = "0x" + strings.ToUpper(o.Signature[2:]) }},
		{"v of 0 or 1", func(o *Observation) {
			b := hexutil.MustDecode(o.Signature)
			b[64] -= 27
			o.Signature = hexutil.Encode(b)
		}},
		{"high s", highS},
	} {
		c := o
		c.Probes = append([]Probe(nil), o.Probes...)
		tc.modify(&c)
		var inv *Invalid
		if got, err := c.Signer(); !errors.As(err, &inv) {
			t.Errorf("%s: signer %s, %v; want an *Invalid", tc.name, got, err)
		}
	}
}

func TestDigest(t *testing.T) {
	p1 := Probe{Target: "a:1", Kind: ProbePort, At: 5}
	p2 := Probe{Target: "a:1", Kind: ProbePort, At: 5, OK: true}
	p3 := Probe{Target: "a:0", Kind: ProbeClient, At: 9}
	a := Observation{Attestor: addr(t, "x"), NodeID: "n", Probes: []Probe{p1, p2, p3}, At: 1}
	b := a
	b.Probes = []Probe{p3, p2, p1}
	b.Signature = "0x01"
	if a.Digest() != b.Digest() {
		t.Errorf("the digest depends on probe order or the signature")
	}
	if a.Probes[0] != p1 {
		t.Errorf("Digest sorted the caller's probes")
	}
	for _, change := range []func(*Observation){
		func(o *Observation) { o.Nonce++ }, func(o *Observation) { o.Epoch++ }, func(o *Observation) { o.NomadIndex++ },
		func(o *Observation) { o.NodeDown = true }, func(o *Observation) { o.At++ }, func(o *Observation) { o.NodeID = "m" },
		func(o *Observation) { o.Attestor = addr(t, "y") }, func(o *Observation) { o.Probes = o.Probes[:2] },
	} {
		c := a
		change(&c)
		if c.Digest() == a.Digest() {
			t.Errorf("a change to %+v leaves the digest", c)
		}
	}
}

func TestCanonical(t *testing.T) {
	e := valid(t)
	got, err := e.Canonical()
	if err != nil {
		t.Fatal(err)
	}
	if e.Evals[0] != "eval-b" || e.Lost[0].ID != "alloc-2" {
		t.Errorf("Canonical sorted the caller's slices")
	}
	for _, want := range []string{
		`{"kind":"downtime","chain_id":31337,"registry":"` + e.Registry + `","provider":"` + e.Provider +
			`","node_id":"node-1","down_since":1800000000,"window_end":1800000900,"nomad_index":1000,"evals":["eval-a","eval-b"],"lost":[{"id":"alloc-1",`,
		`"probes":[{"target":"10.0.0.1:20000","kind":"port","ok":false,"at":1800000660},{"target":"10.0.0.1:4646"`,
		`"probes":[]`,
		`],"nonce":4,"epoch":2}`,
	} {
		if !bytes.Contains(got, []byte(want)) {
			t.Errorf("canonical %s\nlacks %s", got, want)
		}
	}
	if bytes.Count(got, []byte(`"attestor"`)) != 3 || bytes.Contains(got, []byte(" ")) {
		t.Errorf("canonical %s", got)
	}

	// Observations go in ascending address order, the order the registry wants signers in.
	var last common.Address
	for _, o := range mustParse(t, got).Observations {
		if a := common.HexToAddress(o.Attestor); bytes.Compare(a[:], last[:]) <= 0 {
			t.Errorf("observations out of address order at %s", a)
		} else {
			last = a
		}
	}

	shuffled := e
	shuffled.Evals = []string{"eval-a", "eval-b"}
	shuffled.Observations = []Observation{e.Observations[2], e.Observations[0], e.Observations[1]}
	again, err := shuffled.Canonical()
	if err != nil || !bytes.Equal(again, got) {
		t.Errorf("order matters: %s\nvs %s (%v)", again, got, err)
	}

	h, err := e.Hash()
	if err != nil || h != crypto.Keccak256Hash(got) {
		t.Errorf("hash %x, want keccak256 of the canonical form (%v)", h, err)
	}
	e.Evals = nil
	if b, _ := e.Canonical(); !bytes.Contains(b, []byte(`"evals":[]`)) {
		t.Errorf("no evals encode as %s", b)
	}
	e.Lost[0].Namespace = "<&>"
	if b, _ := e.Canonical(); !bytes.Contains(b, []byte(`"namespace":"<&>"`)) {
		t.Errorf("HTML escaped: %s", b)
	}
}

func mustParse(t *testing.T, b []byte) Evidence {
	t.Helper()
	e, err := Parse(b)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestValidate(t *testing.T) {
	zero := common.Address{}.Hex()
	for _, tc := range []struct {
		field  string
		modify func(*Evidence)
	}{
		{"kind", func(e *Evidence) { e.Kind = "vanish" }},
		{"chain_id", func(e *Evidence) { e.ChainID = 0 }},
		{"registry", func(e *Evidence) { e.Registry = "0x1234" }},
		{"registry", func(e *Evidence) { e.Registry = zero }},
		{"provider", func(e *Evidence) { e.Provider = strings.ToLower(e.Provider) }},
		{"provider", func(e *Evidence) { e.Provider = strings.TrimPrefix(e.Provider, "0x") + "00" }},
		{"node_id", func(e *Evidence) { e.NodeID = "" }},
		{"down_since", func(e *Evidence) { e.DownSince, e.WindowEnd = 0, 10 }},
		{"window_end", func(e *Evidence) { e.WindowEnd = e.DownSince }},
		{"evals[1]", func(e *Evidence) { e.Evals[1] = e.Evals[0] }},
		{"evals[0]", func(e *Evidence) { e.Evals[0] = "" }},
		{"lost", func(e *Evidence) { e.Lost = nil }},
		{"lost[1].id", func(e *Evidence) { e.Lost[1].ID = e.Lost[0].ID }},
		{"lost[0].id", func(e *Evidence) { e.Lost[0].ID = "" }},
		{"lost[0].namespace", func(e *Evidence) { e.Lost[0].Namespace = "" }},
		{"lost[0].job_id", func(e *Evidence) { e.Lost[0].JobID = "" }},
		{"lost[0].consumer", func(e *Evidence) { e.Lost[0].Consumer = "nobody" }},
		{"lost[0].rate_per_second", func(e *Evidence) { e.Lost[0].Rate = "-1" }},
		{"lost[0].rate_per_second", func(e *Evidence) { e.Lost[0].Rate = "01" }},
		{"lost[0].rate_per_second", func(e *Evidence) { e.Lost[0].Rate = "1.5" }},
		{"lost[0].rate_per_second", func(e *Evidence) { e.Lost[0].Rate = "" }},
		{"lost[0].rate_per_second", func(e *Evidence) { e.Lost[0].Rate = new(big.Int).Lsh(big.NewInt(1), 256).String() }},
		{"observations", func(e *Evidence) { e.Observations = nil }},
		{"observations[1].attestor", func(e *Evidence) { e.Observations[1] = e.Observations[0] }},
		{"observations[0].node_id", func(e *Evidence) { e.Observations[0].NodeID = "node-2" }},
		{"observations[0].nonce", func(e *Evidence) { e.Observations[0].Nonce = 5 }},
		{"observations[0].epoch", func(e *Evidence) { e.Observations[0].Epoch = 3 }},
		{"observations[0].attestor", func(e *Evidence) { e.Observations[0].Attestor = zero }},
		{"observations[2].at", func(e *Evidence) { e.Observations[2].At = 0 }},
		{"observations[0].probes[1].kind", func(e *Evidence) { e.Observations[0].Probes[1].Kind = "ping" }},
		{"observations[0].probes[0].target", func(e *Evidence) { e.Observations[0].Probes[0].Target = "" }},
		{"observations[0].probes[0].at", func(e *Evidence) { e.Observations[0].Probes[0].At = -1 }},
		{"observations[1].signature", func(e *Evidence) { e.Observations[1].NodeDown = false }},
		{"observations[1].signature", func(e *Evidence) { e.Observations[1].Signature = e.Observations[0].Signature }},
		{"observations[2].signature", func(e *Evidence) { e.Observations[2].Signature = "" }},
	} {
		e := valid(t)
		tc.modify(&e)
		err := e.Validate()
		var inv *Invalid
		if !errors.As(err, &inv) || inv.Field != tc.field {
			t.Errorf("%s: %v, want an *Invalid for it", tc.field, err)
			continue
		}
		if _, err := e.Canonical(); !errors.As(err, &inv) {
			t.Errorf("%s: Canonical does not validate: %v", tc.field, err)
		}
		if _, err := e.Hash(); err == nil {
			t.Errorf("%s: Hash does not validate", tc.field)
		}
	}
	e := valid(t)
	if err := e.Validate(); err != nil {
		t.Fatalf("valid evidence: %v", err)
	}
	e.Evals = nil
	e.Lost[0].Rate = maxUint256.String()
	if err := e.Validate(); err != nil {
		t.Errorf("downtime without evals, a uint256 rate: %v", err)
	}
}

func TestParse(t *testing.T) {
	b, err := valid(t).Canonical()
	if err != nil {
		t.Fatal(err)
	}
	e := mustParse(t, b)
	if again, _ := e.Canonical(); !bytes.Equal(again, b) {
		t.Fatalf("round trip changed the bytes")
	}
	s := string(b)
	for _, tc := range []struct {
		name   string
		in     string
		target error // nil: any error
	}{
		{"indented", strings.Replace(s, `"kind":`, `"kind": `, 1), ErrNotCanonical},
		{"a trailing newline", s + "\n", ErrNotCanonical},
		{"trailing data", s + "{}", ErrNotCanonical},
		{"keys in another order", strings.Replace(s, `{"kind":"downtime","chain_id":31337`, `{"chain_id":31337,"kind":"downtime"`, 1), ErrNotCanonical},
		{"a key in another case", strings.Replace(s, `"kind":`, `"Kind":`, 1), ErrNotCanonical},
		{"evals unsorted", strings.Replace(s, `["eval-a","eval-b"]`, `["eval-b","eval-a"]`, 1), ErrNotCanonical},
		{"a duplicate key", strings.Replace(s, `"kind":"downtime"`, `"kind":"data_loss","kind":"downtime"`, 1), ErrNotCanonical},
		{"an escaped character", strings.Replace(s, `"node-1","down_since"`, `"node\u002d1","down_since"`, 1), ErrNotCanonical},
		{"unknown field", strings.Replace(s, `{"kind"`, `{"extra":1,"kind"`, 1), nil},
		{"invalid", strings.Replace(s, `"chain_id":31337`, `"chain_id":0`, 1), nil},
		{"not json", s[:len(s)-1], nil},
		{"empty", "", nil},
	} {
		if _, err := Parse([]byte(tc.in)); err == nil || (tc.target != nil && !errors.Is(err, tc.target)) {
			t.Errorf("%s: %v, want %v", tc.name, err, tc.target)
		}
	}
	e.Evals = nil
	b, _ = e.Canonical()
	if _, err := Parse(bytes.Replace(b, []byte(`"evals":[]`), []byte(`"evals":null`), 1)); !errors.Is(err, ErrNotCanonical) {
		t.Errorf("null evals: %v", err)
	}
	if _, err := Parse(b); err != nil {
		t.Errorf("empty evals: %v", err)
	}
}

func TestIncident(t *testing.T) {
	e := valid(t)
	want := crypto.Keccak256Hash([]byte("dec2/downtime/node-1/1800000000"))
	if got := e.Incident(); got != want {
		t.Errorf("incident %x, want %x", got, want)
	}
	other := e
	other.WindowEnd++
	other.Observations = other.Observations[:1]
	if other.Incident() != e.Incident() {
		t.Errorf("the incident depends on the window or the observations")
	}
	other.DownSince++
	if other.Incident() == e.Incident() {
		t.Errorf("another outage, the same incident")
	}
}

func FuzzParse(f *testing.F) {
	b, err := valid(f).Canonical()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		e, err := Parse(in)
		if err != nil {
			return
		}
		out, err := e.Canonical()
		if err != nil || !bytes.Equal(out, in) {
			t.Fatalf("accepted %q but re-encodes to %q (%v)", in, out, err)
		}
	})
}

package lifecycle

import (
	"errors"
	"maps"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/tenancy"
)

var (
	t0       = time.Unix(1_800_000_000, 0)
	consumer = common.HexToAddress("0x00000000000000000000000000000000000000c0")
	provider = common.HexToAddress("0x00000000000000000000000000000000000000b0")
	terms    = Terms{Consumer: consumer, Provider: provider, Rate: big.NewInt(7)}
	cfg      = Config{MaxBackdate: 50 * time.Minute}
)

func TestDecide(t *testing.T) {
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	badTerms := &TermsError{"no_consumer_wallet", errors.New("none")}
	for _, tc := range []struct {
		name string
		a    Alloc
		s    Seen
		now  time.Time
		want []Action
	}{
		{"pending: nothing", Alloc{Status: StatusPending}, Seen{}, at(0), nil},
		{"running: open at its start", Alloc{Status: StatusRunning, StartedAt: at(-2), Terms: terms}, Seen{}, at(0),
			[]Action{{Kind: Open, At: at(-2), Terms: terms}}},
		{"running, start unknown: open now", Alloc{Status: StatusRunning, Terms: terms}, Seen{}, at(0),
			[]Action{{Kind: Open, At: at(0), Terms: terms}}},
		{"running, start beyond backdate: clamped", Alloc{Status: StatusRunning, StartedAt: at(-7200), Terms: terms}, Seen{}, at(0),
			[]Action{{Kind: Open, At: at(-3000), Terms: terms}}},
		{"running, start in the future (clock skew): now", Alloc{Status: StatusRunning, StartedAt: at(5), Terms: terms}, Seen{}, at(0),
			[]Action{{Kind: Open, At: at(0), Terms: terms}}},
		{"running, already opened (restart inside the alloc): nothing", Alloc{Status: StatusRunning, StartedAt: at(-2), Terms: terms}, Seen{Opened: true, Start: at(-2)}, at(0), nil},
		{"running, no wallet: problem", Alloc{Status: StatusRunning, TermsErr: badTerms}, Seen{}, at(0),
			[]Action{{Kind: Problem, Reason: "no_consumer_wallet", Err: badTerms}}},
		{"complete: close at finish", Alloc{Status: StatusComplete, FinishedAt: at(-1)}, Seen{Opened: true, Start: at(-100)}, at(0),
			[]Action{{Kind: Close, At: at(-1)}}},
		{"failed: close at finish", Alloc{Status: StatusFailed, FinishedAt: at(-3)}, Seen{Opened: true, Start: at(-100)}, at(0),
			[]Action{{Kind: Close, At: at(-3)}}},
		{"lost: close at the node's last heartbeat", Alloc{Status: StatusLost, FinishedAt: at(-1), NodeLastSeen: at(-30)}, Seen{Opened: true, Start: at(-100)}, at(0),
			[]Action{{Kind: Close, At: at(-30)}}},
		{"lost, no heartbeat known: Nomad's time", Alloc{Status: StatusLost, FinishedAt: at(-1)}, Seen{Opened: true, Start: at(-100)}, at(0),
			[]Action{{Kind: Close, At: at(-1)}}},
		{"end before start: start", Alloc{Status: StatusLost, NodeLastSeen: at(-200)}, Seen{Opened: true, Start: at(-100)}, at(0),
			[]Action{{Kind: Close, At: at(-100)}}},
		{"end unknown: now", Alloc{Status: StatusComplete}, Seen{Opened: true, Start: at(-100)}, at(0),
			[]Action{{Kind: Close, At: at(0)}}},
		{"closed already: nothing", Alloc{Status: StatusComplete, FinishedAt: at(-1)}, Seen{Opened: true, Closed: true}, at(0), nil},
		{"second segment closes", Alloc{Status: StatusComplete, FinishedAt: at(-1)}, Seen{Segment: 2, Opened: true, Start: at(-50)}, at(0),
			[]Action{{Kind: Close, Segment: 2, At: at(-1)}}},
		{"ran and stopped unseen: open and close", Alloc{Status: StatusComplete, StartedAt: at(-60), FinishedAt: at(-10), Terms: terms}, Seen{}, at(0),
			[]Action{{Kind: Open, At: at(-60), Terms: terms}, {Kind: Close, At: at(-10)}}},
		{"stopped unseen, never started: nothing", Alloc{Status: StatusFailed, FinishedAt: at(-10), Terms: terms}, Seen{}, at(0), nil},
		{"stopped unseen, too long ago: nothing", Alloc{Status: StatusComplete, StartedAt: at(-7200), FinishedAt: at(-7000), Terms: terms}, Seen{}, at(0), nil},
		{"stopped unseen, bad terms: problem", Alloc{Status: StatusComplete, StartedAt: at(-60), FinishedAt: at(-10), TermsErr: badTerms}, Seen{}, at(0),
			[]Action{{Kind: Problem, Reason: "no_consumer_wallet", Err: badTerms}}},
		{"unknown status: nothing", Alloc{Status: "weird"}, Seen{}, at(0), nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := Decide(cfg, tc.a, tc.s, tc.now)
			if len(got) != len(tc.want) {
				t.Fatalf("Decide = %+v, want %+v", got, tc.want)
			}
			for i := range got {
				g, w := got[i], tc.want[i]
				if g.Kind != w.Kind || g.Segment != w.Segment || !g.At.Equal(w.At) || g.Reason != w.Reason ||
					g.Terms.Consumer != w.Terms.Consumer || (w.Terms.Rate != nil && g.Terms.Rate.Cmp(w.Terms.Rate) != 0) {
					t.Errorf("action %d = %+v, want %+v", i, g, w)
				}
			}
		})
	}
}

func TestResume(t *testing.T) {
	h := t0.Add(-10 * time.Second)
	got := Resume(Seen{Segment: 1, Opened: true}, h, terms)
	if len(got) != 2 || got[0].Kind != Close || got[0].Segment != 1 || !got[0].At.Equal(h) ||
		got[1].Kind != Open || got[1].Segment != 2 || !got[1].At.Equal(h) {
		t.Fatalf("Resume = %+v", got)
	}
	if Resume(Seen{Opened: true, Closed: true}, h, terms) != nil || Resume(Seen{}, h, terms) != nil {
		t.Fatal("resumed a closed or never-opened segment")
	}
}

func TestResolveTerms(t *testing.T) {
	node := map[string]string{MetaWallet: "0x00000000000000000000000000000000000000b0", pricing.MetaCPU: "3.6", pricing.MetaMem: "0"}
	res := pricing.Reserved{CPUMHz: 1000}
	good := map[string]string{MetaWallet: "0x00000000000000000000000000000000000000c0"}
	checksummed := common.HexToAddress("0xfb6916095ca1df60bb79ce92ce3ea74c37c5d359").Hex()
	for _, tc := range []struct {
		name   string
		f      Facts
		reason string
	}{
		{"namespace wallet", Facts{NamespaceWallet: good[MetaWallet], NodeMeta: node, Reserved: res}, ""},
		{"job names the namespace's wallet", Facts{JobMeta: good, NamespaceWallet: good[MetaWallet], NodeMeta: node, Reserved: res}, ""},
		{"checksummed binding", Facts{NamespaceWallet: checksummed, NodeMeta: node, Reserved: res}, ""},
		{"job names another wallet", Facts{JobMeta: map[string]string{MetaWallet: checksummed}, NamespaceWallet: good[MetaWallet], NodeMeta: node, Reserved: res}, tenancy.ReasonNotNamespaces},
		{"bad checksum", Facts{JobMeta: map[string]string{MetaWallet: strings.Replace(checksummed, "fB", "Fb", 1)}, NamespaceWallet: good[MetaWallet], NodeMeta: node, Reserved: res}, tenancy.ReasonBadJobWallet},
		{"unbound namespace", Facts{JobMeta: good, NodeMeta: node, Reserved: res}, tenancy.ReasonUnbound},
		{"malformed binding", Facts{NamespaceWallet: "alice", NodeMeta: node, Reserved: res}, tenancy.ReasonBadBinding},
		{"zero binding", Facts{NamespaceWallet: "0x0000000000000000000000000000000000000000", NodeMeta: node, Reserved: res}, tenancy.ReasonBadBinding},
		{"own dedicated node", Facts{Namespace: "acme", NamespaceWallet: good[MetaWallet], NodeMeta: withMeta(node, conventions.MetaDedicatedTenant, "acme"), Reserved: res}, ""},
		{"another's dedicated node", Facts{Namespace: "rival", NamespaceWallet: good[MetaWallet], NodeMeta: withMeta(node, conventions.MetaDedicatedTenant, "acme"), Reserved: res}, "dedicated_to_another_tenant"},
		{"privileged docker task", Facts{NamespaceWallet: good[MetaWallet], DockerTasks: map[string]map[string]any{"web": {"image": "w", "privileged": true}}, NodeMeta: node, Reserved: res}, tenancy.ReasonForbiddenTask},
		{"plain docker task", Facts{NamespaceWallet: good[MetaWallet], DockerTasks: map[string]map[string]any{"web": {"image": "w"}}, NodeMeta: node, Reserved: res}, ""},
		{"node without wallet", Facts{NamespaceWallet: good[MetaWallet], NodeMeta: map[string]string{pricing.MetaCPU: "1"}, Reserved: res}, "no_provider_wallet"},
		{"node price malformed", Facts{NamespaceWallet: good[MetaWallet], NodeMeta: map[string]string{MetaWallet: node[MetaWallet], pricing.MetaCPU: "1,5"}, Reserved: res}, "bad_price"},
		{"unknown gpu", Facts{NamespaceWallet: good[MetaWallet], NodeMeta: node, Reserved: pricing.Reserved{CPUMHz: 1, GPUs: map[string]int64{"H100": 1}}}, "unknown_gpu"},
		{"free", Facts{NamespaceWallet: good[MetaWallet], NodeMeta: node, Reserved: pricing.Reserved{MemMB: 100}}, "zero_rate"},
		{"self", Facts{NamespaceWallet: node[MetaWallet], NodeMeta: node, Reserved: res}, "self_payment"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveTerms(tc.f)
			if tc.reason == "" {
				if err != nil || got.Rate.Int64() != 1_000_000_000_000_000 {
					t.Fatalf("ResolveTerms = %+v, %v", got, err)
				}
				return
			}
			var te *TermsError
			if !errors.As(err, &te) || te.Reason != tc.reason {
				t.Fatalf("error %v, want reason %s", err, tc.reason)
			}
		})
	}
}

// A reserved gpu-share pays its model's price over the node's share count; a node that gives
// no or a malformed share count is bad input naming the node and the attribute.
func TestResolveTermsPricesShares(t *testing.T) {
	node := map[string]string{MetaWallet: "0x00000000000000000000000000000000000000b0", pricing.MetaGPUPrefix + "A100-80GB": "7.2"}
	facts := func(shares map[string]string) Facts {
		return Facts{NamespaceWallet: "0x00000000000000000000000000000000000000c0", Node: "gpu-1 (8f2c)",
			NodeMeta: node, NodeShares: shares, Reserved: pricing.Reserved{GPUShares: map[string]int64{"A100-80GB": 1}}}
	}
	got, err := ResolveTerms(facts(map[string]string{"A100-80GB": "4"}))
	if want := big.NewInt(500_000_000_000_000); err != nil || got.Rate.Cmp(want) != 0 { // 7.2/4 an hour
		t.Fatalf("ResolveTerms = %+v, %v; want rate %s", got, err, want)
	}
	for _, tc := range []struct {
		name   string
		shares map[string]string
		reason string
	}{
		{"no share count", map[string]string{"A100-80GB": ""}, "unknown_gpu_shares"},
		{"no share group", nil, "unknown_gpu_shares"},
		{"zero shares", map[string]string{"A100-80GB": "0"}, "bad_gpu_shares"},
		{"fractional", map[string]string{"A100-80GB": "0.25"}, "bad_gpu_shares"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := ResolveTerms(facts(tc.shares))
			var te *TermsError
			if !errors.As(err, &te) || te.Reason != tc.reason {
				t.Fatalf("ResolveTerms = %+v, %v; want reason %s", got, err, tc.reason)
			}
			for _, want := range []string{"gpu-1 (8f2c)", pricing.AttrShares, "A100-80GB"} {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error %q does not name %q", err, want)
				}
			}
		})
	}
}

// A MIG instance is priced as its part of its GPU; a malformed MIG device on the node is bad
// input for the allocations that reserve it, and nothing to the others.
func TestResolveTermsPricesMIGSlices(t *testing.T) {
	node := map[string]string{MetaWallet: "0x00000000000000000000000000000000000000b0", pricing.MetaGPUPrefix + "A100-80GB": "7.2"}
	slices := map[string]pricing.SliceAttrs{
		"A100-80GB-MIG-4g.40gb": {Model: "A100-80GB", Fraction: "0.5"},
		"A100-80GB-MIG-3g.40gb": {Model: "A100-80GB", Fraction: "three sevenths"},
	}
	facts := func(device string) Facts {
		return Facts{NamespaceWallet: "0x00000000000000000000000000000000000000c0", Node: "gpu-1 (8f2c)",
			NodeMeta: node, NodeSlices: slices, Reserved: pricing.Reserved{GPUs: map[string]int64{device: 1}}}
	}
	got, err := ResolveTerms(facts("A100-80GB-MIG-4g.40gb"))
	if want := big.NewInt(1_000_000_000_000_000); err != nil || got.Rate.Cmp(want) != 0 { // 7.2/2 an hour
		t.Fatalf("half-card slice: ResolveTerms = %+v, %v; want rate %s", got, err, want)
	}
	if got, err := ResolveTerms(facts("A100-80GB")); err != nil || got.Rate.Cmp(big.NewInt(2_000_000_000_000_000)) != 0 {
		t.Fatalf("the whole GPU beside a malformed MIG device: %+v, %v; want 7.2 an hour", got, err)
	}
	_, err = ResolveTerms(facts("A100-80GB-MIG-3g.40gb"))
	var te *TermsError
	if !errors.As(err, &te) || te.Reason != "bad_mig_slice" || !strings.Contains(err.Error(), "gpu-1 (8f2c)") || !strings.Contains(err.Error(), "three sevenths") {
		t.Fatalf("malformed slice: %v, want bad_mig_slice naming the node and the value", err)
	}
}

func withMeta(m map[string]string, k, v string) map[string]string {
	out := maps.Clone(m)
	out[k] = v
	return out
}

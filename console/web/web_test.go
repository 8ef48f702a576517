package web

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/dec2-cloud/dec2/cli/provider"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/pricing"
)

// fake is a Source of n instances that records what the pages asked it to do.
type fake struct {
	n       int
	nodes   []view.Node
	buckets []view.Bucket // nil: no storage service
	// keyless is a console without the wallet's key (the region's): no buckets by name, only
	// holdings (nil: no storage meter).
	keyless  bool
	holdings *view.Holdings
	packing  view.Packing
	operator view.Operator
	launched []instances.Spec
	deposits []*big.Int
	stopped  []string
	// mine are the wallet's provider nodes, host their machines' load (nil: unreadable).
	mine []provider.Status
	host *view.HostUse
}

func (f *fake) Wallet() string    { return "0x00000000000000000000000000000000000000C0" }
func (f *fake) Namespace() string { return "" }
func (f *fake) Instances(_ context.Context, number, perPage int) (view.Page, []view.InstanceRow, error) {
	p := view.Paginate(f.n, number, perPage)
	rows := make([]view.InstanceRow, 0, p.End-p.Start)
	for i := p.Start; i < p.End; i++ {
		rows = append(rows, view.InstanceRow{Name: fmt.Sprintf("web-%04d", i), Status: "running", CostPerHour: "0.72",
			Placements: []view.PlacementRow{{Alloc: "a1b2c3d4", Node: "laptop", Provider: "0x00000000000000000000000000000000000000Aa", Status: "running", Cost: "0.72", Addresses: []string{"p8080=127.0.0.1:21345"}}}})
	}
	return p, rows, nil
}
func (f *fake) Launch(_ context.Context, s instances.Spec) error {
	if err := s.Validate(); err != nil {
		return view.SpecError(err)
	}
	f.launched = append(f.launched, s)
	return nil
}
func (f *fake) Stop(_ context.Context, name string) error {
	f.stopped = append(f.stopped, name)
	return nil
}
func (f *fake) Logs(_ context.Context, _ string, w io.Writer) error {
	_, err := io.WriteString(w, "hello\n")
	return err
}
func (f *fake) Nodes(context.Context) ([]view.Node, error)   { return f.nodes, nil }
func (f *fake) Quotes(context.Context) ([]view.Quote, error) { return nil, nil }
func (f *fake) Balance(context.Context) (wallet.Balance, error) {
	return wallet.Balance{Deposit: "50"}, nil
}
func (f *fake) Deposit(_ context.Context, v *big.Int) (wallet.Receipts, error) {
	f.deposits = append(f.deposits, v)
	return wallet.Receipts{{Action: "deposit"}}, nil
}
func (f *fake) Withdraw(context.Context, *big.Int) (wallet.Receipts, error) {
	return nil, errors.New("execution reverted: more than refundable")
}
func (f *fake) DepositTxs(_ context.Context, v *big.Int) (view.Unsigned, error) {
	f.deposits = append(f.deposits, v)
	return view.Unsigned{ChainID: 1337, From: f.Wallet(), Txs: []view.Tx{{Action: "approve", To: "0x00000000000000000000000000000000000000A1", Data: "0x095ea7b3"},
		{Action: "deposit", To: "0x00000000000000000000000000000000000000E5", Data: "0xb6b55f25"}}, Done: "Deposit done."}, nil
}
func (f *fake) WithdrawTxs(context.Context, *big.Int) (view.Unsigned, error) {
	return view.Unsigned{}, errors.New("only 0 DEC2 of the deposit is refundable")
}
func (f *fake) Statement(context.Context, bool, string) (wallet.Statement, error) {
	return wallet.Statement{Total: "0"}, nil
}
func (f *fake) ProviderNodes(context.Context, []view.Node) ([]provider.Status, error) {
	return f.mine, nil
}
func (f *fake) Host(context.Context, string) (*view.HostUse, error) {
	if f.host == nil {
		return nil, errors.New("no client")
	}
	return f.host, nil
}
func (f *fake) Buckets(context.Context) ([]view.Bucket, error) {
	if f.keyless {
		return nil, view.ErrStorageNeedsKey
	}
	if f.buckets == nil {
		return nil, view.ErrNoStorage
	}
	return f.buckets, nil
}
func (f *fake) Holdings(context.Context) (view.Holdings, error) {
	if f.holdings == nil {
		return view.Holdings{}, view.ErrNoStorage
	}
	return *f.holdings, nil
}
func (f *fake) Packing(context.Context) (view.Packing, error)   { return f.packing, nil }
func (f *fake) Operator(context.Context) (view.Operator, error) { return f.operator, nil }
func (f *fake) Watch(ctx context.Context, _ func())             { <-ctx.Done() }

func serve(t testing.TB, f *fake) http.Handler {
	t.Helper()
	s, err := New(f, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	return s.Handler()
}

func do(h http.Handler, method, target string, form url.Values) *httptest.ResponseRecorder {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	r := httptest.NewRequest(method, "http://127.0.0.1:4661"+target, body)
	if form != nil {
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w
}

func TestInstancesPageIsPaginated(t *testing.T) {
	h := serve(t, &fake{n: 1000})
	w := do(h, "GET", "/instances?page=2", nil)
	body := w.Body.String()
	if w.Code != http.StatusOK || strings.Count(body, "<tr data-instance=") != view.DefaultPerPage ||
		!strings.Contains(body, "web-0050") || strings.Contains(body, "web-0100") || !strings.Contains(body, "51–100 of 1000") {
		t.Fatalf("page 2 of 1000: %d\n%s", w.Code, body)
	}
	if !strings.Contains(body, `aria-label="Stop web-0050"`) || !strings.Contains(body, `href="?page=3"`) {
		t.Fatalf("page 2 has no stop button or next link:\n%s", body)
	}
}

func TestLaunchErrorsNameTheField(t *testing.T) {
	f := &fake{}
	h := serve(t, f)
	w := do(h, "POST", "/launch", url.Values{"name": {"web"}, "type": {"d2.huge"}, "image": {"nginx"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="type-error"`) ||
		!strings.Contains(w.Body.String(), `aria-describedby="type-error"`) || !strings.Contains(w.Body.String(), `value="d2.huge"`) {
		t.Fatalf("bad type: %d\n%s", w.Code, w.Body.String())
	}
	w = do(h, "POST", "/launch", url.Values{"name": {"web"}, "type": {"d2.nano"}, "image": {"nginx"}, "port": {"http"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="port-error"`) {
		t.Fatalf("bad port: %d\n%s", w.Code, w.Body.String())
	}
	w = do(h, "POST", "/launch", url.Values{"name": {"web"}, "type": {"d2.nano"}, "image": {"nginx"}, "port": {"80"}, "args": {"-http\n:80\n"}})
	if w.Code != http.StatusSeeOther || len(f.launched) != 1 || strings.Join(f.launched[0].Args, " ") != "-http :80" || f.launched[0].Ports[0] != 80 {
		t.Fatalf("good launch: %d, launched %+v", w.Code, f.launched)
	}
}

func TestWalletForms(t *testing.T) {
	f := &fake{}
	h := serve(t, f)
	w := do(h, "POST", "/wallet/deposit", url.Values{"amount": {"1,5"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="deposit-error"`) || len(f.deposits) != 0 {
		t.Fatalf("bad amount: %d\n%s", w.Code, w.Body.String())
	}
	w = do(h, "POST", "/wallet/withdraw", url.Values{"amount": {"9"}})
	if w.Code != http.StatusBadGateway || !strings.Contains(w.Body.String(), "more than refundable") || !strings.Contains(w.Body.String(), `id="withdraw-error"`) {
		t.Fatalf("refused withdrawal: %d\n%s", w.Code, w.Body.String())
	}
	if w = do(h, "POST", "/wallet/deposit", url.Values{"amount": {"1.5"}}); w.Code != http.StatusSeeOther || len(f.deposits) != 1 {
		t.Fatalf("deposit: %d %v", w.Code, f.deposits)
	}
}

// The region console's wallet page: a good amount becomes the transactions the page hands to
// the browser's wallet (static/send.js), nothing sent by the console; a bad one, or one the
// chain would refuse, is shown at its field.
func TestWalletFormsForTheBrowserWallet(t *testing.T) {
	f := &fake{}
	s, err := NewSignedIn(f, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	h := s.Routes()
	w := do(h, "POST", "/wallet/deposit", url.Values{"amount": {"ten"}})
	if w.Code != http.StatusUnprocessableEntity || !strings.Contains(w.Body.String(), `id="deposit-error"`) ||
		!strings.Contains(w.Body.String(), `aria-describedby="deposit-error"`) || strings.Contains(w.Body.String(), "send-data") || len(f.deposits) != 0 {
		t.Fatalf("bad amount: %d\n%s", w.Code, w.Body.String())
	}
	w = do(h, "POST", "/wallet/withdraw", url.Values{"amount": {"9"}})
	if w.Code != http.StatusBadGateway || !strings.Contains(w.Body.String(), `id="withdraw-error"`) || !strings.Contains(w.Body.String(), "refundable") {
		t.Fatalf("a withdrawal beyond the refundable: %d\n%s", w.Code, w.Body.String())
	}
	w = do(h, "POST", "/wallet/deposit", url.Values{"amount": {"2.5"}})
	body := w.Body.String()
	if w.Code != http.StatusOK || len(f.deposits) != 1 || f.deposits[0].String() != "2500000000000000000" {
		t.Fatalf("deposit: %d %v\n%s", w.Code, f.deposits, body)
	}
	for _, want := range []string{`<script src="/static/send.js">`, `"chain_id":1337`, `"to":"0x00000000000000000000000000000000000000A1"`, `"data":"0x095ea7b3"`,
		`<li>approve (to`, `id="send-status" role="status"`, `id="send-error" class="error" role="alert"`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page to send a deposit has no %q:\n%s", want, body)
		}
	}
	if w := do(Assets(), "GET", "/static/send.js", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "eth_sendTransaction") {
		t.Errorf("send.js: %d", w.Code)
	}
}

// The console acts with the CLI's key: another site's form posts and rebound host names are refused.
func TestRefusesOtherOriginsAndHosts(t *testing.T) {
	f := &fake{}
	h := serve(t, f)
	r := httptest.NewRequest("POST", "http://127.0.0.1:4661/instances/web/stop", nil)
	r.Header.Set("Sec-Fetch-Site", "cross-site")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusForbidden || len(f.stopped) != 0 {
		t.Fatalf("cross-site stop: %d, stopped %v", w.Code, f.stopped)
	}
	r = httptest.NewRequest("GET", "http://evil.example:4661/wallet", nil)
	w = httptest.NewRecorder()
	h.ServeHTTP(w, r)
	if w.Code != http.StatusMisdirectedRequest {
		t.Fatalf("rebound host: %d", w.Code)
	}
}

func TestAssetsAreEmbedded(t *testing.T) {
	h := serve(t, &fake{})
	for _, p := range []string{"/static/app.js", "/static/app.css", "/static/vendor/uplot/uPlot.iife.min.js", "/static/vendor/uplot/LICENSE"} {
		if w := do(h, "GET", p, nil); w.Code != http.StatusOK || w.Body.Len() == 0 {
			t.Errorf("%s: %d", p, w.Code)
		}
	}
	w := do(h, "GET", "/wallet", nil)
	if strings.Contains(w.Body.String(), "https://") || strings.Contains(w.Body.String(), `src="//`) {
		t.Errorf("the wallet page loads from outside:\n%s", w.Body.String())
	}
}

// BenchmarkInstancesPage1000 renders the instances page of a wallet with 1,000 instances.
func BenchmarkInstancesPage1000(b *testing.B) {
	h := serve(b, &fake{n: 1000})
	b.ReportAllocs()
	for b.Loop() {
		if w := do(h, "GET", "/instances?page=7", nil); w.Code != http.StatusOK {
			b.Fatal(w.Code)
		}
	}
}

// Every page renders, with the templates it shares with others (charts, statements).
func TestEveryPageRenders(t *testing.T) {
	h := serve(t, &fake{n: 3})
	for _, p := range []string{"/instances", "/launch", "/buckets", "/wallet", "/provider", "/region", "/operator"} {
		if w := do(h, "GET", p, nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "</main>") {
			t.Errorf("%s: %d\n%s", p, w.Code, w.Body.String())
		}
	}
}

func TestBucketsPage(t *testing.T) {
	w := do(serve(t, &fake{}), "GET", "/buckets", nil)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `id="no-storage"`) || !strings.Contains(w.Body.String(), "--storage") {
		t.Fatalf("without storage: %d\n%s", w.Code, w.Body.String())
	}
	f := &fake{buckets: []view.Bucket{
		{Name: "holiday", Objects: 2, Size: 24 << 20, Stored: 48 << 20, Held: map[string]int64{"0xaa": 48 << 20}, CostPerHour: "0.00094"},
		{Name: "broken", Error: "no disk price for provider 0xbb in the region"},
	}}
	body := do(serve(t, f), "GET", "/buckets", nil).Body.String()
	for _, want := range []string{`<tr data-bucket="holiday">`, "24.0 MiB", "48.0 MiB", "0.00094", "no disk price for provider 0xbb"} {
		if !strings.Contains(body, want) {
			t.Errorf("the buckets page has no %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, "no-storage") {
		t.Errorf("storage configured, yet the page says it is not")
	}
}

// A console without the wallet's key shows the wallet's storage by provider and says why the
// buckets are not named; without a storage meter, that storage is not configured.
func TestBucketsPageWithoutTheKey(t *testing.T) {
	h := view.NewHoldings([]view.Holding{{Provider: "0xbb", Pieces: 1, Bytes: 12 << 20}, {Provider: "0xaa", Pieces: 3, Bytes: 36 << 20}}, time.Date(2026, 12, 8, 1, 2, 3, 0, time.UTC))
	h.Providers[0].CostPerHour, h.Providers[1].Error, h.Error = "0.00042", "no disk price for provider 0xbb in the region", "no disk price for provider 0xbb in the region"
	s, err := NewSignedIn(&fake{keyless: true, holdings: &h}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	body := do(s.Routes(), "GET", "/buckets", nil).Body.String()
	for _, want := range []string{`id="names-encrypted"`, "dec2 s3 ls", "2026-12-08 01:02:03Z",
		`<tr data-provider="0xaa"><th scope="row"><code>0xaa</code></th><td class="pieces">3</td>`, `data-bytes="37748736">36.0 MiB`, "0.00042",
		`<tr id="holdings-total"><th scope="row">Total</th><td class="pieces">4</td><td class="stored" data-bytes="50331648">48.0 MiB</td>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the keyless buckets page has no %q:\n%s", want, body)
		}
	}
	if strings.Contains(body, `id="buckets"`) || strings.Contains(body, "no-storage") {
		t.Errorf("the keyless buckets page lists buckets, or says storage is not configured:\n%s", body)
	}
	s, err = NewSignedIn(&fake{keyless: true}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	if body := do(s.Routes(), "GET", "/buckets", nil).Body.String(); !strings.Contains(body, `id="no-storage"`) || strings.Contains(body, `id="holdings"`) {
		t.Errorf("without a storage meter:\n%s", body)
	}
}

func TestRegionShowsPricesAndPacking(t *testing.T) {
	prices := func(cpu string) pricing.Prices {
		p, err := pricing.ParsePrices(map[string]string{"dec2.price.cpu_ghz_hour": cpu})
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	f := &fake{nodes: []view.Node{{Name: "a", Status: "ready", Prices: prices("1")}, {Name: "b", Status: "ready", Prices: prices("3")}},
		packing: view.Packing{Decided: true, At: "2026-12-07T12:00:00Z", NodesUsed: 3, LowerBound: 2, Bound: "cover", StrandedCPU: 1500}}
	body := do(serve(t, f), "GET", "/region", nil).Body.String()
	for _, want := range []string{`<th scope="row">CPU (DEC2/GHz-h)</th><td>2</td><td>1</td><td>1</td><td>1</td><td>3</td><td>3</td>`,
		`<dd id="nodes-used">3</dd>`, `<dd id="lower-bound">2</dd>`, `<dd id="excess">1</dd>`, `<dd id="stranded-cpu">1500 MHz</dd>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the region page has no %q:\n%s", want, body)
		}
	}
	f.packing = view.Packing{}
	if body := do(serve(t, f), "GET", "/region", nil).Body.String(); !strings.Contains(body, `id="packing-none"`) {
		t.Errorf("nothing packed yet, and the page does not say so:\n%s", body)
	}
}

func TestOperatorPage(t *testing.T) {
	f := &fake{operator: view.Operator{
		Jobs:        []view.OpJob{{ID: "web", Namespace: "default", Type: "service", Status: "running", Running: 1}},
		Allocations: []view.OpAlloc{{ID: "a1b2c3d4e5", Namespace: "default", Job: "web", Group: "web", Node: "laptop", Client: "running", Desired: "run"}},
		Evaluations: []view.OpEval{{ID: "e1e2e3e4e5", Namespace: "default", Job: "web", TriggeredBy: "job-register", Status: "complete"}},
		EventsError: "reading Nomad's event stream: Permission denied",
	}}
	body := do(serve(t, f), "GET", "/operator", nil).Body.String()
	for _, want := range []string{`<tr data-job="web">`, "a1b2c3d4", "default/web", "laptop", "job-register", "No events: reading Nomad&#39;s event stream: Permission denied"} {
		if !strings.Contains(body, want) {
			t.Errorf("the operator page has no %q:\n%s", want, body)
		}
	}
}

// The region console's sign-in page: no navigation or wallet before sign-in, its script
// embedded beside the others, nothing from outside; a signed-in user's pages carry sign-out.
func TestSignInPageAndSignOut(t *testing.T) {
	p, err := NewSignIn(nil)
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	p.Render(w, http.StatusOK, "Signed out.")
	body := w.Body.String()
	for _, want := range []string{`id="signin"`, `id="signin-error"`, `<script src="/static/signin.js">`, `<p class="flash" role="status">Signed out.</p>`} {
		if !strings.Contains(body, want) {
			t.Errorf("the sign-in page has no %q:\n%s", want, body)
		}
	}
	for _, not := range []string{`aria-label="Pages"`, `id="wallet"`, `id="signout"`, "https://", "uPlot"} {
		if strings.Contains(body, not) {
			t.Errorf("the sign-in page has %q:\n%s", not, body)
		}
	}
	if w := do(Assets(), "GET", "/static/signin.js", nil); w.Code != http.StatusOK || !strings.Contains(w.Body.String(), "personal_sign") {
		t.Errorf("signin.js: %d", w.Code)
	}
	s, err := NewSignedIn(&fake{}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	// Routes answers any host: the region console admits requests by session, not by address.
	r := httptest.NewRequest("GET", "http://console.region.example/instances", nil)
	w = httptest.NewRecorder()
	s.Routes().ServeHTTP(w, r)
	if w.Code != http.StatusOK || !strings.Contains(w.Body.String(), `<form method="post" action="/signout"`) {
		t.Errorf("a signed-in page: %d, no sign-out form\n%s", w.Code, w.Body.String())
	}
	if body := do(serve(t, &fake{}), "GET", "/instances", nil).Body.String(); strings.Contains(body, "signout") {
		t.Error("dec2 console's one user has a sign-out button")
	}
}

// A live page's stream ends with Run: a region console's session that ends leaves no stream
// behind it.
func TestLiveStreamEndsWithRun(t *testing.T) {
	s, err := NewSignedIn(&fake{}, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	go s.Run(ctx)
	hs := httptest.NewServer(s.Routes())
	defer hs.Close()
	resp, err := http.Get(hs.URL + "/events/instances")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	cancel()
	done := make(chan error, 1)
	go func() { _, err := io.Copy(io.Discard, resp.Body); done <- err }()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("the stream broke rather than ended: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the live stream outlived Run")
	}
}

// A provider node's machine shows each GPU's load as its device plugin reports it, and says
// so where the plugin reads no utilization.
func TestProviderPageShowsGPULoad(t *testing.T) {
	f := &fake{mine: []provider.Status{{Node: "rig", NodeID: "n-rig-0001", NodeStatus: "ready", Stake: "10", Unbonding: "0"}},
		host: &view.HostUse{CPUPercent: 12, MemoryUsedMiB: 900, MemoryTotalMiB: 4096, GPUs: []view.GPUUse{
			{Model: "A100-80GB", ID: "GPU-a001", Utilization: 35, HasUtilization: true, MemoryUsedMiB: 2048, MemoryTotalMiB: 81920},
			{Model: "RTX-4090", ID: "GPU-b002"},
		}}}
	page := do(serve(t, f), http.MethodGet, "/provider", nil).Body.String()
	for _, want := range []string{`<th scope="col">GPU load</th>`, `data-gpu="GPU-a001">A100-80GB <code>GPU-a001</code>: 35% busy, 2048 of 81920 MiB`,
		`data-gpu="GPU-b002">RTX-4090 <code>GPU-b002</code>: busy unknown</span>`} {
		if !strings.Contains(page, want) {
			t.Errorf("the provider page lacks %s:\n%s", want, page)
		}
	}
}

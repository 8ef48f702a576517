package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/allocator/pack"
	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/web"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/storage/crypt"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/piecesink"
)

// startConsole serves a console acting as the dev account who, as `dec2 console` does, with
// the storage service at storage ("" for none).
func startConsole(t *testing.T, ctx context.Context, ch *devenv.Env, s settings.Settings, who common.Address, storage string) string {
	t.Helper()
	b, err := backend.New(ctx, backend.Config{Settings: s, Key: ch.Key(who), Storage: storage})
	if err != nil {
		t.Fatalf("console backend: %v", err)
	}
	t.Cleanup(b.Close)
	srv, err := web.New(b, nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	go srv.Run(ctx)
	hs := httptest.NewServer(srv.Handler())
	t.Cleanup(hs.Close)
	return hs.URL
}

// The console against real parts: a consumer deposits, launches an instance from the
// catalogue, sees it running with its cost (live, without reloading), stops it, and reads the
// statement and its chart; bad input gets an inline error naming the field. The provider's
// console shows its node, stake and earnings rising while the instance runs; the region page
// shows the allocator's own packing figures; the buckets page lists the consumer's bucket; the
// operator page shows the job, nodes and events. The pages' screenshots go to docs/console.
func TestConsoleInBrowser(t *testing.T) {
	e2e.RequireIntegration(t)
	browser := e2e.Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	ch, err := devenv.Start(ctx, 0)
	if err != nil {
		t.Fatalf("starting the dev chain: %v", err)
	}
	t.Cleanup(ch.Close)
	deployment := filepath.Join(t.TempDir(), "deployment.json")
	if err := chain.WriteAddresses(deployment, ch.Addrs); err != nil {
		t.Fatal(err)
	}
	prov := ch.Provider(0)
	meta := map[string]string{"dec2.wallet": prov.Hex(), "dec2.price.cpu_ghz_hour": "1.2", "dec2.price.mem_gb_hour": "0.4", "dec2.price.disk_gb_hour": "0.02"}
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "laptop", CPUMHz: 4000, MemoryMB: 4096, Meta: meta}}})
	consumer := ch.Consumer(0)
	region.BindWallet(t, "default", consumer.Hex())
	nodes, _, err := region.API.Nodes().List(nil)
	if err != nil || len(nodes) != 1 {
		t.Fatalf("nodes: %v %v", nodes, err)
	}
	if err := ch.StakeProvider(ctx, prov, nodes[0].ID, new(big.Int).Mul(big.NewInt(1000), big.NewInt(1e18))); err != nil {
		t.Fatalf("staking: %v", err)
	}
	alloc := e2e.StartAllocator(t, region, "--pack-all")
	image := e2e.WorkloadImage(t)
	s := settings.Settings{NomadAddr: region.Addr, Allocator: alloc.Addr, RPCURL: ch.Chain.HTTPURL, Deployment: deployment,
		Operator: ch.Operator().Hex(), BillingURL: ch.ServeBilling(t, region.Addr, region.Token)}
	// The consumer's bucket, made as `dec2 s3 mb` makes it, for the buckets page; its object
	// is stored later on four storage nodes as `dec2 s3 cp` stores it.
	store := e2e.StartLocalStorage(t, 4, 1<<30)
	master, err := crypt.MasterFromWallet(ch.Key(consumer))
	if err != nil {
		t.Fatal(err)
	}
	data, err := piecesink.New(piecesink.Config{Nodes: store.Nodes, Key: ch.Key(consumer), ChainID: 1337})
	if err != nil {
		t.Fatal(err)
	}
	buckets, err := gateway.New(gateway.Config{Catalog: &metaapi.Client{URL: store.Service, Key: ch.Key(consumer)}, Data: data, Master: master})
	if err != nil {
		t.Fatal(err)
	}
	if err := buckets.MakeBucket(ctx, "holiday"); err != nil {
		t.Fatalf("making a bucket: %v", err)
	}
	mine := startConsole(t, ctx, ch, s, consumer, store.Service)
	theirs := startConsole(t, ctx, ch, s, prov, "")

	actx, acancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 1000))...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	shots := filepath.Join("..", "..", "docs", "console")
	shot := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	failed := func(what string, err error) {
		t.Helper()
		html, _ := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%s: %v\npage:\n%s", what, err, html)
	}
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(bctx, steps...); err != nil {
			failed(what, err)
		}
	}
	text := func(sel string) string {
		t.Helper()
		s, err := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		if err != nil {
			failed("reading "+sel, err)
		}
		return s
	}
	// peek reads sel while the page may be navigating (a form's redirect): "" until it can.
	peek := func(sel string) string {
		s, _ := chromedp.Run(bctx, chromedp.Text(chromedp.CSS(sel)))
		return s
	}

	// Bad amounts are the amount field's error; then a deposit that pays for the instance.
	run("a bad deposit", chromedp.Navigate(mine+"/wallet"), chromedp.SetValue(chromedp.CSS("#deposit-amount"), "12abc"),
		chromedp.Submit(chromedp.CSS("#deposit-amount")), chromedp.WaitVisible(chromedp.CSS("#deposit-error")))
	if got := text("#deposit-error"); !strings.HasPrefix(got, `amount "12abc"`) {
		t.Fatalf("deposit error %q, want one naming the amount", got)
	}
	run("a deposit", chromedp.SetValue(chromedp.CSS("#deposit-amount"), "50"), chromedp.Submit(chromedp.CSS("#deposit-amount")),
		chromedp.WaitVisible(chromedp.CSS(".flash")))
	if got := text("#deposit"); got != "50" {
		t.Fatalf("escrow deposit after depositing 50: %q", got)
	}

	// The catalogue is priced with the provider's prices: d2.nano (0.5 GHz, 256 MiB, 1 GiB) on the laptop.
	run("the launch page", chromedp.Navigate(mine+"/launch"), chromedp.WaitVisible(chromedp.CSS("#catalogue")))
	if got, want := text(`tr[data-type="d2.nano"] .offer`), "0.72 on laptop"; got != want {
		t.Fatalf("d2.nano's offer %q, want %q (0.5×1.2 + 0.25×0.4 + 1×0.02)", got, want)
	}
	fill := func(name, typ string) chromedp.Action[chromedp.Void] {
		return chromedp.Steps(chromedp.Navigate(mine+"/launch"), chromedp.WaitVisible(chromedp.CSS("#name")),
			chromedp.SendKeys(chromedp.CSS("#name"), name), chromedp.SendKeys(chromedp.CSS("#type"), typ),
			chromedp.SendKeys(chromedp.CSS("#image"), image), chromedp.SendKeys(chromedp.CSS("#port"), "8080"),
			chromedp.SendKeys(chromedp.CSS("#args"), "-http\n:8080"), chromedp.Click(chromedp.CSS("#launch")))
	}
	run("a bad name", fill("Web Server", "d2.nano"), chromedp.WaitVisible(chromedp.CSS("#name-error")))
	if got := text("#name-error"); !strings.HasPrefix(got, `name "Web Server"`) {
		t.Fatalf("name error %q, want one naming the name", got)
	}
	run("a bad type", fill("web", "d2.huge"), chromedp.WaitVisible(chromedp.CSS("#type-error")))
	if got := text("#type-error"); !strings.HasPrefix(got, "type") || !strings.Contains(got, "d2.huge") {
		t.Fatalf("type error %q, want one naming the type", got)
	}
	run("the screenshot of the launch page", shot("launch"))

	// Launched, it turns running with its cost on the instances page without a reload.
	run("a launch", fill("web", "d2.nano"), chromedp.WaitVisible(chromedp.CSS(".flash")),
		chromedp.WaitVisible(chromedp.CSS(`tr[data-instance="web"] .alloc`)))
	deadline := time.Now().Add(2 * time.Minute)
	for !strings.Contains(peek(`tr[data-instance="web"] .status`), ": running") || peek(`tr[data-instance="web"] .cost`) != "0.72" {
		if time.Now().After(deadline) {
			t.Fatalf("web never showed running at 0.72/hour: status %q, cost %q", peek(`tr[data-instance="web"] .status`), peek(`tr[data-instance="web"] .cost`))
		}
		time.Sleep(500 * time.Millisecond)
	}
	if got := text("#live"); !strings.Contains(got, "updated") {
		t.Fatalf("the row changed without a live update: %q", got)
	}
	time.Sleep(3 * time.Second) // some seconds charged, for the statement and the chart
	run("the screenshot of the instances page", shot("instances"))

	// While web runs, the provider's earnings rise: a later read of its statement is larger.
	earned := func() *big.Int {
		t.Helper()
		run("the provider page", chromedp.Navigate(theirs+"/provider"), chromedp.WaitVisible(chromedp.CSS("#statement-total")))
		v, err := pricing.ParseAmount(text("#statement-total"))
		if err != nil {
			failed("the provider's total", err)
		}
		return v
	}
	first := earned()
	deadline = time.Now().Add(90 * time.Second)
	for first.Sign() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("the provider earned nothing while web ran")
		}
		time.Sleep(2 * time.Second)
		first = earned()
	}
	second := earned()
	for second.Cmp(first) <= 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the provider's earnings did not rise while web ran: %s, then %s", pricing.FormatAmount(first), pricing.FormatAmount(second))
		}
		time.Sleep(2 * time.Second)
		second = earned()
	}
	// The provider's node shows what web reserves of it (d2.nano: 500 of 4,000 MHz, 256 of
	// 4,096 MiB) and what the machine itself uses, from its Nomad client.
	if got := text("#my-nodes .use-reserved"); !strings.HasPrefix(got, "12% / 6% / ") {
		t.Errorf("the laptop's reserved use %q, want 12%% of its CPU and 6%% of its memory", got)
	}
	if got := text("#my-nodes .use-host"); strings.Contains(got, "unavailable") || !strings.Contains(got, " MiB") {
		t.Errorf("the laptop's machine use %q, want its client's host statistics", got)
	}
	run("the screenshot of the provider page", shot("provider"))

	run("back to the instances", chromedp.Navigate(mine+"/instances"), chromedp.WaitVisible(chromedp.CSS(`tr[data-instance="web"]`)))
	run("a stop", chromedp.Click(chromedp.CSS(`button[aria-label="Stop web"]`)), chromedp.WaitVisible(chromedp.CSS(".flash")))
	deadline = time.Now().Add(2 * time.Minute)
	for !strings.HasPrefix(peek(`tr[data-instance="web"] .status`), "dead") {
		if time.Now().After(deadline) {
			t.Fatalf("web never showed dead after the stop: %q", peek(`tr[data-instance="web"] .status`))
		}
		time.Sleep(500 * time.Millisecond)
	}

	// The statement: billing's line for the instance, the chart drawn from it.
	var points string
	deadline = time.Now().Add(time.Minute)
	for {
		run("the wallet page", chromedp.Navigate(mine+"/wallet"), chromedp.WaitVisible(chromedp.CSS("#statement")))
		a, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS("#cost-chart"), "data-points"))
		if err != nil {
			failed("the chart's points", err)
		}
		points = a.Value
		if points != "" && points != "0" && text("#statement-total") != "0" {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("no statement line after the stop: total %q, chart points %q", text("#statement-total"), points)
		}
		time.Sleep(time.Second)
	}
	canvases, err := chromedp.Run(bctx, chromedp.Evaluate[int](`document.querySelectorAll("#cost-chart canvas").length`))
	if err != nil || canvases == 0 {
		t.Fatal("uPlot drew no canvas for the cost chart")
	}
	if got := text("#statement tbody"); !strings.Contains(got, "web") {
		t.Fatalf("statement lines %q, want web's", got)
	}
	run("the screenshot of the wallet page", shot("wallet"))

	// The provider's own console: its node, stake and earnings.
	run("the provider page", chromedp.Navigate(theirs+"/provider"), chromedp.WaitVisible(chromedp.CSS("#my-nodes")))
	if got := text("#my-nodes tbody"); !strings.Contains(got, "laptop") || !strings.Contains(got, "1000") {
		t.Fatalf("provider's nodes %q, want laptop with its stake of 1000", got)
	}
	if got := text("#statement-total"); got == "0" {
		t.Fatalf("the provider earned nothing for web: %q", got)
	}
	run("the region page", chromedp.Navigate(mine+"/region"), chromedp.WaitVisible(chromedp.CSS("#packing")), shot("region"))
	if got := text("#region tbody"); !strings.Contains(got, "laptop") || !strings.Contains(got, "MHz") {
		t.Fatalf("region %q, want the laptop's capacity", got)
	}
	// The packer's figures are the allocator's own, for its last decision (web's launch).
	packing := readPacking(t, alloc.Addr)
	for sel, want := range map[string]string{"#nodes-used": strconv.Itoa(packing.Stats.NodesUsed), "#lower-bound": strconv.Itoa(packing.Stats.LowerBound),
		"#stranded-cpu": fmt.Sprintf("%d MHz", packing.Stats.Stranded.CPUMHz), "#stranded-mem": fmt.Sprintf("%d MiB", packing.Stats.Stranded.MemoryMB)} {
		if got := text(sel); got != want {
			t.Errorf("region page %s %q, the allocator's %q (%+v)", sel, got, want, packing)
		}
	}
	if !packing.Decided || packing.Stats.NodesUsed != 1 {
		t.Errorf("the allocator's packing %+v, want web's launch on one node", packing)
	}

	// The buckets page lists the consumer's bucket; the provider's console, without storage, says so.
	run("the buckets page", chromedp.Navigate(mine+"/buckets"), chromedp.WaitVisible(chromedp.CSS(`tr[data-bucket="holiday"]`)), shot("buckets"))
	if got := text(`tr[data-bucket="holiday"] .cost`); got != "0" {
		t.Errorf("an empty bucket costs %q an hour, want 0", got)
	}
	// With an object, the page shows what the storage service records for it: its size, and
	// the bytes its pieces take; the nodes' providers post no price in this region, and the
	// cost says so rather than guess.
	if _, err := buckets.Put(ctx, "holiday", "photos/beach.raw", strings.NewReader(strings.Repeat("sand", 256<<10))); err != nil {
		t.Fatalf("storing an object: %v", err)
	}
	objs, err := buckets.Objects(ctx, "holiday", "")
	if err != nil || len(objs) != 1 || objs[0].Stored <= objs[0].Size {
		t.Fatalf("the gateway's listing: %+v %v", objs, err)
	}
	run("the buckets page with an object", chromedp.Navigate(mine+"/buckets"), chromedp.WaitVisible(chromedp.CSS(`tr[data-bucket="holiday"]`)))
	attr := func(sel string) string {
		t.Helper()
		a, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS(sel), "data-bytes"))
		if err != nil {
			failed("reading "+sel, err)
		}
		return a.Value
	}
	if got := text(`tr[data-bucket="holiday"] .objects`); got != "1" {
		t.Errorf("holiday holds %q objects, want 1", got)
	}
	if size, stored := attr(`tr[data-bucket="holiday"] .size`), attr(`tr[data-bucket="holiday"] .stored`); size != "1048576" || stored != strconv.FormatInt(objs[0].Stored, 10) {
		t.Errorf("holiday: size %s, stored %s; want 1048576 and the gateway's %d", size, stored, objs[0].Stored)
	}
	if got := text(`tr[data-bucket="holiday"] .cost`); !strings.Contains(got, "no disk price for provider") {
		t.Errorf("pieces on providers without a price cost %q, want the missing price named", got)
	}
	run("the buckets page without storage", chromedp.Navigate(theirs+"/buckets"), chromedp.WaitVisible(chromedp.CSS("#no-storage")))

	// The operator's view: web's job, its allocation, the laptop and Nomad's events.
	run("the operator page", chromedp.Navigate(mine+"/operator"), chromedp.WaitVisible(chromedp.CSS("#jobs")))
	if got := text(`tr[data-job="web"] .status`); got != "dead" {
		t.Errorf("operator page: web is %q, want dead", got)
	}
	if got := text("#nodes tbody"); !strings.Contains(got, "laptop") {
		t.Errorf("operator page nodes %q, want the laptop", got)
	}
	if got := text("#events tbody"); !strings.Contains(got, "Allocation") || !strings.Contains(got, "Job") {
		t.Errorf("operator page events %q, want web's job and allocation events", got)
	}
	run("the screenshot of the operator page", shot("operator"))
}

// readPacking is the allocator's last packing decision, read as the console reads it.
func readPacking(t *testing.T, allocator string) (p struct {
	Decided bool       `json:"decided"`
	Stats   pack.Stats `json:"stats"`
}) {
	t.Helper()
	resp, err := http.Get(allocator + "/dec2/packing")
	if err != nil {
		t.Fatalf("the allocator's packing: %v", err)
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(&p); err != nil {
		t.Fatalf("decoding the allocator's packing: %v", err)
	}
	return p
}

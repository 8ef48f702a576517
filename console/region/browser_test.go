package region_test

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"
	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/cli/settings"
	"github.com/dec2-cloud/dec2/console/backend"
	"github.com/dec2-cloud/dec2/console/region"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/identity/tenant"
	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/storage/metaapi"
)

// injectedWallet is the browser wallet the test injects before the page's scripts, as an extension
// would: an EIP-1193 provider whose requests go to the test (window.dec2Wallet, a chromedp
// binding), which answers them in Go. The key never enters the page.
const injectedWallet = `window.ethereum = {
  request: function (args) {
    return window.dec2Wallet({ method: args.method, params: args.params || [] });
  },
};`

// walletCall is one request the page made of window.ethereum.
type walletCall struct {
	Method string            `json:"method"`
	Params []json.RawMessage `json:"params"`
}

// str is parameter i of c as a string ("" when it is not one).
func (c walletCall) str(i int) string {
	var s string
	if i < len(c.Params) {
		_ = json.Unmarshal(c.Params[i], &s)
	}
	return s
}

// The region console in a browser against real parts: a Nomad region with ACLs, dec2-identity
// and the dev chain. The page asks the injected wallet for an account and a personal_sign
// signature; a signature by another key is refused with the identity service's reason; the
// right one signs in to the instances page of the wallet's namespace, which lists the
// namespace's jobs (live) and no other's, while neither the cookie nor the page holds the Nomad
// token. On the wallet page a bad amount is shown at its field, a wallet on another chain is
// told so with nothing sent, and a deposit and a withdrawal are sent by the wallet (the test
// signs each eth_sendTransaction in Go and sends it to the dev chain), the escrow deposit
// rising and falling with them. Signing out revokes the token and returns to the sign-in page.
func TestRegionConsoleSignsInWithABrowserWallet(t *testing.T) {
	e2e.RequireIntegration(t)
	browser := e2e.Chromium(t)
	ctx, cancel := context.WithTimeout(context.Background(), 6*time.Minute)
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
	key := ch.Key(ch.Consumer(0))
	wallet := crypto.PubkeyToAddress(key.PublicKey)
	other, _ := crypto.GenerateKey()
	// The storage service with the console's meter; the wallet and another tenant store an
	// object each. The region's one node is the first storage provider's, with a disk price.
	meterKey, _ := crypto.GenerateKey()
	store := e2e.StartLocalStorage(t, 4, 1<<30, crypto.PubkeyToAddress(meterKey.PublicKey))
	store.Store(t, key, "holiday", "beach.raw", bytes.Repeat([]byte("sand"), 1<<18))
	store.Store(t, other, "holiday", "beach.raw", bytes.Repeat([]byte("sand"), 1<<14))
	meter, err := backend.NewMeter(store.Service, meterKey, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	priced := strings.ToLower(store.Nodes[0].Provider.Hex())
	nomad := e2e.StartRegion(t, e2e.Options{ACL: true, Clients: []e2e.Client{{Name: "node", CPUMHz: 2000, MemoryMB: 2048, RawExec: true,
		Meta: map[string]string{"dec2.wallet": store.Nodes[0].Provider.Hex(), "dec2.price.disk_gb_hour": "0.36"}}}})
	// The page's host is the domain the wallet signs for: the identity service lists it.
	hs := httptest.NewUnstartedServer(nil)
	t.Cleanup(hs.Close)
	ident := e2e.StartIdentity(t, nomad, "-domain", hs.Listener.Addr().String())
	s := settings.Settings{NomadAddr: nomad.Addr, Allocator: nomad.Addr, RPCURL: ch.Chain.HTTPURL, Deployment: deployment, Operator: ch.Operator().Hex()}
	console, err := region.New(region.Config{Identity: ident.URL, NomadAddr: nomad.Addr, Open: region.Backends(backend.Config{Settings: s, Meter: meter})})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(console.Close)
	hs.Config.Handler = console.Handler()
	hs.Start()

	chainID, err := ch.RPC.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	var forge atomic.Bool      // sign with other instead of key
	var asOther atomic.Bool    // the wallet's account is other's (and it signs with other's key)
	var otherChain atomic.Bool // the wallet is on chain 1
	var sent atomic.Int32      // transactions the wallet sent
	answer := func(ctx context.Context, c walletCall) (any, error) {
		switch c.Method {
		case "eth_requestAccounts":
			if asOther.Load() {
				return []string{crypto.PubkeyToAddress(other.PublicKey).Hex()}, nil
			}
			return []string{wallet.Hex()}, nil
		case "eth_chainId":
			if otherChain.Load() {
				return "0x1", nil
			}
			return hexutil.EncodeBig(chainID), nil
		case "eth_sendTransaction":
			sent.Add(1)
			return sendTransaction(ctx, ch.RPC, key, chainID, c)
		case "eth_getTransactionReceipt":
			r, err := ch.RPC.TransactionReceipt(ctx, common.HexToHash(c.str(0)))
			if errors.Is(err, ethereum.NotFound) {
				return nil, nil
			}
			if err != nil {
				return nil, err
			}
			return map[string]string{"transactionHash": r.TxHash.Hex(), "status": hexutil.EncodeUint64(r.Status), "blockNumber": hexutil.EncodeBig(r.BlockNumber)}, nil
		case "personal_sign":
			signer := key
			if forge.Load() || asOther.Load() {
				signer = other
			}
			account := wallet
			if asOther.Load() {
				account = crypto.PubkeyToAddress(other.PublicKey)
			}
			if len(c.Params) != 2 || !strings.EqualFold(c.str(1), account.Hex()) {
				return nil, fmt.Errorf("personal_sign %s: want [message, %s]", c.Params, account.Hex())
			}
			msg, err := hexutil.Decode(c.str(0))
			if err != nil {
				return nil, fmt.Errorf("personal_sign: the message is not 0x-hex: %w", err)
			}
			sig, err := crypto.Sign(accounts.TextHash(msg), signer)
			if err != nil {
				return nil, err
			}
			sig[64] += 27
			return hexutil.Encode(sig), nil
		}
		return nil, errors.New("unsupported method " + c.Method)
	}

	actx, acancel := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(browser), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.WindowSize(1280, 900))...)
	defer acancel()
	bctx, bcancel := chromedp.NewContext(actx)
	defer bcancel()
	failed := func(what string, err error) {
		t.Helper()
		html, _ := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("main")))
		t.Fatalf("%s: %v\npage:\n%s", what, err, html)
	}
	// run bounds each step, so that a step that never ends still leaves time to show the page.
	run := func(what string, steps ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, scancel := context.WithTimeout(bctx, time.Minute)
		defer scancel()
		if err := chromedp.Do(sctx, steps...); err != nil {
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
	inject := chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		_, err := cdp.Call(ctx, tg, page.AddScriptToEvaluateOnNewDocument, page.AddScriptToEvaluateOnNewDocumentParams{Source: injectedWallet})
		return err
	})
	// The first action starts the browser, so it runs on bctx itself: a bounded context would
	// stop the browser with it.
	if err := chromedp.Do(bctx, chromedp.ExposeFunc("dec2Wallet", answer), inject); err != nil {
		t.Fatalf("injecting the wallet: %v", err)
	}

	// A visitor is sent to sign in; a signature by another key is refused, and says why.
	run("the sign-in page", chromedp.Navigate(hs.URL+"/instances"), chromedp.WaitEnabled(chromedp.CSS("#signin")))
	forge.Store(true)
	run("a forged signature", chromedp.Click(chromedp.CSS("#signin")), chromedp.WaitVisible(chromedp.CSS("#signin-error")))
	if got := text("#signin-error"); !strings.HasPrefix(got, "Sign-in refused: ") || !strings.Contains(got, crypto.PubkeyToAddress(other.PublicKey).Hex()) ||
		!strings.Contains(got, "not by the message's address") {
		t.Fatalf("the refusal of a signature by another key: %q", got)
	}
	shots := filepath.Join("..", "..", "docs", "console")
	shotAs := func(name string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			png, err := chromedp.FullScreenshot(100)(ctx, tg)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644)
		})
	}
	run("the screenshot of the sign-in page", shotAs("signin"))

	// Signed in with the wallet's own signature: the instances page of its namespace.
	forge.Store(false)
	run("a sign-in", chromedp.WaitEnabled(chromedp.CSS("#signin")), chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#namespace")), chromedp.WaitVisible(chromedp.CSS("#instance-rows")))
	ns := tenant.Namespace(wallet)
	if got := text("#namespace"); got != ns {
		t.Fatalf("signed in to namespace %q, want the wallet's %q", got, ns)
	}
	if got := text("#wallet"); got != wallet.Hex() {
		t.Fatalf("signed in as %q, want %s", got, wallet.Hex())
	}
	// The namespace's job shows, live; one in another namespace does not.
	job := func(id, namespace string) {
		t.Helper()
		j, err := nomad.API.Jobs().ParseHCL(fmt.Sprintf(`job %q {
  namespace = %q
  meta = { "dec2.pack" = "true" }
  group "g" {
    task "sleep" {
      driver = "raw_exec"
      config {
        command = "/bin/sleep"
        args    = ["600"]
      }
      resources {
        cpu    = 100
        memory = 64
      }
    }
  }
}`, id, namespace), true)
		if err != nil {
			t.Fatalf("parsing %s: %v", id, err)
		}
		if _, _, err := nomad.API.Jobs().Register(j, &api.WriteOptions{Namespace: namespace}); err != nil {
			t.Fatalf("registering %s in %s: %v", id, namespace, err)
		}
	}
	job("elsewhere", "default")
	job("mine", ns)
	run("the namespace's job, live", chromedp.WaitVisible(chromedp.CSS(`tr[data-instance="mine"]`)))
	if got := text("#instance-rows"); strings.Contains(got, "elsewhere") {
		t.Errorf("the tenant's instances list another namespace's job: %q", got)
	}
	// The Nomad token the sign-in made is Nomad's and the console's alone.
	secret := walletToken(t, nomad, wallet.Hex())
	cookie, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.cookie`))
	if err != nil {
		failed("reading document.cookie", err)
	}
	html, err := chromedp.Run(bctx, chromedp.OuterHTML(chromedp.CSS("html")))
	if err != nil {
		failed("reading the page", err)
	}
	if cookie != "" || strings.Contains(html, secret.SecretID) {
		t.Errorf("the page can read its session (document.cookie %q) or holds the Nomad token", cookie)
	}

	// The wallet page: deposits and withdrawals, sent by the browser's wallet.
	escrowed := func() *big.Int {
		t.Helper()
		v, err := pricing.ParseAmount(text("#deposit"))
		if err != nil {
			failed("reading the escrow deposit", err)
		}
		return v
	}
	submit := func(what, action, amount string) {
		t.Helper()
		run(what, chromedp.Navigate(hs.URL+"/wallet"), chromedp.WaitVisible(chromedp.CSS("#deposit")),
			chromedp.SetValue(chromedp.CSS("#"+action+"-amount"), amount), chromedp.Click(chromedp.CSS(`form[action="/wallet/`+action+`"] button`)))
	}
	run("the wallet page", chromedp.Navigate(hs.URL+"/wallet"), chromedp.WaitVisible(chromedp.CSS("#deposit")))
	before := escrowed()
	submit("a bad deposit amount", "deposit", "12abc")
	run("the bad amount's error", chromedp.WaitVisible(chromedp.CSS("#deposit-error")))
	if got := text("#deposit-error"); !strings.Contains(got, "amount") || !strings.Contains(got, "12abc") {
		t.Errorf("the bad amount's error: %q, want it to name the amount field and what was typed", got)
	}
	invalid, err := chromedp.Run(bctx, chromedp.Evaluate[string](`document.getElementById("deposit-amount").getAttribute("aria-invalid") + " " + document.getElementById("deposit-amount").getAttribute("aria-describedby")`))
	if err != nil || invalid != "true deposit-error" {
		t.Errorf("the amount field: aria-invalid aria-describedby = %q, %v", invalid, err)
	}

	otherChain.Store(true)
	submit("a deposit from a wallet on another chain", "deposit", "1")
	run("the wrong chain's error", chromedp.WaitVisible(chromedp.CSS("#send-error")))
	if got := text("#send-error"); !strings.Contains(got, "chain 1,") || !strings.Contains(got, "chain "+chainID.String()) || !strings.Contains(got, "Nothing was sent") || sent.Load() != 0 {
		t.Errorf("a wallet on another chain: %q, %d transaction(s) sent", got, sent.Load())
	}
	otherChain.Store(false)

	done := func(what, flash string) {
		t.Helper()
		// The flash after the page moved on, or the wallet's failure on the page that sent.
		run(what, chromedp.WaitVisible(chromedp.CSS(".flash, #send-error:not([hidden])")))
		if got := text(".flash, #send-error"); got != flash {
			failed(what, fmt.Errorf("the page says %q, want %q", got, flash))
		}
	}
	submit("a deposit", "deposit", "25")
	// Approve, deposit, and the billing operator's authorisation.
	done("the deposit sent by the wallet", "Deposit of 25 DEC2 done in 3 transaction(s).")
	if got, want := escrowed(), new(big.Int).Add(before, chain.Tokens(25)); got.Cmp(want) != 0 || sent.Load() != 3 {
		t.Errorf("after depositing 25: the escrow holds %s, want %s (%d transaction(s) sent)", got, want, sent.Load())
	}
	if ok, err := ch.Authorised(ctx, 0); err != nil || !ok {
		t.Errorf("the deposit left the billing operator unauthorised: %v", err)
	}
	submit("a withdrawal", "withdraw", "10")
	done("the withdrawal sent by the wallet", "Withdrawal of 10 DEC2 done in 1 transaction(s).")
	if got, want := escrowed(), new(big.Int).Add(before, chain.Tokens(15)); got.Cmp(want) != 0 {
		t.Errorf("after withdrawing 10: the escrow holds %s, want %s", got, want)
	}
	if acc, err := ch.Account(ctx, 0); err != nil || acc.Balance.Cmp(new(big.Int).Add(before, chain.Tokens(15))) != 0 {
		t.Errorf("the chain's escrow account: %+v, %v", acc, err)
	}

	// The buckets page: the wallet's storage by provider as the storage service meters it
	// (none of the other tenant's), the priced provider's cost at its disk price, and why
	// the buckets are not named.
	diskPrice, err := pricing.ParseAmount("0.36")
	if err != nil {
		t.Fatal(err)
	}
	buckets := func(who string, k *ecdsa.PrivateKey) {
		t.Helper()
		run(who+"'s buckets page", chromedp.Navigate(hs.URL+"/buckets"), chromedp.WaitVisible(chromedp.CSS("#holdings-total")))
		if got := text("#names-encrypted"); !strings.Contains(got, "dec2 s3 ls") {
			t.Errorf("%s's buckets page does not say where the names are: %q", who, got)
		}
		held, err := (&metaapi.Client{URL: store.Service, Key: k}).Usage(ctx)
		if err != nil {
			t.Fatal(err)
		}
		var bytes int64
		for _, u := range held {
			bytes += u.Bytes
			if strings.EqualFold(u.Provider, priced) {
				want := pricing.FormatAmount(new(big.Int).Mul(pricing.StorageRate(u.Bytes, diskPrice), big.NewInt(3600)))
				if got := text(`tr[data-provider="` + priced + `"] .cost`); got != want {
					t.Errorf("%s's cost at the priced provider: %q, want %s", who, got, want)
				}
			}
		}
		got, err := chromedp.Run(bctx, chromedp.AttributeValue(chromedp.CSS("#holdings-total .stored"), "data-bytes"))
		if err != nil || got.Value != fmt.Sprint(bytes) || len(held) != 4 {
			failed(who+"'s stored bytes", fmt.Errorf("the page shows %q (%v), the storage service holds %d for %s on %d providers", got.Value, err, bytes, who, len(held)))
		}
		if got := text(`#holdings-total .cost`); !strings.Contains(got, "no disk price for provider") {
			t.Errorf("%s's total with unpriced providers: %q", who, got)
		}
	}
	buckets("the wallet", key)
	run("the screenshot of the buckets page", shotAs("buckets-region"))

	// Signing out revokes the token and returns to sign-in; the console is closed again.
	run("a sign-out", chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#signin")))
	if got := text(".flash"); !strings.HasPrefix(got, "Signed out") {
		t.Errorf("after signing out the page says %q", got)
	}
	if _, _, err := nomad.API.ACLTokens().Info(secret.AccessorID, nil); err == nil {
		t.Error("the signed-out session's Nomad token still exists")
	}
	run("the console after signing out", chromedp.Navigate(hs.URL+"/instances"), chromedp.WaitVisible(chromedp.CSS("#signin")))

	// The other tenant, signed in, sees its own storage and none of the wallet's.
	asOther.Store(true)
	run("the other tenant's sign-in", chromedp.WaitEnabled(chromedp.CSS("#signin")), chromedp.Click(chromedp.CSS("#signin")),
		chromedp.WaitVisible(chromedp.CSS("#namespace")))
	buckets("the other tenant", other)
}

// walletToken is the Nomad token a wallet's sign-in made (named dec2-wallet-<wallet>).
func walletToken(t *testing.T, nomad *e2e.Region, wallet string) *api.ACLToken {
	t.Helper()
	stubs, _, err := nomad.API.ACLTokens().List(nil)
	if err != nil {
		t.Fatalf("listing Nomad's tokens: %v", err)
	}
	for _, s := range stubs {
		if strings.EqualFold(s.Name, "dec2-wallet-"+wallet) {
			tok, _, err := nomad.API.ACLTokens().Info(s.AccessorID, nil)
			if err != nil {
				t.Fatal(err)
			}
			return tok
		}
	}
	t.Fatalf("no Nomad token for %s among %d", wallet, len(stubs))
	return nil
}

// sendTransaction is the test wallet's eth_sendTransaction: it signs the page's {from, to,
// data} with key (the page never sees it) and sends it to the dev chain, as a wallet would.
func sendTransaction(ctx context.Context, rpc *ethclient.Client, key *ecdsa.PrivateKey, chainID *big.Int, c walletCall) (string, error) {
	var p struct{ From, To, Data string }
	if len(c.Params) != 1 || json.Unmarshal(c.Params[0], &p) != nil {
		return "", fmt.Errorf("eth_sendTransaction %s: want one {from, to, data}", c.Params)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	if !strings.EqualFold(p.From, from.Hex()) {
		return "", fmt.Errorf("eth_sendTransaction from %s: this wallet is %s", p.From, from.Hex())
	}
	to := common.HexToAddress(p.To)
	data, err := hexutil.Decode(p.Data)
	if err != nil {
		return "", fmt.Errorf("eth_sendTransaction: data: %w", err)
	}
	gas, err := rpc.EstimateGas(ctx, ethereum.CallMsg{From: from, To: &to, Data: data})
	if err != nil {
		return "", fmt.Errorf("eth_sendTransaction: estimating gas: %w", err)
	}
	nonce, err := rpc.PendingNonceAt(ctx, from)
	if err != nil {
		return "", err
	}
	tip, err := rpc.SuggestGasTipCap(ctx)
	if err != nil {
		return "", err
	}
	head, err := rpc.HeaderByNumber(ctx, nil)
	if err != nil {
		return "", err
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce,
		GasTipCap: tip, GasFeeCap: new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(2)), tip), Gas: 2 * gas, To: &to, Data: data})
	if err != nil {
		return "", err
	}
	if err := rpc.SendTransaction(ctx, tx); err != nil {
		return "", fmt.Errorf("eth_sendTransaction: %w", err)
	}
	return tx.Hash().Hex(), nil
}

package main

import (
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/tenancy"
)

// A delegation printed by `wallet delegate` is one billing accepts for that namespace on the
// chain the RPC names, and for no other namespace.
func TestWalletDelegate(t *testing.T) {
	rpc := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if !strings.Contains(string(body), "eth_chainId") {
			http.Error(w, "only eth_chainId", http.StatusBadRequest)
			return
		}
		io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":"0x539"}`) // 1337
	}))
	defer rpc.Close()
	const key = "59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d"
	env := map[string]string{"DEC2_KEY": key, "DEC2_RPC_URL": rpc.URL}
	d := decode[delegation](t, mustRun(t, env, "wallet", "delegate", "--namespace", "t-a", "--for", "2h", "-o", "json"))
	wallet := common.HexToAddress(d.Meta[conventions.MetaWallet])
	job := tenancy.Job{Namespace: "t-a", Meta: d.Meta, NamespaceWallet: "0x00000000000000000000000000000000000000c0"}
	if got, err := tenancy.Payer(job, big.NewInt(1337), time.Now()); err != nil || got != wallet {
		t.Fatalf("billing reads the printed delegation as %s, %v; want %s", got.Hex(), err, wallet.Hex())
	}
	job.Namespace = "t-b"
	if _, err := tenancy.Payer(job, big.NewInt(1337), time.Now()); err == nil {
		t.Fatal("a delegation to t-a pays for t-b's jobs")
	}
	if _, _, err := dec2(t, env, "wallet", "delegate"); err == nil || !strings.Contains(err.Error(), "--namespace") {
		t.Errorf("no namespace: %v", err)
	}
}

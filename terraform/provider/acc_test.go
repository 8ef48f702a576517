package provider_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/dec2-cloud/dec2/billing-sidecar/devenv"
	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/contracts/chain"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/terraform/provider"
)

// useTofu points terraform-plugin-testing at bin/tofu, serving the provider in process under
// the address `source = "dec2-cloud/dec2"` resolves to in OpenTofu.
func useTofu(t *testing.T) map[string]func() (tfprotov6.ProviderServer, error) {
	t.Helper()
	e2e.RequireIntegration(t) // bin/tofu comes from make tools
	bin := filepath.Join(e2e.RepoRoot(), "bin", "tofu")
	if _, err := os.Stat(bin); err != nil {
		t.Fatalf("no bin/tofu (%v): run make tools-tofu", err)
	}
	rc := filepath.Join(t.TempDir(), "tofurc")
	if err := os.WriteFile(rc, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	for k, v := range map[string]string{
		"TF_ACC": "1", "TF_ACC_TERRAFORM_PATH": bin, "TF_ACC_PROVIDER_HOST": "registry.opentofu.org",
		"TF_ACC_PROVIDER_NAMESPACE": "dec2-cloud", "TF_CLI_CONFIG_FILE": rc, "CHECKPOINT_DISABLE": "1",
		"NOMAD_ADDR": "", "NOMAD_TOKEN": "", "DEC2_NOMAD_ADDR": "", "DEC2_PRIVATE_KEY": "", "DEC2_STORAGE": "",
	} {
		t.Setenv(k, v)
	}
	return map[string]func() (tfprotov6.ProviderServer, error){"dec2": providerserver.NewProtocol6WithError(provider.New("test")())}
}

const header = `
terraform {
  required_providers {
    dec2 = { source = "dec2-cloud/dec2" }
  }
}
`

// Plan-time validation needs no region: every diagnostic names its attribute.
func TestAccPlanTimeValidation(t *testing.T) {
	factories := useTofu(t)
	cases := []struct{ body, want string }{
		{`name = "web"  type = "t2.micro"  image = "i"`, `(?s)type.*unknown instance type "t2.micro": want one of d2.nano,.*g1.h100x1`},
		{`name = "Web_1"  type = "d2.nano"  image = "i"`, `(?s)name.*lower-case letters`},
		{`name = "web"  type = "d2.nano"  image = "i"  ports = [80, 80]`, `(?s)ports = \[80, 80\].*80 is listed twice`},
		{`name = "web"  type = "d2.nano"  image = "i"  instance_count = 0`, `(?s)instance_count.*want between 1 and 100`},
		{`name = "web"  type = "d2.nano"  image = "i"  wallet = "0x12"`, `(?s)wallet.*20-byte hex address`},
		{`name = "web"  type = "d2.small"  image = "i"  gpu_memory_mib = 1024`, `(?s)gpu_memory_mib.*d2.small has no GPU`},
	}
	for _, c := range cases {
		body := strings.ReplaceAll(c.body, "  ", "\n  ")
		resource.UnitTest(t, resource.TestCase{
			ProtoV6ProviderFactories: factories,
			Steps: []resource.TestStep{{
				Config:      header + "resource \"dec2_instance\" \"x\" {\n  " + body + "\n}\n",
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(c.want),
			}},
		})
	}
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		Steps: []resource.TestStep{{
			Config:      header + `resource "dec2_escrow_deposit" "d" { amount = "1.5e3" }`,
			PlanOnly:    true,
			ExpectError: regexp.MustCompile(`(?s)amount.*only digits and one point`),
		}},
	})
}

func TestAccInstanceTypes(t *testing.T) {
	resource.UnitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: useTofu(t),
		Steps: []resource.TestStep{{
			Config: header + `
data "dec2_instance_types" "all" {}
data "dec2_instance_types" "gpu" { gpu = true }
`,
			Check: resource.ComposeAggregateTestCheckFunc(
				resource.TestCheckResourceAttr("data.dec2_instance_types.all", "names.#", strconv.Itoa(len(catalog.Types()))),
				resource.TestCheckResourceAttr("data.dec2_instance_types.all", "types.0.name", "d2.nano"),
				resource.TestCheckResourceAttr("data.dec2_instance_types.all", "types.0.cpu_mhz", "500"),
				resource.TestCheckResourceAttr("data.dec2_instance_types.gpu", "names.#", "4"),
				resource.TestCheckResourceAttr("data.dec2_instance_types.gpu", "types.1.gpu_name", "A100-80GB"),
				resource.TestCheckResourceAttr("data.dec2_instance_types.gpu", "types.1.gpu_memory_mib", "81920"),
			),
		}},
	})
}

var prices = map[string]string{"dec2.price.cpu_ghz_hour": "0.02", "dec2.price.mem_gb_hour": "0.01", "dec2.price.disk_gb_hour": "0.001"}

func region(t *testing.T, wallets ...string) *e2e.Region {
	var clients []e2e.Client
	for i, w := range wallets {
		meta := map[string]string{"dec2.wallet": w}
		for k, v := range prices {
			meta[k] = v
		}
		clients = append(clients, e2e.Client{Name: fmt.Sprintf("p%d", i), CPUMHz: 3000, MemoryMB: 3072, Meta: meta})
	}
	r := e2e.StartRegion(t, e2e.Options{Clients: clients})
	r.BindWallet(t, "default", e2e.TenantWallet)
	return r
}

// An instance through its life: created, scaled and changed in place, replaced for a new
// type, imported, destroyed; the data source sees the fleet.
func TestAccInstanceLifecycle(t *testing.T) {
	e2e.RequireIntegration(t)
	factories := useTofu(t)
	r := region(t, "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC")
	alloc := e2e.StartAllocator(t, r, "--pack-all")
	image := e2e.WorkloadImage(t)
	config := func(typ string, count int, args string) string {
		return header + fmt.Sprintf(`
provider "dec2" {
  nomad_address = %q
  wait_timeout  = "3m"
}
resource "dec2_instance" "web" {
  name           = "acc-web"
  type           = %q
  image          = %q
  args           = %s
  ports          = [8080]
  instance_count = %d
}
data "dec2_providers" "all" {}
`, alloc.Addr, typ, image, args, count)
	}
	const res = "dec2_instance.web"
	jobCount := func(want int) resource.TestCheckFunc {
		return func(*terraform.State) error {
			allocs, _, err := r.API.Jobs().Allocations("acc-web", false, nil)
			if err != nil {
				return err
			}
			n := 0
			for _, a := range allocs {
				if a.ClientStatus == "running" && a.DesiredStatus == "run" {
					n++
				}
			}
			if n != want {
				return fmt.Errorf("nomad runs %d allocations of acc-web, want %d", n, want)
			}
			return nil
		}
	}
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := r.API.Jobs().Info("acc-web", nil); err == nil || !strings.Contains(err.Error(), "404") {
				return fmt.Errorf("job acc-web after destroy: %v, want 404", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// 32 GiB fits on no 3 GiB provider: the allocator's refusal is the diagnostic.
				Config:      config("m2.large", 1, `[]`),
				ExpectError: regexp.MustCompile(`(?s)Registering the instance failed.*409.*cannot place job "acc-web"`),
			},
			{
				Config: config("d2.nano", 1, `["-http", ":8080"]`),
				Check: resource.ComposeAggregateTestCheckFunc(
					jobCount(1),
					resource.TestCheckResourceAttr(res, "id", "acc-web"),
					resource.TestCheckResourceAttr(res, "nodes.#", "1"),
					resource.TestMatchResourceAttr(res, "address", regexp.MustCompile(`^127\.0\.0\.1:\d+$`)),
					resource.TestCheckResourceAttr(res, "cost_per_hour", "0.0135"),
					resource.TestCheckResourceAttr("data.dec2_providers.all", "providers.#", "2"),
					resource.TestCheckResourceAttr("data.dec2_providers.all", "providers.0.name", "p0"),
					resource.TestCheckResourceAttr("data.dec2_providers.all", "providers.0.cpu_mhz", "3000"),
					resource.TestCheckResourceAttr("data.dec2_providers.all", "providers.0.price_cpu_ghz_hour", "0.02"),
					resource.TestCheckResourceAttr("data.dec2_providers.all", "providers.1.wallet", "0x3C44CdDdB6a900fa2b585dd299e03d12FA4293BC"),
				),
			},
			{
				Config:           config("d2.nano", 2, `["-http", ":8080", "-mem", "1"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					jobCount(2),
					resource.TestCheckResourceAttr(res, "nodes.#", "2"),
					resource.TestCheckResourceAttr(res, "addresses.#", "2"),
					resource.TestCheckResourceAttr(res, "cost_per_hour", "0.027"),
				),
			},
			{
				Config:           config("d2.micro", 2, `["-http", ":8080", "-mem", "1"]`),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionDestroyBeforeCreate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					jobCount(2),
					resource.TestCheckResourceAttr(res, "type", "d2.micro"),
					// 1 GHz × 0.02 + 0.5 GiB × 0.01 + 2 GiB disk × 0.001, twice.
					resource.TestCheckResourceAttr(res, "cost_per_hour", "0.054"),
				),
			},
			{
				ResourceName:      res,
				ImportState:       true,
				ImportStateId:     "acc-web",
				ImportStateVerify: true,
			},
		},
	})
}

// A GPU box as code: a g1.a100x1 with a memory floor lands, through the allocator, on the rig
// with fake A100s, runs in Docker with runc, and costs the rig's prices with its A100 price.
func TestAccGPUInstance(t *testing.T) {
	e2e.RequireIntegration(t)
	factories := useTofu(t)
	meta := map[string]string{"dec2.wallet": "0x70997970C51812dc3A010C7d01b50e0d17dc79C8", "dec2.price.gpu_hour.A100-80GB": "1.5"}
	for k, v := range prices {
		meta[k] = v
	}
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "plain", CPUMHz: 12000, MemoryMB: 40000, DiskMB: 200000, Meta: meta},
		e2e.Client{Name: "rig", CPUMHz: 10000, MemoryMB: 40000, DiskMB: 200000, Meta: meta}.WithFakeGPUs(t, "a100x2.json", nil),
	}})
	r.BindWallet(t, "default", e2e.TenantWallet)
	alloc := e2e.StartAllocator(t, r, "--pack-all")
	config := func(gpuMemory int) string {
		return header + fmt.Sprintf(`
provider "dec2" {
  nomad_address = %q
  wait_timeout  = "3m"
}
resource "dec2_instance" "train" {
  name           = "acc-train"
  type           = "g1.a100x1"
  image          = %q
  args           = ["-http", ":8080"]
  ports          = [8080]
  gpu_memory_mib = %d
}
`, alloc.Addr, e2e.WorkloadImage(t), gpuMemory)
	}
	const res = "dec2_instance.train"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if _, _, err := r.API.Jobs().Info("acc-train", nil); err == nil || !strings.Contains(err.Error(), "404") {
				return fmt.Errorf("job acc-train after destroy: %v, want 404", err)
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				// No GPU has 100 GiB: the allocator's refusal is the diagnostic.
				Config:      config(102400),
				ExpectError: regexp.MustCompile(`(?s)Registering the instance failed.*409.*no node could ever host`),
			},
			{
				Config: config(40960),
				Check: resource.ComposeAggregateTestCheckFunc(
					resource.TestCheckResourceAttr(res, "nodes.#", "1"),
					resource.TestCheckResourceAttr(res, "nodes.0", "rig"),
					// 8 GHz × 0.02 + 32 GiB × 0.01 + 128 GiB disk × 0.001 + one A100 × 1.5.
					resource.TestCheckResourceAttr(res, "cost_per_hour", "2.108"),
					func(*terraform.State) error {
						allocs, _, err := r.API.Jobs().Allocations("acc-train", false, nil)
						if err != nil {
							return err
						}
						for _, a := range allocs {
							full, _, err := r.API.Allocations().Info(a.ID, nil)
							if err != nil {
								return err
							}
							for task, tr := range full.AllocatedResources.Tasks {
								if len(tr.Devices) != 1 || len(tr.Devices[0].DeviceIDs) != 1 || tr.Devices[0].Name != "A100-80GB" {
									return fmt.Errorf("task %s of %s reserved %+v, want one A100", task, a.ID, tr.Devices)
								}
							}
						}
						return nil
					},
				),
			},
		},
	})
}

// A provider registers its node with a stake and prices, tops the stake up and changes a
// price, then leaves: the registry, the node's meta and dec2_providers follow each step.
func TestAccProviderRegistration(t *testing.T) {
	e2e.RequireIntegration(t)
	factories := useTofu(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env, err := devenv.Start(ctx, 0)
	if err != nil {
		t.Fatalf("starting the dev chain: %v", err)
	}
	t.Cleanup(env.Close)
	wallet := env.Provider(0)
	providerKey := env.KeyHex(wallet)
	// Providers hold no tokens on a fresh dev chain: a consumer hands some over for the stake.
	cc, err := chain.NewClient(ctx, env.RPC, env.Key(env.Consumer(0)))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := cc.Token(env.Addrs.Token).Transfer(ctx, wallet, chain.Tokens(5000)); err != nil {
		t.Fatal(err)
	}
	deploy := filepath.Join(t.TempDir(), "deployment.json")
	if err := chain.WriteAddresses(deploy, env.Addrs); err != nil {
		t.Fatal(err)
	}
	r := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{{Name: "rig", CPUMHz: 2000, MemoryMB: 2048}}})
	nodeID := r.NodeID(t, "rig")
	config := func(stake, cpu string) string {
		return header + fmt.Sprintf(`
provider "dec2" {
  nomad_address = %q
  chain_rpc     = %q
  deployment    = %q
  private_key   = %q
}
resource "dec2_provider_registration" "rig" {
  node_id            = %q
  stake              = %q
  price_cpu_ghz_hour = %q
  price_mem_gb_hour  = "0.005"
  price_gpu_hour     = { "A100-80GB" = "1.50" }
}
data "dec2_providers" "all" {
  depends_on = [dec2_provider_registration.rig]
}
`, r.Addr, env.Chain.HTTPURL, deploy, providerKey, nodeID, stake, cpu)
	}
	reg := cc.Registry(env.Addrs.Registry)
	stakeIs := func(stake, unbonding int64) resource.TestCheckFunc {
		return func(*terraform.State) error {
			p, err := reg.Provider(ctx, wallet)
			if err != nil {
				return err
			}
			if p.Stake.Cmp(chain.Tokens(stake)) != 0 || p.Unbonding.Cmp(chain.Tokens(unbonding)) != 0 {
				return fmt.Errorf("registry: stake %s, unbonding %s; want %d and %d tokens", p.Stake, p.Unbonding, stake, unbonding)
			}
			return nil
		}
	}
	const res, ds = "dec2_provider_registration.rig", "data.dec2_providers.all"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			if err := stakeIs(0, 1500)(nil); err != nil {
				return err
			}
			node, _, err := r.API.Nodes().Info(nodeID, nil)
			if err != nil {
				return err
			}
			for k := range node.Meta {
				if strings.HasPrefix(k, "dec2.") {
					return fmt.Errorf("node meta %s left after destroy", k)
				}
			}
			return nil
		},
		Steps: []resource.TestStep{
			{
				Config: config("1000", "0.03"),
				Check: resource.ComposeAggregateTestCheckFunc(
					stakeIs(1000, 0),
					resource.TestCheckResourceAttr(res, "wallet", wallet.Hex()),
					resource.TestCheckResourceAttr(res, "node_name", "rig"),
					resource.TestCheckResourceAttr(ds, "providers.0.wallet", wallet.Hex()),
					resource.TestCheckResourceAttr(ds, "providers.0.price_cpu_ghz_hour", "0.03"),
					resource.TestCheckResourceAttr(ds, "providers.0.price_mem_gb_hour", "0.005"),
					resource.TestCheckResourceAttr(ds, "providers.0.price_gpu_hour.A100-80GB", "1.5"),
				),
			},
			{
				Config:           config("1500", "0.04"),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check: resource.ComposeAggregateTestCheckFunc(
					stakeIs(1500, 0),
					resource.TestCheckResourceAttr(ds, "providers.0.price_cpu_ghz_hour", "0.04"),
				),
			},
		},
	})
}

// A deposit topped up, partly withdrawn, its operator changed, then withdrawn on destroy; the
// escrow account and the wallet's tokens follow each step.
func TestAccEscrowDeposit(t *testing.T) {
	e2e.RequireIntegration(t)
	factories := useTofu(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	env, err := devenv.Start(ctx, 0)
	if err != nil {
		t.Fatalf("starting the dev chain: %v", err)
	}
	t.Cleanup(env.Close)
	consumer := env.Consumer(1)
	key := env.KeyHex(consumer)
	deploy := filepath.Join(t.TempDir(), "deployment.json")
	if err := chain.WriteAddresses(deploy, env.Addrs); err != nil {
		t.Fatal(err)
	}
	before, err := env.Balance(ctx, consumer)
	if err != nil {
		t.Fatal(err)
	}
	earned, err := env.Balance(ctx, env.Provider(0))
	if err != nil {
		t.Fatal(err)
	}
	cc, err := chain.NewClient(ctx, env.RPC, env.Key(consumer))
	if err != nil {
		t.Fatal(err)
	}
	other := env.Provider(2) // any address will do as a second operator
	config := func(amount, operator string) string {
		return header + fmt.Sprintf(`
provider "dec2" {
  chain_rpc   = %q
  deployment  = %q
  private_key = %q
}
resource "dec2_escrow_deposit" "d" {
  amount   = %q
  operator = %q
}
`, env.Chain.HTTPURL, deploy, key, amount, operator)
	}
	escrowHas := func(tokens int64, operator string) resource.TestCheckFunc {
		return func(*terraform.State) error {
			acct, err := env.Account(ctx, 1)
			if err != nil {
				return err
			}
			if acct.Balance.Cmp(chain.Tokens(tokens)) != 0 {
				return fmt.Errorf("escrow balance %s, want %d tokens", acct.Balance, tokens)
			}
			for _, op := range []string{env.Operator().Hex(), other.Hex()} {
				ok, err := cc.Escrow(env.Addrs.Escrow).IsOperator(ctx, consumer, common.HexToAddress(op))
				if err != nil {
					return err
				}
				if ok != (op == operator) {
					return fmt.Errorf("operator %s authorised: %t, want %t", op, ok, op == operator)
				}
			}
			return nil
		}
	}
	const res = "dec2_escrow_deposit.d"
	resource.Test(t, resource.TestCase{
		ProtoV6ProviderFactories: factories,
		CheckDestroy: func(*terraform.State) error {
			after, err := env.Balance(ctx, consumer)
			if err != nil {
				return err
			}
			paid, err := env.Balance(ctx, env.Provider(0))
			if err != nil {
				return err
			}
			paid.Sub(paid, earned)
			if paid.Sign() <= 0 {
				return fmt.Errorf("the provider got %s from the stream open at destroy, want it closed and paid", paid)
			}
			if got := new(big.Int).Add(after, paid); got.Cmp(before) != 0 {
				return fmt.Errorf("wallet holds %s after destroy and paid %s, want %s in all", after, paid, before)
			}
			// The stream closed while destroy waited, so the operator is revoked.
			return escrowHas(0, "")(nil)
		},
		Steps: []resource.TestStep{
			{
				Config: config("100", env.Operator().Hex()),
				Check: resource.ComposeAggregateTestCheckFunc(
					escrowHas(100, env.Operator().Hex()),
					resource.TestCheckResourceAttr(res, "consumer", consumer.Hex()),
					resource.TestCheckResourceAttr(res, "balance", "100"),
					resource.TestCheckResourceAttr(res, "refundable", "100"),
				),
			},
			{
				Config:           config("150.5", env.Operator().Hex()),
				ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(res, plancheck.ResourceActionUpdate)}},
				Check:            resource.ComposeAggregateTestCheckFunc(resource.TestCheckResourceAttr(res, "balance", "150.5")),
			},
			{
				Config: config("80", other.Hex()),
				Check: resource.ComposeAggregateTestCheckFunc(
					escrowHas(80, other.Hex()),
					resource.TestCheckResourceAttr(res, "balance", "80"),
				),
			},
			{
				Config: config("80", env.Operator().Hex()),
				Check: resource.ComposeAggregateTestCheckFunc(escrowHas(80, env.Operator().Hex()), func(*terraform.State) error {
					// An instance still paying as destroy begins: billing opens its stream
					// now and closes it 3 s later, while destroy waits for it.
					return openStreamFor(ctx, t, env, 3*time.Second)
				}),
			},
		},
	})
}

// openStreamFor opens a stream from consumer 1 to provider 0 as the billing operator, at one
// base unit a second, and closes it after d.
func openStreamFor(ctx context.Context, t *testing.T, env *devenv.Env, d time.Duration) error {
	op, err := chain.NewClient(ctx, env.RPC, env.Key(env.Operator()))
	if err != nil {
		return err
	}
	head, err := op.Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	key := [32]byte{1}
	escrow := op.Escrow(env.Addrs.Escrow)
	if _, err := escrow.OpenStream(ctx, key, env.Consumer(1), env.Provider(0), big.NewInt(1), head.Time); err != nil {
		return err
	}
	go func() {
		time.Sleep(d)
		head, err := op.Backend().HeaderByNumber(ctx, nil)
		if err == nil {
			_, err = escrow.CloseStream(ctx, key, head.Time)
		}
		if err != nil {
			t.Errorf("closing the stream: %v", err)
		}
	}()
	return nil
}

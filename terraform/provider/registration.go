package provider

import (
	"context"
	"fmt"
	"math/big"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/nomad/api"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/mapdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing"
)

func newProviderRegistrationResource() resource.Resource { return &registrationResource{} }

// registrationResource binds the configured wallet to a Nomad node in ProviderRegistry with a
// stake, and publishes the wallet and prices as the node's dynamic meta (CONVENTIONS.md keys),
// where the allocator and dec2-billing read them: the registry holds stakes, not prices.
// A larger stake tops up; a smaller one requests unbonding of the difference; destroying it
// requests unbonding of the whole stake (withdrawable after the registry's delay) and removes
// the meta.
type registrationResource struct{ c *clients }

type registrationModel struct {
	ID         types.String `tfsdk:"id"`
	NodeID     types.String `tfsdk:"node_id"`
	Stake      types.String `tfsdk:"stake"`
	CPUGHzHour types.String `tfsdk:"price_cpu_ghz_hour"`
	MemGBHour  types.String `tfsdk:"price_mem_gb_hour"`
	DiskGBHour types.String `tfsdk:"price_disk_gb_hour"`
	GPUHour    types.Map    `tfsdk:"price_gpu_hour"`
	Wallet     types.String `tfsdk:"wallet"`
	NodeName   types.String `tfsdk:"node_name"`
}

const metaWallet = conventions.MetaWallet

var pathNodeID = path.Root("node_id")

func (r *registrationResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_provider_registration"
}

func (r *registrationResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	price := func(what string) schema.StringAttribute {
		return schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString("0"),
			Validators:  []validator.String{amountValidator{}},
			Description: "Tokens per hour for " + what + " (node meta); 0 gives it away."}
	}
	resp.Schema = schema.Schema{
		Description: "A provider's stake in ProviderRegistry under the configured wallet (private_key), and its prices on its Nomad node.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "The provider wallet."},
			"node_id": schema.StringAttribute{Required: true, PlanModifiers: []planmodifier.String{stringplanmodifier.RequiresReplace()},
				Validators:  []validator.String{nodeIDValidator},
				Description: "Nomad node ID of the provider's client (data source dec2_providers lists them)."},
			"stake": schema.StringAttribute{Required: true, Validators: []validator.String{amountValidator{positive: true}},
				Description: "Tokens staked (at least the registry's minimum); lowering it requests unbonding of the difference."},
			"price_cpu_ghz_hour": price("1 GHz of reserved CPU"),
			"price_mem_gb_hour":  price("1 GiB of reserved memory"),
			"price_disk_gb_hour": price("1 GiB of reserved disk"),
			"price_gpu_hour": schema.MapAttribute{ElementType: types.StringType, Optional: true, Computed: true,
				Default:     mapdefault.StaticValue(types.MapValueMust(types.StringType, nil)),
				Validators:  []validator.Map{gpuPricesValidator{}},
				Description: "Tokens per hour for one whole GPU, by model as the dec2-gpu plugin names it (e.g. A100-80GB)."},
			"wallet":    schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "The provider wallet (node meta dec2.wallet)."},
			"node_name": schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "The node's name."},
		},
	}
}

func (r *registrationResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.c = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *registrationResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m registrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cl, addrs, ok := r.c.onChain(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	node, _, err := r.c.nomad.Nodes().Info(m.NodeID.ValueString(), nil)
	if err != nil {
		resp.Diagnostics.AddAttributeError(pathNodeID, "Unknown node", fmt.Sprintf("Reading node %s: %v", m.NodeID.ValueString(), err))
		return
	}
	stake, _ := pricing.ParseAmount(m.Stake.ValueString())
	if _, err := cl.Token(addrs.Token).Approve(ctx, addrs.Registry, stake); err != nil {
		resp.Diagnostics.AddError("Approving the stake failed", err.Error())
		return
	}
	if _, err := cl.Registry(addrs.Registry).Register(ctx, node.ID, stake); err != nil {
		resp.Diagnostics.AddError("Registering the provider failed", fmt.Sprintf("register(node %s, %s tokens) from %s: %v", node.Name, m.Stake.ValueString(), cl.Address().Hex(), err))
		return
	}
	m.ID, m.Wallet, m.NodeName = types.StringValue(cl.Address().Hex()), types.StringValue(cl.Address().Hex()), types.StringValue(node.Name)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...) // registered: keep it even if the meta fails
	r.applyMeta(ctx, &m, nil, &resp.Diagnostics)
}

func (r *registrationResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m registrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cl, addrs, ok := r.c.onChain(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	p, err := cl.Registry(addrs.Registry).Provider(ctx, cl.Address())
	if err != nil {
		resp.Diagnostics.AddError("Reading the registration failed", err.Error())
		return
	}
	if p.NodeIdHash == ([32]byte{}) || p.Stake.Sign() == 0 {
		resp.State.RemoveResource(ctx) // never registered, or unbonded
		return
	}
	m.Stake = amountValue(m.Stake, p.Stake)
	node, _, err := r.c.nomad.Nodes().Info(m.NodeID.ValueString(), nil)
	if err != nil {
		resp.Diagnostics.AddError("Reading the provider's node failed", err.Error())
		return
	}
	prices, _ := pricing.ParsePrices(node.Meta) // a malformed price reads as 0, so the plan rewrites it
	m.CPUGHzHour = amountValue(m.CPUGHzHour, prices.CPUGHzHour)
	m.MemGBHour = amountValue(m.MemGBHour, prices.MemGBHour)
	m.DiskGBHour = amountValue(m.DiskGBHour, prices.DiskGBHour)
	gpu := map[string]types.String{}
	for model, v := range prices.GPUHour {
		had, _ := m.GPUHour.Elements()[model].(types.String)
		gpu[model] = amountValue(had, v)
	}
	var d diag.Diagnostics
	m.GPUHour, d = types.MapValueFrom(ctx, types.StringType, gpu)
	resp.Diagnostics.Append(d...)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *registrationResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state registrationModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cl, addrs, ok := r.c.onChain(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	want, _ := pricing.ParseAmount(plan.Stake.ValueString())
	had, _ := pricing.ParseAmount(state.Stake.ValueString())
	reg := cl.Registry(addrs.Registry)
	var err error
	switch delta := new(big.Int).Sub(want, had); delta.Sign() {
	case 1:
		if _, err = cl.Token(addrs.Token).Approve(ctx, addrs.Registry, delta); err == nil {
			_, err = reg.Stake(ctx, delta)
		}
	case -1:
		_, err = reg.RequestUnbond(ctx, new(big.Int).Neg(delta))
	}
	if err != nil {
		resp.Diagnostics.AddError("Changing the stake failed", fmt.Sprintf("from %s to %s tokens: %v", state.Stake.ValueString(), plan.Stake.ValueString(), err))
		return
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
	r.applyMeta(ctx, &plan, &state, &resp.Diagnostics)
}

func (r *registrationResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m registrationModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	cl, addrs, ok := r.c.onChain(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	reg := cl.Registry(addrs.Registry)
	p, err := reg.Provider(ctx, cl.Address())
	if err == nil && p.Stake.Sign() > 0 {
		_, err = reg.RequestUnbond(ctx, p.Stake)
	}
	if err != nil {
		resp.Diagnostics.AddError("Unbonding the stake failed", err.Error())
		return
	}
	meta := map[string]*string{metaWallet: nil}
	for k := range priceMeta(&m) {
		meta[k] = nil
	}
	_, err = r.c.nomad.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: m.NodeID.ValueString(), Meta: meta}, nil)
	if isNotFound(err) {
		return // the node is gone, and its meta with it
	}
	if err == nil {
		err = waitNodeMeta(ctx, r.c, m.NodeID.ValueString(), meta)
	}
	if err != nil {
		resp.Diagnostics.AddError("Removing the node's dec2 meta failed", err.Error())
	}
}

// applyMeta publishes the wallet and prices as node meta, unsetting GPU prices that were
// dropped since old, and waits until the servers' view of the node shows them (the allocator,
// dec2-billing and the next refresh read it there).
func (r *registrationResource) applyMeta(ctx context.Context, m, old *registrationModel, diags *diag.Diagnostics) {
	meta := map[string]*string{}
	if old != nil {
		for k := range priceMeta(old) {
			meta[k] = nil
		}
	}
	wallet := m.Wallet.ValueString()
	meta[metaWallet] = &wallet
	for k, v := range priceMeta(m) {
		meta[k] = &v
	}
	id := m.NodeID.ValueString()
	if _, err := r.c.nomad.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: id, Meta: meta}, nil); err != nil {
		diags.AddError("Publishing the prices failed", fmt.Sprintf("Setting dynamic meta on node %s (needs node:write): %v", m.NodeName.ValueString(), err))
		return
	}
	if err := waitNodeMeta(ctx, r.c, id, meta); err != nil {
		diags.AddError("Publishing the prices failed", err.Error())
	}
}

// waitNodeMeta waits until node id's meta as the servers hold it has want (nil = absent).
func waitNodeMeta(ctx context.Context, c *clients, id string, want map[string]*string) error {
	ctx, cancel := context.WithTimeout(ctx, c.wait)
	defer cancel()
	for {
		node, _, err := c.nomad.Nodes().Info(id, nil)
		if err != nil {
			return fmt.Errorf("reading node %s: %w", id, err)
		}
		var stale []string
		for k, v := range want {
			got, ok := node.Meta[k]
			if (v == nil && ok) || (v != nil && got != *v) {
				stale = append(stale, k)
			}
		}
		if len(stale) == 0 {
			return nil
		}
		sort.Strings(stale)
		select {
		case <-ctx.Done():
			return fmt.Errorf("node %s's meta still shows old %s after %s", node.Name, strings.Join(stale, ", "), c.wait)
		case <-time.After(pollEvery):
		}
	}
}

// amountValue is v as a token amount, written as had when had means the same amount (so that
// "1.50" in the configuration does not differ from the "1.5" read back).
func amountValue(had types.String, v *big.Int) types.String {
	if n, err := pricing.ParseAmount(had.ValueString()); err == nil && n.Cmp(v) == 0 {
		return had
	}
	return types.StringValue(pricing.FormatAmount(v))
}

// priceMeta is m's prices as node meta keys and values.
func priceMeta(m *registrationModel) map[string]string {
	meta := map[string]string{
		pricing.MetaCPU:  m.CPUGHzHour.ValueString(),
		pricing.MetaMem:  m.MemGBHour.ValueString(),
		pricing.MetaDisk: m.DiskGBHour.ValueString(),
	}
	for model, v := range m.GPUHour.Elements() {
		if s, ok := v.(types.String); ok {
			meta[pricing.MetaGPUPrefix+model] = s.ValueString()
		}
	}
	return meta
}

// gpuPricesValidator checks each GPU price and that the model is named.
type gpuPricesValidator struct{}

func (gpuPricesValidator) Description(context.Context) string {
	return "GPU model → decimal token amount per hour"
}
func (v gpuPricesValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (gpuPricesValidator) ValidateMap(_ context.Context, req validator.MapRequest, resp *validator.MapResponse) {
	if !known(req.ConfigValue) {
		return
	}
	models := make([]string, 0, len(req.ConfigValue.Elements()))
	for k := range req.ConfigValue.Elements() {
		models = append(models, k)
	}
	sort.Strings(models)
	for _, model := range models {
		s, ok := req.ConfigValue.Elements()[model].(types.String)
		if !ok || !known(s) {
			continue
		}
		if _, err := pricing.ParseAmount(s.ValueString()); err != nil {
			resp.Diagnostics.AddAttributeError(req.Path.AtMapKey(model), "Invalid GPU price", err.Error())
		}
	}
}

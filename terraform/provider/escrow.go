package provider

import (
	"context"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/booldefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/pricing"
)

func newEscrowDepositResource() resource.Resource { return &escrowDepositResource{} }

// streamsCloseWait bounds how long destroying a deposit waits for its open streams to close.
const streamsCloseWait = 30 * time.Second

// escrowDepositResource is the configured wallet's deposit in StreamEscrow: creating it deposits
// amount (approving the escrow first) and authorises the billing operator; a larger amount tops
// up, a smaller one withdraws the difference; destroying it revokes the operator once no stream
// is open and withdraws what is still refundable.
type escrowDepositResource struct{ c *clients }

type escrowDepositModel struct {
	ID                types.String `tfsdk:"id"`
	Amount            types.String `tfsdk:"amount"`
	Operator          types.String `tfsdk:"operator"`
	WithdrawOnDestroy types.Bool   `tfsdk:"withdraw_on_destroy"`
	Consumer          types.String `tfsdk:"consumer"`
	Escrow            types.String `tfsdk:"escrow"`
	Balance           types.String `tfsdk:"balance"`
	Refundable        types.String `tfsdk:"refundable"`
}

func (r *escrowDepositResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_escrow_deposit"
}

func (r *escrowDepositResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	keep := []planmodifier.String{stringplanmodifier.UseStateForUnknown()}
	resp.Schema = schema.Schema{
		Description: "Tokens the configured wallet (private_key) deposits into StreamEscrow to pay for its instances.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "<escrow>/<consumer>."},
			"amount": schema.StringAttribute{Required: true, Validators: []validator.String{amountValidator{positive: true}},
				Description: "Tokens deposited, e.g. \"100\" or \"2.5\"; raising it deposits more, lowering it withdraws the difference."},
			"operator": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				Validators:  []validator.String{optionalAddress{}},
				Description: "Billing operator to authorise (dec2-billing's address); it opens the payment streams."},
			"withdraw_on_destroy": schema.BoolAttribute{Optional: true, Computed: true, Default: booldefault.StaticBool(true),
				Description: "On destroy, revoke the operator (once no stream is open) and withdraw what is still refundable, up to amount (default true)."},
			"consumer":   schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "The depositing wallet."},
			"escrow":     schema.StringAttribute{Computed: true, PlanModifiers: keep, Description: "StreamEscrow's address."},
			"balance":    schema.StringAttribute{Computed: true, Description: "The wallet's escrow balance in tokens, streams settled to now."},
			"refundable": schema.StringAttribute{Computed: true, Description: "What the wallet could withdraw now, in tokens."},
		},
	}
}

func (r *escrowDepositResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.c = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (r *escrowDepositResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m escrowDepositModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	amount, _ := pricing.ParseAmount(m.Amount.ValueString()) // validated at plan time
	if !r.deposit(ctx, &m, amount, &resp.Diagnostics) {
		return
	}
	if op := m.Operator.ValueString(); op != "" {
		if !r.setOperator(ctx, op, true, &resp.Diagnostics) {
			return
		}
	}
	r.refresh(ctx, &m, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *escrowDepositResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m escrowDepositModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	r.refresh(ctx, &m, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *escrowDepositResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var plan, state escrowDepositModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &plan)...)
	resp.Diagnostics.Append(req.State.Get(ctx, &state)...)
	if resp.Diagnostics.HasError() {
		return
	}
	want, _ := pricing.ParseAmount(plan.Amount.ValueString())
	had, _ := pricing.ParseAmount(state.Amount.ValueString())
	switch delta := new(big.Int).Sub(want, had); delta.Sign() {
	case 1:
		if !r.deposit(ctx, &plan, delta, &resp.Diagnostics) {
			return
		}
	case -1:
		if !r.withdraw(ctx, new(big.Int).Neg(delta), &resp.Diagnostics) {
			return
		}
	}
	if was, now := state.Operator.ValueString(), plan.Operator.ValueString(); was != now {
		if was != "" && !r.setOperator(ctx, was, false, &resp.Diagnostics) {
			return
		}
		if now != "" && !r.setOperator(ctx, now, true, &resp.Diagnostics) {
			return
		}
	}
	r.refresh(ctx, &plan, &resp.Diagnostics)
	resp.Diagnostics.Append(resp.State.Set(ctx, &plan)...)
}

func (r *escrowDepositResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m escrowDepositModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !m.WithdrawOnDestroy.ValueBool() {
		return
	}
	cl, addrs, ok := r.c.onChain(ctx, &resp.Diagnostics)
	if !ok {
		return
	}
	escrow := cl.Escrow(addrs.Escrow)
	acct, err := escrow.Account(ctx, cl.Address())
	// Billing closes the streams of instances destroyed alongside a moment after their jobs
	// stop; it needs the operator for that, and closing makes more refundable.
	for wait := time.Now().Add(streamsCloseWait); err == nil && acct.Rate.Sign() > 0 && time.Now().Before(wait); {
		select {
		case <-ctx.Done():
			err = ctx.Err()
		case <-time.After(time.Second):
			acct, err = escrow.Account(ctx, cl.Address())
		}
	}
	if err != nil {
		resp.Diagnostics.AddError("Reading the escrow account failed", err.Error())
		return
	}
	if op := m.Operator.ValueString(); op != "" {
		if acct.Rate.Sign() == 0 {
			if !r.setOperator(ctx, op, false, &resp.Diagnostics) {
				return
			}
		} else {
			resp.Diagnostics.AddWarning("Billing operator left authorised",
				fmt.Sprintf("Streams from %s still pay %s tokens a second after %s; operator %s stays authorised so that billing can close them. Stop those instances, then revoke it (StreamEscrow.setOperator(%s, false)).",
					cl.Address().Hex(), pricing.FormatAmount(acct.Rate), streamsCloseWait, op, op))
		}
	}
	amount, _ := pricing.ParseAmount(m.Amount.ValueString())
	// Open streams shrink what is refundable every second until the withdrawal is mined:
	// leave them a minute's worth.
	refundable := new(big.Int).Sub(acct.Refundable, new(big.Int).Mul(acct.Rate, big.NewInt(60)))
	if refundable.Cmp(amount) < 0 {
		amount = refundable
	}
	if amount.Sign() > 0 {
		r.withdraw(ctx, amount, &resp.Diagnostics)
	}
}

// deposit approves the escrow for amount and deposits it, filling in the ids.
func (r *escrowDepositResource) deposit(ctx context.Context, m *escrowDepositModel, amount *big.Int, diags *diag.Diagnostics) bool {
	cl, addrs, ok := r.c.onChain(ctx, diags)
	if !ok {
		return false
	}
	m.Consumer, m.Escrow = types.StringValue(cl.Address().Hex()), types.StringValue(addrs.Escrow.Hex())
	m.ID = types.StringValue(addrs.Escrow.Hex() + "/" + cl.Address().Hex())
	if _, err := cl.Token(addrs.Token).Approve(ctx, addrs.Escrow, amount); err != nil {
		diags.AddError("Approving the deposit failed", fmt.Sprintf("approve(%s, %s tokens) from %s: %v", addrs.Escrow.Hex(), pricing.FormatAmount(amount), cl.Address().Hex(), err))
		return false
	}
	if _, err := cl.Escrow(addrs.Escrow).Deposit(ctx, amount); err != nil {
		diags.AddError("Depositing failed", fmt.Sprintf("deposit(%s tokens) from %s: %v", pricing.FormatAmount(amount), cl.Address().Hex(), err))
		return false
	}
	return true
}

func (r *escrowDepositResource) withdraw(ctx context.Context, amount *big.Int, diags *diag.Diagnostics) bool {
	cl, addrs, err := r.c.signer(ctx)
	if err == nil {
		_, err = cl.Escrow(addrs.Escrow).Withdraw(ctx, amount)
	}
	if err != nil {
		diags.AddError("Withdrawing from the escrow failed", fmt.Sprintf("withdraw(%s tokens): %v", pricing.FormatAmount(amount), err))
		return false
	}
	return true
}

func (r *escrowDepositResource) setOperator(ctx context.Context, op string, approved bool, diags *diag.Diagnostics) bool {
	cl, addrs, err := r.c.signer(ctx)
	if err == nil {
		_, err = cl.Escrow(addrs.Escrow).SetOperator(ctx, common.HexToAddress(op), approved)
	}
	if err != nil {
		diags.AddError("Setting the billing operator failed", fmt.Sprintf("setOperator(%s, %t): %v", op, approved, err))
		return false
	}
	return true
}

// refresh reads the account's balance and refundable part.
func (r *escrowDepositResource) refresh(ctx context.Context, m *escrowDepositModel, diags *diag.Diagnostics) {
	cl, addrs, ok := r.c.onChain(ctx, diags)
	if !ok {
		return
	}
	acct, err := cl.Escrow(addrs.Escrow).Account(ctx, common.HexToAddress(m.Consumer.ValueString()))
	if err != nil {
		diags.AddError("Reading the escrow account failed", err.Error())
		return
	}
	m.Balance, m.Refundable = types.StringValue(pricing.FormatAmount(acct.Balance)), types.StringValue(pricing.FormatAmount(acct.Refundable))
}

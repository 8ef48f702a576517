package provider

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64default"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/int64planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/listplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringdefault"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/stringplanmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/instances"
)

func newInstanceResource() resource.Resource { return &instanceResource{} }

// instanceResource is a Nomad job built by package instances and registered through the
// allocator. Nomad updates count, image, arguments and wallet in place (the allocator keeps
// the placement of unchanged groups); anything that changes the reservation or the job's
// identity replaces it.
type instanceResource struct{ c *clients }

type instanceModel struct {
	ID           types.String `tfsdk:"id"`
	Name         types.String `tfsdk:"name"`
	Type         types.String `tfsdk:"type"`
	Image        types.String `tfsdk:"image"`
	Args         types.List   `tfsdk:"args"`
	Ports        types.List   `tfsdk:"ports"`
	Count        types.Int64  `tfsdk:"instance_count"`
	GPUMemoryMiB types.Int64  `tfsdk:"gpu_memory_mib"`
	Wallet       types.String `tfsdk:"wallet"`
	Datacenters  types.List   `tfsdk:"datacenters"`
	Node         types.String `tfsdk:"node"`
	Address      types.String `tfsdk:"address"`
	Nodes        types.List   `tfsdk:"nodes"`
	Addresses    types.List   `tfsdk:"addresses"`
	CostPerHour  types.String `tfsdk:"cost_per_hour"`
}

func (r *instanceResource) Metadata(_ context.Context, req resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance"
}

func (r *instanceResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	replace := []planmodifier.String{stringplanmodifier.RequiresReplace()}
	observed := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "A container instance rented from dec2 providers: a Nomad job packed by dec2-allocator.",
		Attributes: map[string]schema.Attribute{
			"id": schema.StringAttribute{Computed: true, Description: "The Nomad job ID (= name).",
				PlanModifiers: []planmodifier.String{stringplanmodifier.UseStateForUnknown()}},
			"name": schema.StringAttribute{Required: true, Description: "Nomad job ID.",
				Validators: []validator.String{jobNameValidator}, PlanModifiers: replace},
			"type": schema.StringAttribute{Required: true, Description: "Instance type from the catalogue (data source dec2_instance_types).",
				Validators: []validator.String{instanceTypeValidator{}}, PlanModifiers: replace},
			"image": schema.StringAttribute{Required: true, Description: "Container image; changed in place (a rolling update)."},
			"args": schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true,
				Default:     listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{})),
				Description: "Arguments to the image's entrypoint."},
			"ports": schema.ListAttribute{ElementType: types.Int64Type, Optional: true, Computed: true,
				Default:       listdefault.StaticValue(types.ListValueMust(types.Int64Type, []attr.Value{})),
				Validators:    []validator.List{portsValidator{}},
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				Description:   "Container ports, each mapped to a dynamic port on the provider; the first one is `address`."},
			"instance_count": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(1),
				Validators:  []validator.Int64{rangeValidator{1, 100}},
				Description: "Number of instances (count is Terraform's own meta-argument); changed in place."},
			"gpu_memory_mib": schema.Int64Attribute{Optional: true, Computed: true, Default: int64default.StaticInt64(0),
				Validators:    []validator.Int64{rangeValidator{0, 1 << 20}},
				PlanModifiers: []planmodifier.Int64{int64planmodifier.RequiresReplace()},
				Description:   "Minimum memory per GPU in MiB, overriding the type's floor (GPU types only; 0 = the type's)."},
			"wallet": schema.StringAttribute{Optional: true, Computed: true, Default: stringdefault.StaticString(""),
				Validators:  []validator.String{optionalAddress{}},
				Description: "Consumer wallet paying for the instance (job meta dec2.wallet); empty = the namespace's."},
			"datacenters": schema.ListAttribute{ElementType: types.StringType, Optional: true, Computed: true,
				Default:       listdefault.StaticValue(types.ListValueMust(types.StringType, []attr.Value{types.StringValue("*")})),
				PlanModifiers: []planmodifier.List{listplanmodifier.RequiresReplace()},
				Description:   "Datacenters the instance may run in."},
			"node":          observed("Name of the provider node running the first instance."),
			"address":       observed("host:port of the first instance's first port (empty without ports)."),
			"nodes":         schema.ListAttribute{ElementType: types.StringType, Computed: true, Description: "Provider node of each running instance."},
			"addresses":     schema.ListAttribute{ElementType: types.StringType, Computed: true, Description: "host:port of each running instance's first port."},
			"cost_per_hour": observed("What the running instances cost per hour at their providers' prices, in tokens (what dec2-billing streams)."),
		},
	}
}

func (r *instanceResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	r.c = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

// ValidateConfig checks what spans attributes: a GPU memory floor needs a GPU type.
func (r *instanceResource) ValidateConfig(ctx context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !known(m.Type) || !known(m.GPUMemoryMiB) || m.GPUMemoryMiB.ValueInt64() == 0 {
		return
	}
	if t, err := catalog.Lookup(m.Type.ValueString()); err == nil && t.GPUs == 0 {
		resp.Diagnostics.AddAttributeError(path.Root("gpu_memory_mib"), "GPU memory on a type without GPUs",
			fmt.Sprintf("Type %s has no GPU; drop gpu_memory_mib or pick a g1.* type (data source dec2_instance_types).", t.Name))
	}
}

func (r *instanceResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	resp.Diagnostics.Append(resp.State.SetAttribute(ctx, path.Root("id"), req.ID)...)
}

func (r *instanceResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	m.ID = m.Name
	// The job exists once registered: keep it in state even when waiting failed, so that the
	// next apply replaces it (tainted) and destroy removes it.
	if r.apply(ctx, &m, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

func (r *instanceResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.Plan.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	if r.apply(ctx, &m, &resp.Diagnostics) {
		resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
	}
}

// apply registers the job for m through the allocator, waits until it runs and fills in what
// was observed. It reports whether Nomad took the job (so there is something to keep in state).
func (r *instanceResource) apply(ctx context.Context, m *instanceModel, diags *diag.Diagnostics) bool {
	spec, d := m.spec(ctx)
	diags.Append(d...)
	if diags.HasError() {
		return false
	}
	job, evalID, err := r.c.instances().Submit(ctx, spec)
	if err != nil {
		diags.AddError("Registering the instance failed", fmt.Sprintf("Through %s: %v", r.c.nomadAddr, err))
		return false
	}
	obs, err := waitRunning(ctx, r.c, *job.ID, evalID, spec.Ports)
	m.setObserved(obs)
	if err != nil {
		diags.AddError("The instance did not start", err.Error())
	}
	return true
}

func (r *instanceResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	in, err := describe(ctx, r.c, m.ID.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Reading the instance failed", err.Error())
		return
	}
	if in == nil { // stopped or purged outside Terraform
		resp.State.RemoveResource(ctx)
		return
	}
	spec, err := specFromJob(in.Job, m.Type.ValueString())
	if err != nil {
		resp.Diagnostics.AddError("Reading the instance failed", err.Error())
		return
	}
	m.fromSpec(spec)
	obs, err := observe(*in, spec.Ports)
	if err != nil {
		resp.Diagnostics.AddError("Reading the instance's allocations failed", err.Error())
		return
	}
	m.setObserved(obs)
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func (r *instanceResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	var m instanceModel
	resp.Diagnostics.Append(req.State.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() || !r.configured(&resp.Diagnostics) {
		return
	}
	if err := stopJob(ctx, r.c, m.ID.ValueString()); err != nil {
		resp.Diagnostics.AddError("Stopping the instance failed", err.Error())
	}
}

func (r *instanceResource) configured(diags *diag.Diagnostics) bool {
	if r.c == nil {
		diags.AddError("Provider not configured", "The dec2 provider was not configured before use; this is a bug in the dec2 provider.")
	}
	return r.c != nil
}

// spec is the rental m asks for.
func (m *instanceModel) spec(ctx context.Context) (instances.Spec, diag.Diagnostics) {
	var diags diag.Diagnostics
	s := instances.Spec{
		Name: m.Name.ValueString(), Type: m.Type.ValueString(), Image: m.Image.ValueString(),
		Count: int(m.Count.ValueInt64()), GPUMemoryMiB: int(m.GPUMemoryMiB.ValueInt64()), Wallet: m.Wallet.ValueString(),
	}
	diags.Append(m.Args.ElementsAs(ctx, &s.Args, false)...)
	diags.Append(m.Datacenters.ElementsAs(ctx, &s.Datacenters, false)...)
	var ports []int64
	diags.Append(m.Ports.ElementsAs(ctx, &ports, false)...)
	for _, p := range ports {
		s.Ports = append(s.Ports, int(p))
	}
	if err := s.Validate(); err != nil && !diags.HasError() {
		diags.AddError("Invalid instance", err.Error())
	}
	return s, diags
}

// fromSpec sets the configurable attributes from what Nomad runs (drift and import).
func (m *instanceModel) fromSpec(s instances.Spec) {
	m.ID, m.Name, m.Type, m.Image = types.StringValue(s.Name), types.StringValue(s.Name), types.StringValue(s.Type), types.StringValue(s.Image)
	m.Count, m.Wallet = types.Int64Value(int64(s.Count)), types.StringValue(s.Wallet)
	if m.GPUMemoryMiB.IsNull() || m.GPUMemoryMiB.IsUnknown() {
		m.GPUMemoryMiB = types.Int64Value(int64(s.GPUMemoryMiB))
	}
	m.Args, m.Datacenters = stringList(s.Args), stringList(s.Datacenters)
	ports := make([]attr.Value, len(s.Ports))
	for i, p := range s.Ports {
		ports[i] = types.Int64Value(int64(p))
	}
	m.Ports = types.ListValueMust(types.Int64Type, ports)
}

func (m *instanceModel) setObserved(o observed) {
	m.Nodes, m.Addresses = stringList(o.Nodes), stringList(o.Addresses)
	m.Node, m.Address = types.StringValue(first(o.Nodes)), types.StringValue(first(o.Addresses))
	m.CostPerHour = types.StringValue(o.CostPerHour)
}

func first(ss []string) string {
	if len(ss) == 0 {
		return ""
	}
	return ss[0]
}

func stringList(ss []string) types.List {
	vs := make([]attr.Value, len(ss))
	for i, s := range ss {
		vs[i] = types.StringValue(s)
	}
	return types.ListValueMust(types.StringType, vs)
}

// optionalAddress is addressValidator that lets "" (no wallet) through.
type optionalAddress struct{ addressValidator }

func (v optionalAddress) ValidateString(ctx context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if req.ConfigValue.ValueString() != "" {
		v.addressValidator.ValidateString(ctx, req, resp)
	}
}

package provider

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/nomad/api"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/datasource/schema"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/pricing"
)

func newInstanceTypesDataSource() datasource.DataSource { return &instanceTypesDataSource{} }

// instanceTypesDataSource lists the catalogue, optionally only the types with (or without) GPUs.
type instanceTypesDataSource struct{}

type instanceTypeModel struct {
	Name         string `tfsdk:"name"`
	Description  string `tfsdk:"description"`
	CPUMHz       int64  `tfsdk:"cpu_mhz"`
	MemoryMB     int64  `tfsdk:"memory_mb"`
	DiskMB       int64  `tfsdk:"disk_mb"`
	GPUs         int64  `tfsdk:"gpus"`
	GPUMemoryMiB int64  `tfsdk:"gpu_memory_mib"`
	GPUName      string `tfsdk:"gpu_name"`
}

type instanceTypesModel struct {
	GPU   types.Bool          `tfsdk:"gpu"`
	Names []string            `tfsdk:"names"`
	Types []instanceTypeModel `tfsdk:"types"`
}

func (d *instanceTypesDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_instance_types"
}

func (d *instanceTypesDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	resp.Schema = schema.Schema{
		Description: "dec2's instance types (package catalog), in catalogue order.",
		Attributes: map[string]schema.Attribute{
			"gpu":   schema.BoolAttribute{Optional: true, Description: "true: only types with GPUs; false: only types without; unset: all."},
			"names": schema.ListAttribute{ElementType: types.StringType, Computed: true, Description: "The types' names."},
			"types": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"name":           schema.StringAttribute{Computed: true},
				"description":    schema.StringAttribute{Computed: true},
				"cpu_mhz":        schema.Int64Attribute{Computed: true, Description: "Reserved CPU in MHz."},
				"memory_mb":      schema.Int64Attribute{Computed: true, Description: "Reserved memory in MiB."},
				"disk_mb":        schema.Int64Attribute{Computed: true, Description: "Ephemeral disk in MiB."},
				"gpus":           schema.Int64Attribute{Computed: true, Description: "Whole GPUs."},
				"gpu_memory_mib": schema.Int64Attribute{Computed: true, Description: "Least memory per GPU; 0 = any."},
				"gpu_name":       schema.StringAttribute{Computed: true, Description: "GPU model asked for; empty = any."},
			}}},
		},
	}
}

func (d *instanceTypesDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m instanceTypesModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	m.Names, m.Types = []string{}, []instanceTypeModel{}
	for _, t := range catalog.Types() {
		if !m.GPU.IsNull() && m.GPU.ValueBool() != (t.GPUs > 0) {
			continue
		}
		m.Names = append(m.Names, t.Name)
		m.Types = append(m.Types, instanceTypeModel{t.Name, t.Description, int64(t.CPU), int64(t.MemoryMB), int64(t.DiskMB),
			int64(t.GPUs), int64(t.GPUMemoryMiB), t.GPUName})
	}
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

func newProvidersDataSource() datasource.DataSource { return &providersDataSource{} }

// providersDataSource lists the region's provider nodes: capacity, GPUs and prices from node
// meta (CONVENTIONS.md), as the allocator and dec2-billing read them.
type providersDataSource struct{ c *clients }

type gpuModel struct {
	Name      string `tfsdk:"name"`
	Vendor    string `tfsdk:"vendor"`
	Type      string `tfsdk:"type"`
	Count     int64  `tfsdk:"count"`
	MemoryMiB int64  `tfsdk:"memory_mib"`
}

type providerNodeModel struct {
	ID          string            `tfsdk:"id"`
	Name        string            `tfsdk:"name"`
	Datacenter  string            `tfsdk:"datacenter"`
	Status      string            `tfsdk:"status"`
	Eligible    bool              `tfsdk:"eligible"`
	Wallet      string            `tfsdk:"wallet"`
	CPUMHz      int64             `tfsdk:"cpu_mhz"`
	MemoryMB    int64             `tfsdk:"memory_mb"`
	DiskMB      int64             `tfsdk:"disk_mb"`
	GPUs        []gpuModel        `tfsdk:"gpus"`
	CPUGHzHour  string            `tfsdk:"price_cpu_ghz_hour"`
	MemGBHour   string            `tfsdk:"price_mem_gb_hour"`
	DiskGBHour  string            `tfsdk:"price_disk_gb_hour"`
	GPUHour     map[string]string `tfsdk:"price_gpu_hour"`
	PriceErrors string            `tfsdk:"price_error"`
}

type providersModel struct {
	ReadyOnly types.Bool          `tfsdk:"ready_only"`
	Providers []providerNodeModel `tfsdk:"providers"`
}

func (d *providersDataSource) Metadata(_ context.Context, req datasource.MetadataRequest, resp *datasource.MetadataResponse) {
	resp.TypeName = req.ProviderTypeName + "_providers"
}

func (d *providersDataSource) Schema(_ context.Context, _ datasource.SchemaRequest, resp *datasource.SchemaResponse) {
	str := func(desc string) schema.StringAttribute {
		return schema.StringAttribute{Computed: true, Description: desc}
	}
	num := func(desc string) schema.Int64Attribute {
		return schema.Int64Attribute{Computed: true, Description: desc}
	}
	resp.Schema = schema.Schema{
		Description: "The region's provider nodes with their free-to-reserve capacity, GPUs and prices, by node name.",
		Attributes: map[string]schema.Attribute{
			"ready_only": schema.BoolAttribute{Optional: true, Description: "Only ready, eligible nodes (default true)."},
			"providers": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
				"id":         str("Nomad node ID."),
				"name":       str("Nomad node name."),
				"datacenter": str(""),
				"status":     str("Nomad node status (ready, down, …)."),
				"eligible":   schema.BoolAttribute{Computed: true, Description: "Scheduling eligibility."},
				"wallet":     str("Provider wallet (node meta dec2.wallet)."),
				"cpu_mhz":    num("CPU less what the node reserves for itself, MHz."),
				"memory_mb":  num("Memory less the node's reservation, MiB."),
				"disk_mb":    num("Disk less the node's reservation, MiB."),
				"gpus": schema.ListNestedAttribute{Computed: true, NestedObject: schema.NestedAttributeObject{Attributes: map[string]schema.Attribute{
					"name":       str("Model, e.g. A100-80GB."),
					"vendor":     str(""),
					"type":       str("gpu or gpu-share."),
					"count":      num("Healthy instances."),
					"memory_mib": num("Memory per device (attribute memory)."),
				}}},
				"price_cpu_ghz_hour": str("Tokens per GHz-hour."),
				"price_mem_gb_hour":  str("Tokens per GiB-hour of memory."),
				"price_disk_gb_hour": str("Tokens per GiB-hour of disk."),
				"price_gpu_hour":     schema.MapAttribute{ElementType: types.StringType, Computed: true, Description: "Tokens per GPU-hour by model."},
				"price_error":        str("Why the node's price meta is malformed (dec2-billing pays nothing there); empty when fine."),
			}}},
		},
	}
}

func (d *providersDataSource) Configure(_ context.Context, req datasource.ConfigureRequest, resp *datasource.ConfigureResponse) {
	d.c = clientsFrom(req.ProviderData, &resp.Diagnostics)
}

func (d *providersDataSource) Read(ctx context.Context, req datasource.ReadRequest, resp *datasource.ReadResponse) {
	var m providersModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &m)...)
	if resp.Diagnostics.HasError() {
		return
	}
	if d.c == nil {
		resp.Diagnostics.AddError("Provider not configured", "The dec2 provider was not configured before use; this is a bug in the dec2 provider.")
		return
	}
	stubs, _, err := d.c.nomad.Nodes().List(nil)
	if err != nil {
		resp.Diagnostics.AddError("Listing provider nodes failed", fmt.Sprintf("Through %s: %v", d.c.nomadAddr, err))
		return
	}
	readyOnly := m.ReadyOnly.IsNull() || m.ReadyOnly.ValueBool()
	m.Providers = []providerNodeModel{}
	for _, s := range stubs {
		if readyOnly && (s.Status != api.NodeStatusReady || s.SchedulingEligibility != api.NodeSchedulingEligible || s.Drain) {
			continue
		}
		node, _, err := d.c.nomad.Nodes().Info(s.ID, nil)
		if err != nil {
			resp.Diagnostics.AddError("Reading a provider node failed", fmt.Sprintf("Node %s: %v", s.Name, err))
			return
		}
		m.Providers = append(m.Providers, providerNode(node))
	}
	sort.Slice(m.Providers, func(i, j int) bool { return m.Providers[i].Name < m.Providers[j].Name })
	resp.Diagnostics.Append(resp.State.Set(ctx, &m)...)
}

// providerNode is the data source's view of a node: capacity less the node's own reservation
// (as the allocator counts it), healthy GPU instances, and prices.
func providerNode(n *api.Node) providerNodeModel {
	p := providerNodeModel{ID: n.ID, Name: n.Name, Datacenter: n.Datacenter, Status: n.Status,
		Eligible: n.SchedulingEligibility == api.NodeSchedulingEligible, Wallet: n.Meta[conventions.MetaWallet],
		GPUs: []gpuModel{}, GPUHour: map[string]string{}}
	if r := n.NodeResources; r != nil {
		p.CPUMHz, p.MemoryMB, p.DiskMB = r.Cpu.CpuShares, r.Memory.MemoryMB, r.Disk.DiskMB
		for _, dev := range r.Devices {
			if dev.Type != "gpu" && dev.Type != "gpu-share" {
				continue
			}
			g := gpuModel{Name: dev.Name, Vendor: dev.Vendor, Type: dev.Type}
			for _, inst := range dev.Instances {
				if inst.Healthy {
					g.Count++
				}
			}
			if a := dev.Attributes["memory"]; a != nil && a.IntVal != nil {
				g.MemoryMiB = *a.IntVal
				if a.Unit == "GiB" {
					g.MemoryMiB *= 1024
				}
			}
			p.GPUs = append(p.GPUs, g)
		}
	}
	if r := n.ReservedResources; r != nil {
		p.CPUMHz -= int64(r.Cpu.CpuShares)
		p.MemoryMB -= int64(r.Memory.MemoryMB)
		p.DiskMB -= int64(r.Disk.DiskMB)
	}
	prices, err := pricing.ParsePrices(n.Meta)
	if err != nil {
		p.PriceErrors = strings.ReplaceAll(err.Error(), "\n", "; ")
	}
	p.CPUGHzHour, p.MemGBHour, p.DiskGBHour = pricing.FormatAmount(prices.CPUGHzHour), pricing.FormatAmount(prices.MemGBHour), pricing.FormatAmount(prices.DiskGBHour)
	for model, v := range prices.GPUHour {
		p.GPUHour[model] = pricing.FormatAmount(v)
	}
	return p
}

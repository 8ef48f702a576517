// Package instances turns a rental request (an instance type, an image, ports) into the Nomad job
// that runs it, by filling dec2's instance jobspecs through Nomad's own parse endpoint, so that
// the CLI, the Terraform provider and `nomad job run jobspecs/instance.nomad.hcl` submit the same job.
package instances

import (
	"fmt"
	"regexp"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/hashicorp/nomad/api"
	"github.com/zclconf/go-cty/cty"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/jobspecs"
)

// Spec is what a consumer asks for.
type Spec struct {
	Name         string // job ID
	Type         string // catalogue type
	Image        string
	Args         []string
	Ports        []int
	Count        int // 0 means 1
	GPUMemoryMiB int // raises or lowers the type's per-GPU memory floor when > 0
	Wallet       string
	Datacenters  []string // nil means every datacenter
}

const maxCount = 100

var validName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`)

// Validate checks s without asking Nomad, naming the field that is wrong.
func (s Spec) Validate() error {
	if !validName.MatchString(s.Name) {
		return fmt.Errorf("name %q: use 1-63 lower-case letters, digits and dashes, starting with a letter or digit", s.Name)
	}
	t, err := catalog.Lookup(s.Type)
	if err != nil {
		return fmt.Errorf("type: %w", err)
	}
	if s.Image == "" {
		return fmt.Errorf("image: required (for example nginx:1.27-alpine)")
	}
	seen := map[int]bool{}
	for _, p := range s.Ports {
		if p < 1 || p > 65535 {
			return fmt.Errorf("port %d: want 1-65535", p)
		}
		if seen[p] {
			return fmt.Errorf("port %d: listed twice", p)
		}
		seen[p] = true
	}
	if s.Count < 0 || s.Count > maxCount {
		return fmt.Errorf("count %d: want 1-%d", s.Count, maxCount)
	}
	if s.GPUMemoryMiB < 0 {
		return fmt.Errorf("gpu memory %d MiB: must not be negative", s.GPUMemoryMiB)
	}
	if s.GPUMemoryMiB > 0 && t.GPUs == 0 {
		return fmt.Errorf("gpu memory: type %s has no GPU; pick a g1.* type (see `dec2 instance types`)", t.Name)
	}
	if s.Wallet != "" && !common.IsHexAddress(s.Wallet) {
		return fmt.Errorf("wallet %q: want a 0x-prefixed 20-byte hex address", s.Wallet)
	}
	return nil
}

// jobspec runs every type; a GPU type sets its gpu_* variables.
const jobspec = "instance"

// Vars renders the variables file for s on type t; values are HCL literals, so an image or
// argument holding "${" stays text.
func Vars(s Spec, t catalog.Type) string {
	f := hclwrite.NewEmptyFile()
	b := f.Body()
	count := s.Count
	if count == 0 {
		count = 1
	}
	dcs := s.Datacenters
	if dcs == nil {
		dcs = []string{"*"}
	}
	b.SetAttributeValue("name", cty.StringVal(s.Name))
	b.SetAttributeValue("datacenters", stringList(dcs))
	b.SetAttributeValue("image", cty.StringVal(s.Image))
	b.SetAttributeValue("args", stringList(s.Args))
	b.SetAttributeValue("cpu", cty.NumberIntVal(int64(t.CPU)))
	b.SetAttributeValue("memory", cty.NumberIntVal(int64(t.MemoryMB)))
	b.SetAttributeValue("disk", cty.NumberIntVal(int64(t.DiskMB)))
	ports := make([]cty.Value, len(s.Ports))
	for i, p := range s.Ports {
		ports[i] = cty.NumberIntVal(int64(p))
	}
	b.SetAttributeValue("ports", listOf(cty.Number, ports))
	b.SetAttributeValue("count", cty.NumberIntVal(int64(count)))
	b.SetAttributeValue("wallet", cty.StringVal(s.Wallet))
	if t.ReadOnlyRoot {
		b.SetAttributeValue("readonly_rootfs", cty.True)
	}
	if t.GPUs > 0 {
		mem := t.GPUMemoryMiB
		if s.GPUMemoryMiB > 0 {
			mem = s.GPUMemoryMiB
		}
		b.SetAttributeValue("gpu_count", cty.NumberIntVal(int64(t.GPUs)))
		b.SetAttributeValue("gpu_memory_mib", cty.NumberIntVal(int64(mem)))
		b.SetAttributeValue("gpu_name", cty.StringVal(t.GPUName))
	}
	return string(f.Bytes())
}

func stringList(ss []string) cty.Value {
	vs := make([]cty.Value, len(ss))
	for i, s := range ss {
		vs[i] = cty.StringVal(s)
	}
	return listOf(cty.String, vs)
}

func listOf(elem cty.Type, vs []cty.Value) cty.Value {
	if len(vs) == 0 {
		return cty.ListValEmpty(elem)
	}
	return cty.ListVal(vs)
}

// Job parses the jobspec for s through the Nomad API at c (Nomad itself, or the allocator,
// which speaks the same API).
func Job(c *api.Client, s Spec) (*api.Job, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	t, _ := catalog.Lookup(s.Type)
	src, err := jobspecs.Source(jobspec)
	if err != nil {
		return nil, err
	}
	job, err := c.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: src, Variables: Vars(s, t), Canonicalize: true})
	if err != nil {
		return nil, fmt.Errorf("parsing the %s jobspec for %s: %w", jobspec, s.Name, err)
	}
	job.ID, job.Name = &s.Name, &s.Name
	if job.Meta == nil {
		job.Meta = map[string]string{}
	}
	job.Meta[conventions.MetaPack] = "true"
	if s.Wallet != "" {
		job.Meta[conventions.MetaWallet] = s.Wallet
	}
	return job, nil
}

// LastEvent is an allocation's latest task event as "Type: message", "" when it has none:
// what tells a renter why an instance failed.
func LastEvent(a *api.AllocationListStub) string {
	var last *api.TaskEvent
	for _, ts := range a.TaskStates {
		for _, e := range ts.Events {
			if last == nil || e.Time > last.Time {
				last = e
			}
		}
	}
	if last == nil || last.DisplayMessage == "" {
		return ""
	}
	return last.Type + ": " + last.DisplayMessage
}

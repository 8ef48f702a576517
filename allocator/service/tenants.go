package service

import (
	"context"
	"errors"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/allocator/admission"
	"github.com/dec2-cloud/dec2/allocator/rewrite"
	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/tenancy"
)

// admitTenancy refuses, before anything is packed or sent to Nomad, a job whose dec2.* meta is
// malformed, whose Docker tasks ask for a way out of the sandbox, that names a wallet billing
// would not charge, or that opts in to packing in a namespace bound to no wallet (work nobody
// would pay for). It applies to every registration through the allocator, packed or not. A
// group sharing the host's network is constrained to providers dedicated to the job's tenant.
func (s *Server) admitTenancy(ctx context.Context, job *api.Job, ns string) error {
	if err := rewrite.CheckMeta(job); err != nil {
		return admission.Refuse(admission.BadInput, "%v", err)
	}
	for _, tg := range job.TaskGroups {
		hostNet := false
		for _, task := range tg.Tasks {
			if task == nil || task.Driver != "docker" {
				continue
			}
			if err := tenancy.CheckDockerTask(task.Name, task.Config, true); err != nil {
				return admission.Refuse(admission.BadInput, "%v", err)
			}
			hostNet = hostNet || tenancy.HostNetwork(task.Config)
		}
		if hostNet {
			// Host networking runs only where the tenant owns the provider: pack it there.
			tg.Constraints = append(tg.Constraints, api.NewConstraint("${meta."+conventions.MetaDedicatedTenant+"}", "=", ns))
		}
	}
	optedIn := job.Meta[rewrite.MetaPack] == "true"
	if !optedIn && strings.TrimSpace(job.Meta[conventions.MetaWallet]) == "" {
		return nil
	}
	w, err := s.tenants.Wallet(ctx, ns)
	if err != nil {
		return admission.Refuse(admission.Upstream, "Nomad at %s: %v", s.cfg.NomadAddr, err)
	}
	if _, err := tenancy.Payer(tenancy.Job{Namespace: ns, Meta: job.Meta, NamespaceWallet: w}, s.cfg.ChainID, s.now()); err != nil {
		var te *tenancy.Error
		if errors.As(err, &te) && te.Key != "" && te.Reason != tenancy.ReasonNotNamespaces {
			return admission.Refuse(admission.BadInput, "%v", err)
		}
		return admission.Refuse(admission.Forbidden, "%v", err)
	}
	return nil
}

package e2e

import (
	"context"
	"fmt"
	"net"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/dec2-cloud/dec2/cli/clientconfig"
)

// FederatedRegion is one region of a federation: a server and its clients.
type FederatedRegion struct {
	Name       string // Nomad region name, as `dec2 provider join --region` accepts it
	Datacenter string // "" = Nomad's dc1
	// Clients' names must differ across the federation (they name cgroups on this one host);
	// an unnamed one is called <region>-client<n>.
	Clients []Client
}

// FederationOptions shape a federation of regions.
type FederationOptions struct {
	// Regions are started in order; the first is the authoritative region.
	Regions []FederatedRegion
	// ACL turns ACLs on everywhere: the authoritative region bootstraps the management token
	// and the others replicate it, with ACL policies, namespaces and node pools.
	ACL bool
	// ReadyTimeout bounds the whole start; default 120s.
	ReadyTimeout time.Duration
}

// Federation is several Nomad regions on 127.0.0.1 whose servers gossip over one serf pool, so
// each region's API forwards requests for the others (?region=NAME).
type Federation struct {
	Regions []*Region // in FederationOptions.Regions order; Regions[0] is authoritative
	Token   string    // the management token when ACLs are on, valid in every region
}

// StartFederation starts opts.Regions one server at a time, each joining the authoritative
// region's server, and waits until every region lists them all, the management token works in
// each (it has replicated), and every client's node is ready with a healthy Docker driver.
// Each region is cleaned up as StartRegion's are; the regions started last go first.
func StartFederation(t TB, opts FederationOptions) *Federation {
	t.Helper()
	for _, fr := range opts.Regions {
		for i := range fr.Clients {
			if fr.Clients[i].Name == "" {
				fr.Clients[i].Name = fmt.Sprintf("%s-client%d", fr.Name, i+1)
			}
		}
	}
	if err := checkFederation(opts.Regions); err != nil {
		t.Fatalf("StartFederation: %v", err)
	}
	if opts.ReadyTimeout == 0 {
		opts.ReadyTimeout = 120 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), opts.ReadyTimeout)
	defer cancel()

	f := &Federation{}
	auth := opts.Regions[0].Name
	for i, fr := range opts.Regions {
		rc := regionConfig{name: fr.Name, datacenter: fr.Datacenter, acl: opts.ACL, authoritative: auth}
		if i > 0 {
			rc.join = []string{net.JoinHostPort("127.0.0.1", strconv.Itoa(f.Regions[0].serf))}
			rc.replicationToken = f.Token
		}
		r := startServer(ctx, t, rc)
		f.Regions = append(f.Regions, r)
		switch {
		case opts.ACL && i == 0:
			r.bootstrapACL(t)
			f.Token = r.Token
		case opts.ACL:
			r.setToken(f.Token)
		}
		// Clients start while the next regions' servers do; they are awaited below.
		r.startClients(t, fr.Clients)
	}

	names := make([]string, len(f.Regions))
	for i, r := range f.Regions {
		names[i] = r.Name
	}
	for _, r := range f.Regions {
		if err := r.waitRegions(ctx, names); err != nil {
			f.fail(t, "waiting for region %s to see the others: %v", r.Name, err)
		}
		if opts.ACL {
			if err := r.waitToken(ctx); err != nil {
				f.fail(t, "waiting for the management token to replicate to region %s: %v", r.Name, err)
			}
		}
		if err := r.waitClients(ctx); err != nil {
			f.fail(t, "waiting for the clients of region %s: %v", r.Name, err)
		}
	}
	return f
}

// checkFederation refuses options that would start regions that cannot work together.
func checkFederation(regions []FederatedRegion) error {
	if len(regions) == 0 {
		return fmt.Errorf("no regions")
	}
	seen := map[string]bool{}
	clients := map[string]string{}
	for _, fr := range regions {
		if !clientconfig.ValidRegion(fr.Name) {
			return fmt.Errorf("region name %q: want lowercase letters, digits and dashes", fr.Name)
		}
		if seen[fr.Name] {
			return fmt.Errorf("region %q given twice", fr.Name)
		}
		seen[fr.Name] = true
		for _, c := range fr.Clients {
			// The name is the client's cgroup parent, in the one cgroup tree of this host.
			if other, ok := clients[c.Name]; ok {
				return fmt.Errorf("client %q is in regions %s and %s: client names must differ across the federation", c.Name, other, fr.Name)
			}
			clients[c.Name] = fr.Name
		}
	}
	return nil
}

// Region returns the named region.
func (f *Federation) Region(t TB, name string) *Region {
	t.Helper()
	for _, r := range f.Regions {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("federation has no region %q", name)
	return nil
}

// Logs returns the last n lines of every agent's log in every region.
func (f *Federation) Logs(n int) string {
	var b strings.Builder
	for _, r := range f.Regions {
		fmt.Fprintf(&b, "=== region %s ===\n%s", r.Name, r.Logs(n))
	}
	return b.String()
}

func (f *Federation) fail(t TB, format string, args ...any) {
	t.Helper()
	t.Logf("%s", f.Logs(40))
	t.Fatalf(format, args...)
}

// waitRegions waits until the region's server knows every region in want, through serf.
func (r *Region) waitRegions(ctx context.Context, want []string) error {
	var known []string
	err := poll(ctx, 250*time.Millisecond, func() (bool, error) {
		if !r.Server.Running() {
			return false, fmt.Errorf("server exited")
		}
		list, err := r.API.Regions().List()
		if err != nil {
			return false, nil
		}
		known = list
		for _, name := range want {
			if !slices.Contains(list, name) {
				return false, nil
			}
		}
		return true, nil
	})
	if err != nil {
		return fmt.Errorf("%w (known: %s)", err, strings.Join(known, ", "))
	}
	return nil
}

// waitToken waits until the region resolves its token: outside the authoritative region that
// is once ACL replication has copied it.
func (r *Region) waitToken(ctx context.Context) error {
	var last error
	err := poll(ctx, 250*time.Millisecond, func() (bool, error) {
		_, _, last = r.API.ACLTokens().Self(nil)
		return last == nil, nil
	})
	if err != nil {
		return fmt.Errorf("%w (last answer: %v)", err, last)
	}
	return nil
}

package s3e2e

import (
	"bytes"
	"context"
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/repair/repairer"
)

// checkLine is how the checker's log reports each check.
const checkLine = `msg="repair: check" `

// The repair worker placed by the allocator. Six providers run storage nodes as Nomad jobs;
// objects are stored 2/4 through `dec2 s3 serve`. The repair namespace is a tenant bound to the
// repairer's wallet, and one provider is dedicated to it (the worker shares its provider's
// network, which the allocator allows only there). The checker, `dec2-repair watch` with
// dec2-allocator as its Nomad, registers nothing while every provider is up. A provider that
// holds pieces vanishes (its storage node stops, its agent is killed); once Nomad has it down
// past the grace, the checker registers the worker job (repair.nomad.hcl, rendered with the
// variables repair-checker.nomad.hcl gives it) through the allocator, which pins it to the
// dedicated provider; the worker runs there in Docker, one round, and every segment is back to n
// pieces on distinct live providers; every object reads; and the checker starts no other run.
func TestRepairWorkerPlacedByTheAllocator(t *testing.T) {
	e2e.RequireIntegration(t)
	repairerKey, _ := crypto.GenerateKey()
	repairerWallet := crypto.PubkeyToAddress(repairerKey.PublicKey)
	w := startWorld(t, 1<<30, "--repairer", repairerWallet.Hex())
	region, nodes, svc, c := w.region, w.nodes, w.svc, w.s3
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute)
	defer cancel()
	bucket := "repair-job"
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: &bucket}); err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	objects := map[string][]byte{"small": withMarkers(3000), "medium": withMarkers(5 << 20), "large": withMarkers(20 << 20)}
	for k, body := range objects {
		if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: &bucket, Key: aws.String(k), Body: bytes.NewReader(body)}); err != nil {
			t.Fatalf("PutObject %s: %v", k, err)
		}
	}
	catalog := &metaapi.Client{URL: svc.URL, Key: w.wallet}
	before := usage(ctx, t, catalog)
	var victim, operator *e2e.StorageNode
	for _, n := range nodes {
		switch {
		case victim == nil && before[strings.ToLower(n.Provider.Hex())].Pieces > 0:
			victim = n
		case operator == nil:
			operator = n
		}
	}
	if victim == nil || operator == nil {
		t.Fatalf("no provider holds pieces: usage %+v", before)
	}

	const ns, job = "dec2-repair", "dec2-repair"
	region.BindWallet(t, ns, repairerWallet.Hex())
	v := &api.Variable{Namespace: ns, Path: "nomad/jobs/" + job,
		Items: api.VariableItems{"key": hex.EncodeToString(crypto.FromECDSA(repairerKey)), "nomad_token": region.Token}}
	if _, _, err := region.API.Variables().Create(v, &api.WriteOptions{Namespace: ns}); err != nil {
		t.Fatalf("storing the worker's key: %v", err)
	}
	if _, err := region.API.Nodes().Meta().Apply(&api.NodeMetaApplyRequest{NodeID: operator.NodeID,
		Meta: map[string]*string{conventions.MetaDedicatedTenant: new(ns)}}, nil); err != nil {
		t.Fatalf("dedicating %s to %s: %v", operator.Client, ns, err)
	}
	e2e.Poll(t, "Nomad to list "+operator.Client+" as dedicated", time.Minute, 500*time.Millisecond, func() (bool, error) {
		n, _, err := region.API.Nodes().Info(operator.NodeID, nil)
		return err == nil && n.Meta[conventions.MetaDedicatedTenant] == ns, err
	})
	allocator := e2e.StartAllocator(t, region)

	// The worker's variables, as the checker's jobspec renders them for it.
	image := e2e.Image(t, "./storage/cmd/dec2-repair", "dec2-repair")
	checkerSpec, err := os.ReadFile(filepath.Join(e2e.RepoRoot(), "jobspecs", "repair-checker.nomad.hcl"))
	if err != nil {
		t.Fatal(err)
	}
	checkerJob, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(checkerSpec), Variables: `
namespace  = "` + ns + `"
image      = "` + image + `"
storage    = "` + svc.URL + `"
nomad_addr = "` + region.Addr + `"
grace      = "5s"
parallel   = 4
`})
	if err != nil {
		t.Fatalf("rendering the checker's jobspec: %v", err)
	}
	varFile := filepath.Join(t.TempDir(), "worker.vars.hcl")
	if err := os.WriteFile(varFile, []byte(*checkerJob.TaskGroups[0].Tasks[0].Templates[0].EmbeddedTmpl), 0o600); err != nil {
		t.Fatal(err)
	}
	checker := e2e.StartRepairChecker(t, svc.URL, allocator.Addr, region.Token, repairerKey, varFile, "--every", "2s", "--grace", "5s")
	defer func() {
		if t.Failed() {
			t.Logf("checker:\n%s", checker.LogTail())
		}
	}()
	// With every provider up a check finds nothing: no worker.
	e2e.Poll(t, "the checker's first two checks", time.Minute, 500*time.Millisecond, func() (bool, error) {
		return strings.Count(checker.Log(), checkLine) >= 2, nil
	})
	if strings.Contains(checker.Log(), "worker_started=true") {
		t.Fatalf("the checker started a worker with every provider up:\n%s", checker.LogTail())
	}
	if _, _, err := region.API.Jobs().Info(job, &api.QueryOptions{Namespace: ns}); err == nil {
		t.Fatalf("job %s exists with every provider up", job)
	}

	victim.Stop(t, region)
	lostAt := time.Now()
	region.Client(t, victim.Client).Kill()
	var registered *api.Job
	e2e.Poll(t, "the checker to register the worker", 2*time.Minute, time.Second, func() (bool, error) {
		j, _, err := region.API.Jobs().Info(job, &api.QueryOptions{Namespace: ns})
		registered = j
		return err == nil, nil
	})
	startedAfter := time.Since(lostAt)
	if *registered.Type != api.JobTypeBatch || registered.Periodic != nil || registered.Meta[repairer.MetaRound] == "" {
		t.Errorf("registered %s job, periodic %+v, meta %v: want a one-shot batch job with its round", *registered.Type, registered.Periodic, registered.Meta)
	}
	// The allocator's pin: its plan names the dedicated provider, and the group is constrained to it.
	if plan := registered.Meta[conventions.MetaPlan]; !strings.Contains(plan, operator.NodeID) {
		t.Errorf("the worker job's plan %q does not name %s (%s): the allocator did not place it; allocator log:\n%s", plan, operator.Client, operator.NodeID, allocator.Log)
	}
	pinned := false
	for _, tg := range registered.TaskGroups {
		for _, con := range tg.Constraints {
			pinned = pinned || (con.LTarget == "${node.unique.id}" && strings.Contains(con.RTarget, operator.NodeID))
		}
	}
	if !pinned {
		t.Errorf("no task group of the worker job is pinned to %s: %+v", operator.NodeID, registered.TaskGroups)
	}

	e2e.Poll(t, "every segment back at full redundancy", 2*time.Minute, time.Second, func() (bool, error) {
		return fullRedundancy(ctx, catalog, victim.NodeID) == nil, nil
	})
	healed := time.Since(lostAt)
	var ran *api.AllocationListStub
	e2e.Poll(t, "the worker's run to complete", time.Minute, time.Second, func() (bool, error) {
		allocs, _, err := region.API.Jobs().Allocations(job, false, &api.QueryOptions{Namespace: ns})
		for _, a := range allocs {
			if a.ClientStatus == api.AllocClientStatusComplete {
				ran = a
			}
		}
		return ran != nil, err
	})
	alloc, _, err := region.API.Allocations().Info(ran.ID, &api.QueryOptions{Namespace: ns})
	if err != nil {
		t.Fatal(err)
	}
	if alloc.NodeID != operator.NodeID || alloc.Job.TaskGroups[0].Tasks[0].Driver != "docker" || alloc.TaskStates["repair"] == nil || alloc.TaskStates["repair"].Failed {
		t.Errorf("the worker ran on %s with driver %s, task state %+v: want a Docker task that succeeded on %s", alloc.NodeID,
			alloc.Job.TaskGroups[0].Tasks[0].Driver, alloc.TaskStates["repair"], operator.NodeID)
	}
	t.Logf("lost provider %s: the checker registered the worker %s after the loss, full redundancy %s after it (grace 5s, checks every 2s)",
		victim.Client, startedAfter.Round(time.Second), healed.Round(time.Second))
	readAll(ctx, t, c, bucket, objects, "after the repair")

	// Nothing left to do: the checker registers no other run.
	version := *registered.Version
	if j, _, err := region.API.Jobs().Info(job, &api.QueryOptions{Namespace: ns}); err == nil {
		version = *j.Version
	}
	checks := strings.Count(checker.Log(), checkLine)
	e2e.Poll(t, "three more checks", time.Minute, 500*time.Millisecond, func() (bool, error) {
		return strings.Count(checker.Log(), checkLine) >= checks+3, nil
	})
	if j, _, err := region.API.Jobs().Info(job, &api.QueryOptions{Namespace: ns}); err != nil || *j.Version != version {
		t.Errorf("after the repair the worker job is at version %v (%v), want %d: the checker started a run with nothing to do", j.Version, err, version)
	}
}

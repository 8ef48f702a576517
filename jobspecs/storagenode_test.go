package jobspecs_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/nodeapi"
	"github.com/dec2-cloud/dec2/storage/piecestore"
)

// The storage node runs as a Nomad job pinned to one provider, its pieces on the client's host
// volume and its key from the job's variable: Nomad renders its command line from the
// variables, then the job serves a signed upload, a ranged read and a challenge, and the piece
// lies on the provider's disk.
func TestStoragenodeJobspecStoresPiecesOnItsHostVolume(t *testing.T) {
	e2e.RequireIntegration(t)
	disk := t.TempDir()
	region := e2e.StartRegion(t, e2e.Options{Clients: []e2e.Client{
		{Name: "provider", CPUMHz: 2000, MemoryMB: 2048, HostVolumes: map[string]string{e2e.StorageVolume: disk}},
		{Name: "other", CPUMHz: 2000, MemoryMB: 2048},
	}})
	src, err := os.ReadFile("storagenode.nomad.hcl")
	if err != nil {
		t.Fatal(err)
	}
	job, err := region.API.Jobs().ParseHCLOpts(&api.JobsParseRequest{JobHCL: string(src), Canonicalize: true,
		Variables: "name = \"dec2-storagenode-provider\"\nnode = \"provider\"\ncapacity = \"500000000000\"\n"})
	if err != nil {
		t.Fatalf("parsing the storage node jobspec: %v", err)
	}
	tg := job.TaskGroups[0]
	if *job.ID != "dec2-storagenode-provider" || len(tg.Constraints) != 1 || tg.Constraints[0].LTarget != "${node.unique.name}" || tg.Constraints[0].RTarget != "provider" {
		t.Errorf("job %s, constraints %+v: want it pinned to node provider", *job.ID, tg.Constraints)
	}
	if v := tg.Volumes["data"]; v == nil || v.Type != "host" || v.Source != e2e.StorageVolume || v.ReadOnly {
		t.Errorf("volume %+v: want host volume %s, writable", v, e2e.StorageVolume)
	}
	task := tg.Tasks[0]
	if len(task.VolumeMounts) != 1 || *task.VolumeMounts[0].Destination != "/data" {
		t.Errorf("volume mounts %+v", task.VolumeMounts)
	}
	var args []string
	for _, a := range task.Config["args"].([]any) {
		args = append(args, fmt.Sprint(a))
	}
	if want := "serve --listen ${NOMAD_IP_http}:${NOMAD_PORT_http} --data /data --capacity 500000000000 --max-piece-size 268435456 --key-file ${NOMAD_SECRETS_DIR}/provider.key --chain-id 1337"; strings.Join(args, " ") != want {
		t.Errorf("args %q, want %q", strings.Join(args, " "), want)
	}
	if len(task.Templates) != 1 || !strings.Contains(*task.Templates[0].EmbeddedTmpl, `nomadVar "nomad/jobs/dec2-storagenode-provider"`) {
		t.Errorf("the key's template does not read the job's own variable: %+v", task.Templates)
	}

	defer func() {
		if t.Failed() {
			t.Logf("%s", region.Logs(30))
		}
	}()
	node := e2e.StartStorageNodes(t, region, []e2e.StorageProvider{{Client: "provider", Disk: disk}}, 10_000_000)[0]
	allocs, _, err := region.API.Jobs().Allocations(node.Job, false, nil)
	if err != nil || len(allocs) != 1 || allocs[0].NodeID != region.NodeID(t, "provider") {
		t.Errorf("allocations %d (%v): want one, on node provider", len(allocs), err)
	}

	owner, _ := crypto.GenerateKey()
	c := &nodeapi.Client{URL: node.URL, Key: owner, ChainID: 1337}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	piece := bytes.Repeat([]byte("0123456789abcdef"), 3*merkle.LeafSize/16+5)
	id := piecestore.ID(crypto.Keccak256Hash(piece))
	rc, err := c.Put(ctx, id, piece, uint64(time.Now().Add(time.Hour).Unix()))
	if err != nil {
		t.Fatalf("uploading through the job: %v", err)
	}
	if rc.Provider != node.Provider {
		t.Errorf("receipt signed by %s, want the provider key from the variable", rc.Provider.Hex())
	}
	got, err := c.Get(ctx, id, 100, 50)
	if err != nil || !bytes.Equal(got, piece[100:150]) {
		t.Errorf("ranged read: %q, %v", got, err)
	}
	ans, err := c.Challenge(ctx, node.Provider, audit.Challenge{PieceID: common.Hash(id), Leaf: 3, Seed: common.HexToHash("0x5eed")})
	if err != nil || !ans.Found || merkle.Verify(merkle.Hash(rc.MerkleRoot), 3, ans.Data, ans.Proof) != nil {
		t.Errorf("challenge of leaf 3: %+v, %v", ans, err)
	}
	var files []string
	_ = filepath.WalkDir(disk, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, filepath.Base(p))
		}
		return nil
	})
	if !slices.Contains(files, id.String()) {
		t.Errorf("the host volume holds %v, not piece %s", files, id)
	}
}

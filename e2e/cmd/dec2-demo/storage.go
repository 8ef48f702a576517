package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/billing-sidecar/ledger"
	"github.com/dec2-cloud/dec2/billing-sidecar/storagestreams"
	"github.com/dec2-cloud/dec2/e2e"
	"github.com/dec2-cloud/dec2/storage/metaapi"
	"github.com/dec2-cloud/dec2/storage/s3keys"
)

// storageCapacity is what each provider offers for pieces in the demo.
const storageCapacity = 10 << 30

// storedFile is what the consumer stores: big enough to be split over the providers, small
// enough to upload in a moment.
const (
	storedBucket = "holiday"
	storedKey    = "photos/beach.raw"
	storedSize   = 24 << 20
)

// storage is the demo's S3: a storage node on each provider, the storage service, and the
// consumer's own gateway.
type storage struct {
	svc     *e2e.StorageService
	keyFile string // the service's wallet key, which owns and encrypts its snapshots
	nodes   []*e2e.StorageNode
	gateway *e2e.S3Gateway
	keys    s3keys.Key
	s3      *s3.Client
	// streams are the storage streams' ids ("storage/<consumer>/<provider>") billing opened.
	streams []string
}

// snapshotEvery is how often the demo's storage service stores its metadata on the providers.
const snapshotEvery = 10 * time.Second

// startStorage runs dec2-storagenode as a Nomad job on every provider's host volume, signing
// receipts with the provider's staked wallet, and the storage service, which lets the billing
// operator read every tenant's usage and snapshots its metadata onto the providers with a
// wallet of its own.
func (d *demo) startStorage() error {
	var providers []e2e.StorageProvider
	for i, p := range fleet {
		providers = append(providers, e2e.StorageProvider{Client: p.name, Disk: d.disks[p.name], Key: d.chain.Key(d.chain.Provider(i))})
	}
	d.t.Log.Info("starting a storage node on each provider (Nomad jobs) and the storage service")
	d.storage.nodes = e2e.StartStorageNodes(d.t, d.region, providers, storageCapacity)
	dir, err := os.MkdirTemp("", "dec2-demo-storage-")
	if err != nil {
		return err
	}
	d.t.Cleanup(func() { os.RemoveAll(dir) })
	key, err := crypto.GenerateKey()
	if err != nil {
		return err
	}
	d.storage.keyFile = filepath.Join(dir, "storage.key")
	if err := os.WriteFile(d.storage.keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		return err
	}
	d.storage.svc = e2e.StartStorageServiceAt(d.t, fmt.Sprintf("http://127.0.0.1:%d", e2e.FreePort(d.t)), filepath.Join(dir, "meta.db"),
		[]string{"NOMAD_TOKEN=" + d.region.Token}, "--meter", d.chain.Operator().Hex(),
		"--key-file", d.storage.keyFile, "--snapshot-every", snapshotEvery.String(), "--nomad-addr", d.region.Addr)
	return nil
}

// waitSnapshot waits for the storage service to store a snapshot of its metadata taken after
// the consumer's file was stored: the second one from now began after it.
func (d *demo) waitSnapshot(ctx context.Context) error {
	stored := func() int { return strings.Count(d.storage.svc.Log(), "metadata snapshot stored") }
	want := stored() + 2
	for stored() < want {
		select {
		case <-ctx.Done():
			return fmt.Errorf("waiting for a metadata snapshot: %w", ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
	fmt.Fprintf(d.out, "Metadata:   dec2-storage snapshots its database onto the providers every %s, encrypted and erasure-coded;\n"+
		"            with its key alone, `dec2-storage restore --db sqlite:///new.db --key-file %s --nomad-addr %s` rebuilds it (NOMAD_TOKEN=%s).\n",
		snapshotEvery, d.storage.keyFile, d.region.Addr, d.region.Token)
	return nil
}

// storeFile starts the consumer's gateway (`dec2 s3 serve`, which finds the storage nodes in
// Nomad with the consumer's own token) and stores a file through it with an S3 SDK.
func (d *demo) storeFile(ctx context.Context) error {
	dir, err := os.MkdirTemp("", "dec2-demo-s3-")
	if err != nil {
		return err
	}
	d.t.Cleanup(func() { os.RemoveAll(dir) })
	keysFile := filepath.Join(dir, "s3keys.json")
	if d.storage.keys, err = s3keys.Create(keysFile, time.Now()); err != nil {
		return err
	}
	wallet := d.chain.Key(d.chain.Consumer(consumer))
	d.storage.gateway = e2e.StartS3Gateway(d.t, d.storage.svc.URL, wallet, keysFile,
		[]string{"NOMAD_ADDR=" + d.region.Addr, "NOMAD_TOKEN=" + d.session.NomadToken})
	d.storage.s3 = s3.New(s3.Options{
		Region: "us-east-1", BaseEndpoint: aws.String(d.storage.gateway.Endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider(d.storage.keys.AccessKey, d.storage.keys.SecretKey, ""),
	})
	c := d.storage.s3
	if _, err := c.CreateBucket(ctx, &s3.CreateBucketInput{Bucket: aws.String(storedBucket)}); err != nil {
		return fmt.Errorf("creating bucket %s: %w", storedBucket, err)
	}
	body := make([]byte, storedSize)
	_, _ = rand.Read(body)
	if _, err := c.PutObject(ctx, &s3.PutObjectInput{Bucket: aws.String(storedBucket), Key: aws.String(storedKey), Body: bytes.NewReader(body)}); err != nil {
		return fmt.Errorf("storing s3://%s/%s: %w", storedBucket, storedKey, err)
	}
	res, err := c.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(storedBucket), Key: aws.String(storedKey)})
	if err != nil {
		return fmt.Errorf("reading s3://%s/%s back: %w", storedBucket, storedKey, err)
	}
	var back bytes.Buffer
	_, err = back.ReadFrom(res.Body)
	res.Body.Close()
	if err != nil || !bytes.Equal(back.Bytes(), body) {
		return fmt.Errorf("reading s3://%s/%s back: %d bytes, equal %v, %v", storedBucket, storedKey, back.Len(), bytes.Equal(back.Bytes(), body), err)
	}
	fmt.Fprintf(d.out, "\nS3:         %s  (dec2 s3 serve, the consumer's own gateway: AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s s3 ls s3://%s --recursive)\n",
		d.storage.gateway.Endpoint, d.storage.keys.AccessKey, d.storage.keys.SecretKey, d.storage.gateway.Endpoint, storedBucket)
	fmt.Fprintf(d.out, "Stored s3://%s/%s (%d MiB) through it and read it back: encrypted on the consumer's side, erasure-coded, its pieces on the providers:\n",
		storedBucket, storedKey, storedSize>>20)
	return d.printPieces(ctx)
}

// printPieces shows what each provider holds of the consumer's objects, as the storage
// service records it (what billing meters).
func (d *demo) printPieces(ctx context.Context) error {
	cat := &metaapi.Client{URL: d.storage.svc.URL, Key: d.chain.Key(d.chain.Consumer(consumer))}
	usage, err := cat.Usage(ctx)
	if err != nil {
		return fmt.Errorf("reading the consumer's storage usage: %w", err)
	}
	names := map[string]string{}
	for _, n := range d.storage.nodes {
		names[strings.ToLower(n.Provider.Hex())] = n.Client
	}
	sort.Slice(usage, func(i, j int) bool {
		return names[strings.ToLower(usage[i].Provider)] < names[strings.ToLower(usage[j].Provider)]
	})
	w := tabwriter.NewWriter(d.out, 0, 0, 2, ' ', 0)
	fmt.Fprintln(w, "  PROVIDER\tWALLET\tPIECES\tMiB HELD")
	var total int64
	for _, u := range usage {
		total += u.Bytes
		fmt.Fprintf(w, "  %s\t%s\t%d\t%.1f\n", names[strings.ToLower(u.Provider)], short(common.HexToAddress(u.Provider)), u.Pieces, float64(u.Bytes)/(1<<20))
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(d.out, "  %.1f MiB held for %d MiB stored: the consumer pays for n/k × its bytes at each provider's DEC2 per GiB-hour.\n",
		float64(total)/(1<<20), storedSize>>20)
	return nil
}

// waitStorageStreams waits until billing has opened a storage stream to every provider
// holding pieces.
func (d *demo) waitStorageStreams(ctx context.Context, timeout time.Duration) error {
	consumerAddr := d.chain.Consumer(consumer)
	deadline := time.After(timeout)
	for {
		d.storage.streams = d.storage.streams[:0]
		for _, n := range d.storage.nodes {
			id := storagestreams.StreamID(storagestreams.Pair{Consumer: consumerAddr, Provider: n.Provider})
			if _, ok := d.storageStream(ctx, id); ok {
				d.storage.streams = append(d.storage.streams, id)
			}
		}
		if len(d.storage.streams) >= 4 {
			return nil
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-deadline:
			return fmt.Errorf("billing opened %d storage streams in %s, want one per provider holding pieces (4)", len(d.storage.streams), timeout)
		case <-time.After(time.Second):
		}
	}
}

// deleteFile deletes the stored file and waits until billing has closed every storage stream:
// the providers hold nothing of the consumer's any more.
func (d *demo) deleteFile(ctx context.Context) error {
	if _, err := d.storage.s3.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(storedBucket), Key: aws.String(storedKey)}); err != nil {
		return fmt.Errorf("deleting s3://%s/%s: %w", storedBucket, storedKey, err)
	}
	fmt.Fprintf(d.out, "Deleted s3://%s/%s: its pieces are deleted from the providers and the storage streams close.\n", storedBucket, storedKey)
	for _, id := range d.storage.streams {
		e2e.Poll(d.t, "storage stream "+id+" to close", time.Minute, time.Second, func() (bool, error) {
			s, ok := d.storageStream(ctx, id)
			return ok && s.end != 0, nil
		})
	}
	return nil
}

// storageStream is the latest segment of a storage stream: re-rating closes a segment and opens
// the next, so the latest one that exists is the one paying (or the last that paid).
func (d *demo) storageStream(ctx context.Context, id string) (streamView, bool) {
	var last streamView
	found := false
	for seg := range 64 {
		s, err := d.chain.Stream(ctx, ledger.StreamKey(id, seg))
		if err != nil || s.Rate == nil || s.Rate.Sign() == 0 {
			break
		}
		last, found = streamView{rate: s.Rate, owed: s.Owed, provider: s.Provider, end: s.End}, true
	}
	return last, found
}

type streamView struct {
	rate, owed *big.Int
	provider   common.Address
	end        uint64 // 0 while open
}

// printStoragePay prints each storage stream's rate and what it owes the provider now.
func (d *demo) printStoragePay(ctx context.Context, what string) {
	names := map[common.Address]string{}
	for _, n := range d.storage.nodes {
		names[n.Provider] = n.Client
	}
	for _, id := range d.storage.streams {
		s, ok := d.storageStream(ctx, id)
		if !ok {
			continue
		}
		perHour := new(big.Int).Mul(s.rate, big.NewInt(3600))
		fmt.Fprintf(d.out, "%s: storage on %-11s rate %s DEC2/h | provider %s | still owed %s\n", what, names[s.provider], units(perHour), short(s.provider), units(s.owed))
	}
}

package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/big"
	"os"
	"path"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/pricing"
	"github.com/dec2-cloud/dec2/storage/gateway"
	"github.com/dec2-cloud/dec2/storage/meta"
)

// The object commands call the gateway's backend in process: the same encryption, names and
// data path as `dec2 s3 serve`, without an S3 client or access keys.

// s3URL is s3://BUCKET[/KEY].
type s3URL struct{ bucket, key string }

func (u s3URL) String() string {
	if u.key == "" {
		return "s3://" + u.bucket
	}
	return "s3://" + u.bucket + "/" + u.key
}

// parseS3URL reads s3://BUCKET[/KEY]; names are checked by the backend, as the S3 front end
// checks them.
func parseS3URL(s string) (s3URL, error) {
	rest, ok := strings.CutPrefix(s, "s3://")
	bucket, key, _ := strings.Cut(rest, "/")
	if !ok || bucket == "" {
		return s3URL{}, fmt.Errorf("%q: want s3://BUCKET or s3://BUCKET/KEY", s)
	}
	return s3URL{bucket: bucket, key: key}, nil
}

// s3Logger is the log of in-process commands: warnings only (pieces left behind), on stderr.
func (a *app) s3Logger() *slog.Logger {
	return slog.New(slog.NewTextHandler(a.stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// s3Hint adds what to do to the storage errors a person can act on.
func s3Hint(err error, u s3URL) error {
	var hint string
	switch {
	case errors.Is(err, meta.ErrNoSuchBucket):
		hint = fmt.Sprintf("`dec2 s3 ls` lists your buckets; `dec2 s3 mb s3://%s` creates it", u.bucket)
	case errors.Is(err, meta.ErrNoSuchKey):
		hint = fmt.Sprintf("`dec2 s3 ls s3://%s` lists the bucket", u.bucket)
	case errors.Is(err, meta.ErrBucketNotEmpty):
		hint = fmt.Sprintf("`dec2 s3 ls s3://%s` lists what is left, `dec2 s3 rm` deletes it", u.bucket)
	default:
		return err
	}
	return fmt.Errorf("%w (%s)", err, hint)
}

// bucketDone is what mb and rb did.
type bucketDone struct {
	Bucket string `json:"bucket"`
	Action string `json:"action"`
}

func (bucketDone) Header() []string   { return nil }
func (d bucketDone) Rows() [][]string { return [][]string{{d.Action, "s3://" + d.Bucket}} }

// s3BucketCmd is mb or rb: one s3://BUCKET argument and one backend call.
func (a *app) s3BucketCmd(use, short, action string, do func(*cobra.Command, s3Gateway, string) error) *cobra.Command {
	var o s3Store
	c := &cobra.Command{
		Use: use + " s3://BUCKET", Short: short, Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := parseS3URL(args[0])
			if err != nil {
				return err
			}
			if u.key != "" {
				return fmt.Errorf("%s: a bucket has no key; want s3://%s", args[0], u.bucket)
			}
			g, err := a.s3Backend(cmd.Context(), o, "", false, a.s3Logger())
			if err != nil {
				return err
			}
			if err := do(cmd, g, u.bucket); err != nil {
				return s3Hint(err, u)
			}
			return a.print(bucketDone{Bucket: u.bucket, Action: action})
		},
	}
	o.catalogFlags(c.Flags())
	return c
}

func (a *app) s3MbCmd() *cobra.Command {
	c := a.s3BucketCmd("mb", "Make a bucket", "created", func(cmd *cobra.Command, g s3Gateway, bucket string) error {
		return g.MakeBucket(cmd.Context(), bucket)
	})
	c.Example = "  dec2 s3 mb s3://photos --storage http://127.0.0.1:4659"
	return c
}

func (a *app) s3RbCmd() *cobra.Command {
	c := a.s3BucketCmd("rb", "Remove an empty bucket", "removed", func(cmd *cobra.Command, g s3Gateway, bucket string) error {
		return g.RemoveBucket(cmd.Context(), bucket)
	})
	c.Example = "  dec2 s3 rb s3://photos"
	return c
}

// bucketList is `dec2 s3 ls` without arguments.
type bucketList []gateway.BucketInfo

func (bucketList) Header() []string { return []string{"BUCKET", "CREATED"} }
func (l bucketList) Rows() [][]string {
	var rows [][]string
	for _, b := range l {
		rows = append(rows, []string{b.Name, b.Created.UTC().Format(time.RFC3339)})
	}
	return rows
}

// objectList is `dec2 s3 ls s3://BUCKET[/PREFIX]`: the keys, and what they take on the
// storage nodes, which is what the consumer pays for.
type objectList struct {
	Bucket  string               `json:"bucket"`
	Prefix  string               `json:"prefix,omitempty"`
	Objects []gateway.ObjectInfo `json:"objects"`
	Count   int                  `json:"count"`
	// Size is the objects' logical bytes; Stored their pieces' bytes on the nodes, n/k × the
	// ciphertext (2× with every region's k = n/2).
	Size   int64 `json:"size"`
	Stored int64 `json:"stored"`
	// PerHour is, per object and in all, what its pieces cost an hour at their providers' disk
	// prices, as billing streams it (pricing.StorageRate); empty when the prices are unknown.
	PerHour      map[string]string `json:"per_hour,omitempty"`
	TotalPerHour string            `json:"total_per_hour,omitempty"`
}

func (objectList) Header() []string {
	return []string{"KEY", "SIZE", "STORED", "DEC2/h", "MODIFIED"}
}
func (l objectList) Rows() [][]string {
	var rows [][]string
	cost := func(s string) string {
		if s == "" {
			return "-"
		}
		return s
	}
	for _, o := range l.Objects {
		rows = append(rows, []string{o.Key, bytesCell(o.Size), bytesCell(o.Stored), cost(l.PerHour[o.Key]), o.Modified.UTC().Format(time.RFC3339)})
	}
	return append(rows, []string{fmt.Sprintf("total: %d objects", l.Count), bytesCell(l.Size), bytesCell(l.Stored), cost(l.TotalPerHour), ""})
}

// price fills in what the objects cost an hour from the providers' disk prices: per object the
// sum over its providers, in all the rate of each provider's share of the listing, as billing's
// streams (one per consumer and provider) are rated.
func (l *objectList) price(prices map[string]*big.Int) {
	hourly := func(held map[string]int64) (*big.Int, bool) {
		sum := new(big.Int)
		for p, n := range held {
			price, ok := prices[p]
			if !ok {
				return nil, false
			}
			sum.Add(sum, new(big.Int).Mul(pricing.StorageRate(n, price), big.NewInt(3600)))
		}
		return sum, true
	}
	all := map[string]int64{}
	l.PerHour = map[string]string{}
	for _, o := range l.Objects {
		if v, ok := hourly(o.Held); ok {
			l.PerHour[o.Key] = pricing.FormatAmount(v)
		}
		for p, n := range o.Held {
			all[p] += n
		}
	}
	if v, ok := hourly(all); ok {
		l.TotalPerHour = pricing.FormatAmount(v)
	}
}

// bytesCell writes a size as a whole number of bytes ("0" stays, where an empty cell is "-").
func bytesCell(n int64) string { return strconv.FormatInt(n, 10) }

func (a *app) s3LsCmd() *cobra.Command {
	var o s3Store
	c := &cobra.Command{
		Use:   "ls [s3://BUCKET[/PREFIX]]",
		Short: "List buckets, or a bucket's objects with their size and the bytes stored for them",
		Long: `ls without an argument lists the buckets. With a bucket it lists every object under the
prefix (all levels), with its size, the bytes its pieces take on the storage nodes (n/k times the
ciphertext: what storage is paid for), what that costs an hour at the providers' disk prices
(read from Nomad, as billing does) and when it was written, then a total line.`,
		Example: `  dec2 s3 ls
  dec2 s3 ls s3://photos
  dec2 s3 ls s3://photos/2026/ -o json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var u s3URL
			if len(args) == 1 {
				var err error
				if u, err = parseS3URL(args[0]); err != nil {
					return err
				}
			}
			g, err := a.s3Backend(cmd.Context(), o, "", false, a.s3Logger())
			if err != nil {
				return err
			}
			if u.bucket == "" {
				bs, err := g.Buckets(cmd.Context())
				if err != nil {
					return err
				}
				return a.print(bucketList(bs))
			}
			objs, err := g.Objects(cmd.Context(), u.bucket, u.key)
			if err != nil {
				return s3Hint(err, u)
			}
			l := objectList{Bucket: u.bucket, Prefix: u.key, Objects: objs, Count: len(objs)}
			for _, ob := range objs {
				l.Size += ob.Size
				l.Stored += ob.Stored
			}
			// The cost needs the providers' prices from Nomad: without them the listing
			// still lists, and says why the cost is missing.
			if nodes, err := a.discoverNodes(cmd.Context()); err != nil {
				fmt.Fprintf(a.stderr, "dec2: no cost shown: %v\n", err)
			} else {
				// A provider with several nodes is paid its lowest price, one without a
				// price nothing, as billing does.
				prices := map[string]*big.Int{}
				for _, n := range nodes {
					price, who := n.DiskGBHour, strings.ToLower(n.Provider.Hex())
					if price == nil {
						price = new(big.Int)
					}
					if p, ok := prices[who]; !ok || price.Cmp(p) < 0 {
						prices[who] = price
					}
				}
				l.price(prices)
			}
			return a.print(l)
		},
	}
	o.catalogFlags(c.Flags())
	return c
}

func (a *app) s3RmCmd() *cobra.Command {
	var o s3Store
	c := &cobra.Command{
		Use:     "rm s3://BUCKET/KEY",
		Short:   "Delete an object and its pieces on the storage nodes",
		Example: "  dec2 s3 rm s3://photos/sea.jpg",
		Args:    cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			u, err := parseS3URL(args[0])
			if err != nil {
				return err
			}
			if u.key == "" {
				return fmt.Errorf("%s: name the object, s3://%s/KEY", args[0], u.bucket)
			}
			g, err := a.s3Backend(cmd.Context(), o, "", true, a.s3Logger())
			if err != nil {
				return err
			}
			if err := g.Remove(cmd.Context(), u.bucket, u.key); err != nil {
				return s3Hint(err, u)
			}
			return a.print(objectDone{Object: u.String(), Action: "deleted"})
		},
	}
	o.catalogFlags(c.Flags())
	o.nodeFlags(c.Flags())
	return c
}

// objectDone is what rm did.
type objectDone struct {
	Object string `json:"object"`
	Action string `json:"action"`
}

func (objectDone) Header() []string   { return nil }
func (d objectDone) Rows() [][]string { return [][]string{{d.Action, d.Object}} }

// copied is what cp did.
type copied struct {
	Action      string `json:"action"`
	Source      string `json:"source"`
	Destination string `json:"destination"`
	Bytes       int64  `json:"bytes"`
	ETag        string `json:"etag,omitempty"`
}

func (copied) Header() []string { return nil }
func (c copied) Rows() [][]string {
	return [][]string{{c.Action, c.Source, "to", c.Destination, bytesCell(c.Bytes) + " bytes"}}
}

func (a *app) s3CpCmd() *cobra.Command {
	var o s3Store
	c := &cobra.Command{
		Use:   "cp SRC DST",
		Short: "Copy a local file (- for stdin) to s3://BUCKET/KEY, or an object to a file (- for stdout)",
		Long: `cp uploads a file to an object or downloads an object to a file, encrypting and
erasure-coding here, as dec2 s3 serve does. A destination key ending in / (or none) takes the
file's name; a destination directory takes the object's last name component. Downloads are
written to a temporary file and renamed into place once every byte has been read and
authenticated.`,
		Example: `  dec2 s3 cp sea.jpg s3://photos/2026/sea.jpg
  dec2 s3 cp sea.jpg s3://photos/2026/
  tar c docs | dec2 s3 cp - s3://backups/docs.tar
  dec2 s3 cp s3://photos/2026/sea.jpg .
  dec2 s3 cp s3://backups/docs.tar - | tar t`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, dst := args[0], args[1]
			srcS3, dstS3 := strings.HasPrefix(src, "s3://"), strings.HasPrefix(dst, "s3://")
			switch {
			case srcS3 && dstS3:
				return errors.New("cp: both are s3:// URLs; copying between objects goes through an S3 client on `dec2 s3 serve`")
			case !srcS3 && !dstS3:
				return errors.New("cp: neither is an s3:// URL; one of SRC and DST must be s3://BUCKET/KEY")
			case dstS3:
				return a.s3Upload(cmd, o, src, dst)
			default:
				return a.s3Download(cmd, o, src, dst)
			}
		},
	}
	o.catalogFlags(c.Flags())
	o.nodeFlags(c.Flags())
	return c
}

func (a *app) s3Upload(cmd *cobra.Command, o s3Store, src, dst string) error {
	u, err := parseS3URL(dst)
	if err != nil {
		return err
	}
	if u.key == "" || strings.HasSuffix(u.key, "/") {
		if src == "-" {
			return fmt.Errorf("cp from stdin: name the object, %s/KEY", strings.TrimSuffix(dst, "/"))
		}
		u.key += filepath.Base(src)
	}
	var r io.Reader = a.stdin
	if src != "-" {
		f, err := os.Open(src)
		if err != nil {
			return fmt.Errorf("cp: %w", err)
		}
		defer f.Close()
		if st, err := f.Stat(); err != nil {
			return fmt.Errorf("cp: %w", err)
		} else if st.IsDir() {
			return fmt.Errorf("cp: %s is a directory; copy its files one by one", src)
		}
		r = f
	}
	g, err := a.s3Backend(cmd.Context(), o, "", true, a.s3Logger())
	if err != nil {
		return err
	}
	info, err := g.Put(cmd.Context(), u.bucket, u.key, r)
	if err != nil {
		return s3Hint(err, u)
	}
	return a.print(copied{Action: "uploaded", Source: src, Destination: u.String(), Bytes: info.Size, ETag: info.ETag})
}

func (a *app) s3Download(cmd *cobra.Command, o s3Store, src, dst string) error {
	u, err := parseS3URL(src)
	if err != nil {
		return err
	}
	if u.key == "" || strings.HasSuffix(u.key, "/") {
		return fmt.Errorf("cp: %s: name the object, s3://%s/KEY", src, u.bucket)
	}
	target := dst
	if dst != "-" {
		if st, err := os.Stat(dst); (err == nil && st.IsDir()) || strings.HasSuffix(dst, string(filepath.Separator)) {
			target = filepath.Join(dst, path.Base(u.key))
		}
	}
	g, err := a.s3Backend(cmd.Context(), o, "", true, a.s3Logger())
	if err != nil {
		return err
	}
	body, info, err := g.Get(cmd.Context(), u.bucket, u.key)
	if err != nil {
		return s3Hint(err, u)
	}
	defer body.Close()
	if target == "-" {
		// stdout carries the object alone.
		if _, err := io.Copy(a.stdout, body); err != nil {
			return fmt.Errorf("cp: reading %s: %w", u, err)
		}
		return nil
	}
	n, err := writeAtomically(target, body)
	if err != nil {
		return fmt.Errorf("cp: %s to %s: %w", u, target, err)
	}
	return a.print(copied{Action: "downloaded", Source: u.String(), Destination: target, Bytes: n, ETag: info.ETag})
}

// writeAtomically writes r to a temporary file beside path and renames it into place, so that
// a failed or interrupted download never leaves a partial file under the object's name.
func writeAtomically(path string, r io.Reader) (int64, error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".dec2-*")
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
		return 0, err
	}
	return n, nil
}

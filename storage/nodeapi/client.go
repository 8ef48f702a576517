package nodeapi

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
	"github.com/dec2-cloud/dec2/storage/piecestore"
	"github.com/dec2-cloud/dec2/storage/receipt"
)

// Client talks to one storage node on behalf of a wallet (Key), which owns what it uploads.
type Client struct {
	URL     string // the node's base URL, http://host:port
	HTTP    *http.Client
	Key     *ecdsa.PrivateKey
	ChainID uint64 // the chain receipts must be signed for
	Now     func() time.Time
}

// Refused is a node's answer other than success.
type Refused struct {
	Status int
	Reason string
}

func (e *Refused) Error() string {
	return fmt.Sprintf("storage node refused (%d): %s", e.Status, e.Reason)
}

func (c *Client) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c *Client) do(ctx context.Context, method, path string, body []byte, root merkle.Hash, sign bool, header http.Header) (*http.Response, error) {
	r, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(c.URL, "/")+path, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("storage request %s %s: %w", method, path, err)
	}
	for k, v := range header {
		r.Header[k] = v
	}
	if sign {
		if err := Sign(r, c.Key, root, c.now()); err != nil {
			return nil, err
		}
	}
	hc := c.HTTP
	if hc == nil {
		hc = http.DefaultClient
	}
	res, err := hc.Do(r)
	if err != nil {
		return nil, fmt.Errorf("storage node %s: %w", c.URL, err)
	}
	if res.StatusCode >= 300 {
		defer res.Body.Close()
		b, _ := io.ReadAll(io.LimitReader(res.Body, 1<<16))
		var eb ErrorBody
		if json.Unmarshal(b, &eb) != nil || eb.Error == "" {
			eb.Error = strings.TrimSpace(string(b))
		}
		return nil, &Refused{Status: res.StatusCode, Reason: eb.Error}
	}
	return res, nil
}

// Put uploads piece id until expiry and returns the node's receipt, checked: signed for
// c.ChainID by the provider it names, over this piece's id, root and size.
func (c *Client) Put(ctx context.Context, id piecestore.ID, piece []byte, expiry uint64) (receipt.Signed, error) {
	return c.PutHashed(ctx, id, piece, merkle.Root(piece), expiry)
}

// PutHashed is Put of a piece whose Merkle root the caller has already computed (the data path
// hashes every piece once, for its own record and the receipt alike).
func (c *Client) PutHashed(ctx context.Context, id piecestore.ID, piece []byte, root merkle.Hash, expiry uint64) (receipt.Signed, error) {
	res, err := c.do(ctx, http.MethodPut, "/v1/pieces/"+id.String()+"?expiry="+strconv.FormatUint(expiry, 10), piece, root, true, nil)
	if err != nil {
		return receipt.Signed{}, err
	}
	defer res.Body.Close()
	var rc receipt.Signed
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<16)).Decode(&rc); err != nil {
		return receipt.Signed{}, fmt.Errorf("storage node %s: decoding the receipt: %w", c.URL, err)
	}
	want := receipt.Receipt{PieceID: common.Hash(id), MerkleRoot: common.Hash(root), Size: uint64(len(piece)), Expiry: expiry, Provider: rc.Provider}
	if rc.Receipt != want {
		return receipt.Signed{}, fmt.Errorf("storage node %s: the receipt %+v is not for the piece sent (%+v)", c.URL, rc.Receipt, want)
	}
	if err := receipt.Verify(c.ChainID, rc); err != nil {
		return receipt.Signed{}, fmt.Errorf("storage node %s: %w", c.URL, err)
	}
	return rc, nil
}

// Get reads length bytes of piece id from offset off; length < 0 reads to the end.
func (c *Client) Get(ctx context.Context, id piecestore.ID, off, length int64) ([]byte, error) {
	h := http.Header{}
	if off != 0 || length >= 0 {
		rng := fmt.Sprintf("bytes=%d-", off)
		if length >= 0 {
			rng += strconv.FormatInt(off+length-1, 10)
		}
		h.Set("Range", rng)
	}
	res, err := c.do(ctx, http.MethodGet, "/v1/pieces/"+id.String(), nil, merkle.Hash{}, false, h)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		return nil, fmt.Errorf("storage node %s: reading piece %s: %w", c.URL, id, err)
	}
	return b, nil
}

// Delete removes piece id, which c's wallet must own.
func (c *Client) Delete(ctx context.Context, id piecestore.ID) error {
	res, err := c.do(ctx, http.MethodDelete, "/v1/pieces/"+id.String(), nil, merkle.Root(nil), true, nil)
	if err != nil {
		return err
	}
	res.Body.Close()
	return nil
}

// List returns c's wallet's pieces on the node whose ids start with prefix (1 to 32 bytes),
// at most piecestore.MaxList of them, in id order.
func (c *Client) List(ctx context.Context, prefix []byte) ([]piecestore.ID, error) {
	res, err := c.do(ctx, http.MethodGet, "/v1/pieces?prefix="+hex.EncodeToString(prefix), nil, merkle.Root(nil), true, nil)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	var listed []Listed
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&listed); err != nil {
		return nil, fmt.Errorf("storage node %s: decoding a listing: %w", c.URL, err)
	}
	ids := make([]piecestore.ID, 0, len(listed))
	for _, l := range listed {
		id, err := piecestore.ParseID(l.ID)
		if err != nil {
			return nil, fmt.Errorf("storage node %s: listing: %w", c.URL, err)
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// Challenge asks the node for ch and returns its answer, checked to be provider's signed
// answer to ch on c.ChainID (else an *audit.BadAnswer); judge it with audit.Judge against the
// piece's receipt. A node that holds no such piece answers that under signature too.
func (c *Client) Challenge(ctx context.Context, provider common.Address, ch audit.Challenge) (audit.Answer, error) {
	var a audit.Answer
	q := url.Values{"leaf": {strconv.FormatUint(ch.Leaf, 10)}, "seed": {ch.Seed.Hex()}}
	res, err := c.do(ctx, http.MethodGet, "/v1/pieces/"+piecestore.ID(ch.PieceID).String()+"/challenge?"+q.Encode(), nil, merkle.Hash{}, false, nil)
	if err != nil {
		return a, err
	}
	defer res.Body.Close()
	if a, err = ParseAnswer(io.LimitReader(res.Body, MaxAnswerBytes)); err != nil {
		return a, &audit.BadAnswer{PieceID: ch.PieceID, Reason: err.Error()}
	}
	return a, a.Check(c.ChainID, provider, ch)
}

// Capacity reads the node's capacity and free space.
func (c *Client) Capacity(ctx context.Context) (piecestore.Usage, error) {
	var u piecestore.Usage
	return u, c.getJSON(ctx, "/v1/capacity", &u)
}

func (c *Client) getJSON(ctx context.Context, path string, v any) error {
	res, err := c.do(ctx, http.MethodGet, path, nil, merkle.Hash{}, false, nil)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if err := json.NewDecoder(res.Body).Decode(v); err != nil {
		return fmt.Errorf("storage node %s: decoding %s: %w", c.URL, path, err)
	}
	return nil
}

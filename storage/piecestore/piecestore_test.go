package piecestore

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/dec2-cloud/dec2/storage/merkle"
)

var (
	alice = common.HexToAddress("0xa1")
	bob   = common.HexToAddress("0xb0")
)

func accept(Info) error { return nil }

func id(n byte) ID { return ID{0: n, 31: n} }

func data(n int) []byte {
	b := make([]byte, n)
	r := rand.New(rand.NewPCG(uint64(n), 2))
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

func open(t *testing.T, dir string, capacity uint64) *Store {
	t.Helper()
	s, err := Open(dir, capacity)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestPutGetStatDelete(t *testing.T) {
	s := open(t, t.TempDir(), 1<<30)
	body := data(3*merkle.LeafSize + 17)
	info, err := s.Put(id(1), alice, 1_900_000_000, bytes.NewReader(body), accept)
	if err != nil {
		t.Fatal(err)
	}
	if info.Size != uint64(len(body)) || info.Root != merkle.Root(body) || info.Owner != alice || info.Expiry != 1_900_000_000 {
		t.Errorf("info %+v", info)
	}
	if st, err := s.Stat(id(1)); err != nil || st != info {
		t.Errorf("Stat %+v, %v; want %+v", st, err, info)
	}
	p, err := s.Get(id(1))
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(p)
	mid := make([]byte, 100)
	if _, err := p.ReadAt(mid, 5000); err != nil || !bytes.Equal(mid, body[5000:5100]) {
		t.Errorf("range 5000-5099: %v", err)
	}
	p.Close()
	if !bytes.Equal(got, body) {
		t.Errorf("read %d bytes back, not the piece", len(got))
	}
	if u := s.Usage(); u.Used != uint64(len(body)) || u.Pieces != 1 || u.Free != 1<<30-uint64(len(body)) {
		t.Errorf("usage %+v", u)
	}
	var notOwner *NotOwner
	if err := s.Delete(id(1), bob); !errors.As(err, &notOwner) || notOwner.Owner != alice {
		t.Errorf("bob deleting alice's piece: %v", err)
	}
	if err := s.Delete(id(1), alice); err != nil {
		t.Fatal(err)
	}
	var nf *NotFound
	if _, err := s.Get(id(1)); !errors.As(err, &nf) {
		t.Errorf("Get after Delete: %v", err)
	}
	if err := s.Delete(id(1), alice); !errors.As(err, &nf) {
		t.Errorf("second Delete: %v", err)
	}
	if u := s.Usage(); u.Used != 0 || u.Pieces != 0 {
		t.Errorf("usage after delete %+v", u)
	}
}

func TestPiecesAreImmutable(t *testing.T) {
	s := open(t, t.TempDir(), 1<<20)
	if _, err := s.Put(id(2), alice, 0, bytes.NewReader([]byte("one")), accept); err != nil {
		t.Fatal(err)
	}
	var ex *Exists
	if _, err := s.Put(id(2), bob, 0, bytes.NewReader([]byte("two")), accept); !errors.As(err, &ex) {
		t.Errorf("second Put: %v", err)
	}
}

// Of concurrent uploads of one id exactly one commits; the others see *Exists, and the piece
// is whole.
func TestConcurrentPutsOfOneIDCommitOnce(t *testing.T) {
	s := open(t, t.TempDir(), 1<<30)
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = s.Put(id(3), alice, 0, bytes.NewReader(data(200_000+i)), accept)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		var ex *Exists
		switch {
		case err == nil:
			ok++
		case !errors.As(err, &ex):
			t.Errorf("Put: %v", err)
		}
	}
	p, err := s.Get(id(3))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close()
	got, _ := io.ReadAll(p)
	if ok != 1 || len(got) < 200_000 || !bytes.Equal(got, data(len(got))) {
		t.Errorf("%d uploads committed; the piece holds %d bytes", ok, len(got))
	}
	if u := s.Usage(); u.Used != uint64(len(got)) || u.Pieces != 1 {
		t.Errorf("usage %+v", u)
	}
}

type failingReader struct {
	r     io.Reader
	after int
}

func (f *failingReader) Read(p []byte) (int, error) {
	if f.after <= 0 {
		return 0, errors.New("connection reset")
	}
	n, err := f.r.Read(p[:min(len(p), f.after)])
	f.after -= n
	return n, err
}

// An upload that breaks off, or that accept refuses, leaves nothing visible and no space taken.
func TestFailedUploadsLeaveNothing(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, 1<<30)
	if _, err := s.Put(id(4), alice, 0, &failingReader{r: bytes.NewReader(data(3 << 20)), after: 2 << 20}, accept); err == nil {
		t.Fatal("a broken upload committed")
	}
	refused := errors.New("root is not the signed one")
	if _, err := s.Put(id(5), alice, 0, bytes.NewReader(data(1000)), func(Info) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("refused upload: %v", err)
	}
	for _, i := range []ID{id(4), id(5)} {
		var nf *NotFound
		if _, err := s.Get(i); !errors.As(err, &nf) {
			t.Errorf("piece %s: %v", i, err)
		}
	}
	if u := s.Usage(); u.Used != 0 || u.Free != 1<<30 {
		t.Errorf("usage %+v", u)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, tempDir)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
}

func TestCapacityRefusesWhileStreaming(t *testing.T) {
	s := open(t, t.TempDir(), 3<<20)
	if _, err := s.Put(id(6), alice, 0, bytes.NewReader(data(2<<20)), accept); err != nil {
		t.Fatal(err)
	}
	var over *OverCapacity
	if _, err := s.Put(id(7), alice, 0, bytes.NewReader(data(2<<20)), accept); !errors.As(err, &over) || over.Free != 1<<20 {
		t.Fatalf("an upload past capacity: %v", err)
	}
	if _, err := s.Put(id(8), alice, 0, bytes.NewReader(data(1<<20)), accept); err != nil {
		t.Errorf("an upload filling the rest exactly: %v", err)
	}
	if u := s.Usage(); u.Used != 3<<20 || u.Free != 0 {
		t.Errorf("usage %+v", u)
	}
}

// A crash mid-upload leaves a temporary file: reopening removes it and counts only whole
// pieces.
func TestReopenRecoversAccounting(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, 1<<30)
	for i := range 3 {
		if _, err := s.Put(id(byte(10+i)), alice, 0, bytes.NewReader(data(1000*(i+1))), accept); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, tempDir, "put-crashed"), data(5000), 0o600); err != nil {
		t.Fatal(err)
	}
	s2 := open(t, dir, 1<<30)
	if u := s2.Usage(); u.Used != 6000 || u.Pieces != 3 {
		t.Errorf("usage after reopen %+v", u)
	}
	if left, _ := os.ReadDir(filepath.Join(dir, tempDir)); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	if st, err := s2.Stat(id(11)); err != nil || st.Size != 2000 || st.Owner != alice {
		t.Errorf("Stat after reopen: %+v, %v", st, err)
	}
}

func TestChallengeProvesAgainstTheRoot(t *testing.T) {
	dir := t.TempDir()
	s := open(t, dir, 1<<30)
	body := data(10*merkle.LeafSize + 5)
	info, err := s.Put(id(20), alice, 0, bytes.NewReader(body), accept)
	if err != nil {
		t.Fatal(err)
	}
	_, leaf, proof, err := s.Challenge(id(20), 10)
	if err != nil {
		t.Fatal(err)
	}
	if err := merkle.Verify(info.Root, 10, leaf, proof); err != nil {
		t.Errorf("the challenge's proof: %v", err)
	}
	var oor *merkle.OutOfRange
	if _, _, _, err := s.Challenge(id(20), 11); !errors.As(err, &oor) {
		t.Errorf("leaf 11 of 11: %v", err)
	}
	// Bit rot on disk: the proof no longer matches the root the receipt holds.
	path := s.path(id(20))
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte{body[3*merkle.LeafSize] ^ 0xff}, headerSize+3*merkle.LeafSize); err != nil {
		t.Fatal(err)
	}
	f.Close()
	_, leaf, proof, err = s.Challenge(id(20), 3)
	if err != nil {
		t.Fatal(err)
	}
	if err := merkle.Verify(info.Root, 3, leaf, proof); !errors.Is(err, merkle.ErrMismatch) {
		t.Errorf("a rotten leaf proves: %v", err)
	}
}

func TestCorruptHeaderIsReported(t *testing.T) {
	s := open(t, t.TempDir(), 1<<30)
	if _, err := s.Put(id(30), alice, 0, bytes.NewReader(data(100)), accept); err != nil {
		t.Fatal(err)
	}
	if err := os.Truncate(s.path(id(30)), headerSize+50); err != nil {
		t.Fatal(err)
	}
	var c *Corrupt
	if _, err := s.Get(id(30)); !errors.As(err, &c) {
		t.Errorf("a truncated piece: %v", err)
	}
}

func TestParseID(t *testing.T) {
	want := id(0xab)
	got, err := ParseID(want.String())
	if err != nil || got != want {
		t.Errorf("round trip: %s, %v", got, err)
	}
	for _, bad := range []string{"", "ab", "0x" + want.String()[2:], want.String() + "0", fmt.Sprintf("%064s", "g")} {
		var b *BadID
		if _, err := ParseID(bad); !errors.As(err, &b) {
			t.Errorf("%q: %v", bad, err)
		}
	}
}

func TestListReturnsTheOwnersPiecesUnderAPrefix(t *testing.T) {
	s := open(t, t.TempDir(), 1<<30)
	put := func(i ID, owner common.Address) {
		t.Helper()
		if _, err := s.Put(i, owner, 1, bytes.NewReader(data(10)), accept); err != nil {
			t.Fatal(err)
		}
	}
	mine1, mine2 := ID{0: 0xab, 1: 0xcd, 31: 1}, ID{0: 0xab, 1: 0xcd, 31: 2}
	put(mine2, alice)
	put(mine1, alice)
	put(ID{0: 0xab, 1: 0xcd, 31: 3}, bob)   // same prefix, another owner
	put(ID{0: 0xab, 1: 0xce, 31: 4}, alice) // same directory, another prefix
	put(ID{0: 0x01, 31: 5}, alice)          // another directory
	got, err := s.List(alice, []byte{0xab, 0xcd})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0].ID != mine1 || got[1].ID != mine2 || got[0].Owner != alice || got[0].Size != 10 {
		t.Errorf("List = %+v, want alice's two pieces under abcd in id order", got)
	}
	if got, err := s.List(alice, []byte{0x77}); err != nil || len(got) != 0 {
		t.Errorf("List of an empty directory = %+v, %v", got, err)
	}
	var bad *BadPrefix
	if _, err := s.List(alice, nil); !errors.As(err, &bad) {
		t.Errorf("List with no prefix: %v, want *BadPrefix", err)
	}
}

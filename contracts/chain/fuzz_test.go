package chain

import (
	"os"
	"path/filepath"
	"testing"
)

// FuzzReadAddresses: any file either reads as a complete deployment that writes back to the same
// addresses, or fails with an error; it never panics.
func FuzzReadAddresses(f *testing.F) {
	f.Add([]byte(`{"chainId":1337,"token":"0x5FbDB2315678afecb367f032d93F642f64180aa3","escrow":"0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512","registry":"0x9fE46736679d2D9a65F0992F2272dE9f3c7fa6e0","owner":"0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266","block":1}`))
	f.Add([]byte(`{"chainId":5,"token":"0x01"}`))
	f.Add([]byte(`{"chainId":"x"}`))
	f.Add([]byte(`[]`))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, data []byte) {
		dir := t.TempDir()
		path := filepath.Join(dir, "in.json")
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
		a, err := ReadAddresses(path)
		if err != nil {
			return
		}
		out := filepath.Join(dir, "out.json")
		if err := WriteAddresses(out, a); err != nil {
			t.Fatal(err)
		}
		b, err := ReadAddresses(out)
		if err != nil || b != a {
			t.Fatalf("round trip: %+v -> %+v, %v", a, b, err)
		}
	})
}

package devchain

import "testing"

// FuzzDeriveKey: any mnemonic and index give a key or an error, deterministically.
func FuzzDeriveKey(f *testing.F) {
	f.Add(DevMnemonic, uint32(0))
	f.Add("", uint32(1))
	f.Add("  abandon\tabandon ", uint32(1<<31))
	f.Fuzz(func(t *testing.T, mnemonic string, index uint32) {
		k1, err1 := DeriveKey(mnemonic, index)
		k2, err2 := DeriveKey(mnemonic, index)
		if (err1 == nil) != (err2 == nil) || (err1 == nil && !k1.Equal(k2)) {
			t.Fatalf("not deterministic: %v / %v", err1, err2)
		}
	})
}

package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
)

// Names encrypts a bucket's object names one "/"-separated component at a time, so that the
// metadata holds no plaintext name yet still lists by prefix and delimiter: the encryption of
// "a/b/c" is E(a)/E(b)/E(c), with the same number of components, and every object under "a/b/"
// has the encryption of "a/b/" as a prefix.
//
// Each component is encrypted deterministically, SIV-style: the IV is an HMAC-SHA256 of the
// component (truncated to 16 bytes), the component is AES-256-CTR-encrypted under that IV, and
// IV ‖ ciphertext is encoded in unpadded base64url (whose alphabet has no "/"). The keys for a
// component derive from the bucket key and the whole parent path, chained one component at a
// time, so equal components under different parents encrypt differently.
//
// What it leaks, as Storj's path encryption does: equal components under the same parent encrypt
// equally (that is what makes lookups and listings work), the number of components, and each
// component's length. Listing order is that of the ciphertexts, not of the names; a gateway that
// owes S3's lexicographic order sorts after decrypting.
type Names struct {
	root Key
}

// NewNames returns the name cipher of the bucket whose key is bucketKey.
func NewNames(bucketKey Key) *Names { return &Names{root: derive(bucketKey, infoNameRoot)} }

const sivSize = 16

// Strict, so that each component has one encoding: equal names must compare equal in metadata.
var b64 = base64.RawURLEncoding.Strict()

// dir is the key of the components directly under one parent path.
type dir Key

func (d dir) child(component string) dir { return dir(derive(Key(d), infoNameDir+component)) }

func (d dir) keys() (mac, enc []byte) {
	out, err := hkdf.Key(sha256.New, d[:], nil, infoNameSIV, 2*KeySize)
	if err != nil {
		panic("crypt: hkdf: " + err.Error())
	}
	return out[:KeySize], out[KeySize:]
}

func ctr(key, iv, dst, src []byte) {
	block, err := aes.NewCipher(key)
	if err != nil {
		panic("crypt: aes: " + err.Error())
	}
	cipher.NewCTR(block, iv).XORKeyStream(dst, src)
}

func (d dir) encrypt(component string) string {
	macKey, encKey := d.keys()
	m := hmac.New(sha256.New, macKey)
	m.Write([]byte(component))
	out := make([]byte, sivSize+len(component))
	copy(out, m.Sum(nil)[:sivSize])
	ctr(encKey, out[:sivSize], out[sivSize:], []byte(component))
	return b64.EncodeToString(out)
}

func (d dir) decrypt(enc string) (string, error) {
	raw, err := b64.DecodeString(enc)
	// Only the one encoding EncryptPath writes is a name: base64 decoding skips line breaks
	// and ignores stray trailing bits, so other strings would decrypt to the same name.
	if err != nil || b64.EncodeToString(raw) != enc {
		return "", fmt.Errorf("crypt: name component %q: %w", enc, ErrMalformed)
	}
	if len(raw) < sivSize {
		return "", fmt.Errorf("crypt: name component of %d bytes: %w", len(raw), ErrMalformed)
	}
	macKey, encKey := d.keys()
	plain := make([]byte, len(raw)-sivSize)
	ctr(encKey, raw[:sivSize], plain, raw[sivSize:])
	m := hmac.New(sha256.New, macKey)
	m.Write(plain)
	if !hmac.Equal(m.Sum(nil)[:sivSize], raw[:sivSize]) {
		return "", fmt.Errorf("crypt: name component: %w", ErrTampered)
	}
	return string(plain), nil
}

// EncryptPath encrypts an object name. Empty components (as in "dir/" markers or "a//b") are
// encrypted like any other, so an encrypted name never ends in "/".
func (n *Names) EncryptPath(path string) string {
	comps := strings.Split(path, "/")
	d := dir(n.root)
	var b strings.Builder
	for i, c := range comps {
		if i > 0 {
			b.WriteByte('/')
			d = d.child(comps[i-1])
		}
		b.WriteString(d.encrypt(c))
	}
	return b.String()
}

// DecryptPath decrypts what EncryptPath or EncryptPrefix returned. An input ending in "/" is a
// directory prefix (a listing's common prefix) and decrypts to one ending in "/"; "" is the
// bucket's root.
func (n *Names) DecryptPath(enc string) (string, error) {
	if enc == "" {
		return "", nil
	}
	isDir := strings.HasSuffix(enc, "/")
	if isDir {
		enc = enc[:len(enc)-1]
	}
	comps := strings.Split(enc, "/")
	d := dir(n.root)
	var b strings.Builder
	for i, c := range comps {
		if i > 0 {
			b.WriteByte('/')
		}
		p, err := d.decrypt(c)
		if err != nil {
			return "", fmt.Errorf("component %d: %w", i, err)
		}
		b.WriteString(p)
		d = d.child(p)
	}
	if isDir {
		b.WriteByte('/')
	}
	return b.String(), nil
}

// EncryptPrefix splits a listing prefix at its last "/": dir is the encryption of everything up
// to and including it ("" at the bucket's root), to match against encrypted names, and partial is
// the plaintext rest, which the gateway matches against the decrypted next component (a
// deterministic cipher cannot match part of a component).
func (n *Names) EncryptPrefix(prefix string) (encDir, partial string) {
	i := strings.LastIndexByte(prefix, '/')
	if i < 0 {
		return "", prefix
	}
	return n.EncryptPath(prefix[:i]) + "/", prefix[i+1:]
}

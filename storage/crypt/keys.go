// Package crypt holds the storage data path's cryptography: the key hierarchy (master → bucket →
// object → per-segment keys), segment encryption in the STREAM construction over AES-256-GCM, and
// deterministic encryption of object names that still lists by prefix and "/" delimiter.
//
// Everything here runs on the consumer's side; no key leaves the gateway. The storage service
// sees only wrapped segment keys and encrypted names, providers only ciphertext.
package crypt

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"fmt"
)

// KeySize is the size of every key in the hierarchy: AES-256 keys and HKDF outputs alike.
const KeySize = 32

// Key is a 256-bit secret key.
type Key [KeySize]byte

// Domain separation: every derivation has its own label, so no two derivations can produce the
// same key even from the same parent and the same variable input. Each info string is a label
// followed by one variable part, and no label is a prefix of another, so the encoding is
// unambiguous without length prefixes.
const (
	infoBucket   = "dec2 storage v1 bucket:"
	infoObject   = "dec2 storage v1 object:"
	infoNameRoot = "dec2 storage v1 name root"
	infoNameDir  = "dec2 storage v1 name dir:"
	infoNameSIV  = "dec2 storage v1 name siv"
	infoPurpose  = "dec2 storage v1 purpose:"
	adWrap       = "dec2 storage v1 wrap:"
)

// RandomKey returns a fresh key from the system's CSPRNG (crypto/rand.Read cannot fail since Go
// 1.24: it crashes the program rather than hand out a weak key).
func RandomKey() Key {
	var k Key
	_, _ = rand.Read(k[:])
	return k
}

// KeyFromBytes checks that b is a key's length and copies it.
func KeyFromBytes(b []byte) (Key, error) {
	var k Key
	if len(b) != KeySize {
		return k, fmt.Errorf("crypt: key of %d bytes, want %d: %w", len(b), KeySize, ErrMalformed)
	}
	copy(k[:], b)
	return k, nil
}

func derive(parent Key, info string) Key {
	// The parent is a uniformly random key, so HKDF needs no salt. hkdf.Key fails only for
	// lengths beyond 255 hash blocks.
	out, err := hkdf.Key(sha256.New, parent[:], nil, info, KeySize)
	if err != nil {
		panic("crypt: hkdf: " + err.Error())
	}
	var k Key
	copy(k[:], out)
	return k
}

// BucketKey derives a bucket's key from the consumer's master key. Sharing a bucket key grants
// that bucket alone.
func BucketKey(master Key, bucket string) Key { return derive(master, infoBucket+bucket) }

// ObjectKey derives the key that wraps an object's segment keys from its bucket key and its
// plaintext name. Renaming or copying an object therefore rewraps its segment keys (a metadata
// change; the pieces stay as they are).
func ObjectKey(bucketKey Key, name string) Key { return derive(bucketKey, infoObject+name) }

// PurposeKey derives a key for one named use of a wallet's master key outside the bucket
// hierarchy, such as the storage service's metadata snapshots: no purpose shares a key with a
// bucket or with another purpose.
func PurposeKey(master Key, purpose string) Key { return derive(master, infoPurpose+purpose) }

const (
	wrapVersion = 1
	gcmNonce    = 12
	gcmTag      = 16
	// WrappedKeySize is the length of WrapKey's envelope: version, nonce, encrypted key, tag.
	WrappedKeySize = 1 + gcmNonce + KeySize + gcmTag
)

func newGCM(k Key) cipher.AEAD {
	// Errors are impossible for a 32-byte key and the standard nonce size.
	block, err := aes.NewCipher(k[:])
	if err != nil {
		panic("crypt: aes: " + err.Error())
	}
	aead, err := cipher.NewGCM(block)
	if err != nil {
		panic("crypt: gcm: " + err.Error())
	}
	return aead
}

// WrapKey encrypts key under kek with AES-256-GCM and a random nonce; the envelope is what the
// metadata stores. context is authenticated, not stored: the segment package binds a segment's
// position and size into it, so whoever holds the metadata cannot swap, reorder or resize
// segments without UnwrapKey refusing them.
func WrapKey(kek, key Key, context []byte) []byte {
	out := make([]byte, 1+gcmNonce, WrappedKeySize)
	out[0] = wrapVersion
	_, _ = rand.Read(out[1 : 1+gcmNonce])
	return newGCM(kek).Seal(out, out[1:1+gcmNonce], key[:], wrapAD(out[0], context))
}

// UnwrapKey opens WrapKey's envelope. It returns ErrMalformed for an envelope of the wrong
// shape or version and ErrTampered when authentication fails (wrong kek, wrong context or a
// modified envelope).
func UnwrapKey(kek Key, wrapped, context []byte) (Key, error) {
	var k Key
	if len(wrapped) != WrappedKeySize {
		return k, fmt.Errorf("crypt: wrapped key of %d bytes, want %d: %w", len(wrapped), WrappedKeySize, ErrMalformed)
	}
	if wrapped[0] != wrapVersion {
		return k, fmt.Errorf("crypt: wrapped key version %d: %w", wrapped[0], ErrMalformed)
	}
	plain, err := newGCM(kek).Open(k[:0], wrapped[1:1+gcmNonce], wrapped[1+gcmNonce:], wrapAD(wrapped[0], context))
	if err != nil {
		return Key{}, fmt.Errorf("crypt: unwrap key: %w", ErrTampered)
	}
	copy(k[:], plain)
	return k, nil
}

// wrapAD authenticates the version too, so an envelope cannot be replayed under a later format.
func wrapAD(version byte, context []byte) []byte {
	ad := make([]byte, 0, len(adWrap)+1+len(context))
	ad = append(ad, adWrap...)
	ad = append(ad, version)
	return append(ad, context...)
}

package gateway

import (
	"encoding/json"
	"fmt"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"

	"github.com/dec2-cloud/dec2/storage/crypt"
)

// objectMeta is an object's content metadata as the catalog holds it: sealed, so the service
// sees neither the headers nor the user metadata.
type objectMeta struct {
	ContentType        string            `json:"ct,omitempty"`
	ContentEncoding    string            `json:"ce,omitempty"`
	ContentDisposition string            `json:"cd,omitempty"`
	ContentLanguage    string            `json:"cl,omitempty"`
	CacheControl       string            `json:"cc,omitempty"`
	Expires            string            `json:"ex,omitempty"`
	User               map[string]string `json:"u,omitempty"`
	Checksum           *checksum         `json:"ck,omitempty"`
	// Parts is the cumulative size after each part of a multipart object, for GET ?partNumber.
	Parts []int64 `json:"p,omitempty"`
	// Key and Initiated are set on an upload's record only: the object it is for.
	Key string `json:"k,omitempty"`
}

// checksum is a full-object or composite checksum as S3 reports it (base64).
type checksum struct {
	Algorithm types.ChecksumAlgorithm `json:"a"`
	Type      types.ChecksumType      `json:"t"`
	Value     string                  `json:"v"`
}

// metaContext binds a sealed metadata blob's key to its purpose, so a wrapped segment key can
// never be passed off as one.
var metaContext = []byte("dec2 gateway object metadata")

// seal encrypts m under a fresh key wrapped by kek: wrapped key ‖ STREAM ciphertext. Because
// kek derives from the object's name, metadata moved to another object does not open.
func seal(kek crypt.Key, m objectMeta) ([]byte, error) {
	plain, err := json.Marshal(m)
	if err != nil {
		return nil, fmt.Errorf("encode metadata: %w", err)
	}
	k := crypt.RandomKey()
	out := crypt.WrapKey(kek, k, metaContext)
	return crypt.NewStream(k).Seal(out, plain)
}

func unseal(kek crypt.Key, blob []byte) (objectMeta, error) {
	var m objectMeta
	if len(blob) < crypt.WrappedKeySize {
		return m, fmt.Errorf("sealed metadata of %d bytes: %w", len(blob), crypt.ErrMalformed)
	}
	k, err := crypt.UnwrapKey(kek, blob[:crypt.WrappedKeySize], metaContext)
	if err != nil {
		return m, fmt.Errorf("metadata key: %w", err)
	}
	plain, err := crypt.NewStream(k).Open(nil, blob[crypt.WrappedKeySize:])
	if err != nil {
		return m, fmt.Errorf("metadata: %w", err)
	}
	if err := json.Unmarshal(plain, &m); err != nil {
		return m, fmt.Errorf("decode metadata: %w", err)
	}
	return m, nil
}

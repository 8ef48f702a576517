package gateway

import (
	"io"
	"strings"

	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/versity/versitygw/s3api/middlewares"
	"github.com/versity/versitygw/s3api/utils"
)

// given is one x-amz-checksum-* header a request may carry.
type given struct {
	value *string
	ht    utils.HashType
}

// summer computes the checksum S3 stores with an object and checks the one the client sent.
// versitygw's front end verifies Content-MD5 and trailing checksums (aws-chunked bodies) itself;
// a checksum sent as a header is the backend's to verify, which the HashReader does at EOF,
// failing the read with S3's BadDigest error.
type summer struct {
	alg     types.ChecksumAlgorithm
	trailer middlewares.ChecksumReader
	hr      *utils.HashReader
}

// newSummer wraps body. alg is the algorithm the client named (x-amz-sdk-checksum-algorithm);
// with no checksum at all the gateway computes CRC64NVME, as S3 does.
func newSummer(body io.Reader, alg types.ChecksumAlgorithm, headers []given) (io.Reader, *summer, error) {
	if tr, ok := body.(middlewares.ChecksumReader); ok && tr.Algorithm() != "" {
		return body, &summer{alg: types.ChecksumAlgorithm(strings.ToUpper(tr.Algorithm())), trailer: tr}, nil
	}
	ht, want := utils.HashType(""), ""
	for _, h := range headers {
		if h.value != nil {
			ht, want = h.ht, *h.value
			break
		}
	}
	if ht == "" {
		ht = utils.HashType(strings.ToLower(string(alg)))
		if alg == "" {
			ht = utils.HashTypeCRC64NVME
		}
	}
	hr, err := utils.NewHashReader(body, want, ht)
	if err != nil {
		return nil, nil, err
	}
	return hr, &summer{alg: types.ChecksumAlgorithm(strings.ToUpper(string(ht))), hr: hr}, nil
}

// sum is the checksum once the body was read to EOF.
func (s *summer) sum() *checksum {
	v := ""
	if s.trailer != nil {
		v = s.trailer.Checksum()
	} else {
		v = s.hr.Sum()
	}
	return &checksum{Algorithm: s.alg, Type: types.ChecksumTypeFullObject, Value: v}
}

// sums is a checksum spread over the per-algorithm fields of S3's responses.
type sums struct {
	CRC32, CRC32C, SHA1, SHA256, CRC64NVME, SHA512, MD5, XXHASH64, XXHASH3, XXHASH128 *string
	Type                                                                              types.ChecksumType
}

func (c *checksum) sums() sums {
	var s sums
	if c == nil {
		return s
	}
	v := &c.Value
	s.Type = c.Type
	switch c.Algorithm {
	case types.ChecksumAlgorithmCrc32:
		s.CRC32 = v
	case types.ChecksumAlgorithmCrc32c:
		s.CRC32C = v
	case types.ChecksumAlgorithmSha1:
		s.SHA1 = v
	case types.ChecksumAlgorithmSha256:
		s.SHA256 = v
	case types.ChecksumAlgorithmCrc64nvme:
		s.CRC64NVME = v
	case types.ChecksumAlgorithmSha512:
		s.SHA512 = v
	case types.ChecksumAlgorithmMd5:
		s.MD5 = v
	case types.ChecksumAlgorithmXxhash64:
		s.XXHASH64 = v
	case types.ChecksumAlgorithmXxhash3:
		s.XXHASH3 = v
	case types.ChecksumAlgorithmXxhash128:
		s.XXHASH128 = v
	}
	return s
}

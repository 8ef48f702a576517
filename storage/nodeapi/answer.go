package nodeapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"

	"github.com/dec2-cloud/dec2/storage/audit"
	"github.com/dec2-cloud/dec2/storage/merkle"
)

// MaxAnswerBytes bounds an answer on the wire: a 64 KiB leaf in base64 and a proof of up to
// 64 siblings, with room to spare. A challenge never moves more than a leaf.
const MaxAnswerBytes = 128 << 10

// maxSiblings is more than any piece's tree is deep (2^64 leaves).
const maxSiblings = 64

// ParseAnswer decodes one answer strictly: unknown fields, trailing data, a leaf longer than
// a leaf or a proof deeper than any tree are refused. It does not check the signature
// (audit.Answer.Check does).
func ParseAnswer(r io.Reader) (audit.Answer, error) {
	var a audit.Answer
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&a); err != nil {
		return audit.Answer{}, fmt.Errorf("decoding a challenge answer: %w", err)
	}
	if dec.More() {
		return audit.Answer{}, errors.New("decoding a challenge answer: more than one JSON value")
	}
	if len(a.Data) > merkle.LeafSize {
		return audit.Answer{}, fmt.Errorf("decoding a challenge answer: a leaf of %d bytes, more than %d", len(a.Data), merkle.LeafSize)
	}
	if len(a.Proof.Siblings) > maxSiblings {
		return audit.Answer{}, fmt.Errorf("decoding a challenge answer: %d siblings, more than any tree has", len(a.Proof.Siblings))
	}
	return a, nil
}

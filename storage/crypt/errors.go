package crypt

import (
	"errors"
	"fmt"
)

var (
	// ErrTampered means authentication failed: the ciphertext, a chunk's position, a wrapped
	// key's context or the key itself is not what was sealed.
	ErrTampered = errors.New("crypt: authentication failed")
	// ErrTruncated means a STREAM ciphertext ends before its final chunk: every chunk present
	// is authentic but the one marked last is missing.
	ErrTruncated = errors.New("crypt: ciphertext truncated")
	// ErrMalformed means an input has the wrong shape to be decoded at all.
	ErrMalformed = errors.New("crypt: malformed input")
	// ErrRange means a byte range lies outside the plaintext.
	ErrRange = errors.New("crypt: range outside the plaintext")
)

// ChunkError says which STREAM chunk failed; Err is ErrTampered or ErrTruncated.
type ChunkError struct {
	Chunk int64
	Err   error
}

func (e *ChunkError) Error() string { return fmt.Sprintf("crypt: chunk %d: %v", e.Chunk, e.Err) }

func (e *ChunkError) Unwrap() error { return e.Err }

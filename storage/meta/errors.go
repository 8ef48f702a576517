package meta

import (
	"errors"
	"fmt"
)

// ErrNotFound is the root of the not-found errors: errors.Is(err, ErrNotFound) holds for both
// ErrNoSuchBucket and ErrNoSuchKey.
var ErrNotFound = errors.New("not found")

var (
	ErrNoSuchBucket   = fmt.Errorf("bucket %w", ErrNotFound)
	ErrNoSuchKey      = fmt.Errorf("object %w", ErrNotFound)
	ErrBucketExists   = errors.New("bucket already exists")
	ErrBucketNotEmpty = errors.New("bucket is not empty: delete its objects and uploads first")
)

// Conflict is a compare-and-swap write that found another version: Current is the stored
// version (0: no object), Want the one the writer expected.
type Conflict struct {
	Current, Want int64
}

func (e *Conflict) Error() string {
	return fmt.Sprintf("version conflict: the object is at version %d, the write expected %d (read it again, then retry)", e.Current, e.Want)
}

// Invalid is a request the store refuses as malformed: Field names what, Reason why.
type Invalid struct {
	Field, Reason string
}

func (e *Invalid) Error() string { return e.Field + ": " + e.Reason }

package gateway

import (
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"testing"

	"github.com/versity/versitygw/s3err"
)

type nodesDown struct{}

func (nodesDown) Error() string     { return "2 of 4 storage nodes answer" }
func (nodesDown) Unavailable() bool { return true }

// A write the data path cannot place now is S3's 503 ServiceUnavailable, which clients retry;
// other data path failures stay 500s.
func TestUnavailableDataPathIsA503(t *testing.T) {
	b := &Backend{log: slog.New(slog.DiscardHandler)}
	var se s3err.S3Error
	if err := b.s3Error("put object", fmt.Errorf("segment 0: %w", nodesDown{})); !errors.As(err, &se) || se.StatusCode() != http.StatusServiceUnavailable || se.BaseError().Code != "ServiceUnavailable" {
		t.Errorf("too few nodes: %v, want a 503 ServiceUnavailable", err)
	}
	if err := b.s3Error("put object", errors.New("disk on fire")); errors.As(err, &se) {
		t.Errorf("another failure became S3 error %v", se)
	}
}

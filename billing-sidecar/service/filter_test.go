package service_test

import (
	"bytes"
	"testing"

	"github.com/dec2-cloud/dec2/billing-sidecar/service"
)

func TestWriteStatementFormats(t *testing.T) {
	if err := service.WriteStatement(&bytes.Buffer{}, nil, "xml"); err == nil {
		t.Error("format xml accepted")
	}
}

package rewrite

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/hashicorp/nomad/api"

	"github.com/dec2-cloud/dec2/conventions"
	"github.com/dec2-cloud/dec2/tenancy"
)

// MetaError names a job meta key whose value the allocator cannot use.
type MetaError struct {
	Key, Value, Want string
}

func (e *MetaError) Error() string {
	return fmt.Sprintf("job meta %s = %q: %s", e.Key, e.Value, e.Want)
}

// CheckMeta checks every dec2.* job meta key the allocator or billing reads, so that a job is
// refused at registration rather than misplaced or unbilled later. A plan is the allocator's own
// output (ReadPlan judges it); a delegation's signature is judged with its namespace (tenancy).
func CheckMeta(job *api.Job) error {
	for k, v := range job.Meta {
		if !strings.HasPrefix(k, "dec2.") {
			continue
		}
		if err := checkKey(k, v); err != nil {
			return err
		}
	}
	if _, ok := job.Meta[conventions.MetaDelegation]; ok && strings.TrimSpace(job.Meta[conventions.MetaWallet]) == "" {
		return &MetaError{Key: conventions.MetaDelegation, Value: job.Meta[conventions.MetaDelegation], Want: "a delegation needs the delegating wallet in " + conventions.MetaWallet}
	}
	return nil
}

func checkKey(k, v string) error {
	switch k {
	case MetaPack:
		if v != "true" && v != "false" && v != "" {
			return &MetaError{k, v, `want "true" (pack this job) or "false"`}
		}
	case MetaMaxPrice:
		p, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(p) || math.IsInf(p, 0) || p < 0 {
			return &MetaError{k, v, "want a decimal number of tokens per hour, 0 or more (e.g. 0.5)"}
		}
	case conventions.MetaWallet:
		if strings.TrimSpace(v) == "" {
			return nil // the namespace's wallet pays
		}
		if _, err := tenancy.ParseWallet(v); err != nil {
			return &MetaError{k, v, err.Error()}
		}
	case conventions.MetaDelegationUntil:
		if _, err := strconv.ParseUint(strings.TrimSpace(v), 10, 63); err != nil {
			return &MetaError{k, v, "want the delegation's end in unix seconds"}
		}
	}
	return nil
}

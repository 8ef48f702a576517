package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"

	"github.com/dec2-cloud/dec2/catalog"
	"github.com/dec2-cloud/dec2/pricing"
)

// Validators run at plan time (and in `tofu validate`), so a typo is caught before anything is
// rented. Unknown values (from other resources) are checked at apply time by the same code paths.

type instanceTypeValidator struct{}

func (instanceTypeValidator) Description(context.Context) string {
	return "one of the catalogue's instance types (data source dec2_instance_types)"
}
func (v instanceTypeValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (instanceTypeValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if _, err := catalog.Lookup(req.ConfigValue.ValueString()); err != nil {
		resp.Diagnostics.AddAttributeError(req.Path, "Unknown instance type", err.Error())
	}
}

type patternValidator struct {
	re   *regexp.Regexp
	what string // what a valid value looks like, for the error
}

var jobNameValidator = patternValidator{regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,62}$`),
	"1-63 lower-case letters, digits and dashes, starting with a letter or digit (it becomes the Nomad job ID)"}

func (v patternValidator) Description(context.Context) string { return v.what }
func (v patternValidator) MarkdownDescription(ctx context.Context) string {
	return v.Description(ctx)
}
func (v patternValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if known(req.ConfigValue) && !v.re.MatchString(req.ConfigValue.ValueString()) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid value",
			fmt.Sprintf("%q: use %s.", req.ConfigValue.ValueString(), v.what))
	}
}

var nodeIDValidator = patternValidator{regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`),
	"a full Nomad node ID (a UUID; `nomad node status -verbose` or data source dec2_providers shows it)"}

type addressValidator struct{}

func (addressValidator) Description(context.Context) string {
	return "a 0x-prefixed 20-byte hex address"
}
func (v addressValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (addressValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	s := req.ConfigValue.ValueString()
	if !strings.HasPrefix(s, "0x") || !common.IsHexAddress(s) {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid address",
			fmt.Sprintf("%q: want a 0x-prefixed 20-byte hex address such as 0x70997970C51812dc3A010C7d01b50e0d17dc79C8.", s))
	}
}

// amountValidator accepts decimal token amounts as node meta and the contracts use them.
type amountValidator struct{ positive bool }

func (v amountValidator) Description(context.Context) string {
	return "a decimal token amount such as 100 or 0.25 (18 decimals at most)"
}
func (v amountValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v amountValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	n, err := pricing.ParseAmount(req.ConfigValue.ValueString())
	switch {
	case err != nil:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid token amount", err.Error())
	case v.positive && n.Sign() == 0:
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid token amount", "must be more than 0")
	}
}

type durationValidator struct{}

func (durationValidator) Description(context.Context) string {
	return "a Go duration such as 90s or 5m"
}
func (v durationValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (durationValidator) ValidateString(_ context.Context, req validator.StringRequest, resp *validator.StringResponse) {
	if !known(req.ConfigValue) {
		return
	}
	if d, err := time.ParseDuration(req.ConfigValue.ValueString()); err != nil || d <= 0 {
		resp.Diagnostics.AddAttributeError(req.Path, "Invalid duration",
			fmt.Sprintf("%q: want a positive Go duration such as 90s or 5m.", req.ConfigValue.ValueString()))
	}
}

type rangeValidator struct{ min, max int64 }

func (v rangeValidator) Description(context.Context) string {
	return fmt.Sprintf("between %d and %d", v.min, v.max)
}
func (v rangeValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (v rangeValidator) ValidateInt64(_ context.Context, req validator.Int64Request, resp *validator.Int64Response) {
	if !known(req.ConfigValue) {
		return
	}
	if n := req.ConfigValue.ValueInt64(); n < v.min || n > v.max {
		resp.Diagnostics.AddAttributeError(req.Path, "Value out of range", fmt.Sprintf("%d: want %s.", n, v.Description(context.Background())))
	}
}

// portsValidator checks container ports: 1-65535, each once.
type portsValidator struct{}

func (portsValidator) Description(context.Context) string {
	return "container ports 1-65535, each listed once"
}
func (v portsValidator) MarkdownDescription(ctx context.Context) string { return v.Description(ctx) }
func (portsValidator) ValidateList(_ context.Context, req validator.ListRequest, resp *validator.ListResponse) {
	if !known(req.ConfigValue) {
		return
	}
	seen := map[int64]bool{}
	for i, e := range req.ConfigValue.Elements() {
		n, ok := e.(types.Int64)
		if !ok || !known(n) {
			continue
		}
		p := n.ValueInt64()
		switch {
		case p < 1 || p > 65535:
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Invalid port", fmt.Sprintf("%d: want 1-65535.", p))
		case seen[p]:
			resp.Diagnostics.AddAttributeError(req.Path.AtListIndex(i), "Duplicate port", fmt.Sprintf("%d is listed twice.", p))
		}
		seen[p] = true
	}
}

// known is true for a value that is neither null nor unknown.
func known(v interface {
	IsNull() bool
	IsUnknown() bool
}) bool {
	return !v.IsNull() && !v.IsUnknown()
}

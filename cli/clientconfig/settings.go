package clientconfig

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
)

// mapBlock opens a block Nomad reads as a map with quoted keys (HCL 1); HCL 2 takes the same
// map as an object: `meta {` becomes `meta = {`.
var mapBlock = regexp.MustCompile(`(?m)^(\s*)(meta|options|chroot_env)\s*\{\s*$`)

// Settings reads an agent config (what Render, or another renderer, writes) as its settings:
// each attribute's path (blocks by type and labels, map keys quoted, e.g.
// `client.meta."dec2.wallet"` or `plugin."docker".config.pids_limit`) and its value as an HCL
// literal. Two configs with equal Settings configure the agent alike, however they are laid out.
func Settings(src []byte) (map[string]string, error) {
	norm := mapBlock.ReplaceAll(src, []byte("$1$2 = {"))
	f, diags := hclsyntax.ParseConfig(norm, "agent.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		return nil, diags
	}
	out := map[string]string{}
	if err := settingsOf(f.Body.(*hclsyntax.Body), "", out); err != nil {
		return nil, err
	}
	return out, nil
}

func settingsOf(body *hclsyntax.Body, prefix string, out map[string]string) error {
	for name, attr := range body.Attributes {
		v, diags := attr.Expr.Value(nil)
		if diags.HasErrors() {
			return fmt.Errorf("%s%s: %w", prefix, name, diags)
		}
		if err := flatten(prefix+name, v, out); err != nil {
			return err
		}
	}
	for _, b := range body.Blocks {
		path := prefix + b.Type
		for _, l := range b.Labels {
			path += "." + strconv.Quote(l)
		}
		if err := settingsOf(b.Body, path+".", out); err != nil {
			return err
		}
	}
	return nil
}

func flatten(path string, v cty.Value, out map[string]string) error {
	if v.IsKnown() && !v.IsNull() && (v.Type().IsObjectType() || v.Type().IsMapType()) {
		for k, e := range v.AsValueMap() {
			if err := flatten(path+"."+strconv.Quote(k), e, out); err != nil {
				return err
			}
		}
		return nil
	}
	if _, dup := out[path]; dup {
		return fmt.Errorf("%s is set twice", path)
	}
	out[path] = strings.TrimSpace(string(hclwrite.TokensForValue(v).Bytes()))
	return nil
}

// DiffSettings names each setting that a and b (named aName and bName) do not share: set in
// one only, or set to different values. None means they configure the agent alike.
func DiffSettings(aName string, a map[string]string, bName string, b map[string]string) []string {
	var diffs []string
	for _, k := range slices.Sorted(maps.Keys(a)) {
		switch bv, ok := b[k]; {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("%s = %s only in %s", k, a[k], aName))
		case bv != a[k]:
			diffs = append(diffs, fmt.Sprintf("%s: %s %s, %s %s", k, aName, a[k], bName, bv))
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b)) {
		if _, ok := a[k]; !ok {
			diffs = append(diffs, fmt.Sprintf("%s = %s only in %s", k, b[k], bName))
		}
	}
	return diffs
}

package rewrite

import (
	"errors"
	"testing"

	"github.com/hashicorp/nomad/api"
)

func TestCheckMeta(t *testing.T) {
	for _, tc := range []struct {
		meta map[string]string
		key  string // "" = accepted
	}{
		{map[string]string{"dec2.pack": "true", "dec2.max_price_hour": "0.5", "other": "NaN"}, ""},
		{map[string]string{"dec2.wallet": "0x00000000000000000000000000000000000000c0", "dec2.delegation": "0x00", "dec2.delegation_until": "1900000000"}, ""},
		{map[string]string{"dec2.wallet": " "}, ""},
		{map[string]string{"dec2.max_price_hour": "NaN"}, "dec2.max_price_hour"},
		{map[string]string{"dec2.max_price_hour": "+Inf"}, "dec2.max_price_hour"},
		{map[string]string{"dec2.max_price_hour": "-1"}, "dec2.max_price_hour"},
		{map[string]string{"dec2.max_price_hour": "1,5"}, "dec2.max_price_hour"},
		{map[string]string{"dec2.pack": "yes"}, "dec2.pack"},
		{map[string]string{"dec2.wallet": "alice"}, "dec2.wallet"},
		{map[string]string{"dec2.wallet": "0x0000000000000000000000000000000000000000"}, "dec2.wallet"},
		{map[string]string{"dec2.delegation": "0x00"}, "dec2.delegation"},
		{map[string]string{"dec2.wallet": "0x00000000000000000000000000000000000000c0", "dec2.delegation_until": "soon"}, "dec2.delegation_until"},
	} {
		err := CheckMeta(&api.Job{Meta: tc.meta})
		var me *MetaError
		switch {
		case tc.key == "" && err != nil:
			t.Errorf("%v refused: %v", tc.meta, err)
		case tc.key != "" && (!errors.As(err, &me) || me.Key != tc.key):
			t.Errorf("%v: error %v, want one naming %s", tc.meta, err, tc.key)
		}
	}
}

package inventory

import "strings"

// vendorPrefixes are dropped from marketing names: the vendor is already the device's vendor.
var vendorPrefixes = []string{"NVIDIA ", "AMD ", "Intel(R) ", "Intel "}

// ModelName turns a driver's marketing name into a device name usable in Nomad device
// references (vendor/type/name) and node meta keys: vendor prefix dropped, anything but letters,
// digits, '.', '_' and '-' turned into single dashes. "NVIDIA GeForce RTX 4090" becomes
// "GeForce-RTX-4090", "NVIDIA A100-SXM4-80GB" "A100-SXM4-80GB".
func ModelName(raw string) string {
	s := strings.TrimSpace(raw)
	for _, p := range vendorPrefixes {
		s = strings.TrimPrefix(s, p)
	}
	var b strings.Builder
	dash := false
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '.' || r == '_' || r == '-'
		if !ok || r == '-' {
			if !dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = true
			continue
		}
		b.WriteRune(r)
		dash = false
	}
	return strings.TrimSuffix(b.String(), "-")
}

package metaapi

import (
	"bytes"
	"net/url"
	"testing"
)

// FuzzParseSegmentRef: whatever query arrives, parseSegmentRef never panics, what it accepts
// is a valid reference, and encoding it again gives back the same reference.
func FuzzParseSegmentRef(f *testing.F) {
	f.Add("tenant=0x70997970c51812dc3a010c7d01b50e0d17dc79c8&bucket=Yg&key=aw&version=7&segment=0")
	f.Add("tenant=t&bucket=Yg&key=aw&version=x&segment=0")
	f.Add("tenant=t&tenant=u")
	f.Add("segment=-1&bucket=&key=%ff")
	f.Fuzz(func(t *testing.T, raw string) {
		q, err := url.ParseQuery(raw)
		if err != nil {
			return
		}
		ref, err := parseSegmentRef(q)
		if err != nil {
			return
		}
		if err := ref.Validate(); err != nil {
			t.Fatalf("accepted %q as %+v, which does not validate: %v", raw, ref, err)
		}
		again, err := parseSegmentRef(segmentQuery(ref))
		if err != nil || again.Tenant != ref.Tenant || !bytes.Equal(again.Bucket, ref.Bucket) || !bytes.Equal(again.Key, ref.Key) ||
			again.Version != ref.Version || again.Segment != ref.Segment {
			t.Fatalf("%+v encoded and parsed again: %+v, %v", ref, again, err)
		}
	})
}

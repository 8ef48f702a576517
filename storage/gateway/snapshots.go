package gateway

import (
	"crypto/rand"
	"encoding/hex"
	"sync"
	"time"
)

// Bounds of the listing snapshots: a paging client asks for its next page within moments, and
// a snapshot holds a whole directory's entries.
const (
	snapshotTTL = 30 * time.Second
	maxSnapshot = 16
)

// snapshot is one listing's directory, decrypted and sorted, as of its first page.
type snapshot struct {
	id                    string
	bucket, prefix, delim string
	entries               []entry
	taken                 time.Time
}

// snapshots keeps the most recent listings' directories for their later pages.
type snapshots struct {
	mu  sync.Mutex
	now func() time.Time
	all []*snapshot // oldest first
}

// get returns snapshot id if it is still kept and was taken for the same listing: a token
// replayed with another bucket, prefix or delimiter reads afresh.
func (s *snapshots) get(id, bucket, prefix, delim string) (*snapshot, bool) {
	if id == "" {
		return nil, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire()
	for _, sn := range s.all {
		if sn.id == id && sn.bucket == bucket && sn.prefix == prefix && sn.delim == delim {
			return sn, true
		}
	}
	return nil, false
}

// put keeps a new snapshot of entries, evicting the oldest past maxSnapshot.
func (s *snapshots) put(bucket, prefix, delim string, entries []entry) *snapshot {
	var id [8]byte
	_, _ = rand.Read(id[:])
	sn := &snapshot{id: hex.EncodeToString(id[:]), bucket: bucket, prefix: prefix, delim: delim, entries: entries, taken: s.clock()}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.expire()
	s.all = append(s.all, sn)
	if len(s.all) > maxSnapshot {
		s.all = s.all[len(s.all)-maxSnapshot:]
	}
	return sn
}

func (s *snapshots) expire() {
	now := s.clock()
	i := 0
	for i < len(s.all) && now.Sub(s.all[i].taken) > snapshotTTL {
		i++
	}
	s.all = s.all[i:]
}

func (s *snapshots) clock() time.Time {
	if s.now == nil {
		return time.Now()
	}
	return s.now()
}

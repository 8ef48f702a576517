package region

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/dec2-cloud/dec2/identity/client"
)

// Stored is a session as it outlives the console: the user's sign-in (their Nomad token
// included, which the console needs to serve them again) and when the session ends.
type Stored struct {
	User    client.Session `json:"user"`
	Expires time.Time      `json:"expires"`
}

// Sessions keeps the signed-in users' sessions, each under the SHA-256 of its cookie's value:
// what a browser presents is never kept, so the file alone signs no one in. With a path the
// sessions are kept in that file too (mode 0600: it holds Nomad tokens), rewritten whole on
// each sign-in and sign-out, so that a restarted console serves its users without a new
// sign-in. A session past its expiry is never answered and is dropped at the next write.
type Sessions struct {
	path string
	mu   sync.Mutex
	m    map[string]Stored
}

// sessionsFile is the file's format; version changes when it does.
type sessionsFile struct {
	Version  int               `json:"version"`
	Sessions map[string]Stored `json:"sessions"`
}

const sessionsVersion = 1

// OpenSessions reads the sessions kept at path, dropping those that have expired; "" keeps
// them in memory only. A missing file is an empty one.
func OpenSessions(path string) (*Sessions, error) {
	s := &Sessions{path: path, m: map[string]Stored{}}
	if path == "" {
		return s, nil
	}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
			return nil, fmt.Errorf("making the sessions' directory: %w", err)
		}
		return s, s.write()
	}
	if err != nil {
		return nil, fmt.Errorf("reading the sessions: %w", err)
	}
	var f sessionsFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("reading the sessions in %s: %w", path, err)
	}
	if f.Version != sessionsVersion {
		return nil, fmt.Errorf("the sessions in %s are version %d, this console reads %d: move the file away (its users sign in again)", path, f.Version, sessionsVersion)
	}
	now := time.Now()
	for k, v := range f.Sessions {
		if now.Before(v.Expires) {
			s.m[k] = v
		}
	}
	return s, nil
}

// sessionKey is what a session is kept under: the hash of its cookie's value.
func sessionKey(id string) string {
	h := sha256.Sum256([]byte(id))
	return hex.EncodeToString(h[:])
}

// Put keeps the session whose cookie's value is id.
func (s *Sessions) Put(id string, st Stored) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.m[sessionKey(id)] = st
	return s.write()
}

// Get is the live session whose cookie's value is id; false when there is none or it expired.
func (s *Sessions) Get(id string) (Stored, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.m[sessionKey(id)]
	if !ok || !time.Now().Before(st.Expires) {
		return Stored{}, false
	}
	return st, true
}

// Delete forgets the session whose cookie's value is id.
func (s *Sessions) Delete(id string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	k := sessionKey(id)
	if _, ok := s.m[k]; !ok {
		return nil
	}
	delete(s.m, k)
	return s.write()
}

// Len is the sessions that have not expired.
func (s *Sessions) Len() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	now, n := time.Now(), 0
	for _, v := range s.m {
		if now.Before(v.Expires) {
			n++
		}
	}
	return n
}

// write drops the expired sessions and, with a path, replaces the file by a complete new
// one (written beside it, then renamed), so that a crash leaves the old or the new file. The
// caller holds s.mu.
func (s *Sessions) write() error {
	now := time.Now()
	for k, v := range s.m {
		if !now.Before(v.Expires) {
			delete(s.m, k)
		}
	}
	if s.path == "" {
		return nil
	}
	b, err := json.Marshal(sessionsFile{Version: sessionsVersion, Sessions: s.m})
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(s.path), filepath.Base(s.path)+".*")
	if err != nil {
		return fmt.Errorf("writing the sessions: %w", err)
	}
	// CreateTemp makes the file 0600, which the rename keeps.
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(b)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), s.path)
	}
	if err != nil {
		return fmt.Errorf("writing the sessions to %s: %w", s.path, err)
	}
	return nil
}

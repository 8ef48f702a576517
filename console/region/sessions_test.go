package region

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/dec2-cloud/dec2/identity/client"
)

// The kept sessions outlive the store that wrote them, under the hash of the cookie's value
// alone, in a file only the console may read; an expired one is never answered.
func TestSessionsAreKeptByTheirHash(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state", "sessions.json")
	s, err := OpenSessions(path)
	if err != nil {
		t.Fatal(err)
	}
	user := client.Session{NomadToken: "secret-1", Namespace: "w-1", Wallet: "0x00000000000000000000000000000000000000A1"}
	live := Stored{User: user, Expires: time.Now().Add(time.Hour).Round(0)}
	if err := s.Put("cookie-live", live); err != nil {
		t.Fatal(err)
	}
	if err := s.Put("cookie-old", Stored{User: user, Expires: time.Now().Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.Get("cookie-old"); ok || s.Len() != 1 {
		t.Errorf("an expired session answered, or counted: %d kept", s.Len())
	}
	if _, ok := s.Get("cookie-unknown"); ok {
		t.Error("an unknown cookie has a session")
	}

	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(raw), "cookie-live") || !strings.Contains(string(raw), sessionKey("cookie-live")) {
		t.Errorf("the file keeps the cookie's value, or not its hash:\n%s", raw)
	}
	if fi, err := os.Stat(path); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("the sessions file (it holds Nomad tokens): %v %v, want mode 0600", fi.Mode(), err)
	}

	again, err := OpenSessions(path)
	if err != nil {
		t.Fatal(err)
	}
	got, ok := again.Get("cookie-live")
	if !ok || got.User != user || !got.Expires.Equal(live.Expires) {
		t.Fatalf("after reopening: %+v %v, want %+v", got, ok, live)
	}
	if err := again.Delete("cookie-live"); err != nil {
		t.Fatal(err)
	}
	if third, err := OpenSessions(path); err != nil || third.Len() != 0 {
		t.Fatalf("a deleted session came back: %v", err)
	}

	if err := os.WriteFile(path, []byte(`{"version":9,"sessions":{}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := OpenSessions(path); err == nil || !strings.Contains(err.Error(), "version 9") {
		t.Errorf("a file of another version: %v", err)
	}
}

// A session outlives the console that signed it in: another console on the same file serves
// the cookie at once with the session's token and namespace, and its sign-out forgets it.
func TestSessionSurvivesARestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "sessions.json")
	kept, err := OpenSessions(path)
	if err != nil {
		t.Fatal(err)
	}
	first := newRigKeeping(t, time.Hour, 0, kept)
	key, _ := crypto.GenerateKey()
	ck := cookieOf(t, first.signIn(t, key, key))
	first.console.Close()
	select {
	case <-first.opened[0].closed:
	case <-time.After(time.Second):
		t.Fatal("closing the console left the user's backend open")
	}

	reopened, err := OpenSessions(path)
	if err != nil {
		t.Fatal(err)
	}
	second := newRigKeeping(t, time.Hour, 0, reopened)
	w := second.do("GET", "/instances", "", ck)
	if w.Code != http.StatusOK || len(second.opened) != 1 || second.opened[0].user.NomadToken != "secret-1" ||
		!strings.Contains(w.Body.String(), `<code id="namespace">`+first.opened[0].user.Namespace) {
		t.Fatalf("the restarted console: %d, opened %+v\n%s", w.Code, second.opened, w.Body.String())
	}
	if w := second.do("GET", "/instances?page=1", "", ck); w.Code != http.StatusOK || len(second.opened) != 1 {
		t.Errorf("a second request opened the session again: %d, opened %d", w.Code, len(second.opened))
	}
	if w := second.do("POST", "/signout", "", ck); w.Code != http.StatusSeeOther {
		t.Fatalf("sign-out: %d", w.Code)
	}
	if third, err := OpenSessions(path); err != nil || third.Len() != 0 {
		t.Errorf("the signed-out session is still kept: %v", err)
	}
	if w := second.do("GET", "/instances", "", ck); w.Code != http.StatusSeeOther {
		t.Errorf("the signed-out cookie: %d", w.Code)
	}
}

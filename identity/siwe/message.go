// Package siwe parses, renders and verifies Sign-In with Ethereum messages (EIP-4361): the
// proof that a consumer controls a wallet. It is pure: the nonce store and the clock come in
// through Params.
package siwe

import (
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/ethereum/go-ethereum/common"
)

// MaxLen bounds a message: EIP-4361 sets no limit, and a wallet prompt longer than this is
// not one a person reads.
const MaxLen = 8 << 10

const (
	preambleSuffix = " wants you to sign in with your Ethereum account:"
	version        = "1"
)

// Message is an EIP-4361 message. Zero ExpirationTime and NotBefore, an empty Statement or
// RequestID and nil Resources are absent. The version is always "1", the only one defined.
type Message struct {
	Domain         string
	Address        common.Address
	Statement      string
	URI            string
	ChainID        uint64
	Nonce          string
	IssuedAt       time.Time
	ExpirationTime time.Time
	NotBefore      time.Time
	RequestID      string
	Resources      []string
}

// String renders m in the exact layout of EIP-4361, the text a wallet signs.
func (m Message) String() string {
	var b strings.Builder
	b.WriteString(m.Domain + preambleSuffix + "\n")
	b.WriteString(m.Address.Hex() + "\n\n")
	if m.Statement != "" {
		b.WriteString(m.Statement + "\n")
	}
	b.WriteString("\nURI: " + m.URI)
	b.WriteString("\nVersion: " + version)
	b.WriteString("\nChain ID: " + strconv.FormatUint(m.ChainID, 10))
	b.WriteString("\nNonce: " + m.Nonce)
	b.WriteString("\nIssued At: " + m.IssuedAt.Format(time.RFC3339Nano))
	if !m.ExpirationTime.IsZero() {
		b.WriteString("\nExpiration Time: " + m.ExpirationTime.Format(time.RFC3339Nano))
	}
	if !m.NotBefore.IsZero() {
		b.WriteString("\nNot Before: " + m.NotBefore.Format(time.RFC3339Nano))
	}
	if m.RequestID != "" {
		b.WriteString("\nRequest ID: " + m.RequestID)
	}
	if len(m.Resources) > 0 {
		b.WriteString("\nResources:")
		for _, r := range m.Resources {
			b.WriteString("\n- " + r)
		}
	}
	return b.String()
}

// lines walks a message line by line, remembering what a field error should name.
type lines struct {
	l []string
	i int
}

func (ls *lines) next() (string, bool) {
	if ls.i >= len(ls.l) {
		return "", false
	}
	ls.i++
	return ls.l[ls.i-1], true
}

// tagged returns the value of the next line if it starts with "<tag>: ".
func (ls *lines) tagged(tag string) (string, bool) {
	if ls.i < len(ls.l) && strings.HasPrefix(ls.l[ls.i], tag+": ") {
		ls.i++
		return strings.TrimPrefix(ls.l[ls.i-1], tag+": "), true
	}
	return "", false
}

// Parse reads an EIP-4361 message, strictly: fields in the standard's order, LF line ends, no
// trailing newline, an EIP-55 checksummed address.
func Parse(s string) (*Message, error) {
	if len(s) > MaxLen {
		return nil, malformed("message", "longer than "+strconv.Itoa(MaxLen)+" bytes")
	}
	ls := &lines{l: strings.Split(s, "\n")}
	m := &Message{}
	if err := parseHeader(ls, m); err != nil {
		return nil, err
	}
	if err := parseRequired(ls, m); err != nil {
		return nil, err
	}
	if err := parseOptional(ls, m); err != nil {
		return nil, err
	}
	if ls.i != len(ls.l) {
		return nil, malformed("message", "unexpected line "+strconv.Quote(ls.l[ls.i])+": fields must follow EIP-4361's order, with no trailing newline")
	}
	return m, nil
}

func parseHeader(ls *lines, m *Message) error {
	first, _ := ls.next()
	domain, ok := strings.CutSuffix(first, preambleSuffix)
	if !ok {
		return malformed("preamble", `first line must be "<domain>`+preambleSuffix+`"`)
	}
	if !validDomain(domain) {
		return malformed("domain", "must be a host[:port] with no spaces, slashes or control characters")
	}
	m.Domain = domain
	addr, _ := ls.next()
	if !common.IsHexAddress(addr) || !strings.HasPrefix(addr, "0x") || common.HexToAddress(addr).Hex() != addr {
		return malformed("address", "second line must be the 0x address in EIP-55 checksummed form")
	}
	m.Address = common.HexToAddress(addr)
	if blank, ok := ls.next(); !ok || blank != "" {
		return malformed("statement", "the address must be followed by an empty line")
	}
	stmt, _ := ls.next()
	if stmt == "" {
		return nil
	}
	if !printable(stmt) {
		return malformed("statement", "must be one line of printable characters")
	}
	m.Statement = stmt
	if blank, ok := ls.next(); !ok || blank != "" {
		return malformed("statement", "the statement must be followed by an empty line")
	}
	return nil
}

func parseRequired(ls *lines, m *Message) error {
	uri, ok := ls.tagged("URI")
	if !ok || !validURI(uri) {
		return malformed("URI", `want "URI: <absolute URI>"`)
	}
	m.URI = uri
	if v, ok := ls.tagged("Version"); !ok || v != version {
		return malformed("Version", `want "Version: 1"`)
	}
	chain, ok := ls.tagged("Chain ID")
	id, err := strconv.ParseUint(chain, 10, 64)
	if !ok || err != nil {
		return malformed("Chain ID", `want "Chain ID: <decimal chain id>"`)
	}
	m.ChainID = id
	nonce, ok := ls.tagged("Nonce")
	if !ok || !validNonce(nonce) {
		return malformed("Nonce", "want at least 8 letters or digits")
	}
	m.Nonce = nonce
	issued, ok := ls.tagged("Issued At")
	if m.IssuedAt, err = parseTime(issued); !ok || err != nil {
		return malformed("Issued At", "want an RFC 3339 time")
	}
	return nil
}

func parseOptional(ls *lines, m *Message) error {
	var err error
	if v, ok := ls.tagged("Expiration Time"); ok {
		if m.ExpirationTime, err = parseTime(v); err != nil {
			return malformed("Expiration Time", "want an RFC 3339 time")
		}
	}
	if v, ok := ls.tagged("Not Before"); ok {
		if m.NotBefore, err = parseTime(v); err != nil {
			return malformed("Not Before", "want an RFC 3339 time")
		}
	}
	if v, ok := ls.tagged("Request ID"); ok {
		if !printable(v) || strings.ContainsAny(v, " ") {
			return malformed("Request ID", "must have no spaces or control characters")
		}
		m.RequestID = v
	}
	if ls.i < len(ls.l) && ls.l[ls.i] == "Resources:" {
		ls.i++
		for ls.i < len(ls.l) && strings.HasPrefix(ls.l[ls.i], "- ") {
			r, _ := ls.next()
			if r = r[2:]; !validURI(r) {
				return malformed("Resources", "each resource must be an absolute URI")
			}
			m.Resources = append(m.Resources, r)
		}
		if len(m.Resources) == 0 {
			return malformed("Resources", `"Resources:" must be followed by "- <URI>" lines`)
		}
	}
	return nil
}

// parseTime rejects times whose rendering would not parse back (years past 9999).
func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, err
	}
	if _, err := time.Parse(time.RFC3339, t.Format(time.RFC3339Nano)); err != nil {
		return time.Time{}, err
	}
	return t, nil
}

func printable(s string) bool {
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return false
		}
	}
	return true
}

func validDomain(s string) bool {
	return s != "" && printable(s) && !strings.ContainsAny(s, " /?#")
}

func validURI(s string) bool {
	if s == "" || !printable(s) || strings.ContainsAny(s, " ") {
		return false
	}
	u, err := url.Parse(s)
	return err == nil && u.Scheme != ""
}

func validNonce(s string) bool {
	if len(s) < 8 {
		return false
	}
	for _, c := range s {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return false
		}
	}
	return true
}

package gateway

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/versity/versitygw/auth"
	"github.com/versity/versitygw/embedgw"
	"github.com/versity/versitygw/s3api"
	"github.com/versity/versitygw/s3err"

	"github.com/dec2-cloud/dec2/storage/s3keys"
)

// ServeConfig is how the S3 front end listens.
type ServeConfig struct {
	// Listen is host:port; the gateway is the consumer's own, so 127.0.0.1 is the usual host.
	Listen string
	// Region is the SigV4 region clients sign for; us-east-1 when empty.
	Region string
	// Keys are the access keys the gateway accepts; the first is versitygw's root account.
	Keys []s3keys.Key
	// OnListen, when set, is called once the listener accepts requests.
	OnListen func()
	// Quiet turns off versitygw's per-request log lines.
	Quiet bool
	// CertFile and KeyFile serve TLS when both are set.
	CertFile, KeyFile string
}

// Serve runs the S3 front end over be until ctx ends. versitygw allows one gateway per process.
func Serve(ctx context.Context, be *Backend, c ServeConfig) error {
	if len(c.Keys) == 0 {
		return fmt.Errorf("gateway: %w", s3keys.ErrNoKeys)
	}
	root := c.Keys[0]
	cfg := &embedgw.Config{
		RootUserAccess: root.AccessKey, RootUserSecret: root.SecretKey,
		Region: c.Region, Ports: []string{c.Listen},
		MaxConnections: 250_000, MaxRequests: 100_000, MultipartMaxParts: 10_000,
		Quiet: c.Quiet, KeepAlive: true,
		CertFile: c.CertFile, KeyFile: c.KeyFile,
		// ACLs are not kept (every key is the consumer's, see CreateBucket).
		DisableACLs: true,
		IAMService:  newKeyIAM(c.Keys),
	}
	if c.OnListen != nil {
		cfg.S3Options = []s3api.Option{s3api.WithOnListen(c.OnListen)}
	}
	if err := embedgw.RunVersityGW(ctx, be, cfg); err != nil {
		return fmt.Errorf("gateway: %w", err)
	}
	return nil
}

// keyIAM is versitygw's account store over the consumer's key file: every key is an admin of
// the one tenant, and accounts are not managed through the gateway.
type keyIAM struct {
	mu   sync.RWMutex
	keys map[string]auth.Account
}

func newKeyIAM(keys []s3keys.Key) *keyIAM {
	m := make(map[string]auth.Account, len(keys))
	for _, k := range keys {
		m[k.AccessKey] = auth.Account{Access: k.AccessKey, Secret: k.SecretKey, Role: auth.RoleAdmin}
	}
	return &keyIAM{keys: m}
}

var errManagedLocally = s3err.GetAPIError(s3err.ErrAdminMethodNotSupported)

func (*keyIAM) CreateAccount(auth.Account) error { return errManagedLocally }

func (i *keyIAM) GetUserAccount(access string) (auth.Account, error) {
	i.mu.RLock()
	defer i.mu.RUnlock()
	a, ok := i.keys[access]
	if !ok {
		return auth.Account{}, auth.ErrNoSuchUser
	}
	return a, nil
}

func (i *keyIAM) ResolveAccounts(ids []string) ([]string, error) {
	var missing []string
	for _, id := range ids {
		if _, err := i.GetUserAccount(id); errors.Is(err, auth.ErrNoSuchUser) {
			missing = append(missing, id)
		}
	}
	return missing, nil
}

func (*keyIAM) UpdateUserAccount(string, auth.MutableProps) error { return errManagedLocally }
func (*keyIAM) DeleteUserAccount(string) error                    { return errManagedLocally }

func (i *keyIAM) ListUserAccounts() ([]auth.Account, error) {
	i.mu.RLock()
	defer i.mu.RUnlock()
	out := make([]auth.Account, 0, len(i.keys))
	for _, a := range i.keys {
		out = append(out, a)
	}
	return out, nil
}

func (*keyIAM) Shutdown() error { return nil }

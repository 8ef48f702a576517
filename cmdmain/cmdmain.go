// Package cmdmain is what dec2's service commands share around cobra: a root command whose
// bad flags are usage errors, exit codes (2 for bad input, 1 for anything else), and serving
// HTTP until the context ends, then shutting down within a grace period.
package cmdmain

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"time"

	"github.com/spf13/cobra"
)

// UsageError is bad input: the command exits 2.
type UsageError struct{ Err error }

// Usage marks err as bad input.
func Usage(err error) error { return UsageError{Err: err} }

func (u UsageError) Error() string { return u.Err.Error() }
func (u UsageError) Unwrap() error { return u.Err }

// Root is a command named use with subs, printing neither usage nor errors itself (Execute
// does) and calling bad flags usage errors.
func Root(use, short string, subs ...*cobra.Command) *cobra.Command {
	root := &cobra.Command{Use: use, Short: short, SilenceUsage: true, SilenceErrors: true}
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return Usage(err) })
	root.AddCommand(subs...)
	return root
}

// Execute runs root and exits the process on error: 2 for a UsageError, 1 otherwise, after
// printing "<name>: <error>" to stderr.
func Execute(root *cobra.Command) {
	err := root.Execute()
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "%s: %v\n", root.Name(), err)
	if errors.As(err, new(UsageError)) {
		os.Exit(2)
	}
	os.Exit(1)
}

// Serve serves h on ln until ctx ends, then shuts the server down, giving requests in flight
// grace to finish.
func Serve(ctx context.Context, ln net.Listener, h http.Handler, grace time.Duration) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), grace)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serving on %s: %w", ln.Addr(), err)
	}
	return nil
}

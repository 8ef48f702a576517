// Command dec2 is the consumer's and provider's CLI: rent instances (`dec2 instance`), pay for
// them (`dec2 wallet`), and join a machine as a provider (`dec2 provider`).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"golang.org/x/term"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	a := &app{getenv: os.Getenv, stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		interactive: term.IsTerminal(int(os.Stdout.Fd()))}
	if err := a.root().ExecuteContext(ctx); err != nil {
		os.Exit(report(os.Stderr, err))
	}
}

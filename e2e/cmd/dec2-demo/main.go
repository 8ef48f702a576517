// Command dec2-demo backs `make demo`: a local dec2 region with ACLs — a dev chain with the
// contracts, providers of different sizes (one with GPUs), the identity service, the allocator and
// the billing sidecar — and a consumer that signs in with its wallet and rents instances through
// them in its own namespace, paying their providers as they run until Ctrl-C stops them.
package main

import (
	"context"
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/dec2-cloud/dec2/e2e"
)

func main() {
	stopAfter := flag.Duration("for", 0, "stop after this long instead of waiting for Ctrl-C")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	t := e2e.NewRunner("demo", log)
	defer t.RunCleanups()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	d, err := run(ctx, t, os.Stdout)
	if err != nil {
		t.RunCleanups()
		fmt.Fprintf(os.Stderr, "demo failed: %v\n", err)
		os.Exit(1)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	var deadline <-chan time.Time
	if *stopAfter > 0 {
		deadline = time.After(*stopAfter)
	}
	fmt.Println("demo ready: press Ctrl-C to stop the instance, see pay stop, and clean up")
	tick := time.NewTicker(10 * time.Second)
	defer tick.Stop()
	for waiting := true; waiting; {
		select {
		case s := <-sig:
			log.Info("stopping", "signal", s.String())
			waiting = false
		case <-deadline:
			log.Info("stopping", "after", stopAfter.String())
			waiting = false
		case <-tick.C:
			if err := d.printPay(ctx, "Paying as it runs"); err != nil {
				log.Warn("reading pay", "err", err)
			}
		}
	}
	if err := d.stop(ctx); err != nil {
		t.RunCleanups()
		fmt.Fprintf(os.Stderr, "demo failed while stopping: %v\n", err)
		os.Exit(1)
	}
}

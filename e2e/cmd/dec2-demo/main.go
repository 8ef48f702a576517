// Command dec2-demo backs `make demo`: a local dec2 region with providers of different sizes and an
// instance running on it, kept up until Ctrl-C, then torn down.
package main

import (
	"flag"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	stopAfter := flag.Duration("for", 0, "tear down after this long instead of waiting for Ctrl-C")
	flag.Parse()
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	t := newRunner(log)
	defer t.runCleanups()

	if err := run(t, os.Stdout); err != nil {
		t.runCleanups()
		fmt.Fprintf(os.Stderr, "demo failed: %v\n", err)
		os.Exit(1)
	}

	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	var deadline <-chan time.Time
	if *stopAfter > 0 {
		deadline = time.After(*stopAfter)
	}
	fmt.Println("demo ready: press Ctrl-C to stop and clean up")
	select {
	case s := <-sig:
		log.Info("stopping", "signal", s.String())
	case <-deadline:
		log.Info("stopping", "after", stopAfter.String())
	}
}

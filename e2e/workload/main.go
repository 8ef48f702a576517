// Command workload is the harness's load generator, run in FROM-scratch images: it holds a given
// amount of memory, burns a given share of a CPU, serves its state over HTTP, and exits after a
// given time or on SIGTERM/SIGINT.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"
	"time"
)

func main() {
	var (
		memMB    = flag.Int("mem", 0, "MiB of memory to allocate and touch")
		cpuShare = flag.Float64("cpu", 0, "share of one CPU to burn, 0 to 1")
		addr     = flag.String("http", "", "address to serve state on, e.g. :8080; empty = no server")
		duration = flag.Duration("duration", 0, "exit 0 after this long; 0 = run until signalled")
		exitCode = flag.Int("exit", 0, "exit code when -duration ends")
		printEnv = flag.Bool("print-env", false, "print the environment to stdout at start")
	)
	flag.Parse()
	log := slog.New(slog.NewJSONHandler(os.Stderr, nil))
	if *cpuShare < 0 || *cpuShare > 1 {
		fmt.Fprintf(os.Stderr, "workload: -cpu must be between 0 and 1, got %v\n", *cpuShare)
		os.Exit(2)
	}
	if *printEnv {
		env := os.Environ()
		sort.Strings(env)
		fmt.Println(strings.Join(env, "\n"))
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, syscall.SIGINT)
	defer stop()
	if *duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, *duration)
		defer cancel()
	}

	held := hold(*memMB)
	go burn(ctx, *cpuShare)
	started := time.Now()
	if *addr != "" {
		srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second, Handler: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			host, _ := os.Hostname()
			_ = json.NewEncoder(w).Encode(map[string]any{
				"host": host, "mem_mb": len(held) >> 20, "cpu": *cpuShare, "uptime_s": time.Since(started).Seconds(),
			})
		})}
		go func() {
			if err := srv.ListenAndServe(); err != nil && err != http.ErrServerClosed {
				log.Error("serving", "addr", *addr, "err", err)
				os.Exit(1)
			}
		}()
		defer srv.Close()
	}
	log.Info("workload running", "mem_mb", *memMB, "cpu", *cpuShare, "http", *addr, "duration", duration.String())
	<-ctx.Done()
	if ctx.Err() == context.DeadlineExceeded {
		log.Info("workload done")
		os.Exit(*exitCode)
	}
	log.Info("workload stopped by signal")
}

// hold allocates and touches every page so the memory is resident, not just reserved.
func hold(mb int) []byte {
	buf := make([]byte, mb<<20)
	for i := 0; i < len(buf); i += 4096 {
		buf[i] = 1
	}
	return buf
}

// burn spins for share of every 10ms slice.
func burn(ctx context.Context, share float64) {
	if share <= 0 {
		return
	}
	const slice = 10 * time.Millisecond
	busy := time.Duration(float64(slice) * share)
	for ctx.Err() == nil {
		start := time.Now()
		for time.Since(start) < busy {
		}
		time.Sleep(slice - busy)
	}
}

package main

import "testing"

// The console acts with the wallet key: it must not listen where others can reach it.
func TestConsoleListensOnlyOnLoopback(t *testing.T) {
	for addr, ok := range map[string]bool{"127.0.0.1:4661": true, "localhost:0": true, "[::1]:4661": true,
		"0.0.0.0:4661": false, ":4661": false, "10.0.0.7:4661": false, "4661": false} {
		if err := loopback(addr); (err == nil) != ok {
			t.Errorf("--listen %s: %v, want allowed %v", addr, err, ok)
		}
	}
}

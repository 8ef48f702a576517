package probe

import (
	"context"
	"net"
	"testing"
	"time"
)

func TestAll(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			c.Close()
		}
	}()
	closed, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := closed.Addr().String()
	closed.Close()

	d := Dialer{Timeout: time.Second}
	got := d.All(context.Background(), []Target{{Addr: dead, Kind: "port"}, {Addr: ln.Addr().String(), Kind: "client"}}, time.Now)
	if len(got) != 2 || got[0].Kind != "client" || !got[0].OK || got[1].OK {
		t.Fatalf("probes: %+v", got)
	}
	if !Reachable(got) {
		t.Fatal("a client that answers is reachable")
	}
	if Reachable(got[1:]) {
		t.Fatal("a dead port alone is not the client answering")
	}
}

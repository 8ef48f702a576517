package pack

import (
	"sort"
	"time"
)

const (
	// growHosts bounds the closed nodes a round considers moving loads onto: the largest in
	// the bottleneck, which is where the covering LP puts its work.
	growHosts = 256
	// growTries bounds the closed nodes tried for one load; each try is a move and its undo.
	growTries = 8
	// growRounds bounds the rounds of growing and emptying; after the first few they close
	// little (on 10,000 providers: 23, 2, 1, 0).
	growRounds = 4
)

// growNodes closes nodes by making room for them on larger ones. Each round moves the whole
// load of every node this assignment opened, smallest first, onto the largest closed node
// that holds it and is larger in the open nodes' bottleneck dimension (the node count stays),
// then local search empties the least filled nodes into the room gained. It is the move the
// covering LP's choice of large nodes points to: the constructions fill the nodes they open
// but open smaller ones than needed, and a load of a full node fits on no other open node,
// nor two of them on one closed node, so neither local search nor replaceNodes (which moves
// a load onto a node with less room) can get there. Rounds stop when one closes nothing or
// at the deadline (zero: none); what room is left over, replaceNodes takes back.
func growNodes(s *state, deadline time.Time) {
	for round := 0; round < growRounds; round++ {
		if !deadline.IsZero() && time.Now().After(deadline) {
			return
		}
		w := s.bottleneck()
		hosts := s.largestClosed(w)
		grown := 0
		for _, a := range s.smallestOpened(w) {
			if !deadline.IsZero() && time.Now().After(deadline) {
				break
			}
			if s.grow(a, w, hosts) {
				grown++
			}
		}
		before := s.opened
		localSearch(s, deadline)
		if grown == 0 || s.opened == before {
			return
		}
	}
}

// grow moves a's whole load onto the first node of hosts (largest first) that is closed,
// larger than a by w and holds it, through moveAll's checks; it says whether it did.
// Loads without GPUs stay off nodes with free GPUs, which they would leave idle.
func (s *state) grow(a int, w [nScalar + 1]float64, hosts []int) bool {
	m := s.m
	load := s.load(a)
	insts := append([]int32(nil), s.onNode[a]...)
	tries := 0
hosts:
	for _, c := range hosts {
		if s.capacity(c, w) <= s.capacity(a, w) {
			return false
		}
		if s.isOpen(c) || (load[nScalar] == 0 && s.gpuFree[c] != 0) || !covers(s.room(c), load) {
			continue
		}
		for _, i := range insts {
			if !m.groups[s.groupOf(i)].sig.isFeas[c] {
				continue hosts
			}
		}
		if tries++; tries > growTries {
			return false
		}
		if s.moveAll(a, c, insts); s.count[a] == 0 {
			return true
		}
	}
	return false
}

// covers says whether room holds load in every dimension, GPUs counted.
func covers(room, load [nScalar + 1]int64) bool {
	for d := range room {
		if room[d] < load[d] {
			return false
		}
	}
	return true
}

// load is what n's instances take: scalar dimensions, then GPUs.
func (s *state) load(n int) [nScalar + 1]int64 {
	var out [nScalar + 1]int64
	for _, i := range s.onNode[n] {
		cg := &s.m.groups[s.groupOf(i)]
		for d := 0; d < nScalar; d++ {
			out[d] += cg.dem[d]
		}
		out[nScalar] += int64(cg.gpus)
	}
	return out
}

// room is n's free capacity: scalar dimensions, then free GPUs.
func (s *state) room(n int) [nScalar + 1]int64 {
	return [nScalar + 1]int64{s.free[n][dimCPU], s.free[n][dimMem], s.free[n][dimDisk], int64(popcount(s.gpuFree[n]))}
}

// bottleneck weighs each scalar dimension by how full the open nodes are in it, to the
// eighth power, so that the fullest dimension all but decides and the others only break
// near-ties (squared, memory at 40 % full outweighed CPU at 98 % often enough that few
// loads found a larger node). GPUs get no weight: a load needs them or not, and grow keeps
// loads without GPUs off nodes with idle ones.
func (s *state) bottleneck() [nScalar + 1]float64 {
	var used, capa [nScalar]float64
	for n := range s.m.nodes {
		if !s.isOpen(n) {
			continue
		}
		c := &s.m.nodes[n]
		for d := 0; d < nScalar; d++ {
			capa[d] += float64(c.cap[d])
			used[d] += float64(c.cap[d] - s.free[n][d])
		}
	}
	var w [nScalar + 1]float64
	for d := 0; d < nScalar; d++ {
		if capa[d] > 0 {
			f := used[d] / capa[d]
			f *= f
			f *= f
			w[d] = f * f
		}
	}
	return w
}

// capacity is n's size with each dimension scaled to node-sized units and weighted by w.
func (s *state) capacity(n int, w [nScalar + 1]float64) float64 {
	c := &s.m.nodes[n]
	k := 0.0
	for d := 0; d < nScalar; d++ {
		if s.m.norm[d] > 0 {
			k += w[d] * float64(c.cap[d]) / s.m.norm[d]
		}
	}
	return k
}

// largestClosed lists up to growHosts closed nodes, largest by w first.
func (s *state) largestClosed(w [nScalar + 1]float64) []int {
	var out []int
	key := make([]float64, len(s.m.nodes))
	for n := range s.m.nodes {
		if !s.isOpen(n) {
			out = append(out, n)
			key[n] = s.capacity(n, w)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return key[out[a]] > key[out[b]] })
	return out[:min(len(out), growHosts)]
}

// smallestOpened lists the nodes this assignment opened, smallest by w first: moving their
// loads gains the most room.
func (s *state) smallestOpened(w [nScalar + 1]float64) []int {
	var out []int
	key := make([]float64, len(s.m.nodes))
	for n := range s.m.nodes {
		if s.count[n] > 0 && !s.m.nodes[n].preOpen {
			out = append(out, n)
			key[n] = s.capacity(n, w)
		}
	}
	sort.SliceStable(out, func(a, b int) bool { return key[out[a]] < key[out[b]] })
	return out
}

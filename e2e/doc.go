// Package e2e starts real parts for tests and the demo: a Nomad region on 127.0.0.1 (one server,
// any number of clients with their own sizes and meta), Docker images built locally around this
// repository's static Go programs, and the small workload program those images run.
//
// Every component's integration tests use it; nothing else in the repository starts agents.
package e2e

// Package linkguard holds no code: its test keeps dec2's boundaries true as the tree grows —
// each binary links only what it serves, pure cores do no I/O, and no component imports
// another's packages (they share root packages: conventions, pricing, metering, tenancy).
package linkguard

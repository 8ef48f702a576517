// Command dec2-attestor watches a dec2 region's providers and, with its peers, slashes those
// that vanish with consumers' work. Exit codes: 0 done, 2 bad input or usage, 1 anything else.
package main

import (
	"errors"
	"fmt"
	"os"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		fmt.Fprintln(os.Stderr, "dec2-attestor:", err)
		var u usageError
		if errors.As(err, &u) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

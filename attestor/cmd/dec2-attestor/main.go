// Command dec2-attestor watches a dec2 region's providers and, with its peers, slashes those
// that vanish with consumers' work. Exit codes: 0 done, 2 bad input or usage, 1 anything else.
package main

import (
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cmdmain"
)

func main() {
	cmdmain.Execute(newRootCmd())
}

func newRootCmd() *cobra.Command {
	return cmdmain.Root("dec2-attestor", "Watch dec2 providers and slash, with k of n peers, those that vanish with consumers' work", newServeCmd())
}

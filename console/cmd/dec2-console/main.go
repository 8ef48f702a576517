// Command dec2-console serves the dec2 web console for a region's users, each signed in with the
// wallet in their browser (docs/console.md, "In a region"). Exit codes: 0 done, 2 bad input or
// usage, 1 anything else.
package main

import (
	"github.com/spf13/cobra"

	"github.com/dec2-cloud/dec2/cmdmain"
)

func main() {
	cmdmain.Execute(newRootCmd())
}

func newRootCmd() *cobra.Command {
	return cmdmain.Root("dec2-console", "Serve the dec2 web console for a region's users, signed in with their browser wallets", newServeCmd())
}

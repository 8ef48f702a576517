package e2e

import "os/exec"

// Chromium finds the browser chromedp drives. `make test` installs it first (make tools), so a
// missing browser fails the test rather than letting it pass unseen; -short skips such tests.
func Chromium(t TB) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatalf("no chromium on PATH: `make tools` installs it (scripts/ensure-chromium.sh)")
	return ""
}

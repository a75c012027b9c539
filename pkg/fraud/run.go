package fraud

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os/exec"
	"time"
)

// Bounds on external commands: a hung system_profiler or X server must not hold up a submission,
// and no command's output may grow memory without limit.
const (
	commandTimeout   = 5 * time.Second
	maxCommandOutput = 1 << 20
)

// errNotInstalled marks a command that is not on PATH, which is a fact worth explaining rather
// than a failure.
var errNotInstalled = errors.New("not installed")

// runCommand runs name with args under a timeout and returns its standard output.
func runCommand(ctx context.Context, name string, args ...string) ([]byte, error) {
	path, err := exec.LookPath(name)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, errNotInstalled)
	}
	ctx, cancel := context.WithTimeout(ctx, commandTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args...)
	out := &capped{max: maxCommandOutput}
	cmd.Stdout = out
	// Children that inherit the pipe could keep Wait blocked after the kill; WaitDelay bounds that.
	cmd.WaitDelay = time.Second
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: timed out after %s", name, commandTimeout)
		}
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if out.overflow {
		return nil, fmt.Errorf("%s: output larger than %d bytes", name, maxCommandOutput)
	}
	return out.Bytes(), nil
}

// capped is a writer that keeps at most max bytes and remembers whether more arrived.
type capped struct {
	bytes.Buffer
	max      int
	overflow bool
}

func (c *capped) Write(p []byte) (int, error) {
	room := c.max - c.Len()
	if len(p) > room {
		c.overflow = true
		if room > 0 {
			c.Buffer.Write(p[:room])
		}
		// Report success so the child is not killed by SIGPIPE mid-write; the overflow flag
		// makes the result an error anyway.
		return len(p), nil
	}
	return c.Buffer.Write(p)
}

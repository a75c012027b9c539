package hmrc

import (
	"context"
	"math/rand/v2"
	"time"
)

// Backoff bounds: HMRC's limit is per second, so starting at half a second clears a throttle
// without hammering, and the cap keeps an interactive command responsive.
const (
	backoffBase = 500 * time.Millisecond
	backoffCap  = 16 * time.Second
)

// backoff returns the wait before retry number attempt (1-based): exponential with "equal
// jitter" (half fixed, half random), so concurrent clients spread out but never retry at once.
func backoff(attempt int) time.Duration {
	d := backoffBase
	for i := 1; i < attempt && d < backoffCap; i++ {
		d *= 2
	}
	if d > backoffCap {
		d = backoffCap
	}
	half := d / 2
	return half + rand.N(half+1)
}

// sleepCtx waits for d or until ctx ends.
func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

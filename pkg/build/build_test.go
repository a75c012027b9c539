package build

import (
	"runtime/debug"
	"testing"
)

func TestResolve(t *testing.T) {
	t.Parallel()
	installed := &debug.BuildInfo{Main: debug.Module{Path: "github.com/vatbridge/vat", Version: "v1.4.0"}}
	checkout := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "8e9e941d3c0a5b7e1f2a3b4c5d6e7f8091a2b3c4"},
		{Key: "vcs.time", Value: "2026-11-29T19:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	info := func(bi *debug.BuildInfo) func() (*debug.BuildInfo, bool) {
		return func() (*debug.BuildInfo, bool) { return bi, bi != nil }
	}
	tests := []struct {
		name                string
		ldV, ldC, ldD       string
		bi                  *debug.BuildInfo
		wantV, wantC, wantD string
	}{
		{"release build: ldflags win", "1.5.0", "abc1234", "2026-11-01", installed, "1.5.0", "abc1234", "2026-11-01"},
		{"go install @version", "", "", "", installed, "1.4.0", "none", "unknown"},
		{"go build in a checkout", "", "", "", checkout, "dev", "8e9e941d3c0a-dirty", "2026-11-29T19:00:00Z"},
		{"no build info at all", "", "", "", nil, "dev", "none", "unknown"},
	}
	for _, tt := range tests {
		v, c, d := resolve(tt.ldV, tt.ldC, tt.ldD, info(tt.bi))
		if v != tt.wantV || c != tt.wantC || d != tt.wantD {
			t.Errorf("%s: got %q %q %q, want %q %q %q", tt.name, v, c, d, tt.wantV, tt.wantC, tt.wantD)
		}
	}
}

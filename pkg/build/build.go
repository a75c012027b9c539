// Package build says which vat this is: the release build stamps it with -ldflags, and any other
// build (go install, go build in a checkout) reads it from the binary's own build information, so
// that HMRC's Gov-Vendor-Version header and 'vat version' never say "dev" for a real version.
package build

import (
	"runtime/debug"
	"strings"
)

// Set by goreleaser through -ldflags "-X github.com/vatbridge/vat/pkg/build.ldVersion=…".
var ldVersion, ldCommit, ldDate string

// Version, Commit and Date describe this binary: "dev", "none" and "unknown" only when neither
// the release build nor the Go toolchain recorded them.
var Version, Commit, Date = resolve(ldVersion, ldCommit, ldDate, debug.ReadBuildInfo)

// ProductName is the name marketed to users; HMRC's Gov-Vendor-Product-Name carries it.
const ProductName = "vat"

func resolve(version, commit, date string, read func() (*debug.BuildInfo, bool)) (string, string, string) {
	info, ok := read()
	if ok && info != nil {
		if version == "" {
			// "go install …@v1.4.0" records v1.4.0; a build in a checkout records a pseudo-version
			// (v0.0.0-20261129…-abcdef), or "(devel)" when the toolchain could not tell.
			if v := info.Main.Version; v != "" && v != "(devel)" {
				version = strings.TrimPrefix(v, "v")
			}
		}
		settings := map[string]string{}
		for _, s := range info.Settings {
			settings[s.Key] = s.Value
		}
		if commit == "" && settings["vcs.revision"] != "" {
			commit = settings["vcs.revision"]
			if len(commit) > 12 {
				commit = commit[:12]
			}
			if settings["vcs.modified"] == "true" {
				commit += "-dirty"
			}
		}
		if date == "" {
			date = settings["vcs.time"]
		}
	}
	return orDefault(version, "dev"), orDefault(commit, "none"), orDefault(date, "unknown")
}

func orDefault(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

//go:build !linux

package main

import "github.com/rogpeppe/go-internal/testscript"

// personCmds needs a Linux pseudo-terminal; scripts that use it skip elsewhere.
var personCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){}

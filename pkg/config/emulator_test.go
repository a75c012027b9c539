package config

import (
	"testing"

	"github.com/vatbridge/vat/pkg/sandbox"
)

// The constant must follow the emulator's, or the refusal would guard a name nobody uses.
func TestEmulatorClientIDMatchesTheEmulator(t *testing.T) {
	t.Parallel()
	if EmulatorClientID != sandbox.LocalClientID {
		t.Fatalf("EmulatorClientID = %q, emulator uses %q", EmulatorClientID, sandbox.LocalClientID)
	}
}

package workbooktest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
)

// ErrNoLibreOffice reports that soffice is not installed (Debian: libreoffice-calc-nogui).
var ErrNoLibreOffice = errors.New("soffice not found; install libreoffice-calc-nogui")

// Recalculate opens each workbook in LibreOffice Calc (headless), recalculates every formula
// and saves it as .xlsx into outDir under the same name, so the copies carry results computed
// by a real spreadsheet program. LibreOffice recalculates OOXML files on load only when told
// to, so a throw-away profile sets "recalculate on load" to always.
func Recalculate(outDir string, paths ...string) error {
	soffice, err := exec.LookPath("soffice")
	if err != nil {
		return ErrNoLibreOffice
	}
	profile, err := os.MkdirTemp("", "vat-lo-profile")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		return err
	}
	const xcu = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), []byte(xcu), 0o600); err != nil {
		return err
	}
	// One soffice run converts a batch; long batches were seen to stop part way silently.
	const batch = 40
	for len(paths) > 0 {
		n := min(batch, len(paths))
		args := append([]string{"-env:UserInstallation=file://" + profile, "--headless", "--calc", "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", outDir}, paths[:n]...)
		out, err := exec.Command(soffice, args...).CombinedOutput()
		if err != nil {
			return fmt.Errorf("soffice: %w: %s", err, out)
		}
		for _, p := range paths[:n] {
			if _, err := os.Stat(filepath.Join(outDir, filepath.Base(p))); err != nil {
				return fmt.Errorf("soffice did not convert %s: %s", p, out)
			}
		}
		paths = paths[n:]
	}
	return nil
}

package fraud

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/google/uuid"
)

// DeviceIDFile is the name of the file in the config directory that keeps the device ID.
const DeviceIDFile = "device-id"

// maxDeviceIDFile bounds the read so a wrong file put in its place cannot exhaust memory.
const maxDeviceIDFile = 4096

// LoadDeviceID returns the device ID kept in dir, creating a random (version 4) UUID the first
// time. HMRC wants the same ID for ever, so an unreadable or corrupt file is an error rather than a
// reason to mint a new ID; deleting the file is the user's way to reset it.
func LoadDeviceID(dir string) (string, error) {
	if dir == "" {
		return "", errors.New("device id: no config directory")
	}
	path := filepath.Join(dir, DeviceIDFile)
	id, err := readDeviceID(path)
	if err == nil || !errors.Is(err, fs.ErrNotExist) {
		return id, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", fmt.Errorf("device id: %w", err)
	}
	return createDeviceID(dir, path)
}

func readDeviceID(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", fmt.Errorf("device id: %w", err)
	}
	defer f.Close()
	buf, err := io.ReadAll(io.LimitReader(f, maxDeviceIDFile+1))
	if err != nil {
		return "", fmt.Errorf("device id: read %s: %w", path, err)
	}
	if len(buf) > maxDeviceIDFile {
		return "", fmt.Errorf("device id: %s is not a device id file (too large); delete it to create a new id", path)
	}
	s := strings.TrimSpace(string(buf))
	u, err := uuid.Parse(s)
	if err != nil || len(s) != 36 {
		return "", fmt.Errorf("device id: %s does not hold a UUID; delete it to create a new id", path)
	}
	return u.String(), nil
}

// createDeviceID writes a new ID to a temporary file and links it into place, so a concurrent
// reader never sees a half-written file and two first runs agree on one ID.
func createDeviceID(dir, path string) (string, error) {
	id := uuid.NewString()
	tmp, err := os.CreateTemp(dir, ".device-id-*")
	if err != nil {
		return "", fmt.Errorf("device id: %w", err)
	}
	tmpName := tmp.Name()
	defer os.Remove(tmpName)
	_, werr := tmp.WriteString(id + "\n")
	serr := tmp.Sync()
	cerr := tmp.Close()
	if err := errors.Join(werr, serr, cerr); err != nil {
		return "", fmt.Errorf("device id: write: %w", err)
	}
	if err := os.Chmod(tmpName, 0o600); err != nil {
		return "", fmt.Errorf("device id: %w", err)
	}
	err = os.Link(tmpName, path)
	switch {
	case err == nil:
		return id, nil
	case errors.Is(err, fs.ErrExist):
		// Another process won the race; use its ID.
		return readDeviceID(path)
	default:
		// Some file systems have no hard links; a rename is atomic too, at the cost of possibly
		// replacing an ID another process created in the same instant.
		if err := os.Rename(tmpName, path); err != nil {
			return "", fmt.Errorf("device id: %w", err)
		}
		return id, nil
	}
}

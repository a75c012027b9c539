package cmdutil

import (
	"github.com/vatbridge/vat/pkg/config"
)

// Profile returns the running profile's stored settings (empty when it is not in the file yet).
func (f *Factory) Profile() (config.Profile, error) {
	s, err := f.Settings()
	if err != nil {
		return config.Profile{}, err
	}
	return f.file.Profiles[s.Profile], nil
}

// UpdateProfile changes the running profile with fn and saves the config file; nothing is saved
// when fn fails.
func (f *Factory) UpdateProfile(fn func(p *config.Profile) error) error {
	s, err := f.Settings()
	if err != nil {
		return err
	}
	// Read the file afresh: another command may have changed it since this run started.
	file, err := config.Load(s.ConfigDir)
	if err != nil {
		return err
	}
	p := file.Profiles[s.Profile]
	if err := fn(&p); err != nil {
		return err
	}
	file.Profiles[s.Profile] = p
	if err := file.Save(s.ConfigDir); err != nil {
		return err
	}
	f.file = file
	return nil
}

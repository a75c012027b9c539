// Package logout is `vat logout`.
package logout

import (
	"context"
	"errors"
	"io"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// LogoutOptions are the inputs of `vat logout`.
type LogoutOptions struct {
	IO         *iostreams.IOStreams
	Settings   func() (config.Settings, error)
	TokenStore func(context.Context) (auth.Store, error)
	TokenKey   func(context.Context) (string, error)
	Status     func(format string, args ...any)
	ErrStyles  func() *ui.Styles
	Output     func(doc any) error

	ForgetSecret bool
}

// NewCmdLogout builds `vat logout`; runF, when not nil, replaces the run (for tests).
func NewCmdLogout(f *cmdutil.Factory, runF func(*LogoutOptions) error) *cobra.Command {
	opts := &LogoutOptions{IO: f.IOStreams, Settings: f.Settings, TokenStore: f.TokenStore, TokenKey: f.TokenKey, Status: f.Status, ErrStyles: f.ErrStyles, Output: f.Output}
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "logout",
		Short: "Delete this profile's stored HMRC tokens",
		Long: `Delete the profile's stored HMRC tokens from the token store. vat can no longer act for
you until you run 'vat login' again. HMRC keeps the grant itself until it expires or you remove
vat under "Manage authorised applications" in your HMRC account.`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(cmd.Context(), opts)
		},
	})
	cmd.Flags().BoolVar(&opts.ForgetSecret, "forget-secret", false, "also delete the client secret saved with 'vat login --save-secret'")
	return cmd
}

func logoutRun(ctx context.Context, opts *LogoutOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	st, err := opts.TokenStore(ctx)
	if err != nil {
		return err
	}
	key, err := opts.TokenKey(ctx)
	if err != nil {
		return err
	}
	if err := st.Delete(ctx, key); err != nil {
		return err
	}
	// A token an older vat kept under the bare profile name goes too: logging out must leave no
	// authority behind.
	if err := st.Delete(ctx, s.Profile); err != nil && !errors.Is(err, auth.ErrNotFound) {
		return err
	}
	if opts.ForgetSecret {
		if err := auth.DeleteSecret(ctx, st, cmdutil.ClientSecretKey(s.Profile)); err != nil {
			return err
		}
	}
	opts.Status("%s logged out: profile %s has no stored tokens", opts.ErrStyles().SuccessIcon(), s.Profile)
	return opts.Output(Doc{Profile: s.Profile, TokenStore: st.Kind(), LoggedOut: true, SecretForgotten: opts.ForgetSecret})
}

// Doc is `vat logout -o json`.
type Doc struct {
	Profile         string `json:"profile"`
	TokenStore      string `json:"tokenStore"`
	LoggedOut       bool   `json:"loggedOut"`
	SecretForgotten bool   `json:"secretForgotten"`
}

// Text is empty: people were told on stderr, with the rest of the progress.
func (Doc) Text(io.Writer, cmdutil.Term) error { return nil }

package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/auth"
)

type logoutOptions struct {
	ForgetSecret bool
}

func newCmdLogout(f *Factory, runF func(*logoutOptions) error) *cobra.Command {
	opts := &logoutOptions{}
	cmd := &cobra.Command{
		Use:   "logout",
		Short: "Delete this profile's stored HMRC tokens",
		Long: `Delete the profile's stored HMRC tokens from the token store. vat can no longer act for
you until you run 'vat login' again. HMRC keeps the grant itself until it expires or you remove
vat under "Manage authorised applications" in your HMRC account.`,
		Args: requireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return logoutRun(cmd.Context(), f, opts)
		},
	}
	cmd.Flags().BoolVar(&opts.ForgetSecret, "forget-secret", false, "also delete the client secret saved with 'vat login --save-secret'")
	return cmd
}

func logoutRun(ctx context.Context, f *Factory, opts *logoutOptions) error {
	s, err := f.Settings()
	if err != nil {
		return err
	}
	st, err := f.TokenStore(ctx)
	if err != nil {
		return err
	}
	if err := st.Delete(ctx, s.Profile); err != nil {
		return err
	}
	if opts.ForgetSecret {
		if err := auth.DeleteSecret(ctx, st, clientSecretKey(s.Profile)); err != nil {
			return err
		}
	}
	f.status("%s logged out: profile %s has no stored tokens", f.ErrStyles().SuccessIcon(), s.Profile)
	return nil
}

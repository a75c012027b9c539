// Package status is `vat status`: profile, environment and login state.
package status

import (
	"context"
	"errors"
	"time"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// StatusOptions are the inputs of `vat status`.
type StatusOptions struct {
	IO         *iostreams.IOStreams
	Settings   func() (config.Settings, error)
	Endpoints  func() (config.Endpoints, error)
	TokenStore func(context.Context) (auth.Store, error)
	TokenKey   func(context.Context) (string, error)
	Render     func(doc any, tbl ui.Table) error
	Now        func() time.Time
	// WithProfile makes the commands it suggests name the profile it ran with.
	WithProfile func(string) string
}

// statusDoc is `vat status -o json`. It never holds a token.
type statusDoc struct {
	Profile         string     `json:"profile"`
	Environment     string     `json:"environment"`
	APIBase         string     `json:"apiBase"`
	VRN             string     `json:"vrn,omitempty"`
	TokenStore      string     `json:"tokenStore"`
	TokenStoreError string     `json:"tokenStoreError,omitempty"`
	LoggedIn        bool       `json:"loggedIn"`
	TokenExpiry     *time.Time `json:"tokenExpiry,omitempty"`
	AuthorityExpiry *time.Time `json:"authorityExpiry,omitempty"`
	Scope           string     `json:"scope,omitempty"`
	ReauthRequired  bool       `json:"reauthRequired"`
}

// NewCmdStatus builds `vat status`; runF, when not nil, replaces the run (for tests).
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Settings: f.Settings, Endpoints: f.Endpoints, TokenStore: f.TokenStore, TokenKey: f.TokenKey, Render: f.Render,
		Now: func() time.Time { return f.Now() }, WithProfile: f.WithProfile}
	return &cobra.Command{
		Use:   "status",
		Short: "Show the profile, HMRC environment and login state",
		Long: `Show the profile, HMRC environment, API base, VRN, where tokens are kept, and when the
access token and the 18-month authority expire. Never shows a token.

Exits 4 when the profile is not logged in or its authority has expired, so scripts can check
'vat status >/dev/null || vat login'.`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	}
}

func statusRun(ctx context.Context, opts *StatusOptions) error {
	s, err := opts.Settings()
	if err != nil {
		return err
	}
	e, err := opts.Endpoints()
	if err != nil {
		return err
	}
	doc := statusDoc{Profile: s.Profile, Environment: s.Env, APIBase: e.API, VRN: s.VRN, TokenStore: s.TokenStore}
	now := opts.Now()
	st, err := opts.TokenStore(ctx)
	if err != nil {
		// Status must still describe the profile when the keyring is missing: that is often why
		// someone runs it.
		doc.TokenStoreError = err.Error()
	} else {
		doc.TokenStore = st.Kind()
		key, err := opts.TokenKey(ctx)
		if err != nil {
			return err
		}
		tok, err := st.Load(ctx, key)
		switch {
		case errors.Is(err, auth.ErrNotFound):
		case err != nil:
			doc.TokenStoreError = err.Error()
		default:
			doc.LoggedIn = true
			doc.TokenExpiry, doc.AuthorityExpiry, doc.Scope = timePtr(tok.Expiry), timePtr(tok.AuthorityExpiry), tok.Scope
			doc.ReauthRequired = tok.RefreshToken == "" || (!tok.AuthorityExpiry.IsZero() && !now.Before(tok.AuthorityExpiry))
		}
	}

	if opts.WithProfile == nil {
		opts.WithProfile = func(s string) string { return s }
	}
	login := "no: run 'vat login'"
	if doc.LoggedIn {
		login = "yes"
		if doc.ReauthRequired {
			login = "authority expired: run 'vat login'"
		}
	}
	store := doc.TokenStore
	if doc.TokenStoreError != "" {
		store += " (unavailable: " + doc.TokenStoreError + ")"
	}
	vrn := doc.VRN
	if vrn == "" {
		vrn = "(not set: --vrn or VAT_VRN)"
	}
	login = opts.WithProfile(login)
	tbl := ui.Table{Headers: []string{"Setting", "Value"}, Rows: [][]string{
		{"Profile", doc.Profile},
		{"Environment", doc.Environment},
		{"API base", doc.APIBase},
		{"VRN", vrn},
		{"Token store", store},
		{"Logged in", login},
	}}
	if doc.LoggedIn {
		tbl.Rows = append(tbl.Rows,
			[]string{"Access token expires", expiryText(doc.TokenExpiry, now, "refreshed automatically")},
			[]string{"Authority expires", expiryText(doc.AuthorityExpiry, now, opts.WithProfile("run 'vat login'"))},
			[]string{"Scope", doc.Scope},
		)
	}
	if err := opts.Render(doc, tbl); err != nil {
		return err
	}
	if !doc.LoggedIn || doc.ReauthRequired {
		return &cmdutil.SilentError{Code: cmdutil.ExitAuth}
	}
	return nil
}

func timePtr(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	u := t.UTC()
	return &u
}

// expiryText shows an expiry for people, saying what happens once it has passed.
func expiryText(t *time.Time, now time.Time, whenPast string) string {
	if t == nil {
		return "unknown"
	}
	s := t.Local().Format("2 Jan 2006 15:04 MST")
	if !now.Before(*t) {
		return s + " (expired: " + whenPast + ")"
	}
	return s
}

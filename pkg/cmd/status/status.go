// Package status is `vat status`: profile, environment and login state.
package status

import (
	"context"
	"errors"
	"fmt"
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
	// TokenSource refreshes an expired access token (and saves the new one): the one way to
	// learn whether HMRC still honours the stored authority.
	TokenKey     func(context.Context) (string, error)
	TokenSource  func(context.Context) (*auth.TokenSource, error)
	Output       func(doc any) error
	ShowWarnings func([]string)
	Now          func() time.Time
	// WithProfile makes the commands it suggests name the profile it ran with.
	WithProfile func(string) string
}

// Doc is `vat status -o json`. It never holds a token.
type Doc struct {
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
	// Refreshed says this run renewed the expired access token, which proves HMRC still honours
	// the authority.
	Refreshed bool     `json:"refreshed"`
	Warnings  []string `json:"warnings"`

	now         time.Time
	verifyErr   error
	withProfile func(string) string
}

// authorityWarning is how long before the 18-month authority ends status starts saying so.
const authorityWarning = 30 * 24 * time.Hour

// NewCmdStatus builds `vat status`; runF, when not nil, replaces the run (for tests).
func NewCmdStatus(f *cmdutil.Factory, runF func(*StatusOptions) error) *cobra.Command {
	opts := &StatusOptions{IO: f.IOStreams, Settings: f.Settings, Endpoints: f.Endpoints, TokenStore: f.TokenStore, TokenKey: f.TokenKey, Output: f.Output,
		TokenSource: f.TokenSource, ShowWarnings: f.ShowWarnings,
		Now: func() time.Time { return f.Now() }, WithProfile: f.WithProfile}
	return cmdutil.NoCSV(&cobra.Command{
		Use:   "status",
		Short: "Show the profile, HMRC environment and login state",
		Long: `Show the profile, HMRC environment, API base, VRN, where tokens are kept, and when the
access token and the 18-month authority expire. Never shows a token. When the access token has
expired it is refreshed, which asks HMRC whether the authority still stands; a warning says when
the authority ends within 30 days.

Exits 4 when the profile is not logged in or HMRC no longer honours its authority, so scripts can
run 'vat status >/dev/null || vat login'; exits 6 when HMRC cannot be asked.`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if runF != nil {
				return runF(opts)
			}
			return statusRun(cmd.Context(), opts)
		},
	})
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
	doc := Doc{Profile: s.Profile, Environment: s.Env, APIBase: e.API, VRN: s.VRN, TokenStore: s.TokenStore, Warnings: []string{}}
	var verifyErr error
	if opts.WithProfile == nil {
		opts.WithProfile = func(s string) string { return s }
	}
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
			if !doc.ReauthRequired && !now.Add(auth.DefaultRefreshEarly).Before(tok.Expiry) && opts.TokenSource != nil {
				verifyErr = refresh(ctx, opts, &doc, st, key)
			}
		}
	}
	if doc.LoggedIn && !doc.ReauthRequired && doc.AuthorityExpiry != nil && doc.AuthorityExpiry.Sub(now) < authorityWarning {
		doc.Warnings = append(doc.Warnings, opts.WithProfile(fmt.Sprintf(
			"the authority you gave vat ends on %s: run 'vat login' before then to renew it for another 18 months",
			doc.AuthorityExpiry.Local().Format("2 Jan 2006"))))
	}

	doc.now, doc.verifyErr, doc.withProfile = now, verifyErr, opts.WithProfile
	if err := opts.Output(doc); err != nil {
		return err
	}
	if opts.ShowWarnings != nil {
		opts.ShowWarnings(doc.Warnings)
	}
	if !doc.LoggedIn || doc.ReauthRequired {
		return &cmdutil.SilentError{Code: cmdutil.ExitAuth}
	}
	if verifyErr != nil {
		return fmt.Errorf("could not verify the stored authority: %w", verifyErr)
	}
	return nil
}

// Table is one setting per line.
func (doc Doc) Table() ui.Table {
	now := doc.now
	login := "no: run 'vat login'"
	if doc.LoggedIn {
		login = "yes"
		switch {
		case doc.ReauthRequired:
			login = "authority expired or withdrawn: run 'vat login'"
		case doc.verifyErr != nil:
			login = "yes, but HMRC could not be asked whether the authority still stands"
		case doc.Refreshed:
			login = "yes (HMRC renewed the access token just now)"
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
	login = doc.withProfile(login)
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
			[]string{"Authority expires", expiryText(doc.AuthorityExpiry, now, doc.withProfile("run 'vat login'"))},
			[]string{"Scope", doc.Scope},
		)
	}
	return tbl
}

// refresh renews the expired access token through the token source the API calls use, and shows
// what HMRC answered: a new token, a refusal (login needed), or no answer (verifyErr).
func refresh(ctx context.Context, opts *StatusOptions, doc *Doc, st auth.Store, key string) error {
	ts, err := opts.TokenSource(ctx)
	if err == nil {
		if _, err = ts.Token(); err == nil {
			// A renewed token kept in memory only spends the refresh token for nothing.
			err = ts.Unsaved()
		}
	}
	if errors.Is(err, auth.ErrReauthRequired) {
		doc.ReauthRequired = true
		return nil
	}
	if err != nil {
		return err
	}
	tok, err := st.Load(ctx, key)
	if err != nil {
		return err
	}
	doc.Refreshed = true
	doc.TokenExpiry, doc.AuthorityExpiry, doc.Scope = timePtr(tok.Expiry), timePtr(tok.AuthorityExpiry), tok.Scope
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

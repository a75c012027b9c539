// Package createuser is `vat sandbox create-user`: HMRC's Create Test User API.
package createuser

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
	"github.com/vatbridge/vat/pkg/ui"
)

// CreateUserOptions are the inputs of `vat sandbox create-user`.
type CreateUserOptions struct {
	IO *iostreams.IOStreams
	// Factory provides the settings, the profile file and the application-restricted client.
	Factory *cmdutil.Factory

	Kind     string
	Services []string
	Save     bool
}

// NewCmdCreateUser builds `vat sandbox create-user`; runF, when not nil, replaces the run (for tests).
func NewCmdCreateUser(f *cmdutil.Factory, runF func(*CreateUserOptions) error) *cobra.Command {
	opts := &CreateUserOptions{IO: f.IOStreams, Factory: f}
	cmd := &cobra.Command{
		Use:   "create-user",
		Short: "Create a test user with HMRC's Create Test User API (sandbox or emulator)",
		Long: `Create a test user through HMRC's Create Test User API: an organisation enrolled for
MTD VAT by default. Prints the user ID and password to sign in with ('vat login') and the VRN.
Works against HMRC's sandbox (with your application's client ID and secret) and the emulator.`,
		Example: `  vat sandbox create-user --env local --api-url http://127.0.0.1:8080
  vat sandbox create-user --save      # also store the VRN in the profile
  vat sandbox create-user --type agent --save   # an agent (services agent-services)`,
		Args: cmdutil.RequireNoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if !cmd.Flags().Changed("services") {
				// HMRC ignores services meant for another kind of user: an agent asked for
				// with mtd-vat would come back without an Agent Services account.
				opts.Services = hmrc.DefaultTestServices(opts.Kind)
			}
			if runF != nil {
				return runF(opts)
			}
			return createUserRun(cmd.Context(), opts)
		},
	}
	cmd.Flags().StringVar(&opts.Kind, "type", "organisation", "organisation, individual or agent")
	_ = cmd.RegisterFlagCompletionFunc("type", cmdutil.FixedValues("organisation", "individual", "agent"))
	cmd.Flags().StringSliceVar(&opts.Services, "services", nil, "service names to enrol the user in (default mtd-vat, or agent-services with --type agent)")
	cmd.Flags().BoolVar(&opts.Save, "save", false, "save the new VRN in the profile (for an agent: mark the profile as an agent's)")
	return cmd
}

func createUserRun(ctx context.Context, opts *CreateUserOptions) error {
	f := opts.Factory
	if opts.Save {
		f.AllowNewProfile()
	}
	s, err := f.Settings()
	if err != nil {
		return err
	}
	if s.Env == "production" && s.APIURL == "" {
		return cmdutil.FlagErrorf("test users exist only in HMRC's sandbox: use --env sandbox or --env local")
	}
	client, err := f.AppHMRC(ctx)
	if err != nil {
		return err
	}
	var u *hmrc.TestUser
	switch opts.Kind {
	case "organisation":
		u, _, err = client.CreateTestOrganisation(ctx, opts.Services)
	case "individual":
		u, _, err = client.CreateTestIndividual(ctx, opts.Services)
	case "agent":
		u, _, err = client.CreateTestAgent(ctx, opts.Services)
	default:
		return cmdutil.FlagErrorf("--type %q: want organisation, individual or agent", opts.Kind)
	}
	if err != nil {
		return err
	}
	if opts.Save && (u.VRN != "" || opts.Kind == "agent") {
		file, err := f.ConfigFile()
		if err != nil {
			return err
		}
		p := file.Profiles[s.Profile]
		if u.VRN != "" {
			p.VRN = u.VRN
		}
		if opts.Kind == "agent" {
			p.Agent = true
		}
		if s.Source["env"] != "default" {
			p.Env = s.Env
		}
		if s.APIURL != "" {
			p.APIURL = s.APIURL
		}
		file.Profiles[s.Profile] = p
		if err := file.Save(s.ConfigDir); err != nil {
			return err
		}
		if u.VRN != "" {
			f.Status("saved VRN %s in profile %q", u.VRN, s.Profile)
		} else {
			f.Status("profile %q is now an agent's: add clients with 'vat clients add'", s.Profile)
		}
	}
	if err := f.Output(Doc{TestUser: *u}); err != nil {
		return err
	}
	f.Status("sign in with these at 'vat login'")
	return nil
}

// Doc is `vat sandbox create-user -o json`: the test user exactly as HMRC's Create Test User
// API returns it.
type Doc struct {
	hmrc.TestUser
}

// Text is the credentials to sign in with, and the identifiers HMRC gave the user, each under
// the name HMRC's Create Test User API gives it (as -o json and -o csv name it), values aligned.
func (d Doc) Text(w io.Writer, _ cmdutil.Term) error {
	u := d.TestUser
	rows := [][2]string{{"userId", u.UserID}, {"password", u.Password}, {"vrn", u.VRN}, {"vatRegistrationDate", ""},
		{"agentServicesAccountNumber", u.ARN}}
	if !u.VATRegistrationDate.IsZero() {
		rows[3][1] = u.VATRegistrationDate.String()
	}
	width := 0
	for _, r := range rows {
		if r[1] != "" {
			width = max(width, len(r[0]))
		}
	}
	for _, r := range rows {
		if r[1] == "" {
			continue
		}
		if _, err := fmt.Fprintf(w, "%-*s  %s\n", width, r[0], r[1]); err != nil {
			return err
		}
	}
	return nil
}

// CSV is one row: the user.
func (d Doc) CSV() ui.Table {
	u := d.TestUser
	name := u.UserFullName
	if u.OrganisationDetails != nil {
		name = u.OrganisationDetails.Name
	}
	return ui.Table{Headers: []string{"userId", "password", "name", "vrn", "vatRegistrationDate", "agentServicesAccountNumber"},
		Rows: [][]string{{u.UserID, u.Password, name, u.VRN, u.VATRegistrationDate.String(), u.ARN}}}
}

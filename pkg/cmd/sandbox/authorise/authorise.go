// Package authorise is `vat sandbox authorise`: clients authorise an agent in the emulator.
package authorise

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// AuthoriseOptions are the inputs of `vat sandbox authorise`.
type AuthoriseOptions struct {
	IO      *iostreams.IOStreams
	Factory *cmdutil.Factory

	Agent string
	VRNs  []string
}

// NewCmdAuthorise builds `vat sandbox authorise`; runF, when not nil, replaces the run (for tests).
func NewCmdAuthorise(f *cmdutil.Factory, runF func(*AuthoriseOptions) error) *cobra.Command {
	opts := &AuthoriseOptions{IO: f.IOStreams, Factory: f}
	// It acts and says so: there are no rows for -o csv.
	cmd := cmdutil.NoCSV(&cobra.Command{
		Use:   "authorise --agent USER_ID VRN...",
		Short: "Let an agent test user act for clients' VRNs (emulator only)",
		Long: `Authorise an agent for one or more clients' VRNs in vat's emulator, as each client's
authorisation through HMRC's agent services would. Until a client has authorised the agent,
HMRC (and the emulator) answer the agent's requests for that VRN with 403
CLIENT_OR_AGENT_NOT_AUTHORISED.

HMRC's sandbox and production have no call that authorises an agent on the client's behalf:
the agent asks for authorisation (from the Agent Services Account, or with HMRC's Agent
Authorisation API) and the client accepts it online.`,
		Example: `  vat sandbox create-user --type agent --env local --api-url http://127.0.0.1:8080
  vat sandbox authorise --agent 123456789012 123456782 987654353 --env local --api-url http://127.0.0.1:8080`,
		Args: cmdutil.MinimumArgs(1, "the VRN of at least one client"),
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.VRNs = args
			if runF != nil {
				return runF(opts)
			}
			return authoriseRun(cmd.Context(), opts)
		},
	})
	cmd.Flags().StringVar(&opts.Agent, "agent", "", "the agent test user's user ID (required)")
	return cmd
}

func authoriseRun(ctx context.Context, opts *AuthoriseOptions) error {
	f := opts.Factory
	if opts.Agent == "" {
		return cmdutil.FlagErrorf("--agent is required: the agent test user's user ID ('vat sandbox create-user --type agent')")
	}
	for _, v := range opts.VRNs {
		if err := config.ValidateVRN(v); err != nil {
			return cmdutil.FlagErrorf("VRN %q: %v", v, err)
		}
	}
	s, err := f.Settings()
	if err != nil {
		return err
	}
	if s.Env != config.EnvLocal {
		return cmdutil.FlagErrorf("authorising an agent from the command line works with vat's emulator only (--env local): in HMRC's sandbox and in production the client accepts the agent's request online")
	}
	client, err := f.AppHMRC(ctx)
	if err != nil {
		return err
	}
	for _, v := range opts.VRNs {
		if _, err := client.EmulatorAuthoriseAgent(ctx, opts.Agent, v); err != nil {
			return fmt.Errorf("authorising agent %s for VRN %s: %w", opts.Agent, v, err)
		}
	}
	return f.Output(Doc{Agent: opts.Agent, Authorised: opts.VRNs})
}

// Doc is `vat sandbox authorise -o json`: the agent's user ID and every VRN it may now act for.
type Doc struct {
	Agent      string   `json:"agent"`
	Authorised []string `json:"authorised"`
}

// Text is a line a VRN.
func (d Doc) Text(w io.Writer, _ cmdutil.Term) error {
	for _, v := range d.Authorised {
		if _, err := fmt.Fprintf(w, "agent %s may now act for VRN %s\n", d.Agent, v); err != nil {
			return err
		}
	}
	return nil
}

package viewtest

import (
	"context"

	"github.com/vatbridge/vat/pkg/cmd/demo"
	"github.com/vatbridge/vat/pkg/cmd/root"
	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

// SignIn signs in as another test user (an agent made with 'vat sandbox create-user --type
// agent', say) through the real OAuth flow: its tokens replace the business's in the profile.
func (w *World) SignIn(u hmrc.TestUser) {
	w.t.Helper()
	ios, _, _, _ := iostreams.Test()
	f := cmdutil.NewFactory(ios)
	f.Now = w.now
	if err := demo.Login(context.Background(), f, w.env, u); err != nil {
		w.t.Fatalf("sign in as %s: %v", u.UserID, err)
	}
}

// RunTerminal runs vat as from a terminal of the given width, colour off: stdout and stderr
// are both the terminal, so that what vat draws only there (a progress bar) is drawn. stdin
// is not a terminal: nothing can be asked.
func (w *World) RunTerminal(width int, args ...string) Result {
	ios, _, out, errOut := iostreams.Test()
	ios.SetStdoutTTY(true)
	ios.SetStderrTTY(true)
	ios.SetTerminalWidth(width)
	f := cmdutil.NewFactory(ios)
	f.Getenv = func(k string) string { return w.env[k] }
	f.Now = w.now
	f.QuietFileStore = true
	if !w.paced {
		f.HMRCOptions = []hmrc.Option{hmrc.WithRateLimit(0)}
	}
	code := root.Run(context.Background(), args, f)
	return Result{code, out.String(), errOut.String()}
}

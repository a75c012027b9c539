package viewtest

import (
	"context"

	"github.com/vatbridge/vat/pkg/cmd/demo"
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

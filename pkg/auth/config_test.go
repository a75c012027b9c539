package auth

import (
	"strings"

	"golang.org/x/oauth2"
)

// newConfig is the OAuth configuration of the emulator and of the fakes in these tests, which
// serve the authorize page and the token endpoint on one host (live HMRC does not: its
// authorize page is on the "www" host, which is why vat takes both URLs from pkg/config).
func newConfig(apiBase, clientID, clientSecret string) *oauth2.Config {
	base := strings.TrimRight(apiBase, "/")
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth/authorize",
			TokenURL:  base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: []string{ScopeReadVAT, ScopeWriteVAT},
	}
}

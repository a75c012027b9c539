package auth

import (
	"strings"

	"golang.org/x/oauth2"
)

// VAT scopes: read:vat for the GET endpoints, write:vat to submit returns.
const (
	ScopeReadVAT  = "read:vat"
	ScopeWriteVAT = "write:vat"
)

// NewConfig returns the OAuth configuration for an HMRC API base such as
// https://test-api.service.hmrc.gov.uk or an emulator's URL: authorize at {base}/oauth/authorize and
// tokens from {base}/oauth/token, with the client credentials in the form body as HMRC requires.
// With no scopes given it asks for read:vat and write:vat.
func NewConfig(apiBase, clientID, clientSecret string, scopes ...string) *oauth2.Config {
	base := strings.TrimRight(apiBase, "/")
	if len(scopes) == 0 {
		scopes = []string{ScopeReadVAT, ScopeWriteVAT}
	}
	return &oauth2.Config{
		ClientID:     clientID,
		ClientSecret: clientSecret,
		Endpoint: oauth2.Endpoint{
			AuthURL:   base + "/oauth/authorize",
			TokenURL:  base + "/oauth/token",
			AuthStyle: oauth2.AuthStyleInParams,
		},
		Scopes: scopes,
	}
}

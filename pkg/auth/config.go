package auth

import (
	"context"
	"net/http"
	"strings"

	"golang.org/x/oauth2"

	"github.com/vatbridge/vat/pkg/httpsafe"
)

// VAT scopes: read:vat for the GET endpoints, write:vat to submit returns.
const (
	ScopeReadVAT  = "read:vat"
	ScopeWriteVAT = "write:vat"
)

// Issuer is the API base whose token endpoint cfg uses ({base}/oauth/token), recorded in every
// token obtained through cfg.
func Issuer(cfg *oauth2.Config) string {
	return NormalizeBase(strings.TrimSuffix(strings.TrimRight(cfg.Endpoint.TokenURL, "/"), "/oauth/token"))
}

// safeContext makes x/oauth2's token requests refuse redirects: a 307 from the token endpoint
// would otherwise re-POST client_secret and the refresh token to the host it names, and the
// tokens that host returned would be saved. The client in ctx (oauth2.HTTPClient) is kept, with
// only its redirect policy replaced.
func safeContext(ctx context.Context) context.Context {
	hc, _ := ctx.Value(oauth2.HTTPClient).(*http.Client)
	return context.WithValue(ctx, oauth2.HTTPClient, httpsafe.Client(hc))
}

// Package auth signs a user in to HMRC with the OAuth 2.0 authorization-code grant (PKCE S256 and a
// checked state), keeps the resulting tokens in the OS keyring or a 0600 file, and refreshes them so
// that HMRC's single-use refresh tokens survive concurrent processes, full disks and failed
// answers from the token endpoint.
//
// A token belongs to the API that issued it: it is stored under its profile and environment
// (TokenKey), records its issuer (Token.Base), and Transport sends it nowhere else. No HTTP request
// made here follows a redirect.
//
// Nothing in this package prints, logs or puts into an error message an access token, a refresh
// token, an authorization code or a client secret.
package auth

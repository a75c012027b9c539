// Package auth signs a user in to HMRC with the OAuth 2.0 authorization-code grant (PKCE S256 and a
// checked state), keeps the resulting tokens in the OS keyring or a 0600 file, and refreshes them so
// that HMRC's single-use refresh tokens survive concurrent processes.
//
// Nothing in this package prints, logs or puts into an error message an access token, a refresh
// token, an authorization code or a client secret.
package auth

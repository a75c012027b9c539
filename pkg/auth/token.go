package auth

import (
	"encoding/json"
	"fmt"
	"time"

	"golang.org/x/oauth2"
)

// MaxTokenSize is the largest serialised Token we store. Windows Credential Manager takes at most 2560
// bytes and the macOS keychain about 3000, so 2 KB keeps one token format valid everywhere.
const MaxTokenSize = 2048

// AuthorityLifetime is how long a user's grant lasts at HMRC before they must log in again.
const AuthorityLifetime = 18 // months

// Token is what we keep of an HMRC grant. Expiry is when the access token dies (4 hours after issue);
// AuthorityExpiry is when the grant itself dies (18 months after the user granted it), after which no
// refresh can succeed.
type Token struct {
	AccessToken     string    `json:"access_token"`
	RefreshToken    string    `json:"refresh_token,omitempty"`
	Expiry          time.Time `json:"expiry"`
	AuthorityExpiry time.Time `json:"authority_expiry"`
	Scope           string    `json:"scope,omitempty"`
	// Base is the API base URL whose token endpoint issued the token. A token is sent only to the
	// base that issued it, so a profile switched to another environment or URL cannot carry a
	// production token elsewhere.
	Base string `json:"base,omitempty"`
}

// MarshalToken serialises t, refusing a result above MaxTokenSize.
func MarshalToken(t *Token) ([]byte, error) {
	if t == nil {
		return nil, fmt.Errorf("marshal token: nil token")
	}
	b, err := json.Marshal(t)
	if err != nil {
		return nil, fmt.Errorf("marshal token: %w", err)
	}
	if len(b) > MaxTokenSize {
		return nil, fmt.Errorf("marshal token: %w", ErrTokenTooLarge)
	}
	return b, nil
}

// UnmarshalToken parses what MarshalToken wrote. Input above MaxTokenSize is refused before parsing.
func UnmarshalToken(b []byte) (*Token, error) {
	if len(b) > MaxTokenSize {
		return nil, fmt.Errorf("unmarshal token: %w", ErrTokenTooLarge)
	}
	var t Token
	if err := json.Unmarshal(b, &t); err != nil {
		// json's syntax errors quote no input, so no secret can leak through err.
		return nil, fmt.Errorf("unmarshal token: %w", err)
	}
	if t.AccessToken == "" && t.RefreshToken == "" {
		return nil, fmt.Errorf("unmarshal token: neither access nor refresh token present")
	}
	return &t, nil
}

// OAuth2 converts t for use with golang.org/x/oauth2 (e.g. oauth2.NewClient).
func (t *Token) OAuth2() *oauth2.Token {
	return &oauth2.Token{
		AccessToken:  t.AccessToken,
		TokenType:    "Bearer",
		RefreshToken: t.RefreshToken,
		Expiry:       t.Expiry,
	}
}

// String hides the secrets so that a Token printed by mistake (%v, a log line) leaks nothing.
func (t *Token) String() string {
	if t == nil {
		return "<nil token>"
	}
	return fmt.Sprintf("token(expiry=%s, authority_expiry=%s, scope=%q, base=%q)",
		t.Expiry.UTC().Format(time.RFC3339), t.AuthorityExpiry.UTC().Format(time.RFC3339), t.Scope, t.Base)
}

// GoString hides the secrets from %#v as well.
func (t *Token) GoString() string { return t.String() }

// fromOAuth2 builds a Token from a token-endpoint answer. Expiry is computed from expires_in against
// our injected clock rather than oauth2's time.Now, so tests with a fake clock stay consistent.
func fromOAuth2(ot *oauth2.Token, now time.Time, authorityExpiry time.Time, prevScope, base string) *Token {
	t := &Token{
		AccessToken:     ot.AccessToken,
		RefreshToken:    ot.RefreshToken,
		Expiry:          ot.Expiry,
		AuthorityExpiry: authorityExpiry,
		Scope:           prevScope,
		Base:            base,
	}
	if ot.ExpiresIn > 0 {
		t.Expiry = now.Add(time.Duration(ot.ExpiresIn) * time.Second)
	}
	if s, ok := ot.Extra("scope").(string); ok && s != "" {
		t.Scope = s
	}
	return t
}

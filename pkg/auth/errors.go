package auth

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// ErrNotFound reports that a store holds nothing under the requested key.
var ErrNotFound = errors.New("no stored credentials")

// ErrReauthRequired reports that the stored authority can no longer be used: the refresh token was
// rejected (invalid_grant) or the 18-month authority expired. The user must run
// "vat login" again; the CLI maps it to exit code 4.
var ErrReauthRequired = errors.New("authorisation needed: run vat login")

// ErrAccessDenied reports that the user declined to grant authority on HMRC's consent page.
var ErrAccessDenied = errors.New("authority was not granted")

// ErrNoKeyring reports that no usable OS keyring answered. Its message carries the advice the user
// needs, because "auto" must never fall back to a plain file on its own.
var ErrNoKeyring = errors.New("no OS keyring here: use --token-store file (a 0600 file) on headless machines")

// ErrTokenTooLarge reports a token whose serialised form would not fit every OS keyring (Windows
// limits a credential to 2560 bytes).
var ErrTokenTooLarge = fmt.Errorf("token larger than %d bytes", MaxTokenSize)

// TimeoutError reports an OS keyring call that did not answer in time, typically a locked keyring
// waiting for a password prompt nobody can see.
type TimeoutError struct {
	Op    string        // "get", "set" or "delete"
	After time.Duration // how long we waited
}

func (e *TimeoutError) Error() string {
	return fmt.Sprintf("keyring %s: no answer after %s (is the keyring locked?)", e.Op, e.After)
}

// InsecureFileError reports a token file or directory that other users could read, or that is not a
// plain file. The file store refuses to use it rather than silently trust or repair it.
type InsecureFileError struct {
	Path string
	Mode fs.FileMode
}

func (e *InsecureFileError) Error() string {
	return fmt.Sprintf("refusing to use %s: mode %v allows access by other users or is not a regular file (chmod 600 it, or 700 for a directory)", e.Path, e.Mode)
}

// LocalPath marks the error as a local file problem, not a network one (see package faults).
func (e *InsecureFileError) LocalPath() string { return e.Path }

// Hint says how to make the file usable.
func (e *InsecureFileError) Hint() string {
	if e.Mode.IsDir() {
		return "chmod 700 " + e.Path + " (it must be a directory only you can open)"
	}
	return "chmod 600 " + e.Path + " (it must be a regular file only you can read), or delete it and run vat login"
}

// OAuthError is an OAuth 2.0 error from HMRC's authorize redirect or token endpoint. It never holds
// the raw response body, which could carry credentials.
type OAuthError struct {
	Status      int    // HTTP status of the token endpoint; 0 for an authorize redirect
	Code        string // OAuth "error", e.g. invalid_grant, access_denied
	Description string // OAuth "error_description"
	ErrorCode   string // HMRC's extra "error_code" on the authorize redirect, e.g. USER_DENIED_AUTHORIZATION
}

func (e *OAuthError) Error() string {
	msg := "hmrc oauth error " + e.Code
	if e.Status != 0 {
		msg = fmt.Sprintf("hmrc oauth error %d %s", e.Status, e.Code)
	}
	if e.Description != "" {
		msg += ": " + e.Description
	}
	return msg
}

// Is lets callers test the two outcomes they act on: errors.Is(err, ErrAccessDenied) and
// errors.Is(err, ErrReauthRequired).
func (e *OAuthError) Is(target error) bool {
	switch target {
	case ErrAccessDenied:
		return e.Code == "access_denied"
	case ErrReauthRequired:
		return e.Code == "invalid_grant"
	}
	return false
}

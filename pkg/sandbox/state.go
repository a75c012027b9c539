package sandbox

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/vatbridge/vat/pkg/atomicfile"
)

// userRec is a test user as the emulator keeps it. The password is kept only as a
// salted hash: HMRC hands it out once, at creation.
type userRec struct {
	TestUser
	Kind         string    `json:"kind"`
	PasswordHash string    `json:"passwordHash"`
	Salt         string    `json:"salt"`
	Services     []string  `json:"services"`
	Clients      []string  `json:"clients,omitempty"` // VRNs an agent may act for
	Created      time.Time `json:"created"`
}

// grantRec is one authority: a user's consent to a client for some scopes. It bounds
// the life of every refresh token issued under it (18 months).
type grantRec struct {
	ID       string    `json:"id"`
	ClientID string    `json:"clientId"`
	UserID   string    `json:"userId"`
	Scopes   []string  `json:"scopes"`
	Granted  time.Time `json:"granted"`
}

type codeRec struct {
	ClientID    string    `json:"clientId"`
	UserID      string    `json:"userId"`
	Scopes      []string  `json:"scopes"`
	RedirectURI string    `json:"redirectUri"`
	Challenge   string    `json:"challenge,omitempty"`
	Expires     time.Time `json:"expires"`
}

type accessRec struct {
	ClientID string    `json:"clientId"`
	UserID   string    `json:"userId,omitempty"` // "" for client_credentials tokens
	GrantID  string    `json:"grantId,omitempty"`
	Scopes   []string  `json:"scopes"`
	Expires  time.Time `json:"expires"`
}

type refreshRec struct {
	GrantID    string `json:"grantId"`
	AccessHash string `json:"accessHash"`
}

// returnRec is a filed return. Boxes are kept in pence so that every later use
// (liabilities, payments, read-back) is exact.
type returnRec struct {
	PeriodKey        string    `json:"periodKey"`
	Boxes            [9]int64  `json:"boxes"`
	Received         time.Time `json:"received"`
	FormBundle       string    `json:"formBundleNumber"`
	ChargeRef        string    `json:"chargeRefNumber,omitempty"`
	PaymentIndicator string    `json:"paymentIndicator,omitempty"`
	ReceiptID        string    `json:"receiptId"`
}

type usersFile struct {
	Users map[string]*userRec `json:"users"`
}

type tokensFile struct {
	Grants  map[string]*grantRec   `json:"grants"`
	Codes   map[string]*codeRec    `json:"codes"`
	Access  map[string]*accessRec  `json:"access"`
	Refresh map[string]*refreshRec `json:"refresh"`
}

type returnsFile struct {
	Returns map[string]map[string]*returnRec `json:"returns"` // VRN → periodKey → return
}

// stateData is everything that must survive a restart. Obligations, liabilities,
// payments and penalties are derived from it, so they survive too.
type stateData struct {
	usersFile
	tokensFile
	returnsFile
}

func newStateData() *stateData {
	return &stateData{
		usersFile: usersFile{Users: map[string]*userRec{}},
		tokensFile: tokensFile{
			Grants: map[string]*grantRec{}, Codes: map[string]*codeRec{},
			Access: map[string]*accessRec{}, Refresh: map[string]*refreshRec{},
		},
		returnsFile: returnsFile{Returns: map[string]map[string]*returnRec{}},
	}
}

const (
	usersFileName   = "users.json"
	tokensFileName  = "tokens.json"
	returnsFileName = "returns.json"
)

// loadState reads the state files from dir, creating dir (0700) if needed. Missing
// files mean a fresh state.
func loadState(dir string) (*stateData, error) {
	st := newStateData()
	if dir == "" {
		return st, nil
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create state dir: %w", err)
	}
	parts := []struct {
		name string
		v    any
	}{{usersFileName, &st.usersFile}, {tokensFileName, &st.tokensFile}, {returnsFileName, &st.returnsFile}}
	for _, p := range parts {
		b, err := os.ReadFile(filepath.Join(dir, p.name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("read state: %w", err)
		}
		if err := json.Unmarshal(b, p.v); err != nil {
			return nil, fmt.Errorf("decode state file %s: %w", p.name, err)
		}
	}
	// A file written by an older or hand-edited state may lack a map.
	fresh := newStateData()
	if st.Users == nil {
		st.Users = fresh.Users
	}
	if st.Grants == nil {
		st.Grants = fresh.Grants
	}
	if st.Codes == nil {
		st.Codes = fresh.Codes
	}
	if st.Access == nil {
		st.Access = fresh.Access
	}
	if st.Refresh == nil {
		st.Refresh = fresh.Refresh
	}
	if st.Returns == nil {
		st.Returns = fresh.Returns
	}
	return st, nil
}

// saveState writes every state file atomically (temp file, fsync, rename) with mode
// 0600, so a crash leaves either the old or the new file, never half of one.
func saveState(dir string, st *stateData) error {
	if dir == "" {
		return nil
	}
	parts := []struct {
		name string
		v    any
	}{{usersFileName, &st.usersFile}, {tokensFileName, &st.tokensFile}, {returnsFileName, &st.returnsFile}}
	for _, p := range parts {
		b, err := json.MarshalIndent(p.v, "", "  ")
		if err != nil {
			return fmt.Errorf("encode state: %w", err)
		}
		if err := atomicfile.WriteFile(filepath.Join(dir, p.name), b, 0o600); err != nil {
			return fmt.Errorf("write state: %w", err)
		}
	}
	return nil
}

// prune drops codes and access tokens that can no longer be used, so that the state
// files do not grow without bound on a long-running emulator.
func (st *stateData) prune(now time.Time) {
	for h, c := range st.Codes {
		if now.After(c.Expires) {
			delete(st.Codes, h)
		}
	}
	for h, a := range st.Access {
		if now.After(a.Expires) {
			delete(st.Access, h)
		}
	}
	for id, g := range st.Grants {
		if now.After(plusMonths(g.Granted, authorityMonths)) {
			delete(st.Grants, id)
			for h, r := range st.Refresh {
				if r.GrantID == id {
					delete(st.Refresh, h)
				}
			}
			for h, a := range st.Access {
				if a.GrantID == id {
					delete(st.Access, h)
				}
			}
		}
	}
}

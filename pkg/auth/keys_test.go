package auth

import (
	"strings"
	"testing"
	"time"
)

func TestTokenKeySeparatesEnvironmentsAndURLs(t *testing.T) {
	t.Parallel()
	keys := map[string]string{}
	for _, c := range []struct{ env, url string }{
		{"production", ""}, {"sandbox", ""}, {"local", "http://127.0.0.1:8080"}, {"local", "http://127.0.0.1:9090"},
		{"production", "https://proxy.example.test"},
	} {
		k, err := TokenKey("default", c.env, c.url)
		if err != nil {
			t.Fatal(err)
		}
		if err := validKey(k); err != nil {
			t.Fatal(err)
		}
		if prev, dup := keys[k]; dup {
			t.Fatalf("%s %s and %s share key %s", c.env, c.url, prev, k)
		}
		keys[k] = c.env + " " + c.url
		if k == "default" {
			t.Fatal("new key equals the legacy profile-only key")
		}
	}
	a, _ := TokenKey("default", "local", "http://127.0.0.1:8080/")
	b, _ := TokenKey("default", "local", "HTTP://127.0.0.1:8080")
	if a != b {
		t.Errorf("the same URL written two ways gives keys %s and %s", a, b)
	}
	long := strings.Repeat("x", 64)
	if _, err := TokenKey(long, "production", "https://proxy.example.test"); err != nil {
		t.Errorf("a 64-character profile name has no key: %v", err)
	}
	if _, err := TokenKey("a+b", "production", ""); err == nil {
		t.Error("profile name with '+' accepted")
	}
}

func TestMigrateLegacyToken(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newFileStore(t)
	old := &Token{AccessToken: "at", RefreshToken: "rt", Expiry: time.Now().Add(time.Hour)}
	store.Save(ctx, "default", old)

	// Never adopted by a plain-http (emulator) base.
	localKey, _ := TokenKey("default", "local", "http://127.0.0.1:8080")
	if moved, err := MigrateLegacyToken(ctx, store, "default", localKey, "http://127.0.0.1:8080"); moved || err != nil {
		t.Fatalf("migrated to a local emulator: %v %v", moved, err)
	}
	prodKey, _ := TokenKey("default", "production", "")
	moved, err := MigrateLegacyToken(ctx, store, "default", prodKey, "https://api.service.hmrc.gov.uk/")
	if !moved || err != nil {
		t.Fatalf("migrate = %v, %v", moved, err)
	}
	got, err := store.Load(ctx, prodKey)
	if err != nil || got.RefreshToken != "rt" || got.Base != "https://api.service.hmrc.gov.uk" {
		t.Fatalf("migrated token = %v, %v", got, err)
	}
	if _, err := store.Load(ctx, "default"); err == nil {
		t.Error("legacy entry left behind")
	}
	// A second call is a no-op.
	if moved, err := MigrateLegacyToken(ctx, store, "default", prodKey, "https://api.service.hmrc.gov.uk"); moved || err != nil {
		t.Errorf("second migrate = %v, %v", moved, err)
	}
}

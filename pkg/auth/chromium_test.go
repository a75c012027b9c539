package auth

import (
	"context"
	"errors"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

const chromiumPath = "/usr/bin/chromium"

// TestLoginChromium completes the whole login in a real headless Chromium: the browser opens the
// emulator's authorize page, the test fills userId and password, clicks the grant button, and the
// emulator redirects the browser to our loopback listener.
func TestLoginChromium(t *testing.T) {
	t.Parallel()
	path, err := exec.LookPath(chromiumPath)
	requireReal(t, "Chromium ("+chromiumPath+")", err)

	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox, // tests may run as root, where Chromium's sandbox refuses to start
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("no-proxy-server", true),
	)...)
	defer cancelAlloc()
	browserCtx, cancelBrowser := chromedp.NewContext(allocCtx)
	defer cancelBrowser()
	// Start the browser with an untimed first call; a timeout here would bound the browser's life.
	if _, err := chromedp.Run(browserCtx, chromedp.Evaluate[string]("navigator.userAgent")); err != nil {
		requireReal(t, "a working headless Chromium", err)
	}

	t.Run("grant", func(t *testing.T) { chromiumLogin(t, browserCtx, "give-permission") })
	t.Run("deny", func(t *testing.T) { chromiumLogin(t, browserCtx, "deny") })
}

// chromiumLogin signs in through the browser in a new tab and presses the grant page's button.
func chromiumLogin(t *testing.T, browserCtx context.Context, button string) {
	e := newEmulator(t)
	tabCtx, cancelTab := chromedp.NewContext(browserCtx)
	defer cancelTab()
	if _, err := chromedp.Run(tabCtx, chromedp.Evaluate[string]("navigator.userAgent")); err != nil {
		t.Fatal(err)
	}
	resultText := make(chan string, 1)
	browserErr := make(chan error, 1)
	var prompt lockedBuffer
	opts := e.config()
	opts.Prompt = &prompt
	opts.Timeout = 2 * time.Minute
	opts.OpenBrowser = func(authURL string) error {
		go func() {
			ctx, cancel := context.WithTimeout(tabCtx, 90*time.Second)
			defer cancel()
			err := chromedp.Do(ctx,
				chromedp.Navigate(authURL),
				chromedp.WaitVisible(chromedp.ID("userId")),
				chromedp.SendKeys(chromedp.ID("userId"), e.user.UserID),
				chromedp.SendKeys(chromedp.ID("password"), e.user.Password),
				chromedp.Click(chromedp.ID("continue")),
				chromedp.WaitVisible(chromedp.ID(button)),
				chromedp.Click(chromedp.ID(button)),
				chromedp.WaitVisible(chromedp.ID("result")),
			)
			if err != nil {
				browserErr <- err
				return
			}
			txt, err := chromedp.Run(ctx, chromedp.Text(chromedp.ID("result")))
			if err != nil {
				browserErr <- err
				return
			}
			resultText <- txt
		}()
		return nil
	}
	tok, err := Login(t.Context(), *opts)
	if button == "deny" {
		if !errors.Is(err, ErrAccessDenied) {
			t.Fatalf("denied consent: err = %v, want ErrAccessDenied", err)
		}
		select {
		case txt := <-resultText:
			if !strings.Contains(txt, "did not grant") {
				t.Errorf("browser shows %q", txt)
			}
		case err := <-browserErr:
			t.Errorf("browser: %v", err)
		}
		return
	}
	if err != nil {
		select {
		case berr := <-browserErr:
			t.Fatalf("login: %v (browser: %v)", err, berr)
		default:
			t.Fatalf("login: %v", err)
		}
	}
	select {
	case txt := <-resultText:
		if !strings.Contains(txt, "Signed in") {
			t.Errorf("browser shows %q", txt)
		}
	case err := <-browserErr:
		t.Errorf("browser: %v", err)
	case <-time.After(30 * time.Second):
		t.Error("browser never showed the result page")
	}
	if st := e.apiStatus(t, tok.AccessToken); st != 200 {
		t.Fatalf("token from the browser login refused by the API: %d", st)
	}
	assertNoSecrets(t, "prompt", prompt.String(), tok.AccessToken, tok.RefreshToken)
}

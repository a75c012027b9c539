package rehearse

import (
	"errors"
	"fmt"
	"strings"

	"golang.org/x/oauth2"

	"github.com/vatbridge/vat/pkg/auth"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/sandbox"
)

// developerHub is where an application's subscriptions, redirect URIs and credentials are changed.
const developerHub = "HMRC's Developer Hub (https://developer.service.hmrc.gov.uk/developer/applications)"

// apiOfStep names, as the Developer Hub lists it, the API a step calls.
func apiOfStep(id string) string {
	switch id {
	case StepCreateUser:
		return "Create Test User"
	case StepValidate, StepFeedback:
		return "Test Fraud Prevention Headers"
	}
	return "VAT (MTD)"
}

// RedirectError is the sign-in page's refusal of the address HMRC was asked to send the user
// back to: the application has not registered it.
type RedirectError struct {
	RedirectURI string
	Err         error
}

func (e *RedirectError) Error() string {
	return fmt.Sprintf("HMRC refused the redirect URI %s: %v", e.RedirectURI, e.Err)
}

func (e *RedirectError) Unwrap() error { return e.Err }

// Advice says what to change, on the Developer Hub or elsewhere, for a step that failed with err;
// "" when there is nothing specific to say.
func Advice(step string, err error) string {
	var re *RedirectError
	if errors.As(err, &re) {
		return fmt.Sprintf("on %s open your sandbox application, then Redirect URIs, and add %s (up to 5 may be registered); then run the rehearsal again",
			developerHub, re.RedirectURI)
	}
	var ae *sandbox.AuthorizeError
	if errors.As(err, &ae) && strings.Contains(ae.Description, "redirect_uri") {
		return fmt.Sprintf("on %s open your sandbox application, then Redirect URIs, and add the loopback address vat listens on (http://localhost:PORT); then run the rehearsal again", developerHub)
	}
	var apiErr *hmrc.APIError
	if errors.As(err, &apiErr) {
		switch {
		case apiErr.Has(hmrc.CodeResourceForbidden):
			return fmt.Sprintf("your application is not subscribed to the %s API: on %s open your sandbox application, then API subscriptions, subscribe to %q, and run the rehearsal again",
				apiOfStep(step), developerHub, apiOfStep(step))
		case apiErr.StatusCode >= 500:
			return "HMRC's sandbox failed: run the rehearsal again later"
		}
		if a := apiErr.Advice(); a != "" {
			return a
		}
	}
	var rt *oauth2.RetrieveError
	var oe *auth.OAuthError
	if errors.As(err, &rt) && rt.ErrorCode == "invalid_client" || errors.As(err, &oe) && oe.Code == "invalid_client" {
		return fmt.Sprintf("HMRC does not recognise the client ID and secret: copy them again from your sandbox application on %s (VAT_CLIENT_ID, VAT_CLIENT_SECRET)", developerHub)
	}
	return ""
}

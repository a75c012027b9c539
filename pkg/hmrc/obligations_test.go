package hmrc

import (
	"net/http"
	"strings"
	"testing"
)

// An error for the open obligations, asked without dates, names them so rather than showing an
// empty range ("obligations  to :").
func TestObligationsErrorNamesTheRequest(t *testing.T) {
	t.Parallel()
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusForbidden, `{"code":"CLIENT_OR_AGENT_NOT_AUTHORISED","message":"The client and/or agent is not authorised."}`)
	})
	c, _ := setup(t, h)
	_, _, err := c.Obligations(t.Context(), "123456782", ObligationsOptions{Status: StatusOpen})
	if err == nil || !strings.HasPrefix(err.Error(), "open obligations: ") {
		t.Errorf("open: err = %v", err)
	}
	from, _ := ParseDate("2026-01-01")
	to, _ := ParseDate("2026-06-30")
	_, _, err = c.Obligations(t.Context(), "123456782", ObligationsOptions{From: from, To: to})
	if err == nil || !strings.HasPrefix(err.Error(), "obligations 2026-01-01 to 2026-06-30: ") {
		t.Errorf("dated: err = %v", err)
	}
}

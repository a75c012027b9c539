package hmrc

import (
	"context"
	"net/http"
	"net/url"
)

// EmulatorAuthoriseAgent lets the agent test user act for vrn. It is vat's emulator's own
// endpoint (HMRC's sandbox has none: there a client authorises an agent through the agent
// services web journey), taking an application token like Create Test User.
//
// POST /emulator/agents/{userId}/clients.
func (c *Client) EmulatorAuthoriseAgent(ctx context.Context, agentUserID, vrn string) (*Response, error) {
	body := struct {
		VRN string `json:"vrn"`
	}{vrn}
	// Authorising twice is harmless, so a lost reply may be retried.
	return c.do(ctx, call{method: http.MethodPost, path: "/emulator/agents/" + url.PathEscape(agentUserID) + "/clients", body: body, idempotent: true}, nil)
}

package sandbox

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
)

// handleAuthoriseAgent is the emulator's stand-in for a client authorising an agent through
// HMRC's agent services (https://www.gov.uk/guidance/client-authorisation-an-overview): POST
// /emulator/agents/{userId}/clients with {"vrn": "..."} lets the agent act for that VRN. HMRC has
// no such API; the emulator offers it so that a practice can be rehearsed from the command line.
func (s *Server) handleAuthoriseAgent(w http.ResponseWriter, r *http.Request, c *call) {
	var req struct {
		VRN string `json:"vrn"`
	}
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxFormBytes))
	if err != nil || json.Unmarshal(b, &req) != nil {
		writeErr(w, http.StatusBadRequest, "INVALID_REQUEST", "Invalid JSON payload: want {\"vrn\": \"...\"}")
		return
	}
	err = s.AuthoriseAgent(c.params[0], strings.TrimSpace(req.VRN))
	switch {
	case err == nil:
		w.WriteHeader(http.StatusNoContent)
	case errors.Is(err, ErrUnknownUser):
		writeErr(w, http.StatusNotFound, "USER_NOT_FOUND", "No test user has that user ID")
	case errors.Is(err, ErrNotAgent):
		writeErr(w, http.StatusBadRequest, "NOT_AN_AGENT", "That test user is not an agent: create one with --type agent")
	default:
		writeErr(w, http.StatusBadRequest, "VRN_INVALID", "The provided VRN is invalid")
	}
}

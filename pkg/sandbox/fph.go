package sandbox

import (
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/vatbridge/vat/pkg/sandbox/fphcheck"
)

// fphRecord is the fraud-prevention part of the last request an application sent
// to one VAT endpoint. Only Gov-Client-* and Gov-Vendor-* headers are kept, so no
// token ever lands here.
type fphRecord struct {
	Path, Method string
	At           time.Time
	Header       http.Header
}

func fraudHeaders(h http.Header) http.Header {
	out := http.Header{}
	for k, vs := range h {
		lk := strings.ToLower(k)
		if strings.HasPrefix(lk, "gov-client-") || strings.HasPrefix(lk, "gov-vendor-") {
			out[k] = append([]string(nil), vs...)
		}
	}
	return out
}

// recordFPHLocked keeps the headers of the latest request per application and
// endpoint, for validation-feedback; the caller holds s.mu.
func (s *Server) recordFPHLocked(clientID, endpoint string, r *http.Request) {
	m := s.lastFPH[clientID]
	if m == nil {
		m = map[string]fphRecord{}
		s.lastFPH[clientID] = m
	}
	m[endpoint] = fphRecord{Path: r.URL.Path, Method: r.Method, At: s.now().UTC(), Header: fraudHeaders(r.Header)}
}

func (s *Server) handleFPHValidate(w http.ResponseWriter, r *http.Request, _ *call) {
	writeJSON(w, http.StatusOK, fphcheck.Validate(fraudHeaders(r.Header), s.now()))
}

type feedbackRequest struct {
	Path             string                    `json:"path"`
	Method           string                    `json:"method"`
	RequestTimestamp string                    `json:"requestTimestamp"`
	Code             string                    `json:"code"`
	Headers          []fphcheck.HeaderFeedback `json:"headers"`
	Errors           []fphcheck.Item           `json:"errors,omitempty"`
	Warnings         []fphcheck.Item           `json:"warnings,omitempty"`
}

type feedbackBody struct {
	Requests []feedbackRequest `json:"requests"`
}

// handleFPHFeedback reports on the last request the caller's application sent to
// each VAT endpoint, optionally only those made with one connection method.
func (s *Server) handleFPHFeedback(w http.ResponseWriter, r *http.Request, c *call) {
	if c.params[0] != "vat-mtd" {
		writeErr(w, http.StatusNotFound, "MATCHING_RESOURCE_NOT_FOUND", msgNotFoundResource)
		return
	}
	method := r.URL.Query().Get("connectionMethod")
	s.mu.Lock()
	var recs []fphRecord
	for _, rec := range s.lastFPH[c.token.ClientID] {
		if method == "" || rec.Header.Get("Gov-Client-Connection-Method") == method {
			recs = append(recs, rec)
		}
	}
	s.mu.Unlock()
	sort.Slice(recs, func(i, j int) bool { return recs[i].At.After(recs[j].At) })
	body := feedbackBody{Requests: []feedbackRequest{}}
	for _, rec := range recs {
		res := fphcheck.Validate(rec.Header, rec.At)
		body.Requests = append(body.Requests, feedbackRequest{
			Path: rec.Path, Method: rec.Method, RequestTimestamp: rec.At.Format("2006-01-02T15:04:05.000Z"),
			Code: res.Code, Headers: fphcheck.Feedback(rec.Header, rec.At), Errors: res.Errors, Warnings: res.Warnings,
		})
	}
	writeJSON(w, http.StatusOK, body)
}

package sandbox

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"time"
)

// obligation is one VAT return obligation, in HMRC's wire shape.
type obligation struct {
	Start     string `json:"start"`
	End       string `json:"end"`
	Due       string `json:"due"`
	Status    string `json:"status"`
	PeriodKey string `json:"periodKey"`
	Received  string `json:"received,omitempty"`
}

type obligationsBody struct {
	Obligations []obligation `json:"obligations"`
}

// period is a tax period before its status is known.
type period struct {
	Start, End, Due time.Time
	Key             string
}

// dueDate is one calendar month and seven days after the end of a period, which
// always ends on the last day of a month.
func dueDate(end time.Time) time.Time {
	return time.Date(end.Year(), end.Month()+2, 0, 0, 0, 0, 0, time.UTC).AddDate(0, 0, 7)
}

// periodKeyFor makes keys in HMRC's style: two digits of the year the period ends,
// then "A" and the quarter number (1-4), or for months a letter from D (January)
// to O (December), as in the canned "18A1" and "18AD".
func periodKeyFor(end time.Time, monthly bool) string {
	yy := end.Year() % 100
	if monthly {
		return fmt.Sprintf("%02dA%c", yy, 'C'+rune(end.Month()))
	}
	return fmt.Sprintf("%02dA%d", yy, (int(end.Month())+2)/3)
}

// periodsFor derives a user's tax periods from the registration date up to the
// period containing today: the first period runs from registration to the end of
// its quarter (stagger 1: March, June, September, December) or month.
func periodsFor(u *userRec, today time.Time) []period {
	start, ok := regDate(u)
	if !ok {
		return nil
	}
	monthly := userStagger(u) == "monthly"
	var out []period
	for !start.After(today) {
		m := int(start.Month())
		endMonth := m
		if !monthly {
			endMonth = ((m-1)/3)*3 + 3
		}
		end := time.Date(start.Year(), time.Month(endMonth)+1, 0, 0, 0, 0, 0, time.UTC)
		out = append(out, period{Start: start, End: end, Due: dueDate(end), Key: periodKeyFor(end, monthly)})
		start = end.AddDate(0, 0, 1)
	}
	return out
}

// obligationsLocked lists a VRN's obligations with their status from the returns
// filed; the caller holds s.mu.
func (s *Server) obligationsLocked(vrn string) []obligation {
	u := s.userByVRNLocked(vrn)
	if u == nil {
		return nil
	}
	filed := s.st.Returns[vrn]
	periods := periodsFor(u, dateOnly(s.now()))
	// A business joins MTD with its history filed by other means: every period
	// before the last one that had ended when the user was created counts as filed
	// on time, so a new user has one return to file (and the current period open).
	created := dateOnly(u.Created)
	paper := -1
	for i, p := range periods {
		if p.End.Before(created) {
			paper = i - 1
		}
	}
	hist := s.historyLocked(vrn)
	var out []obligation
	for i, p := range periods {
		o := obligation{Start: fmtDate(p.Start), End: fmtDate(p.End), Due: fmtDate(p.Due), Status: "O", PeriodKey: p.Key}
		if r, ok := filed[p.Key]; ok {
			o.Status, o.Received = "F", fmtDate(r.Received.UTC())
		} else if i <= paper {
			o.Status, o.Received = "F", fmtDate(p.Due.AddDate(0, 0, -1))
			if h := hist[p.Key]; h != nil {
				o.Received = fmtDate(h.received)
			}
		}
		out = append(out, o)
	}
	return out
}

// obligationQuery is the validated query of GET obligations.
type obligationQuery struct {
	from, to time.Time
	hasDates bool
	status   string
}

// parseObligationQuery applies vat-api's levels in order; the first failing level
// decides, and reports one error code (sent in the legacy body).
func parseObligationQuery(q url.Values) (obligationQuery, string) {
	var oq obligationQuery
	hasFrom, hasTo, hasStatus := q.Has("from"), q.Has("to"), q.Has("status")
	status := q.Get("status")
	statusOK := !hasStatus || status == "O" || status == "F"
	oq.status = status
	switch {
	case !hasFrom && !hasTo:
		switch {
		case hasStatus && status == "O":
			return oq, ""
		case hasStatus && status == "F":
			return oq, "MISSING_DATE_RANGE"
		case hasStatus:
			return oq, "INVALID_STATUS"
		default:
			return oq, "INVALID_DATE_FROM"
		}
	case hasFrom && !hasTo:
		return oq, "INVALID_DATE_TO"
	case !hasFrom && hasTo:
		return oq, "INVALID_DATE_FROM"
	}
	from, okFrom := parseDate(q.Get("from"))
	to, okTo := parseDate(q.Get("to"))
	switch {
	case !okFrom:
		return oq, "INVALID_DATE_FROM"
	case !okTo:
		return oq, "INVALID_DATE_TO"
	case !statusOK:
		return oq, "INVALID_STATUS"
	}
	if !from.Before(to) || to.After(plusMonths(from, 12)) {
		return oq, "INVALID_DATE_RANGE"
	}
	oq.from, oq.to, oq.hasDates = from, to, true
	return oq, ""
}

func (s *Server) handleObligations(w http.ResponseWriter, r *http.Request, c *call) {
	oq, code := parseObligationQuery(r.URL.Query())
	if code != "" {
		writeLegacy(w, http.StatusBadRequest, code)
		return
	}
	if s.downstreamFault(w, c) {
		return
	}
	if c.scenario != "" {
		if writeCommonScenario(w, c.scenario, obligationScenarios) {
			return
		}
		list, ok := cannedObligations(c.scenario)
		if !ok {
			writeUnknownScenario(w)
			return
		}
		writeJSON(w, http.StatusOK, obligationsBody{list})
		return
	}
	if s.opts.Canned {
		list, _ := cannedObligations("")
		writeJSON(w, http.StatusOK, obligationsBody{list})
		return
	}
	if oq.hasDates && oq.from.Before(plusMonths(dateOnly(s.now()), -48)) {
		// ETMP keeps four years online; vat-api maps its refusal to this flat body.
		writeErr(w, http.StatusBadRequest, "DATE_RANGE_TOO_LARGE", "The date of the requested return cannot be further than four years from the current date.")
		return
	}
	s.mu.Lock()
	all := s.obligationsLocked(c.vrn)
	s.mu.Unlock()
	var out []obligation
	for _, o := range all {
		if oq.status != "" && o.Status != oq.status {
			continue
		}
		if oq.hasDates {
			start, _ := parseDate(o.Start)
			end, _ := parseDate(o.End)
			if start.After(oq.to) || end.Before(oq.from) {
				continue
			}
		}
		out = append(out, o)
	}
	if len(out) == 0 {
		writeErr(w, http.StatusNotFound, "NOT_FOUND", msgNoData)
		return
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	writeJSON(w, http.StatusOK, obligationsBody{out})
}

const msgNoData = "The remote endpoint has indicated that no data can be found"

package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"mime"
	"net/http"
	"strconv"
	"strings"

	"github.com/google/uuid"
)

// amount is money in pence that encodes as the shortest exact JSON number, the way
// HMRC echoes values back (105.50 is read back as 105.5).
type amount int64

// MarshalJSON writes the pence as pounds without a trailing zero.
func (a amount) MarshalJSON() ([]byte, error) { return []byte(formatPence(int64(a))), nil }

func formatPence(p int64) string {
	neg := p < 0
	u := uint64(p)
	if neg {
		u = uint64(-(p + 1)) + 1 // safe for the most negative value
	}
	s := strconv.FormatUint(u/100, 10)
	if frac := u % 100; frac != 0 {
		f := strconv.FormatUint(frac+100, 10)[1:]
		s += "." + strings.TrimRight(f, "0")
	}
	if neg {
		s = "-" + s
	}
	return s
}

// boxField describes one of the nine boxes for validation.
type boxField struct {
	name     string
	whole    bool
	min, max *big.Rat
	msg      string
}

func rat(s string) *big.Rat {
	r, _ := new(big.Rat).SetString(s)
	return r
}

const (
	msgMoney   = "amount should be a monetary value (to 2 decimal places), between -9,999,999,999,999.99 and 9,999,999,999,999.99"
	msgNetVAT  = "amount should be a monetary value (to 2 decimal places), between 0 and 99,999,999,999.99"
	msgWhole   = "The value must be between -9999999999999 and 9999999999999"
	maxNumText = 64 // longer JSON numbers are out of range or over-precise anyway
)

var boxFields = [9]boxField{
	{"vatDueSales", false, rat("-9999999999999.99"), rat("9999999999999.99"), msgMoney},
	{"vatDueAcquisitions", false, rat("-9999999999999.99"), rat("9999999999999.99"), msgMoney},
	{"totalVatDue", false, rat("-9999999999999.99"), rat("9999999999999.99"), msgMoney},
	{"vatReclaimedCurrPeriod", false, rat("-9999999999999.99"), rat("9999999999999.99"), msgMoney},
	{"netVatDue", false, rat("0"), rat("99999999999.99"), msgNetVAT},
	{"totalValueSalesExVAT", true, rat("-9999999999999"), rat("9999999999999"), msgWhole},
	{"totalValuePurchasesExVAT", true, rat("-9999999999999"), rat("9999999999999"), msgWhole},
	{"totalValueGoodsSuppliedExVAT", true, rat("-9999999999999"), rat("9999999999999"), msgWhole},
	{"totalAcquisitionsExVAT", true, rat("-9999999999999"), rat("9999999999999"), msgWhole},
}

// jsonDecimal reads a JSON number's text as an exact value and its BigDecimal
// scale (digits after the point minus the exponent), which is what HMRC judges
// decimal places by: 1.230 has scale 3 and is refused.
func jsonDecimal(text string) (*big.Rat, int, bool) {
	if len(text) == 0 || len(text) > maxNumText {
		return nil, 0, false
	}
	mant, exp := text, 0
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		mant = text[:i]
		e, err := strconv.Atoi(text[i+1:])
		if err != nil || e > 40 || e < -40 {
			return nil, 0, false
		}
		exp = e
	}
	scale := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = len(mant) - i - 1
	}
	r, ok := new(big.Rat).SetString(text)
	if !ok {
		return nil, 0, false
	}
	return r, scale - exp, true
}

// submittedReturn is the decoded, valid body: the nine boxes in pence.
type submittedReturn struct {
	periodKey string
	boxes     [9]int64
	finalised bool
}

func fieldErr(code, msg, field string) apiErr {
	return apiErr{Code: code, Message: msg, Path: "/" + field}
}

// validateSubmission applies vat-api's field-level checks (all fields, every
// error), then the cross-field checks. It returns the return or the errors of the
// first failing level.
func validateSubmission(body map[string]any) (submittedReturn, []apiErr) {
	var sr submittedReturn
	var errs []apiErr
	switch v := body["periodKey"].(type) {
	case nil:
		errs = append(errs, fieldErr("MANDATORY_FIELD_MISSING", "a mandatory field is missing", "periodKey"))
	case string:
		if !periodKeyPattern.MatchString(v) {
			errs = append(errs, fieldErr("PERIOD_KEY_INVALID", "period key should be a 4 character string", "periodKey"))
		}
		sr.periodKey = v
	default:
		errs = append(errs, fieldErr("INVALID_STRING_VALUE", "please provide a string field", "periodKey"))
	}
	vals := [9]*big.Rat{}
	for i, f := range boxFields {
		raw, present := body[f.name]
		num, isNum := raw.(json.Number)
		switch {
		case !present || raw == nil:
			errs = append(errs, fieldErr("MANDATORY_FIELD_MISSING", "a mandatory field is missing", f.name))
			continue
		case !isNum:
			errs = append(errs, fieldErr("INVALID_NUMERIC_VALUE", "please provide a numeric field", f.name))
			continue
		}
		r, scale, ok := jsonDecimal(num.String())
		if ok && f.whole {
			ok = r.IsInt()
		} else if ok {
			ok = scale <= 2
		}
		if ok {
			ok = r.Cmp(f.min) >= 0 && r.Cmp(f.max) <= 0
		}
		if !ok {
			errs = append(errs, fieldErr("INVALID_MONETARY_AMOUNT", f.msg, f.name))
			continue
		}
		vals[i] = r
		pence := new(big.Rat).Mul(r, big.NewRat(100, 1))
		sr.boxes[i] = pence.Num().Int64() // whole after the checks above
	}
	switch v := body["finalised"].(type) {
	case nil:
		errs = append(errs, fieldErr("MANDATORY_FIELD_MISSING", "a mandatory field is missing", "finalised"))
	case bool:
		sr.finalised = v
	default:
		errs = append(errs, fieldErr("UNMAPPED_PLAY_ERROR", "error.expected.jsboolean", "finalised"))
	}
	if len(errs) > 0 {
		return sr, errs
	}
	b := sr.boxes
	if b[2] != b[0]+b[1] {
		errs = append(errs, fieldErr("VAT_TOTAL_VALUE", "totalVatDue should be equal to vatDueSales + vatDueAcquisitions", "totalVatDue"))
	}
	diff := b[2] - b[3]
	if diff < 0 {
		diff = -diff
	}
	if b[4] != diff {
		errs = append(errs, fieldErr("VAT_NET_VALUE", "netVatDue should be the difference between the largest and the smallest values among totalVatDue and vatReclaimedCurrPeriod", "netVatDue"))
	}
	return sr, errs
}

const maxBodyBytes = 1 << 20

type submitResponse struct {
	ProcessingDate   string `json:"processingDate"`
	PaymentIndicator string `json:"paymentIndicator,omitempty"`
	FormBundleNumber string `json:"formBundleNumber"`
	ChargeRefNumber  string `json:"chargeRefNumber,omitempty"`
}

func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request, c *call) {
	now := s.now().UTC()
	receiptID := uuid.NewString()
	// Receipt headers go on errors too, as SubmitReturnController adds them to both.
	w.Header().Set("Receipt-ID", receiptID)
	w.Header().Set("Receipt-Timestamp", now.Format("2006-01-02T15:04:05Z"))

	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" && mt != "text/json" {
		writeLegacy(w, http.StatusUnsupportedMediaType, "Expecting text/json or application/json body")
		return
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writeLegacy(w, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
			return
		}
		writeLegacy(w, http.StatusBadRequest, "Invalid Json")
		return
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		writeLegacy(w, http.StatusBadRequest, "Invalid Json")
		return
	}
	body, _ := doc.(map[string]any) // a non-object has none of the fields
	sr, errs := validateSubmission(body)
	if len(errs) > 0 {
		writeJSON(w, http.StatusBadRequest, apiErr{Code: "INVALID_REQUEST", Message: "Invalid request", Errors: errs})
		return
	}
	if !sr.finalised {
		writeJSON(w, http.StatusForbidden, apiErr{Code: "BUSINESS_ERROR", Message: "Business validation error", Errors: []apiErr{
			{Code: "NOT_FINALISED", Message: "The return cannot be accepted without a declaration it is finalised.", Path: "/finalised"},
		}})
		return
	}
	if c.scenario != "" && c.scenario != "DEFAULT" {
		if !writeSubmitScenario(w, c.scenario) {
			writeUnknownScenario(w)
		}
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.st.Returns[c.vrn][sr.periodKey]; dup {
		writeDuplicate(w)
		return
	}
	if !s.opts.Canned {
		if u := s.userByVRNLocked(c.vrn); u != nil {
			// Periods not yet begun have no obligation listed but are still not ended.
			for _, p := range periodsFor(u, dateOnly(now).AddDate(2, 0, 0)) {
				if p.Key == sr.periodKey && p.Start.After(dateOnly(now)) {
					writeErr(w, http.StatusForbidden, "TAX_PERIOD_NOT_ENDED", msgPeriodNotEnded)
					return
				}
			}
		}
		for _, o := range s.obligationsLocked(c.vrn) {
			if o.PeriodKey != sr.periodKey {
				continue
			}
			if o.Status == "F" { // filed before the business joined MTD
				writeDuplicate(w)
				return
			}
			if end, _ := parseDate(o.End); !dateOnly(now).After(end) {
				writeErr(w, http.StatusForbidden, "TAX_PERIOD_NOT_ENDED", msgPeriodNotEnded)
				return
			}
		}
	}
	rec := &returnRec{PeriodKey: sr.periodKey, Boxes: sr.boxes, Received: now, FormBundle: randDigits(12), ReceiptID: receiptID}
	switch box3, box4 := sr.boxes[2], sr.boxes[3]; {
	case box3 > box4:
		rec.PaymentIndicator = "DD"
		rec.ChargeRef = strings.ToUpper(randAlnum(2, "abcdefghijklmnopqrstuvwxyz")) + randAlnum(14, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
	case box4 > box3:
		rec.PaymentIndicator = "BANK"
	}
	if s.st.Returns[c.vrn] == nil {
		s.st.Returns[c.vrn] = map[string]*returnRec{}
	}
	s.st.Returns[c.vrn][sr.periodKey] = rec
	s.stats.Submissions++
	s.persistLocked()
	w.Header().Set("Receipt-Signature", "This has been deprecated - DO NOT USE")
	writeJSON(w, http.StatusCreated, submitResponse{
		ProcessingDate: now.Format("2006-01-02T15:04:05.000Z"), PaymentIndicator: rec.PaymentIndicator,
		FormBundleNumber: rec.FormBundle, ChargeRefNumber: rec.ChargeRef,
	})
}

// viewBody is a return as GET returns/{periodKey} shows it: no "finalised".
type viewBody struct {
	PeriodKey                    string `json:"periodKey"`
	VATDueSales                  amount `json:"vatDueSales"`
	VATDueAcquisitions           amount `json:"vatDueAcquisitions"`
	TotalVATDue                  amount `json:"totalVatDue"`
	VATReclaimedCurrPeriod       amount `json:"vatReclaimedCurrPeriod"`
	NetVATDue                    amount `json:"netVatDue"`
	TotalValueSalesExVAT         amount `json:"totalValueSalesExVAT"`
	TotalValuePurchasesExVAT     amount `json:"totalValuePurchasesExVAT"`
	TotalValueGoodsSuppliedExVAT amount `json:"totalValueGoodsSuppliedExVAT"`
	TotalAcquisitionsExVAT       amount `json:"totalAcquisitionsExVAT"`
}

func (r *returnRec) view() viewBody {
	b := r.Boxes
	return viewBody{r.PeriodKey, amount(b[0]), amount(b[1]), amount(b[2]), amount(b[3]), amount(b[4]),
		amount(b[5]), amount(b[6]), amount(b[7]), amount(b[8])}
}

func (s *Server) handleViewReturn(w http.ResponseWriter, r *http.Request, c *call) {
	key := c.params[0]
	if !periodKeyPattern.MatchString(key) {
		writeJSON(w, http.StatusBadRequest, apiErr{Code: "INVALID_REQUEST", Message: "Invalid request", Errors: []apiErr{
			{Code: "PERIOD_KEY_INVALID", Message: "Invalid period key"},
		}})
		return
	}
	switch c.scenario {
	case "", "DEFAULT":
	case "DATE_RANGE_TOO_LARGE":
		writeJSON(w, http.StatusForbidden, apiErr{Code: "BUSINESS_ERROR", Message: "Business validation error", Errors: []apiErr{
			{Code: "DATE_RANGE_TOO_LARGE", Message: "The date of the requested return cannot be further than four years from the current date."},
		}})
		return
	case "INSOLVENT_TRADER":
		writeErr(w, http.StatusForbidden, "RULE_INSOLVENT_TRADER", msgInsolvent)
		return
	default:
		writeUnknownScenario(w)
		return
	}
	s.mu.Lock()
	rec, ok := s.st.Returns[c.vrn][key]
	var v viewBody
	if ok {
		v = rec.view()
	} else if h := s.historyLocked(c.vrn)[key]; h != nil {
		v, ok = h.view(), true
	}
	s.mu.Unlock()
	if !ok {
		w.WriteHeader(http.StatusNotFound) // HMRC sends no body and no Content-Type here
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// Returns lists the returns filed for vrn through the API (not its history), by
// period key, as GET returns/{periodKey} would show them.
func (s *Server) Returns(vrn string) map[string]json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[string]json.RawMessage{}
	for k, r := range s.st.Returns[vrn] {
		b, err := json.Marshal(r.view())
		if err == nil {
			out[k] = b
		}
	}
	return out
}

package sandbox

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"mime"
	"net/http"
	"regexp"
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
	maxNumText = 400 // longer numbers are refused as not numbers at all; Play would read them, but none is a sane amount
	maxExp     = 500
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
		e, err := strconv.Atoi(strings.TrimPrefix(text[i+1:], "+"))
		if err != nil {
			return nil, 0, false
		}
		exp = e
	}
	scale := 0
	if i := strings.IndexByte(mant, '.'); i >= 0 {
		scale = len(mant) - i - 1
	}
	r, ok := new(big.Rat).SetString(mant)
	if !ok {
		return nil, 0, false
	}
	// Past ±maxExp the exact value no longer matters (a mantissa of at most
	// maxNumText digits is then far out of range, or a non-zero fraction far below a
	// penny), so the exponent is clamped to keep the arithmetic small; the scale
	// keeps the true exponent.
	e := min(max(exp, -maxExp), maxExp)
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(abs(e))), nil))
	if e >= 0 {
		r.Mul(r, p)
	} else {
		r.Quo(r, p)
	}
	return r, scale - exp, true
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
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

// validateSubmission follows vat-api's SubmitReturnValidator.responseFieldValidation:
// one list holding, in this order, every missing field, every amount with too many
// decimals (or a fraction in a whole-pound box), every value of the wrong JSON type,
// a malformed period key and every amount out of range. Only when that list is
// empty do the cross-field rules run (tierFourValidation: VAT_NET_VALUE, then
// VAT_TOTAL_VALUE). A JSON null is present, so it fails the type check rather than
// the mandatory one; a number sent as a string is read as Play's BigDecimal reads
// do, and then judged like any number.
func validateSubmission(body map[string]any) (submittedReturn, []apiErr) {
	var sr submittedReturn
	var missing, scale, types, key, ranges []apiErr
	if _, ok := body["periodKey"]; !ok {
		missing = append(missing, fieldErr("MANDATORY_FIELD_MISSING", "a mandatory field is missing", "periodKey"))
	}
	vals := [9]*big.Rat{}
	scales := [9]int{}
	for i, f := range boxFields {
		raw, present := body[f.name]
		if !present {
			missing = append(missing, fieldErr("MANDATORY_FIELD_MISSING", "a mandatory field is missing", f.name))
			continue
		}
		r, sc, ok := bigDecimalRead(raw)
		if !ok {
			continue // a type error, listed below in the validator's order
		}
		vals[i], scales[i] = r, sc
	}
	if _, ok := body["finalised"]; !ok {
		missing = append(missing, fieldErr("MANDATORY_FIELD_MISSING", "a mandatory field is missing", "finalised"))
	}
	for i, f := range boxFields {
		if vals[i] == nil {
			continue
		}
		if (f.whole && !vals[i].IsInt()) || (!f.whole && scales[i] > 2) {
			scale = append(scale, fieldErr("INVALID_MONETARY_AMOUNT", f.msg, f.name))
		}
	}
	pk, pkIsString := body["periodKey"].(string)
	if _, present := body["periodKey"]; present && !pkIsString {
		types = append(types, fieldErr("INVALID_STRING_VALUE", "please provide a string field", "periodKey"))
	}
	for i, f := range boxFields {
		if _, present := body[f.name]; present && vals[i] == nil {
			types = append(types, fieldErr("INVALID_NUMERIC_VALUE", "please provide a numeric field", f.name))
		}
	}
	fin, finIsBool := body["finalised"].(bool)
	if _, present := body["finalised"]; present && !finIsBool {
		types = append(types, fieldErr("UNMAPPED_PLAY_ERROR", "error.expected.jsboolean", "finalised"))
	}
	if pkIsString && !periodKeyPattern.MatchString(pk) {
		key = append(key, fieldErr("PERIOD_KEY_INVALID", "period key should be a 4 character string", "periodKey"))
	}
	for i, f := range boxFields {
		if vals[i] != nil && (vals[i].Cmp(f.min) < 0 || vals[i].Cmp(f.max) > 0) {
			ranges = append(ranges, fieldErr("INVALID_MONETARY_AMOUNT", f.msg, f.name))
		}
	}
	errs := distinctErrs(missing, scale, types, key, ranges)
	if len(errs) > 0 {
		return sr, errs
	}
	sr.periodKey, sr.finalised = pk, fin
	for i, v := range vals {
		sr.boxes[i] = new(big.Rat).Mul(v, big.NewRat(100, 1)).Num().Int64() // whole after the checks above
	}
	b := sr.boxes
	diff := b[2] - b[3]
	if diff < 0 {
		diff = -diff
	}
	if b[4] != diff {
		errs = append(errs, fieldErr("VAT_NET_VALUE", "netVatDue should be the difference between the largest and the smallest values among totalVatDue and vatReclaimedCurrPeriod", "netVatDue"))
	}
	if b[2] != b[0]+b[1] {
		errs = append(errs, fieldErr("VAT_TOTAL_VALUE", "totalVatDue should be equal to vatDueSales + vatDueAcquisitions", "totalVatDue"))
	}
	return sr, errs
}

// distinctErrs concatenates the lists and drops repeats, as the validator's
// .distinct does: an amount both over-precise and out of range is listed once.
func distinctErrs(lists ...[]apiErr) []apiErr {
	var out []apiErr
	seen := map[[3]string]bool{}
	for _, l := range lists {
		for _, e := range l {
			if k := [3]string{e.Code, e.Message, e.Path}; !seen[k] {
				seen[k] = true
				out = append(out, e)
			}
		}
	}
	return out
}

// bigDecimalRead reads a value as Play's Reads[BigDecimal] does: a JSON number, or a
// string holding one ("10.00"); anything else (null, true, an object) is refused.
// It returns the exact value and its BigDecimal scale.
func bigDecimalRead(v any) (*big.Rat, int, bool) {
	switch x := v.(type) {
	case json.Number:
		return jsonDecimal(x.String())
	case string:
		if !javaDecimalPattern.MatchString(x) {
			return nil, 0, false
		}
		return jsonDecimal(x)
	}
	return nil, 0, false
}

// javaDecimalPattern is the text java.math.BigDecimal(String) accepts: an optional
// sign, digits with an optional point (".5" and "5." included), an optional exponent.
var javaDecimalPattern = regexp.MustCompile(`^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$`)

// maxBodyBytes is Play's default limit for parse.json (play.http.parser.maxMemoryBuffer,
// 100KiB), which vat-api's application.conf does not raise.
const maxBodyBytes = 100 << 10

type submitResponse struct {
	ProcessingDate   string `json:"processingDate"`
	PaymentIndicator string `json:"paymentIndicator,omitempty"`
	FormBundleNumber string `json:"formBundleNumber"`
	ChargeRefNumber  string `json:"chargeRefNumber,omitempty"`
}

// readSubmitBody is Play's parse.json body parser, which runs before
// AuthorisedController.invokeBlock checks the VRN and the enrolment: a wrong
// Content-Type, an oversized or malformed body is refused first. Its replies come
// from the error handler (LegacyErrorHandler.scala), not the controller, so they
// carry neither X-CorrelationId nor Receipt-* headers.
func readSubmitBody(w http.ResponseWriter, r *http.Request) (map[string]any, bool) {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if mt != "application/json" && mt != "text/json" {
		writePlayClientError(w, r, http.StatusUnsupportedMediaType, "Expecting text/json or application/json body")
		return nil, false
	}
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			writePlayClientError(w, r, http.StatusRequestEntityTooLarge, "Request Entity Too Large")
			return nil, false
		}
		writeLegacy(w, http.StatusBadRequest, "Invalid Json")
		return nil, false
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var doc any
	if err := dec.Decode(&doc); err != nil || dec.More() {
		writeLegacy(w, http.StatusBadRequest, "Invalid Json")
		return nil, false
	}
	body, _ := doc.(map[string]any) // a non-object has none of the fields
	if body == nil {
		body = map[string]any{}
	}
	return body, true
}

func (s *Server) handleSubmit(w http.ResponseWriter, r *http.Request, c *call) {
	now := s.now().UTC()
	// SubmitReturnController puts its own correlation ID in Receipt-ID on every reply
	// it makes; validation errors carry the same ID in X-CorrelationId, while replies
	// after the downstream call carry the downstream's.
	receiptID := c.corrID
	w.Header().Set("Receipt-ID", receiptID)
	w.Header().Set("Receipt-Timestamp", now.Format("2006-01-02T15:04:05Z"))
	body := c.body
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
	w.Header().Set("X-CorrelationId", uuid.NewString())
	if s.downstreamFault(w, c) {
		return
	}
	if c.scenario != "" {
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
	if s.downstreamFault(w, c) {
		return
	}
	switch c.scenario {
	case "":
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

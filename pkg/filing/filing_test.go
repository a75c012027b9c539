package filing

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

func TestChoosePeriod(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		api       fakeAPI
		choice    Choice
		want      string // period key chosen
		wantErr   any    // pointer to the typed error expected
		errSubstr string
	}{
		{name: "the one ended period, ignoring the current quarter", api: fakeAPI{open: []hmrc.Obligation{q3, q4}}, want: "26A3"},
		{name: "by key", api: fakeAPI{open: []hmrc.Obligation{q1, q3, q4}}, choice: Choice{Key: "26A1"}, want: "26A1"},
		{name: "by end date", api: fakeAPI{open: []hmrc.Obligation{q1, q3}}, choice: Choice{End: q3.End, EndFrom: "--period-end"}, want: "26A3"},
		{name: "workbook start agrees", api: fakeAPI{open: []hmrc.Obligation{q3}}, choice: Choice{WorkbookStart: q3.Start}, want: "26A3"},
		{name: "two ended periods", api: fakeAPI{open: []hmrc.Obligation{q1, q3, q4}}, wantErr: new(*AmbiguousError), errSubstr: "--period-key 26A1"},
		{name: "only the current quarter", api: fakeAPI{open: []hmrc.Obligation{q4}}, wantErr: new(*NotEndedError), errSubstr: "from 2027-01-01"},
		{name: "nothing open", api: fakeAPI{}, wantErr: new(*NothingOpenError)},
		{name: "key of a period not ended", api: fakeAPI{open: []hmrc.Obligation{q3, q4}}, choice: Choice{Key: "26A4"}, wantErr: new(*NotEndedError)},
		{name: "key already filed", api: fakeAPI{open: []hmrc.Obligation{q3, q4}, fulfilled: []hmrc.Obligation{q2}}, choice: Choice{Key: "26A2"},
			wantErr: new(*AlreadyFiledError), errSubstr: "--period-key 26A3"},
		{name: "end already filed names where it came from", api: fakeAPI{open: []hmrc.Obligation{q3}, fulfilled: []hmrc.Obligation{q2}},
			choice: Choice{End: q2.End, EndFrom: "the workbook's PeriodEnd ('VAT Return'!B3)"}, wantErr: new(*AlreadyFiledError), errSubstr: "'VAT Return'!B3"},
		{name: "unknown key", api: fakeAPI{open: []hmrc.Obligation{q3}}, choice: Choice{Key: "99Z9"}, wantErr: new(*NoSuchPeriodError), errSubstr: `"99Z9"`},
		{name: "unknown end", api: fakeAPI{open: []hmrc.Obligation{q3}}, choice: Choice{End: d(2026, 5, 31), EndFrom: "--period-end"},
			wantErr: new(*NoSuchPeriodError), errSubstr: "2026-05-31 (--period-end)"},
		{name: "fulfilled lookup failing is only advice", api: fakeAPI{open: []hmrc.Obligation{q3}, fulfilledErr: apiErr(503, "SERVICE_UNAVAILABLE")},
			choice: Choice{Key: "26A2"}, wantErr: new(*NoSuchPeriodError)},
		{name: "workbook start disagrees", api: fakeAPI{open: []hmrc.Obligation{q3}}, choice: Choice{WorkbookStart: d(2026, 8, 1)},
			wantErr: new(*WorkbookMismatchError), errSubstr: "PeriodStart is 2026-08-01"},
		{name: "HMRC error", api: fakeAPI{openErr: apiErr(503, "SERVICE_UNAVAILABLE")}, wantErr: new(*hmrc.APIError)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFiler(t, &tt.api)
			ob, err := f.ChoosePeriod(t.Context(), "123456782", tt.choice)
			if tt.wantErr == nil {
				if err != nil || ob == nil || ob.PeriodKey != tt.want {
					t.Fatalf("ChoosePeriod = %v, %v; want %s", ob, err, tt.want)
				}
				return
			}
			if err == nil || !errors.As(err, tt.wantErr) {
				t.Fatalf("err = %T %v, want %T", err, err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), tt.errSubstr) {
				t.Errorf("err = %q, want it to contain %q", err, tt.errSubstr)
			}
		})
	}
}

func TestSubmit(t *testing.T) {
	t.Parallel()
	other := ret
	other.VATDueSales, other.TotalVATDue, other.NetVATDue = 1, 40001, 1
	tests := []struct {
		name   string
		api    fakeAPI
		cancel bool // the context is cancelled before Submit
		// cancelDuring: Ctrl-C while the client waits to send (pkg/hmrc then returns the
		// context's error, not an unknown outcome, because no header was written).
		cancelDuring bool
		wantErr      func(error) bool
		wantState    receipts.State // "" = no intent recorded
		outcome      string
		posts        int
	}{
		{name: "accepted", api: fakeAPI{}, wantState: receipts.StateReceipted, outcome: receipts.OutcomeAccepted, posts: 1},
		{name: "duplicate with HMRC's copy", api: fakeAPI{held: map[string]vatreturn.Return{"26A3": other},
			submit: func(context.Context, hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
				return nil, nil, apiErr(403, hmrc.CodeDuplicateSubmission)
			}},
			wantErr: func(err error) bool {
				var de *DuplicateError
				return errors.As(err, &de) && de.Held != nil && *de.Held == other && errors.Is(err, hmrc.ErrDuplicateSubmission)
			}, wantState: receipts.StateReceipted, outcome: receipts.OutcomeAlreadyFiled, posts: 1},
		{name: "duplicate, HMRC's copy unreadable", api: fakeAPI{returnErr: apiErr(503, "SERVICE_UNAVAILABLE"),
			submit: func(context.Context, hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
				return nil, nil, apiErr(403, hmrc.CodeDuplicateSubmission)
			}},
			wantErr: func(err error) bool {
				var de *DuplicateError
				return errors.As(err, &de) && de.Held == nil
			}, wantState: receipts.StateReceipted, outcome: receipts.OutcomeAlreadyFiled, posts: 1},
		{name: "answer lost keeps the intent open", api: fakeAPI{submit: func(context.Context, hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
			return nil, nil, &hmrc.OutcomeUnknownError{Err: context.DeadlineExceeded}
		}}, wantErr: func(err error) bool {
			var ue *UnknownOutcomeError
			return errors.As(err, &ue) && ue.Sent && strings.Contains(err.Error(), "timed out")
		}, wantState: receipts.StateUnknown, posts: 1},
		{name: "rejected closes the intent", api: fakeAPI{submit: func(context.Context, hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
			return nil, nil, apiErr(400, "INVALID_REQUEST")
		}}, wantErr: func(err error) bool { return hmrc.IsRejected(err) }, wantState: receipts.StateCleared, posts: 1},
		{name: "interrupted before the request left", cancelDuring: true, wantErr: func(err error) bool { return errors.Is(err, context.Canceled) }, wantState: receipts.StateCleared, posts: 1},
		{name: "interrupted before anything", api: fakeAPI{}, cancel: true, wantErr: func(err error) bool { return errors.Is(err, context.Canceled) }},
		{name: "receipt HMRC gave cannot be kept", api: fakeAPI{submit: func(ctx context.Context, req hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
			r, resp, err := accept(ctx, req)
			r.FormBundleNumber = "not a number\n"
			return r, resp, err
		}}, wantErr: func(err error) bool {
			var rn *ReceiptNotSavedError
			return errors.As(err, &rn) && rn.Receipt.ReceiptID == "rcpt-1" && errors.Is(err, receipts.ErrInvalid)
		}, wantState: receipts.StatePending, posts: 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFiler(t, &tt.api)
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			if tt.cancel {
				cancel()
			}
			if tt.cancelDuring {
				tt.api.submit = func(ctx context.Context, _ hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
					cancel()
					return nil, nil, ctx.Err()
				}
			}
			id := receipts.NewID()
			f.NewID = func() string { return id }
			out, err := f.Submit(ctx, Submission{VRN: "123456782", Obligation: q3, Return: ret, Profile: "default", ToolVersion: "test"})
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Submit: %v", err)
			case tt.wantErr != nil && (err == nil || !tt.wantErr(err)):
				t.Fatalf("Submit err = %T %v", err, err)
			}
			if tt.wantErr == nil && (out == nil || out.Receipt.FormBundleNumber != "123456789012" || out.Receipt.ReceiptTimestamp != "2026-11-29T10:00:00.000Z") {
				t.Errorf("outcome = %+v", out)
			}
			if tt.api.posts != tt.posts {
				t.Errorf("POSTs = %d, want %d", tt.api.posts, tt.posts)
			}
			e, err := f.Journal.Get(t.Context(), id)
			if tt.wantState == "" {
				if !errors.Is(err, receipts.ErrNotFound) {
					t.Errorf("journal holds %+v (%v), want nothing", e, err)
				}
				return
			}
			if err != nil {
				t.Fatalf("journal: %v, want %s", err, tt.wantState)
			}
			if e.State != tt.wantState {
				t.Errorf("state = %s, want %s", e.State, tt.wantState)
			}
			if tt.outcome != "" && (e.Receipt == nil || e.Receipt.Outcome != tt.outcome) {
				t.Errorf("receipt = %+v, want outcome %s", e.Receipt, tt.outcome)
			}
		})
	}
}

func TestSubmitRefusesWhileAnEarlierAttemptIsOpen(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{submit: func(context.Context, hmrc.SubmitRequest) (*hmrc.Receipt, *hmrc.Response, error) {
		return nil, nil, &hmrc.OutcomeUnknownError{Err: errors.New("connection reset")}
	}}
	f := newFiler(t, api)
	s := Submission{VRN: "123456782", Obligation: q3, Return: ret}
	if _, err := f.Submit(t.Context(), s); !errors.As(err, new(*UnknownOutcomeError)) {
		t.Fatalf("first Submit: %v", err)
	}
	api.submit = nil
	if _, err := f.Submit(t.Context(), s); !errors.Is(err, receipts.ErrOpenIntent) {
		t.Fatalf("second Submit = %v, want ErrOpenIntent", err)
	}
	if api.posts != 1 {
		t.Errorf("POSTs = %d, want 1: nothing may be sent while the first may have been filed", api.posts)
	}
}

func TestSubmitRefusesAnIntentTheJournalCannotRecord(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	f := newFiler(t, api)
	_, err := f.Submit(t.Context(), Submission{VRN: "", Obligation: q3, Return: ret})
	if err == nil || !strings.Contains(err.Error(), "nothing was sent") || !errors.Is(err, receipts.ErrInvalid) {
		t.Fatalf("err = %v", err)
	}
	if api.posts != 0 {
		t.Errorf("POSTs = %d, want 0", api.posts)
	}
}

// begin records an open intent for q3, as a run that died mid-submission leaves behind.
func begin(t *testing.T, f *Filer, withDates bool) receipts.Intent {
	t.Helper()
	in := receipts.Intent{ID: receipts.NewID(), VRN: "123456782", PeriodKey: q3.PeriodKey, Return: ret}
	if withDates {
		in.PeriodStart, in.PeriodEnd = q3.Start.String(), q3.End.String()
	}
	// A second journal on the same directory stands for the dead process; closing it releases
	// the in-flight hold as the process's death would.
	j, err := receipts.Open(f.Journal.Dir())
	if err != nil {
		t.Fatal(err)
	}
	if err := j.BeginIntent(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	j.Close()
	return in
}

func TestReconcile(t *testing.T) {
	t.Parallel()
	other := ret
	other.TotalValueSalesExVAT++
	fulfilledQ3 := q3
	fulfilledQ3.Status = hmrc.StatusFulfilled
	tests := []struct {
		name    string
		api     fakeAPI
		noDates bool
		verdict Verdict
		wantErr func(error) bool
		state   receipts.State
	}{
		{name: "HMRC holds it", api: fakeAPI{held: map[string]vatreturn.Return{"26A3": ret}}, verdict: Accepted, state: receipts.StateReceipted},
		{name: "HMRC holds another", api: fakeAPI{held: map[string]vatreturn.Return{"26A3": other}}, verdict: HeldOther, state: receipts.StateReceipted},
		{name: "not viewable yet but fulfilled", api: fakeAPI{fulfilled: []hmrc.Obligation{fulfilledQ3}}, verdict: Accepted, state: receipts.StateReceipted},
		{name: "not received", api: fakeAPI{}, verdict: NotReceived, state: receipts.StateCleared},
		{name: "not received, dates unknown", api: fakeAPI{}, noDates: true, verdict: NotReceived, state: receipts.StateCleared},
		{name: "HMRC refuses the period outright", api: fakeAPI{returnErr: apiErr(400, "PERIOD_KEY_INVALID")}, verdict: NotReceived, state: receipts.StateCleared},
		{name: "obligations unavailable keeps it open", api: fakeAPI{fulfilledErr: apiErr(503, "SERVICE_UNAVAILABLE")},
			wantErr: func(err error) bool {
				var ue *UnknownOutcomeError
				return errors.As(err, &ue) && !ue.Sent
			}, state: receipts.StatePending},
		{name: "HMRC unavailable keeps it open", api: fakeAPI{returnErr: apiErr(503, "SERVICE_UNAVAILABLE")},
			wantErr: func(err error) bool {
				var ue *UnknownOutcomeError
				return errors.As(err, &ue) && strings.Contains(err.Error(), "still unknown: HMRC answered 503")
			}, state: receipts.StatePending},
		{name: "login problem is a login problem", api: fakeAPI{returnErr: apiErr(http.StatusForbidden, "CLIENT_OR_AGENT_NOT_AUTHORISED")},
			wantErr: func(err error) bool { return hmrc.IsAuth(err) && !errors.As(err, new(*UnknownOutcomeError)) }, state: receipts.StatePending},
		{name: "expired token is a login problem", api: fakeAPI{returnErr: apiErr(http.StatusUnauthorized, "INVALID_CREDENTIALS")},
			wantErr: func(err error) bool { return hmrc.IsAuth(err) }, state: receipts.StatePending},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newFiler(t, &tt.api)
			var asked []string
			f.Checking = func(in receipts.Intent) { asked = append(asked, in.PeriodKey) }
			in := begin(t, f, !tt.noDates)
			settled, err := f.Reconcile(t.Context(), "123456782")
			if tt.wantErr != nil {
				if err == nil || !tt.wantErr(err) {
					t.Fatalf("Reconcile err = %T %v", err, err)
				}
			} else {
				if err != nil {
					t.Fatalf("Reconcile: %v", err)
				}
				if len(settled) != 1 || settled[0].Verdict != tt.verdict || settled[0].Intent.ID != in.ID {
					t.Fatalf("settled = %+v, want verdict %d", settled, tt.verdict)
				}
			}
			if len(asked) != 1 || asked[0] != "26A3" {
				t.Errorf("Checking saw %v", asked)
			}
			e, err := f.Journal.Get(t.Context(), in.ID)
			if err != nil {
				t.Fatal(err)
			}
			if e.State != tt.state {
				t.Errorf("state = %s, want %s", e.State, tt.state)
			}
			if tt.api.posts != 0 {
				t.Errorf("reconciliation sent %d returns", tt.api.posts)
			}
		})
	}
}

func TestReconcileLeavesAnAttemptInFlightAlone(t *testing.T) {
	t.Parallel()
	api := &fakeAPI{}
	f := newFiler(t, api)
	// A live process (another journal handle) is sending this intent now.
	other, err := receipts.Open(f.Journal.Dir())
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	in := receipts.Intent{ID: receipts.NewID(), VRN: "123456782", PeriodKey: "26A3", PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", Return: ret}
	if err := other.BeginIntent(t.Context(), in); err != nil {
		t.Fatal(err)
	}
	settled, err := f.Reconcile(t.Context(), "123456782")
	if err != nil || len(settled) != 1 || settled[0].Verdict != InFlight {
		t.Fatalf("Reconcile = %+v, %v; want in flight", settled, err)
	}
	if api.views != 0 {
		t.Errorf("HMRC asked %d times about a submission another process owns", api.views)
	}
}

func TestCompareFiled(t *testing.T) {
	t.Parallel()
	other := ret
	other.TotalValuePurchasesExVAT++
	t.Run("own receipt, same figures: nothing to do, HMRC not asked", func(t *testing.T) {
		t.Parallel()
		api := &fakeAPI{}
		f := newFiler(t, api)
		if _, err := f.Submit(t.Context(), Submission{VRN: "123456782", Obligation: q3, Return: ret}); err != nil {
			t.Fatal(err)
		}
		d, err := f.CompareFiled(t.Context(), "123456782", q3, ret)
		if err != nil || !d.Resubmitted() || d.Ours.Receipt.FormBundleNumber != "123456789012" || api.views != 0 {
			t.Fatalf("CompareFiled = %+v, %v (views %d)", d, err, api.views)
		}
	})
	t.Run("own receipt, other figures", func(t *testing.T) {
		t.Parallel()
		api := &fakeAPI{held: map[string]vatreturn.Return{"26A3": ret}}
		f := newFiler(t, api)
		if _, err := f.Submit(t.Context(), Submission{VRN: "123456782", Obligation: q3, Return: ret}); err != nil {
			t.Fatal(err)
		}
		d, err := f.CompareFiled(t.Context(), "123456782", q3, other)
		if err != nil || d.Resubmitted() || d.Same || d.Held == nil || *d.Held != ret || d.Ours == nil {
			t.Fatalf("CompareFiled = %+v, %v", d, err)
		}
	})
	t.Run("filed elsewhere with the same figures", func(t *testing.T) {
		t.Parallel()
		f := newFiler(t, &fakeAPI{held: map[string]vatreturn.Return{"26A3": ret}})
		d, err := f.CompareFiled(t.Context(), "123456782", q3, ret)
		if err != nil || !d.Same || d.Resubmitted() {
			t.Fatalf("CompareFiled = %+v, %v", d, err)
		}
	})
	t.Run("HMRC cannot be asked", func(t *testing.T) {
		t.Parallel()
		f := newFiler(t, &fakeAPI{returnErr: apiErr(503, "SERVICE_UNAVAILABLE")})
		if _, err := f.CompareFiled(t.Context(), "123456782", q3, ret); !hmrc.IsTemporary(err) {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestMessages(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		err  error
		want string
	}{
		{&NothingOpenError{VRN: "123456782"}, "no open VAT obligation for VRN 123456782"},
		{&DuplicateError{Intent: receipts.Intent{PeriodKey: "26A3", PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30"}}, "already holds a return for period 26A3 (2026-07-01 to 2026-09-30)"},
		{&UnknownOutcomeError{PeriodKey: "26A3", Sent: true, Err: context.Canceled}, "sent but HMRC's answer was lost (interrupted)"},
		{&UnknownOutcomeError{PeriodKey: "26A3", Err: errors.New("read tcp: connection reset by peer")}, "still unknown: connection reset by peer"},
		{&ReceiptNotSavedError{Err: errors.New("no space left on device")}, "could not be saved: no space left on device"},
		{&AlreadyFiledError{Obligation: q2}, "received it on 2026-08-01"},
	} {
		if !strings.Contains(tt.err.Error(), tt.want) {
			t.Errorf("%T: %q, want %q", tt.err, tt.err, tt.want)
		}
	}
	if got := Label(hmrc.Obligation{PeriodKey: "#001"}); got != "#001" {
		t.Errorf("Label without dates = %q", got)
	}
	if got := ShortCause(nil); got != "no answer" {
		t.Errorf("ShortCause(nil) = %q", got)
	}
}

func TestAfter(t *testing.T) {
	t.Parallel()
	filedQ3 := q3
	filedQ3.Status, filedQ3.Received = hmrc.StatusFulfilled, d(2026, 11, 29)
	f := newFiler(t, &fakeAPI{open: []hmrc.Obligation{q4}, fulfilled: []hmrc.Obligation{filedQ3}})
	fulfilled, next, err := f.After(t.Context(), "123456782", q3)
	if err != nil || !fulfilled || next == nil || next.PeriodKey != "26A4" {
		t.Fatalf("After = %v, %+v, %v; want fulfilled and 26A4 next", fulfilled, next, err)
	}
	f = newFiler(t, &fakeAPI{open: []hmrc.Obligation{q3}})
	if fulfilled, next, err := f.After(t.Context(), "123456782", q3); err != nil || fulfilled || next != nil {
		t.Fatalf("After before HMRC updates = %v, %+v, %v", fulfilled, next, err)
	}
	f = newFiler(t, &fakeAPI{openErr: apiErr(503, "SERVICE_UNAVAILABLE"), fulfilledErr: apiErr(503, "SERVICE_UNAVAILABLE")})
	if _, _, err := f.After(t.Context(), "123456782", q3); err == nil {
		t.Fatal("After hid HMRC's error")
	}
}

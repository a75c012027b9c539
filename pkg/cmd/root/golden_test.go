package root_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"

	"github.com/vatbridge/vat/pkg/cmd/internal/viewtest"
	"github.com/vatbridge/vat/pkg/sandbox"
)

var workbooks = filepath.Join("..", "..", "..", "testdata", "workbooks")

// goldens runs args in every format (a terminal 80 and 120 columns wide, piped, JSON, CSV) and
// compares each transcript with testdata/golden/name.<format>. A non-zero exit is part of the
// transcript: -o csv is a usage error for the commands that list no rows. fix replaces what
// differs from run to run (IDs, clocks, the emulator's port) with placeholders.
func goldens(t *testing.T, w *viewtest.World, name string, fix func(string) string, args ...string) {
	t.Helper()
	for _, f := range viewtest.Formats {
		r := w.RunTTY(f.Width, append(append([]string{}, args...), f.Args...)...)
		checkGolden(t, name, f.Suffix, f.Width, r, fix)
	}
}

// checkGolden compares one format's transcript with testdata/golden/name.suffix, and fails on
// a terminal line wider than width (a line that is one URL aside: a URL is never broken).
func checkGolden(t *testing.T, name, suffix string, width int, r viewtest.Result, fix func(string) string) {
	t.Helper()
	got := viewtest.Transcript(r)
	if r.Code != 0 {
		got = fmt.Sprintf("exit %d\n%s", r.Code, got)
	}
	if fix != nil {
		got = fix(got)
	}
	viewtest.Golden(t, "golden/"+name+"."+suffix, got)
	if width > 0 {
		for _, line := range append(viewtest.OverWide(r.Out, width), viewtest.OverWide(r.Err, width)...) {
			t.Errorf("%s at %d columns: a line of %d\n%s", name, width, ansi.StringWidth(line), line)
		}
	}
}

var (
	portRE = regexp.MustCompile(`http://127\.0\.0\.1:[0-9]+`)
	// The journal and the tokens keep the real time, not the emulator's fixed day.
	clockRE = regexp.MustCompile(`[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z| UTC)|[0-9]{1,2} [A-Z][a-z]{2} [0-9]{4} [0-9]{2}:[0-9]{2} UTC`)
)

// pad makes a placeholder as wide as what it replaces, so that the tables in the goldens stay
// aligned as vat drew them.
func pad(placeholder, original string) string {
	if n := len([]rune(original)) - len([]rune(placeholder)); n > 0 {
		return placeholder + strings.Repeat("#", n)
	}
	return placeholder
}

// replacer replaces each original with its placeholder, padded to the original's width.
func replacer(pairs ...string) *strings.Replacer {
	var args []string
	for i := 0; i+1 < len(pairs); i += 2 {
		if pairs[i] != "" {
			args = append(args, pairs[i], pad(pairs[i+1], pairs[i]))
		}
	}
	return strings.NewReplacer(args...)
}

func fixClock(s string) string {
	s = portRE.ReplaceAllStringFunc(s, func(m string) string { return pad("http://127.0.0.1:PORT", m) })
	return clockRE.ReplaceAllStringFunc(s, func(m string) string {
		if strings.Contains(m, ".") {
			return "NOW" // JSON's nanoseconds vary in length; no table holds them
		}
		return pad("NOW", m)
	})
}

func TestCheckGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	// The workbooks hold another business's VRN, which check refuses when it knows whose
	// return it is (TestCheckVRNGolden): these show a check with no VRN to compare.
	w.Setenv("VAT_VRN", "")
	goldens(t, w, "check-good-basic", nil, "check", filepath.Join(workbooks, "good-basic.xlsx"))
	goldens(t, w, "check-computed", nil, "check", "--workbook", filepath.Join(workbooks, "box3-box5-missing.xlsx"))
	goldens(t, w, "check-error-cells", nil, "check", filepath.Join(workbooks, "error-cells.xlsx"))
}

func TestObligationsGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	goldens(t, w, "obligations-open", nil, "obligations")
	goldens(t, w, "obligations-2025", nil, "obligations", "--status", "all", "--from", "01/01/2025", "--to", "31/12/2025")
}

func TestStatusVersionGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	goldens(t, w, "status", fixClock, "status")
	platform := func(s string) string { return strings.ReplaceAll(s, runtime.GOOS+"/"+runtime.GOARCH, "OS/ARCH") }
	goldens(t, w, "version", func(s string) string {
		s = platform(s)
		s = strings.ReplaceAll(s, `"os": "`+runtime.GOOS+`"`, `"os": "OS"`)
		return strings.ReplaceAll(s, `"arch": "`+runtime.GOARCH+`"`, `"arch": "ARCH"`)
	}, "version")
}

// TestReceiptsGolden files a return through 'vat submit' and shows its receipt in every format.
func TestReceiptsGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	w.FileLatest()
	r := w.Run("receipts", "list", "-o", "json")
	var list struct {
		Receipts []struct {
			ID               string `json:"id"`
			FormBundleNumber string `json:"formBundleNumber"`
			ReceiptID        string `json:"receiptId"`
			CorrelationID    string `json:"correlationId"`
			ReceiptTimestamp string `json:"receiptTimestamp"`
			ProcessingDate   string `json:"processingDate"`
			ChargeRefNumber  string `json:"chargeRefNumber"`
			RecordedAt       string `json:"recordedAt"`
		} `json:"receipts"`
	}
	if err := json.Unmarshal([]byte(r.Out), &list); err != nil || len(list.Receipts) != 1 {
		t.Fatalf("receipts list: %v %s", err, r.Out)
	}
	rc := list.Receipts[0]
	r = w.Run("receipts", "show", rc.ID, "-o", "json")
	var shown struct {
		Evidence struct {
			WorkbookPath   string `json:"workbookPath"`
			WorkbookSHA256 string `json:"workbookSha256"`
		} `json:"evidence"`
	}
	if err := json.Unmarshal([]byte(r.Out), &shown); err != nil {
		t.Fatal(err)
	}
	fix := func(s string) string {
		s = strings.ReplaceAll(s, shown.Evidence.WorkbookPath, "WORKBOOK")
		s = replacer(rc.ID, "INTENT-ID", rc.ID[:8], "SHORT-ID", rc.FormBundleNumber, "FORM-BUNDLE", rc.ReceiptID, "RECEIPT-ID",
			rc.CorrelationID, "CORRELATION-ID", rc.ReceiptTimestamp, "RECEIPT-TIMESTAMP", rc.ProcessingDate, "PROCESSING-DATE",
			rc.ChargeRefNumber, "CHARGE-REF", shown.Evidence.WorkbookSHA256, "SHA256").Replace(s)
		s = regexp.MustCompile(`"toolVersion": "[^"]*"`).ReplaceAllString(s, `"toolVersion": "VERSION"`)
		s = regexp.MustCompile(`by vat \S+`).ReplaceAllString(s, "by vat VERSION")
		s = fixClock(s)
		// A narrow table wraps the time recorded (the real clock's) between its date and time.
		if at := strings.TrimSuffix(rc.RecordedAt, "Z"); len(at) == 19 {
			s = replacer(at[:10], "DATE", at[11:], "TIME").Replace(s)
		}
		return s
	}
	goldens(t, w, "receipts-list", fix, "receipts", "list")
	goldens(t, w, "receipts-show", fix, "receipts", "show", rc.ID[:8])
}

// TestSubmitTemplateLogoutGolden: the starter workbook, the dry run's preview (the nine boxes
// and HMRC's declaration, on stderr) and logout, in every format.
// TestSubmitTemplateLogoutGolden runs in a temporary working directory (so not in parallel):
// messages name the workbook as given, and a relative name is as long on every machine, so the
// lines wrap the same everywhere.
func TestSubmitTemplateLogoutGolden(t *testing.T) {
	t.Chdir(t.TempDir())
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	wb := filepath.Join("books", "q.xlsx")
	if err := os.Mkdir("books", 0o700); err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	// JSON gives the absolute path, which only a table would need aligned.
	fixDir := func(s string) string { return strings.ReplaceAll(s, wd+string(filepath.Separator), "WORKDIR/") }
	goldens(t, w, "template", fixDir, "template", "--force", wb)
	goldens(t, w, "submit-dry-run", fixDir, "submit", "--workbook", wb, "--dry-run")
	goldens(t, w, "logout", nil, "logout")
}

// TestCreateUserGolden: a new test user in every format. Each run makes another user, so what
// the emulator draws at random (IDs, password, names, address, registration date) is replaced.
func TestCreateUserGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	random := regexp.MustCompile(`("(userId|password|userFullName|emailAddress|name|firstName|lastName|dateOfBirth|line1|line2|postcode|vrn|vatRegistrationDate|groupIdentifier|saUtr|nino|ctUtr|mtdItId|eoriNumber|crn|empRef)": )"[^"]*"`)
	text := regexp.MustCompile(`(?m)^((?:userId|password|vrn|vatRegistrationDate) +)\S+$`)
	row := regexp.MustCompile(`(?m)^[^,\n]+,[^,\n]+,[^,\n]+,[0-9]{9},[0-9-]+,$`)
	goldens(t, w, "sandbox-create-user", func(s string) string {
		s = random.ReplaceAllString(s, `$1"RANDOM"`)
		s = text.ReplaceAllString(s, "${1}RANDOM")
		return row.ReplaceAllString(s, "USER,PASSWORD,NAME,VRN,DATE,")
	}, "sandbox", "create-user")
}

// TestClientsGolden: a practice's client list and one client, in every format.
func TestClientsGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{RegisteredDaysAgo: 200})
	for _, args := range [][]string{
		{"clients", "add", "Acme Widgets Ltd", "--vrn", "123456782", "--workbook", "~/clients/acme/{period-end:2006-01}.xlsx"},
		{"clients", "add", "Bloggs & Sons", "--vrn", "GB 987 6543 53", "--workbook", "/srv/books/{vrn}/{period-key}.xlsx", "--method", "BATCH_PROCESS_DIRECT"},
	} {
		if r := w.Run(args...); r.Code != 0 {
			t.Fatalf("%v: exit %d\n%s", args, r.Code, r.Err)
		}
	}
	goldens(t, w, "clients-list", nil, "clients", "list")
	goldens(t, w, "clients-show", nil, "clients", "show", "Bloggs & Sons")
}

// TestAllClientsGolden: the practice-wide "what is due", most urgent first, in every format.
func TestAllClientsGolden(t *testing.T) {
	t.Parallel()
	w := viewtest.New(t, viewtest.Business{History: sandbox.HistoryPunctual})
	if r := w.Run("clients", "add", "Own Business Ltd", "--vrn", w.VRN); r.Code != 0 {
		t.Fatalf("clients add: exit %d\n%s", r.Code, r.Err)
	}
	vrn := func(s string) string { return strings.ReplaceAll(s, w.VRN, "VRN######") }
	goldens(t, w, "obligations-all-clients", vrn, "obligations", "--all-clients")
}

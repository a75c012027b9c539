package rehearse

import (
	"bytes"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// The report's file names inside the report directory.
const (
	FileJSON     = "rehearsal.json"
	FileMarkdown = "rehearsal.md"
	FileHTML     = "rehearsal.html"
)

// Write writes the report to dir as JSON, Markdown and a self-contained printable HTML page,
// creating dir when needed, and returns the paths written.
func Write(dir string, r *Report) ([]string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("report directory: %w", err)
	}
	var paths []string
	for _, f := range []struct {
		name   string
		render func(io.Writer, *Report) error
	}{{FileJSON, WriteJSON}, {FileMarkdown, WriteMarkdown}, {FileHTML, WriteHTML}} {
		var buf bytes.Buffer
		if err := f.render(&buf, r); err != nil {
			return paths, fmt.Errorf("%s: %w", f.name, err)
		}
		p := filepath.Join(dir, f.name)
		if err := os.WriteFile(p, buf.Bytes(), 0o644); err != nil {
			return paths, err
		}
		paths = append(paths, p)
	}
	return paths, nil
}

// WriteJSON writes the report as one indented JSON document.
func WriteJSON(w io.Writer, r *Report) error {
	doc := struct {
		*Report
		Passed bool `json:"passed"`
	}{r, r.Passed()}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04:05Z")
}

// md escapes what would break a Markdown table cell.
func md(s string) string {
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;", ">", "&gt;").Replace(s)
}

// WriteMarkdown writes the report as Markdown.
func WriteMarkdown(w io.Writer, r *Report) error {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	verdict := "PASSED: every step passed"
	if !r.Passed() {
		verdict = fmt.Sprintf("FAILED: %d of %d steps did not pass", len(r.Failures()), len(r.Steps))
	}
	p("# VAT (MTD) production approval rehearsal: %s", verdict)
	p("")
	p("| | |")
	p("|---|---|")
	p("| Software | %s %s |", md(r.Product), md(r.Version))
	p("| Environment | %s (%s) |", md(r.Env), md(r.APIBase))
	p("| Application client ID | %s |", md(r.ClientID))
	p("| Connection method | %s |", md(r.ConnectionMethod))
	if r.User != nil {
		p("| Test user ID | %s |", md(r.User.UserID))
		p("| Test user VRN | %s |", md(r.User.VRN))
		if r.User.Organisation != "" {
			p("| Organisation | %s |", md(r.User.Organisation))
		}
	}
	p("| Started | %s |", ts(r.Started))
	p("| Finished | %s |", ts(r.Finished))
	if f := r.Filed; f != nil {
		p("| Return filed | period %s (%s to %s), form bundle %s, from %s (SHA-256 %s) |", md(f.PeriodKey), f.Start, f.End, md(f.FormBundleNumber), md(f.Workbook), md(f.WorkbookSHA256))
	}
	p("")
	if fs := r.Failures(); len(fs) > 0 {
		p("## What failed")
		p("")
		for _, s := range fs {
			p("- **Step %d, %s** (%s): %s", s.N, md(s.Title), s.Status, md(s.Error))
			if s.Advice != "" {
				p("  - To fix: %s", md(s.Advice))
			}
		}
		p("")
	}
	p("## Steps")
	p("")
	p("| # | Step | Result | Summary |")
	p("|---|---|---|---|")
	for _, s := range r.Steps {
		sum := s.Summary
		if s.Status != Passed {
			sum = s.Error
		}
		p("| %d | %s | %s | %s |", s.N, md(s.Title), s.Status, md(sum))
	}
	p("")
	p("## Calls (times in UTC)")
	p("")
	p("| Step | Time | Request | Status | X-CorrelationId |")
	p("|---|---|---|---|---|")
	for _, s := range r.Steps {
		for _, c := range s.Calls {
			p("| %d | %s | %s %s | %s | %s |", s.N, ts(c.Time), c.Method, md(c.Endpoint), md(statusText(c)), md(c.CorrelationID))
		}
	}
	p("")
	p("## Fraud prevention headers: HMRC's validator, per endpoint")
	p("")
	for _, h := range headerChecks(r) {
		p("### %s %s: %s", h.Method, md(h.Path), h.Code)
		p("")
		p("Source: %s%s.", h.Source, map[bool]string{true: ", request of " + h.RequestTime, false: ""}[h.RequestTime != ""])
		p("")
		if len(h.Errors)+len(h.Warnings) == 0 {
			p("No errors and no warnings.")
			p("")
			continue
		}
		p("| Kind | Header | Code | Message |")
		p("|---|---|---|---|")
		for _, e := range h.Errors {
			p("| error | %s | %s | %s |", md(e.Header), md(e.Code), md(e.Message))
		}
		for _, e := range h.Warnings {
			p("| warning | %s | %s | %s |", md(e.Header), md(e.Code), md(e.Message))
		}
		p("")
	}
	p("## HMRC's checklist")
	p("")
	section := ""
	for _, c := range r.Checklist {
		if c.Section != section {
			section = c.Section
			p("")
			p("### %s", section)
			p("")
			p("| Result | Item | Evidence |")
			p("|---|---|---|")
		}
		p("| %s | %s | %s |", strings.ToUpper(c.Result), md(c.Item), md(c.Evidence))
	}
	p("")
	p("## Draft email to HMRC's SDS team")
	p("")
	p("To: %s  ", r.Email.To)
	p("Subject: %s", r.Email.Subject)
	p("")
	p("```")
	b.WriteString(r.Email.Body)
	p("```")
	_, err := io.WriteString(w, b.String())
	return err
}

// headerChecks is the validator's verdict on each endpoint: the validate call, then the feedback.
func headerChecks(r *Report) []HeaderCheck {
	var out []HeaderCheck
	if h := r.Step(StepValidate).headersOrNil(); h != nil {
		out = append(out, *h)
	}
	return append(out, r.Feedback...)
}

var pageTmpl = template.Must(template.New("page").Funcs(template.FuncMap{
	"ts": ts, "upper": strings.ToUpper, "status": statusText,
	"checks": headerChecks,
}).Parse(`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>VAT (MTD) production approval rehearsal {{ts .R.Finished}}</title>
<style>
body{font:11pt/1.4 system-ui,-apple-system,"Segoe UI",Arial,sans-serif;color:#0b0c0c;margin:2em auto;max-width:60em;padding:0 1em}
h1{font-size:1.6em;margin-bottom:.2em}h2{font-size:1.25em;border-bottom:2px solid #0b0c0c;margin-top:1.6em;page-break-after:avoid}
h3{font-size:1.05em;margin:1.2em 0 .3em}
table{border-collapse:collapse;width:100%;margin:.4em 0 1em;page-break-inside:auto}tr{page-break-inside:avoid}
th,td{border:1px solid #b1b4b6;padding:.25em .45em;text-align:left;vertical-align:top;font-size:.92em}th{background:#f3f2f1}
code,.mono{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.9em;word-break:break-all}
.passed,.pass{color:#00703c;font-weight:bold}.failed,.fail{color:#d4351c;font-weight:bold}.skipped,.todo{color:#505a5f;font-weight:bold}
.verdict{font-size:1.2em;padding:.5em .8em;border-left:8px solid}.verdict.ok{border-color:#00703c}.verdict.bad{border-color:#d4351c}
.nw{white-space:nowrap}
pre{white-space:pre-wrap;border:1px solid #b1b4b6;padding:.8em;background:#f8f8f8;font-size:.88em}
@media print{body{margin:0;max-width:none}a{color:inherit}}
</style>
</head>
<body>
<h1>VAT (MTD) production approval rehearsal</h1>
{{if .R.Passed}}<p class="verdict ok">Passed: every step passed.</p>{{else}}<p class="verdict bad">Failed: {{len .R.Failures}} of {{len .R.Steps}} steps did not pass.</p>{{end}}
<table>
<tr><th>Software</th><td>{{.R.Product}} {{.R.Version}}</td></tr>
<tr><th>Environment</th><td>{{.R.Env}} (<span class="mono">{{.R.APIBase}}</span>)</td></tr>
<tr><th>Application client ID</th><td class="mono">{{.R.ClientID}}</td></tr>
<tr><th>Connection method</th><td>{{.R.ConnectionMethod}}</td></tr>
{{with .R.User}}<tr><th>Test user ID</th><td class="mono">{{.UserID}}</td></tr>
<tr><th>Test user VRN</th><td class="mono">{{.VRN}}</td></tr>{{if .Organisation}}
<tr><th>Organisation</th><td>{{.Organisation}}</td></tr>{{end}}{{end}}
<tr><th>Started</th><td>{{ts .R.Started}}</td></tr>
<tr><th>Finished</th><td>{{ts .R.Finished}}</td></tr>
{{with .R.Filed}}<tr><th>Return filed</th><td>period {{.PeriodKey}} ({{.Start}} to {{.End}}), form bundle <span class="mono">{{.FormBundleNumber}}</span>, from {{.Workbook}} (SHA-256 <span class="mono">{{.WorkbookSHA256}}</span>)</td></tr>{{end}}
</table>
{{with .R.Failures}}<h2>What failed</h2>
<ul>{{range .}}<li><strong>Step {{.N}}, {{.Title}}</strong> ({{.Status}}): {{.Error}}{{if .Advice}}<br>To fix: {{.Advice}}{{end}}</li>{{end}}</ul>{{end}}
<h2>Steps</h2>
<table><tr><th>#</th><th>Step</th><th>Endpoint</th><th>Result</th><th>Summary</th></tr>
{{range .R.Steps}}<tr><td>{{.N}}</td><td>{{.Title}}</td><td class="mono">{{.Operation}}</td><td class="{{.Status}}">{{.Status}}</td><td>{{if eq .Status "passed"}}{{.Summary}}{{else}}{{.Error}}{{end}}</td></tr>
{{end}}</table>
<h2>Calls (times in UTC)</h2>
<table><tr><th>Step</th><th>Time</th><th>Request</th><th>Status</th><th>X-CorrelationId</th></tr>
{{range $s := .R.Steps}}{{range .Calls}}<tr><td>{{$s.N}}</td><td class="nw">{{ts .Time}}</td><td class="mono">{{.Method}} {{.Endpoint}}</td><td>{{status .}}</td><td class="mono">{{.CorrelationID}}</td></tr>
{{end}}{{end}}</table>
<h2>Fraud prevention headers: HMRC's validator, per endpoint</h2>
{{range checks .R}}<h3><span class="mono">{{.Method}} {{.Path}}</span>: {{.Code}}</h3>
<p>Source: {{.Source}}{{if .RequestTime}}, request of {{.RequestTime}}{{end}}.</p>
{{if or .Errors .Warnings}}<table><tr><th>Kind</th><th>Header</th><th>Code</th><th>Message</th></tr>
{{range .Errors}}<tr><td class="fail">error</td><td class="mono">{{.Header}}</td><td>{{.Code}}</td><td>{{.Message}}</td></tr>
{{end}}{{range .Warnings}}<tr><td>warning</td><td class="mono">{{.Header}}</td><td>{{.Code}}</td><td>{{.Message}}</td></tr>
{{end}}</table>{{else}}<p>No errors and no warnings.</p>{{end}}
{{end}}
<h2>HMRC's checklist</h2>
<table><tr><th>Section</th><th>Item</th><th>Result</th><th>Evidence</th></tr>
{{range .R.Checklist}}<tr><td>{{.Section}}</td><td>{{.Item}}</td><td class="{{if eq .Result "to do"}}todo{{else}}{{.Result}}{{end}}">{{upper .Result}}</td><td>{{.Evidence}}</td></tr>
{{end}}</table>
<h2>Draft email to HMRC's SDS team</h2>
<p>To: <a href="mailto:{{.R.Email.To}}">{{.R.Email.To}}</a><br>Subject: {{.R.Email.Subject}}</p>
<pre>{{.R.Email.Body}}</pre>
</body>
</html>
`))

// WriteHTML writes the report as one HTML page with its styles inline, to print or attach.
func WriteHTML(w io.Writer, r *Report) error {
	return pageTmpl.Execute(w, struct{ R *Report }{r})
}

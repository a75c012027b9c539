package receiptdoc

import (
	"html/template"
	"io"
	"time"
)

// fixedDate is the PDF's creation date: the record, not the moment of printing, fixes what the
// document says, and stable bytes let a reprint be compared with the first print.
var fixedDate = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// HTML renders the document as one self-contained HTML page (no scripts, no external files) laid
// out to print on one A4 page like the PDF.
func HTML(w io.Writer, d Document) error {
	v, err := d.view()
	if err != nil {
		return err
	}
	return htmlPage.Execute(w, v)
}

var htmlPage = template.Must(template.New("receipt").Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<title>{{.Title}} {{.PeriodKey}}{{if .Business}} – {{.Business}}{{end}}</title>
<style>
@page { size: A4; margin: 15mm; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 10pt; color: #000; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 16pt; margin: 0 0 2pt; }
h2 { font-size: 11pt; color: #003b5c; border-bottom: 1px solid #003b5c; margin: 10pt 0 4pt; }
.business { font-size: 12pt; font-weight: bold; margin: 0 0 4pt; }
table { border-collapse: collapse; width: 100%; }
td, th { padding: 1.5pt 4pt; vertical-align: top; text-align: left; }
th { background: #e1e8f0; font-size: 8.5pt; }
dl { display: grid; grid-template-columns: 45mm 1fr; margin: 0; }
dt { color: #505050; } dd { margin: 0; font-weight: bold; }
.boxes tr:nth-child(odd) { background: #f2f5f8; }
.amount, .value { text-align: right; font-weight: bold; white-space: nowrap; }
.evidence { table-layout: fixed; }
.evidence td { border-bottom: 1px solid #ccc; font-size: 8.5pt; overflow-wrap: anywhere; }
.evidence col.box { width: 8mm; } .evidence col.name { width: 44mm; } .evidence col.cell { width: 38mm; }
.evidence col.value { width: 26mm; }
code { font-family: Courier, monospace; font-size: 8.5pt; word-break: break-all; }
.declaration { font-style: italic; }
.notes { font-size: 8pt; }
footer { margin-top: 12pt; font-size: 7.5pt; color: #5a5a5a; text-align: center; }
</style>
</head>
<body>
<h1>{{.Title}}</h1>
{{if .Business}}<p class="business">{{.Business}}</p>{{end}}
<dl>
<dt>VAT registration number</dt><dd>{{.VRN}}</dd>
<dt>Period</dt><dd>{{.Period}} (period key {{.PeriodKey}})</dd>
<dt>Due date</dt><dd>{{.Due}}</dd>
</dl>
<h2>The return</h2>
<table class="boxes">
{{range .Boxes}}<tr><td><b>Box {{.Number}}</b></td><td>{{.Description}}</td><td class="amount">{{.Amount}}</td></tr>
{{end}}</table>
<h2>HMRC's receipt</h2>
<dl>
{{range .Receipt}}<dt>{{.Label}}</dt><dd>{{.Value}}</dd>
{{end}}</dl>
<h2>Declaration</h2>
<p class="declaration">{{.Declaration}}</p>
{{if .DeclaredAt}}<p>{{.DeclaredAt}}</p>{{end}}
<h2>Digital link: where each box came from</h2>
<dl>
<dt>File</dt><dd>{{.File}}</dd>
{{if ne .FilePath .File}}<dt>Path</dt><dd>{{.FilePath}}</dd>{{end}}
<dt>SHA-256</dt><dd><code>{{.SHA256}}</code></dd>
</dl>
<table class="evidence">
<colgroup><col class="box"><col class="name"><col class="cell"><col class="formula"><col class="value"></colgroup>
<tr><th>Box</th><th>Name</th><th>Sheet and cell</th><th>Formula</th><th class="value">Value</th></tr>
{{range .Cells}}<tr><td>{{.Box}}</td><td>{{.Name}}</td><td>{{.Cell}}</td><td>{{.Formula}}</td><td class="value">{{.Value}}</td></tr>
{{end}}</table>
{{if .Warnings}}<p class="notes"><b>Notes from reading the file</b></p>
<ul class="notes">{{range .Warnings}}<li>{{.}}</li>{{end}}</ul>{{end}}
<footer>{{.Footer}}</footer>
</body>
</html>
`))

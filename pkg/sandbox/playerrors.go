package sandbox

import (
	"html/template"
	"net/http"
	"strings"
)

// playClientError is the page Play's DefaultHttpErrorHandler renders for a client error
// it has no JSON mapping for. vat-api's LegacyErrorHandler.scala overrides only
// onBadRequest, so a 415 or 413 from the JSON body parser comes back as this HTML page,
// not as JSON. The page's layout is approximate; its status, content type and the
// request and reason it names follow the code.
var playClientError = template.Must(template.New("play").Parse(`<!DOCTYPE html>
<html lang="en">
    <head>
        <title>Bad request</title>
    </head>
    <body>
        <h1>Bad request</h1>
        <p id="detail">
            For request '{{.Method}} {{.URI}}' [{{.Reason}}]
        </p>
    </body>
</html>
`))

// writePlayClientError writes Play's HTML client-error page. The URI is the one vat-api
// sees, behind the gateway's /organisations/vat context.
func writePlayClientError(w http.ResponseWriter, r *http.Request, status int, reason string) {
	uri := strings.TrimPrefix(r.URL.RequestURI(), "/organisations/vat")
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = playClientError.Execute(w, map[string]string{"Method": r.Method, "URI": uri, "Reason": reason})
}

package sandbox

import (
	"bytes"
	"html/template"
	"net/http"
)

// The pages work without JavaScript: plain forms, so that a person, a headless
// browser and SignIn all drive them the same way.
const pageLayout = `{{define "top"}}<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font-family:Arial,sans-serif;margin:0;color:#0b0c0c}
header{background:#0b0c0c;color:#fff;padding:10px 30px;font-weight:bold}
main{max-width:640px;margin:30px auto;padding:0 15px}
.error{border-left:5px solid #d4351c;padding:10px 15px;color:#d4351c}
label{display:block;font-weight:bold;margin-top:15px}
input[type=text],input[type=password]{font-size:1.1em;padding:5px;width:20em}
button{font-size:1.1em;margin-top:20px;padding:8px 15px;background:#00703c;color:#fff;border:0}
button.secondary{background:#f3f2f1;color:#0b0c0c}
code{font-size:1.2em;background:#f3f2f1;padding:3px}
</style>
</head>
<body>
<header>HMRC sandbox emulator</header>
<main>
{{end}}
{{define "bottom"}}</main>
</body>
</html>
{{end}}
{{define "home"}}{{template "top" .}}
<h1>HMRC sandbox emulator</h1>
<p>This server emulates HMRC's VAT (MTD) sandbox: OAuth 2.0 at <code>/oauth/authorize</code> and
<code>/oauth/token</code>, the Create Test User API under <code>/create-test-user/</code>, the VAT API under
<code>/organisations/vat/</code> and the Test Fraud Prevention Headers API under
<code>/test/fraud-prevention-headers/</code>.</p>
{{template "bottom" .}}{{end}}
{{define "error"}}{{template "top" .}}
<h1>There is a problem</h1>
<div class="error" role="alert">
<p id="error-code">{{.Error}}</p>
<p id="error-description">{{.Description}}</p>
</div>
{{template "bottom" .}}{{end}}
{{define "signin"}}{{template "top" .}}
<h1>Sign in</h1>
<p><strong>{{.App}}</strong> wants to access your HMRC account. Sign in with the user ID and password of your
sandbox test user: the business's organisation account, or the agent's account.</p>
{{if .Error}}<div class="error" role="alert" id="sign-in-error">{{.Error}}</div>{{end}}
<form id="sign-in" method="post" action="/oauth/sign-in">
<input type="hidden" name="request" value="{{.Request}}">
<label for="userId">User ID</label>
<input type="text" id="userId" name="userId" autocomplete="username" spellcheck="false">
<label for="password">Password</label>
<input type="password" id="password" name="password" autocomplete="current-password">
<div><button type="submit" id="continue">Sign in</button></div>
</form>
{{template "bottom" .}}{{end}}
{{define "grant"}}{{template "top" .}}
<h1>Give permission</h1>
<p>Signed in as {{.User}} (user ID {{.UserID}}).</p>
<p>The software application <strong id="app-name">{{.App}}</strong> is asking for permission to:</p>
<ul id="scopes">
{{range .Scopes}}<li data-scope="{{.Name}}">{{.Description}} ({{.Name}})</li>
{{end}}</ul>
<p>You can revoke this at any time. The authority lasts 18 months.</p>
<form id="grant" method="post" action="/oauth/grant">
<input type="hidden" name="request" value="{{.Request}}">
<input type="hidden" name="nonce" value="{{.Nonce}}">
<button type="submit" name="decision" value="allow" id="give-permission">Give permission</button>
<button type="submit" name="decision" value="deny" id="deny" class="secondary">Do not give permission</button>
</form>
{{template "bottom" .}}{{end}}
{{define "oob"}}{{template "top" .}}
{{if .Code}}<h1>Authorisation code</h1>
<p>Copy this code and paste it into your application:</p>
<p><code id="code">{{.Code}}</code></p>
{{if .Auto}}<p>You can now close this window.</p>{{end}}
{{else}}<h1>Permission not given</h1>
<p id="error-code">{{.Error}}</p>
{{end}}
{{template "bottom" .}}{{end}}
`

var pages = template.Must(template.New("pages").Parse(pageLayout))

// renderPage executes a page into a buffer first, so a template error never
// leaves a half-written page behind.
func renderPage(w http.ResponseWriter, status int, name string, data map[string]any) {
	var b bytes.Buffer
	if err := pages.ExecuteTemplate(&b, name, data); err != nil {
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Frame-Options", "DENY")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, _ = w.Write(b.Bytes())
}

package root

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// helpTopics are read with 'vat help NAME'. A command without a Run is listed by cobra under
// "Additional help topics" and prints its Long text.
func helpTopics() []*cobra.Command {
	topic := func(name, short, long string) *cobra.Command {
		return &cobra.Command{Use: name, Short: short, Long: long}
	}
	return []*cobra.Command{
		topic("environment", "Environment variables and config.toml settings", environmentHelp),
		topic("exit-codes", "What each exit status means", "vat's exit status tells a script what happened; the codes never change.\n\n"+cmdutil.ExitCodeDoc),
		topic("workbook", "How vat finds the nine boxes: defined names, map files, formats", workbookHelp()),
		topic("output", "The -o json and -o csv contract", outputHelp),
	}
}

const environmentHelp = `Every setting comes from, in order: the flag, the environment variable, the profile in
config.toml, the default.

VAT_PROFILE (--profile): the named profile to use: its VRN, environment, credentials and tokens.
  Default "default".

VAT_ENV (--env): the HMRC environment: sandbox (default), production, or local (the emulator at
  --api-url, e.g. 'vat sandbox serve').

VAT_API_URL (--api-url): the API base URL, for the emulator or a proxy; the OAuth sign-in and
  token URLs follow it. https only, except on the loopback interface.

VAT_VRN (--vrn): the VAT registration number, 9 digits, check digits validated.

VAT_OUTPUT (-o, --output): table (default), json or csv. See 'vat help output'.

VAT_CSV_BOM (--bom): start -o csv output with a UTF-8 byte-order mark, so that Excel on Windows
  reads "£" and accents right when the file is double-clicked. Any value but "", 0, false or no.

VAT_CONFIG_DIR (--config-dir): where vat keeps config.toml, the device ID, the receipts journal
  and file tokens. Default: the OS user config dir + /vat (~/.config/vat on Linux).

VAT_TOKEN_STORE (--token-store): where tokens live: auto (the OS keyring, or refuse with
  advice), keyring, or file (a 0600 file in the config dir).

VAT_DEBUG (--debug): trace HTTP requests and responses on stderr, secrets redacted.

NO_COLOR (--no-color): plain output without colour (https://no-color.org). TERM=dumb also
  turns colour off.

VAT_CLIENT_ID: your HMRC application's client ID (Developer Hub). Not needed with --env local.

VAT_CLIENT_SECRET: your HMRC application's client secret. Never written to config.toml; 'vat
  login --save-secret' keeps it in the token store instead.

VAT_FRAUD_METHOD: the fraud-prevention connection method: DESKTOP_APP_DIRECT (default),
  OTHER_DIRECT or BATCH_PROCESS_DIRECT (e.g. for cron).

VAT_HTTP_TIMEOUT: the timeout of each HTTP request, as a Go duration (default 60s).

VAT_GOV_TEST_SCENARIO (--test-scenario): sandbox only: ask HMRC for a documented test case
  (the Gov-Test-Scenario header); each command's help lists its own.

CONFIG.TOML

config.toml in the config dir holds one table per profile; a setting given here applies when no
flag or variable gives it:

  [profiles.default]
  env = "production"          # VAT_ENV
  api_url = "https://..."     # VAT_API_URL
  vrn = "123456782"           # VAT_VRN
  output = "table"            # VAT_OUTPUT
  csv_bom = true              # VAT_CSV_BOM
  token_store = "file"        # VAT_TOKEN_STORE
  client_id = "..."           # VAT_CLIENT_ID
  fraud_method = "BATCH_PROCESS_DIRECT"   # VAT_FRAUD_METHOD
  login_ports = [53682, 53683]            # 'vat login' redirect ports registered with HMRC
  agent = true                # signed in with an Agent Services Account: the agent's declaration
  rate = 3                    # requests a second a batch run may send (HMRC's limit: 3)
  receipt_pdf = "~/VAT/{vrn}/{period-end:2006-01}-{period-key}.pdf"   # every filed return's receipt

  [[profiles.default.clients]]            # an agent's clients, for --all-clients ('vat clients')
  name = "Acme Ltd"
  vrn = "123456782"
  workbook = "~/clients/acme/{period-end:2006-01}.xlsx"
  map = "~/clients/acme/boxes.map"
  method = "DESKTOP_APP_DIRECT"

'vat login' saves the environment, API URL, VRN, client ID and token store it was given.`

func workbookHelp() string {
	var b strings.Builder
	b.WriteString(`vat reads each box from a defined name (Formulas > Name Manager in Excel), matched
case-insensitively, at workbook scope or the scope of the sheet that holds it:

`)
	for _, info := range vatreturn.Boxes {
		fmt.Fprintf(&b, "  box %d  Box%d, VAT_Box%d, VATBox%d, %s", info.Number, info.Number, info.Number, info.Number, info.Field)
		switch info.Number {
		case 3:
			b.WriteString("  (optional: box 1 + box 2)")
		case 5:
			b.WriteString("  (optional: |box 3 - box 4|)")
		}
		b.WriteString("\n")
	}
	b.WriteString(`  optional  PeriodStart, PeriodEnd (choose the obligation), VRN (checked against the profile)

Two names for one box is an error. Every problem is listed at once, naming the box, the defined
name, the sheet and the cell; nothing is sent while any remain.

MAP FILE

--map FILE maps boxes to other defined names or to plain cell references, one per line:

  # boxes.map
  box1 = SalesVAT
  box4 = 'VAT Return'!C11
  vatDueAcquisitions = EUAcq

FORMATS

  .xlsx, .xlsm  Excel, LibreOffice, Numbers' Excel export: defined names as above.
  .ods          LibreOffice Calc, read natively: named ranges and expressions, same rules.
  .csv          bookkeeping exports: one row per box (box,value) or one row per period with a
                header (end,vat_sales,...), where --period-end picks the row.
  .xls          refused: save it as .xlsx.

vat reads the value the spreadsheet last calculated; for files that store none it computes the
formulas. Extra precision is an error naming the cell unless --round is given.

'vat template FILE' writes a starter workbook with every name in place.`)
	return b.String()
}

const outputHelp = `-o table (default) draws tables that fit the terminal: descriptions wrap, amounts never do,
and borders go when it is narrow. Piped, tables are plain aligned columns for grep and awk.

-o json prints one JSON document on stdout: HMRC's field names, money as exact numbers (boxes
1-5 with two decimals, 6-9 whole pounds; other amounts with at least two, never rounded), dates
as YYYY-MM-DD, times as RFC 3339 UTC. A field vat does not know is left out, never "", and a box
vat refuses has no value (null). Each command's document has a JSON Schema in the repository
(pkg/cmd/root/testdata/schema). Errors go to stderr as one document:

  {"error": {"code": "...", "message": "...", "hint": "...",
             "details": [{"box": 1, "field": "vatDueSales", "name": "Box1", "sheet": "VAT Return",
                          "cell": "C7", "code": "...", "message": "..."}]}}

Only the fields a detail has are present; a detail with no box or cell has only "message".

-o csv prints the rows a command lists, with a header (alone when there are no rows) and
camelCase column names (HMRC's where the column is HMRC's field): plain numbers (1234.56), one
value per column (a period's start and end apart), UTF-8, with a byte-order mark under --bom.
These commands list no rows and refuse -o csv with exit 2 before doing anything:`

// outputTopic finishes 'vat help output' with the commands that refuse -o csv, read from the
// commands themselves so that the list stays true.
func outputTopic(root *cobra.Command) {
	var topic *cobra.Command
	var lines []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Name() == "output" && !c.Runnable() {
			topic = c
		}
		if refused, unless := cmdutil.CSVRefusal(c); refused {
			line := "  " + c.CommandPath()
			if unless != "" {
				line += " (unless --" + unless + ": a row per client)"
			}
			lines = append(lines, line)
		}
		for _, s := range c.Commands() {
			walk(s)
		}
	}
	walk(root)
	if topic != nil {
		topic.Long = outputHelp + "\n" + strings.Join(lines, "\n")
	}
}

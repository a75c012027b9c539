package config

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode"
)

// Client is one business an agent files for: kept in the agent's profile, so that one sign-in
// to HMRC serves every client.
type Client struct {
	Name string `toml:"name"`
	VRN  string `toml:"vrn"`
	// Workbook is a path or a pattern naming the workbook for a period; see ExpandWorkbook.
	Workbook string `toml:"workbook,omitempty"`
	// Map is an optional map file for workbooks whose boxes are not the standard names.
	Map string `toml:"map,omitempty"`
	// Method is the connection method of the client's requests in a batch run (empty: the
	// profile's; a run's --method outranks it).
	Method string `toml:"method,omitempty"`
}

// Methods are the connection methods vat can declare in its fraud-prevention headers.
var Methods = []string{"DESKTOP_APP_DIRECT", "OTHER_DIRECT", "BATCH_PROCESS_DIRECT"}

// ValidateClientName refuses names that cannot be picked out on a command line: a client list
// is given as --clients a,b, so a comma would split one name into two.
func ValidateClientName(name string) error {
	switch {
	case name == "":
		return errors.New("a client needs a name")
	case strings.TrimSpace(name) != name:
		return fmt.Errorf("client name %q starts or ends with a space", name)
	case len(name) > 80:
		return fmt.Errorf("client name %q is longer than 80 characters", name)
	case strings.Contains(name, ","):
		return fmt.Errorf("client name %q has a comma, which --clients uses to separate names", name)
	}
	for _, r := range name {
		if unicode.IsControl(r) {
			return fmt.Errorf("client name %q has a control character", name)
		}
	}
	return nil
}

// Validate checks every field of c, naming the field that is wrong.
func (c Client) Validate() error {
	if err := ValidateClientName(c.Name); err != nil {
		return err
	}
	if err := ValidateVRN(c.VRN); err != nil {
		return fmt.Errorf("client %q: VRN %q: %w", c.Name, c.VRN, err)
	}
	if c.Workbook != "" {
		if err := CheckWorkbookPattern(c.Workbook); err != nil {
			return fmt.Errorf("client %q: workbook %q: %w", c.Name, c.Workbook, err)
		}
	}
	if c.Method != "" && !validMethod(c.Method) {
		return fmt.Errorf("client %q: method %q: must be %s", c.Name, c.Method, strings.Join(Methods, ", "))
	}
	return nil
}

func validMethod(m string) bool {
	for _, x := range Methods {
		if x == m {
			return true
		}
	}
	return false
}

// FindClient returns the index of the client called name (names compare without case, as a
// person typing them would expect), or -1.
func (p *Profile) FindClient(name string) int {
	for i, c := range p.Clients {
		if strings.EqualFold(c.Name, name) {
			return i
		}
	}
	return -1
}

// AddClient adds c after validating it; a second client with the same name or VRN is refused,
// since a VRN filed twice under two names is exactly the mistake a practice list must prevent.
func (p *Profile) AddClient(c Client) error {
	if err := c.Validate(); err != nil {
		return err
	}
	if p.FindClient(c.Name) >= 0 {
		return fmt.Errorf("a client called %q already exists", c.Name)
	}
	for _, o := range p.Clients {
		if o.VRN == c.VRN {
			return fmt.Errorf("client %q already has VRN %s", o.Name, c.VRN)
		}
	}
	p.Clients = append(p.Clients, c)
	return nil
}

// ReplaceClient replaces the client called name with c, under the same rules as AddClient.
func (p *Profile) ReplaceClient(name string, c Client) error {
	i := p.FindClient(name)
	if i < 0 {
		return fmt.Errorf("no client called %q", name)
	}
	if err := c.Validate(); err != nil {
		return err
	}
	for j, o := range p.Clients {
		if j == i {
			continue
		}
		if strings.EqualFold(o.Name, c.Name) {
			return fmt.Errorf("a client called %q already exists", c.Name)
		}
		if o.VRN == c.VRN {
			return fmt.Errorf("client %q already has VRN %s", o.Name, c.VRN)
		}
	}
	p.Clients[i] = c
	return nil
}

// RemoveClient removes the client called name.
func (p *Profile) RemoveClient(name string) error {
	i := p.FindClient(name)
	if i < 0 {
		return fmt.Errorf("no client called %q", name)
	}
	p.Clients = append(p.Clients[:i:i], p.Clients[i+1:]...)
	return nil
}

// PeriodVars are the values a workbook pattern's placeholders stand for.
type PeriodVars struct {
	VRN       string
	PeriodKey string
	Start     time.Time
	End       time.Time
}

// CheckWorkbookPattern reports a pattern's first unknown or malformed placeholder.
func CheckWorkbookPattern(pattern string) error {
	_, err := expand(pattern, PeriodVars{VRN: "000000000", PeriodKey: "00A0", Start: time.Unix(0, 0).UTC(), End: time.Unix(0, 0).UTC()}, "")
	return err
}

// ExpandWorkbook turns a workbook pattern into a path for one period. The placeholders are
// {vrn}, {period-key}, {period-start:LAYOUT} and {period-end:LAYOUT}, where LAYOUT is a Go time
// layout such as 2006-01 (without a layout, 2006-01-02). A leading ~/ is the user's home.
func ExpandWorkbook(pattern string, v PeriodVars, home string) (string, error) {
	return expand(pattern, v, home)
}

func expand(pattern string, v PeriodVars, home string) (string, error) {
	var b strings.Builder
	rest := pattern
	for {
		i := strings.IndexByte(rest, '{')
		if i < 0 {
			if strings.IndexByte(rest, '}') >= 0 {
				return "", errors.New("a '}' without its '{'")
			}
			b.WriteString(rest)
			break
		}
		if strings.IndexByte(rest[:i], '}') >= 0 {
			return "", errors.New("a '}' without its '{'")
		}
		b.WriteString(rest[:i])
		j := strings.IndexByte(rest[i:], '}')
		if j < 0 {
			return "", errors.New("a '{' without its '}'")
		}
		ph := rest[i+1 : i+j]
		rest = rest[i+j+1:]
		name, layout, hasLayout := strings.Cut(ph, ":")
		switch name {
		case "vrn", "period-key":
			if hasLayout {
				return "", fmt.Errorf("{%s} takes no layout", ph)
			}
			if name == "vrn" {
				b.WriteString(v.VRN)
			} else {
				// '#' is a valid period-key character but a poor one in a file name; keep it,
				// the user chose the pattern.
				b.WriteString(v.PeriodKey)
			}
		case "period-start", "period-end":
			if !hasLayout {
				layout = "2006-01-02"
			}
			if layout == "" {
				return "", fmt.Errorf("{%s} has an empty layout", ph)
			}
			t := v.End
			if name == "period-start" {
				t = v.Start
			}
			out := t.Format(layout)
			if strings.ContainsAny(out, "/\\") {
				return "", fmt.Errorf("{%s} would put a path separator in the name", ph)
			}
			b.WriteString(out)
		default:
			return "", fmt.Errorf("unknown placeholder {%s} (use {vrn}, {period-key}, {period-start:LAYOUT} or {period-end:LAYOUT})", ph)
		}
	}
	out := b.String()
	if out == "~" || strings.HasPrefix(out, "~/") || strings.HasPrefix(out, "~"+string(filepath.Separator)) {
		if home == "" {
			return out, nil
		}
		out = filepath.Join(home, out[1:])
	}
	return out, nil
}

// HomeDir is os.UserHomeDir without the error, for expanding ~ in patterns.
func HomeDir() string {
	h, _ := os.UserHomeDir()
	return h
}

// ParseClientsCSV reads a practice's client list: a header row naming the columns (name and vrn
// required; workbook, map and method optional, in any order and any case), then one client a
// row. Every bad row is reported, by line, before anything is imported.
func ParseClientsCSV(r io.Reader) ([]Client, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	head, err := cr.Read()
	if err == io.EOF {
		return nil, errors.New("the file is empty: want a header row such as name,vrn,workbook,map,method")
	}
	if err != nil {
		return nil, err
	}
	col := map[string]int{}
	for i, h := range head {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		switch h {
		case "name", "vrn", "workbook", "map", "method":
		case "":
			continue
		default:
			return nil, fmt.Errorf("line 1: unknown column %q (want name, vrn, workbook, map, method)", h)
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("line 1: column %q appears twice", h)
		}
		col[h] = i
	}
	for _, need := range []string{"name", "vrn"} {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("line 1: no %q column (the header row must name the columns: name,vrn,workbook,map,method)", need)
		}
	}
	get := func(row []string, k string) string {
		i, ok := col[k]
		if !ok || i >= len(row) {
			return ""
		}
		return strings.TrimSpace(row[i])
	}
	var out []Client
	var probs []string
	seen := Profile{}
	for {
		row, err := cr.Read()
		if err == io.EOF {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			return nil, err
		}
		if len(row) == 1 && strings.TrimSpace(row[0]) == "" {
			continue
		}
		c := Client{
			Name: get(row, "name"), Workbook: get(row, "workbook"), Map: get(row, "map"),
			VRN:    strings.ReplaceAll(strings.TrimPrefix(strings.ToUpper(get(row, "vrn")), "GB"), " ", ""),
			Method: strings.ToUpper(get(row, "method")),
		}
		if err := seen.AddClient(c); err != nil {
			probs = append(probs, fmt.Sprintf("line %d: %v", line, err))
			continue
		}
		out = append(out, c)
	}
	if len(probs) > 0 {
		return nil, &CSVError{Problems: probs}
	}
	return out, nil
}

// CSVError lists every bad row of a client list.
type CSVError struct{ Problems []string }

func (e *CSVError) Error() string {
	return fmt.Sprintf("%d bad row%s in the client list; nothing was imported", len(e.Problems), map[bool]string{true: "", false: "s"}[len(e.Problems) == 1])
}

package workbook

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/vatbridge/vat/pkg/vatreturn"
)

// maxMapLine bounds one line of a map file; real lines are a few dozen characters.
const maxMapLine = 4096

// ParseMap reads a --map file (format in the package documentation) into box number → defined
// name or cell reference. Every bad line is reported, each with its line number.
func ParseMap(r io.Reader) (map[int]string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 256), maxMapLine)
	out := map[int]string{}
	lineOf := map[int]int{}
	var errs []string
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		key, val, ok := strings.Cut(text, "=")
		if !ok {
			errs = append(errs, fmt.Sprintf("line %d: expected `box1 = Name`, got %q", line, text))
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		n, ok := mapKey(key)
		if !ok {
			errs = append(errs, fmt.Sprintf("line %d: %q is not a box (use box1 to box9 or an HMRC field name such as vatDueSales)", line, key))
			continue
		}
		if val == "" {
			errs = append(errs, fmt.Sprintf("line %d: box %d has no name or reference", line, n))
			continue
		}
		if strings.Contains(val, "!") {
			if _, _, err := parseRef(val); err != nil {
				errs = append(errs, fmt.Sprintf("line %d: box %d: reference %s", line, n, refError(val, err)))
				continue
			}
		} else if strings.ContainsAny(val, " +-*/()\"'") {
			errs = append(errs, fmt.Sprintf("line %d: box %d: %q is neither a defined name nor a reference like 'VAT Return'!C7", line, n, val))
			continue
		}
		if prev, dup := lineOf[n]; dup {
			errs = append(errs, fmt.Sprintf("line %d: box %d is already mapped on line %d", line, n, prev))
			continue
		}
		out[n], lineOf[n] = val, line
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading map file: line %d: %w", line+1, err)
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("map file: %s", strings.Join(errs, "; "))
	}
	return out, nil
}

// mapKey accepts "box1", "Box 1", "1" or an HMRC field name.
func mapKey(k string) (int, bool) {
	l := strings.ToLower(strings.ReplaceAll(k, " ", ""))
	l = strings.TrimPrefix(l, "box")
	if n, err := strconv.Atoi(l); err == nil && n >= 1 && n <= 9 {
		return n, true
	}
	for _, b := range vatreturn.Boxes {
		if strings.EqualFold(k, b.Field) {
			return b.Number, true
		}
	}
	return 0, false
}

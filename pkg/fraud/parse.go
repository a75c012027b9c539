package fraud

// Parsers for the text other programs print. They live outside the per-OS files so that every
// platform's parsing is tested on every platform.

import (
	"bufio"
	"bytes"
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
)

// parseOSRelease reads the KEY=value lines of os-release(5).
func parseOSRelease(b []byte) map[string]string {
	out := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || line[0] == '#' {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		if n := len(v); n >= 2 && (v[0] == '"' && v[n-1] == '"' || v[0] == '\'' && v[n-1] == '\'') {
			v = v[1 : n-1]
			// os-release allows shell-style escapes of these characters inside quotes.
			for _, esc := range []string{`\\`, `\"`, `\$`, "\\`"} {
				v = strings.ReplaceAll(v, esc, esc[1:])
			}
		}
		out[k] = v
	}
	return out
}

// linuxVersion combines the distribution (from os-release) with the kernel release, because both
// identify the system to HMRC and neither alone is complete.
func linuxVersion(osRelease map[string]string, kernel string) string {
	distro := osRelease["PRETTY_NAME"]
	if distro == "" {
		distro = strings.TrimSpace(osRelease["NAME"] + " " + osRelease["VERSION_ID"])
	}
	switch {
	case distro != "" && kernel != "":
		return distro + "; kernel " + kernel
	case distro != "":
		return distro
	default:
		return kernel
	}
}

// xrandrOutput matches a connected, active output: "HDMI-1 connected [primary] 1920x1080+0+0 ...".
var xrandrOutput = regexp.MustCompile(`^\S+ connected (?:primary )?(\d{1,6})x(\d{1,6})\+-?\d+\+-?\d+`)

// parseXrandr returns one screen per active output of `xrandr --query`. Outputs that are connected
// but switched off have no geometry and are skipped.
func parseXrandr(b []byte) []Screen {
	var screens []Screen
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		m := xrandrOutput.FindStringSubmatch(sc.Text())
		if m == nil {
			continue
		}
		w, _ := strconv.Atoi(m[1])
		h, _ := strconv.Atoi(m[2])
		if w > 0 && h > 0 {
			screens = append(screens, Screen{Width: w, Height: h})
		}
	}
	return screens
}

// parseXwininfo returns the Width, Height and Depth lines of `xwininfo` (0 when absent).
func parseXwininfo(b []byte) (width, height, depth int) {
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		k, v, ok := strings.Cut(strings.TrimSpace(sc.Text()), ":")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || n <= 0 || n > 1<<20 {
			continue
		}
		switch k {
		case "Width":
			width = n
		case "Height":
			height = n
		case "Depth":
			depth = n
		}
	}
	return width, height, depth
}

// parseSwVers reads macOS `sw_vers` output into family ("macOS") and version ("14.5 (23F79)").
func parseSwVers(b []byte) (family, version string) {
	kv := map[string]string{}
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok {
			kv[strings.TrimSpace(k)] = strings.TrimSpace(v)
		}
	}
	version = kv["ProductVersion"]
	if build := kv["BuildVersion"]; version != "" && build != "" {
		version += " (" + build + ")"
	}
	return kv["ProductName"], version
}

// systemProfilerDisplays is the part of `system_profiler SPDisplaysDataType -json` we read.
type systemProfilerDisplays struct {
	Adapters []struct {
		Displays []struct {
			Pixels     string `json:"_spdisplays_pixels"`
			Resolution string `json:"_spdisplays_resolution"`
			Depth      string `json:"spdisplays_depth"`
			Online     string `json:"spdisplays_online"`
		} `json:"spdisplays_ndrvs"`
	} `json:"SPDisplaysDataType"`
}

var sizeRE = regexp.MustCompile(`^\s*(\d{1,6})\s*x\s*(\d{1,6})`)

func parseSize(s string) (w, h int) {
	m := sizeRE.FindStringSubmatch(s)
	if m == nil {
		return 0, 0
	}
	w, _ = strconv.Atoi(m[1])
	h, _ = strconv.Atoi(m[2])
	return w, h
}

// parseSystemProfiler turns macOS's display report into screens. Width and height are the
// "looks like" size in points, and the scaling factor is the ratio of real pixels to points, the
// same pair a browser reports as screen.width and devicePixelRatio.
func parseSystemProfiler(b []byte) ([]Screen, error) {
	var r systemProfilerDisplays
	if err := json.Unmarshal(b, &r); err != nil {
		return nil, err
	}
	var screens []Screen
	for _, a := range r.Adapters {
		for _, d := range a.Displays {
			if d.Online == "spdisplays_no" {
				continue
			}
			pw, ph := parseSize(d.Pixels)
			lw, lh := parseSize(d.Resolution)
			s := Screen{Width: lw, Height: lh}
			switch {
			case lw > 0 && lh > 0 && pw > 0:
				s.ScalingFactor = math.Round(float64(pw)/float64(lw)*100) / 100
			case pw > 0 && ph > 0:
				s = Screen{Width: pw, Height: ph}
			default:
				continue
			}
			switch d.Depth {
			case "CGSThirtyBitColor":
				s.ColourDepth = 30
			case "CGSThirtytwoBitColor":
				// 8 bits per colour channel plus 8 of alpha: 24 bits of colour, what browsers report.
				s.ColourDepth = 24
			}
			screens = append(screens, s)
		}
	}
	return screens, nil
}

// firmwarePlaceholders are the strings BIOS vendors leave in unfilled DMI fields. Sending them would
// look like the placeholders HMRC forbids, so they count as "not collected".
var firmwarePlaceholders = []string{
	"to be filled by o.e.m.", "system manufacturer", "system product name", "default string",
	"not specified", "not applicable", "none", "o.e.m.", "oem", "unknown", "n/a", "null", "undefined",
}

// cleanHardwareName trims s and reports whether it is a real value.
func cleanHardwareName(s string) (string, bool) {
	s = strings.TrimSpace(strings.Trim(s, "\x00"))
	if s == "" {
		return "", false
	}
	for _, p := range firmwarePlaceholders {
		if strings.EqualFold(s, p) {
			return s, false
		}
	}
	return s, true
}
